import type { computeInvoices } from "../../lib/billing/compute";
import { sessionEnergyInRange } from "../../lib/store/charger-session-repo";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { parsePeriod } from "../../lib/time/periods";
import { fillMeter } from "./billing-fixture";

/**
 * A month of threeUnitCommunity() around its stored charging sessions: the
 * charger meter sees exactly what the sessions took per quarter hour, the
 * other meters 100 Wh each as in a plain month.
 */
export function fillMonthAroundSessions(store: SqliteStore, communityId: string, period: string, chargerMeter = "charger-1"): void {
  const p = parsePeriod(period);
  const perInterval = new Map<number, number>();
  for (const e of sessionEnergyInRange(store, communityId, p.startMs, p.endMs)) perInterval.set(e.startMs, (perInterval.get(e.startMs) ?? 0) + e.energyWh);
  for (const m of ["unit-1", "unit-2", "unit-3", "common", "pv", "grid"]) fillMeter(store, communityId, m, period, () => 100);
  fillMeter(store, communityId, chargerMeter, period, (_i, ts) => perInterval.get(ts) ?? 0);
}

/** A tenancy's EV lines as "kind quantity x unit price = amount". */
export function evLines(res: ReturnType<typeof computeInvoices>, tenancy: string): string[] {
  return res.invoices
    .find((i) => i.tenancyKey === tenancy)!
    .lines.filter((l) => l.kind.startsWith("ev-"))
    .map((l) => `${l.kind} ${l.quantity} x ${l.unitPrice} = ${l.amount}`);
}
