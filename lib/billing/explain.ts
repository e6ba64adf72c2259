import type { CommunityDefinition } from "../community/types";
import type { EvSessionFact, InvoiceExplanation } from "../model/invoice";
import type { SessionIntervalEnergy } from "../store/charger-session-repo";
import { INTERVAL_MS } from "../time/interval";
import { localClock } from "../time/local-date";
import { Decimal, kwhFromMWh } from "../util/money";
import type { BillingLayout } from "./layout";

/*
 * The facts an invoice prints to explain itself (decision 0107), taken from
 * the same layout and ledger input the lines come from, so the explanation
 * and the lines cannot tell different stories. Nothing here changes a line.
 */

const SCALE = { equal: 1, floorArea: 10000, custom: 1e6 } as const;

export interface ExplainInput {
  def: CommunityDefinition;
  layout: BillingLayout;
  payer: number;
  /** The payer's days (indexes into layout.dates). */
  days: readonly number[];
  /** The invoice's common-area share, kWh with 3 decimals. */
  commonKWh: string;
  /** The community's common-area energy of the period, mWh. */
  communityCommonMWh: number;
  ev: readonly SessionIntervalEnergy[];
  fromMs: number;
  count: number;
}

export function explainInvoice(x: ExplainInput): InvoiceExplanation {
  const { layout, payer } = x;
  const D = layout.days;
  const u = layout.units.indexOf(layout.payers[payer]!.unit);
  const key = layout.rules.commonAreaKey;
  const scale = SCALE[key];
  const total = layout.commonWeights.reduce((a, b) => a + b, 0);
  const common =
    x.communityCommonMWh > 0 && total > 0
      ? {
          key,
          weight: new Decimal(layout.commonWeights[u]!).div(scale).toString(),
          totalWeight: new Decimal(total).div(scale).toString(),
          communityKWh: kwhFromMWh(x.communityCommonMWh).toFixed(3),
          days: x.days.length,
          periodDays: D,
          shareKWh: x.commonKWh,
        }
      : null;

  const tariffWindows: InvoiceExplanation["tariffWindows"] = [];
  const seen = new Set<string>();
  for (const d of x.days) {
    const plan = layout.segments[layout.seg[u * D + d]!]!.plan;
    if (plan.gridPerKWh || !plan.gridSchedule || seen.has(plan.id)) continue;
    seen.add(plan.id);
    tariffWindows.push({
      planId: plan.id,
      ht: plan.gridSchedule.ht.map((w) => ({ days: [...w.days], from: w.from, to: w.to })),
      ntDays: [...(plan.gridSchedule.ntDays ?? [])],
    });
  }

  // The same attribution as the ledger: the unit of the session, the day of its quarter hour, who occupied it.
  const unitId = layout.payers[payer]!.unit;
  const parts = new Map<string, { startMs: number; wh: number; mode: EvSessionFact["mode"]; userId: string | null }>();
  for (const e of x.ev) {
    if (e.unitId !== unitId) continue;
    const i = (e.startMs - x.fromMs) / INTERVAL_MS;
    if (i < 0 || i >= x.count) continue;
    if (layout.occ[u * D + layout.dayOfInterval[i]!] !== payer) continue;
    const k = `${e.sessionId}|${e.mode}`;
    const p = parts.get(k);
    if (p) {
      p.wh += e.energyWh;
      p.startMs = Math.min(p.startMs, e.startMs);
    } else parts.set(k, { startMs: e.startMs, wh: e.energyWh, mode: e.mode, userId: e.userId });
  }
  const evSessions = [...parts.values()]
    .sort((a, b) => a.startMs - b.startMs || a.mode.localeCompare(b.mode))
    .map((p): EvSessionFact => {
      const c = localClock(p.startMs, x.def.timeZone);
      const hh = String(Math.floor(c.minuteOfDay / 60)).padStart(2, "0");
      const mm = String(c.minuteOfDay % 60).padStart(2, "0");
      return { date: c.date, time: `${hh}:${mm}`, kWh: new Decimal(p.wh).div(1000).toFixed(3), mode: p.mode, idTail: p.userId ? p.userId.slice(-4) : null };
    });
  return { version: 1, common, tariffWindows, evSessions };
}
