import { runBilling } from "../../lib/billing/run";
import type { CommunityDefinition } from "../../lib/community/types";
import { createLink } from "../../lib/portal/links";
import { insertPayment } from "../../lib/store/payment-repo";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { INTERVAL_MS } from "../../lib/time/interval";
import { addSession, fillMeter, openBillingStore, threeUnitCommunity } from "./billing-fixture";

/*
 * A community for the tenant portal: three tenancies (de, fr, en) with
 * November 2026 measured and issued, a charging session for units 1 and 2,
 * a partial payment on unit 1's invoice.
 */

/** "Now" of the portal tests: after November's invoices were issued. */
export const PORTAL_NOW = Date.parse("2026-12-10T10:00:00Z");
export const NOV_START = Date.parse("2026-10-31T23:00:00Z");

export interface PortalFixture {
  store: SqliteStore;
  def: CommunityDefinition;
  /** Invoice ids by tenancy. */
  invoiceOf: Record<string, number>;
  /** A fresh link per tenancy. */
  tokens: Record<string, string>;
}

export function portalCommunity(overrides: Partial<CommunityDefinition> = {}): CommunityDefinition {
  return threeUnitCommunity({
    chargingIds: [
      { id: "04A1B2C3D4", unit: "1" },
      { id: "04FFEE9911", unit: "2" },
    ],
    ...overrides,
  });
}

export function portalFixture(dir: string, def = portalCommunity()): PortalFixture {
  const store = openBillingStore(dir, def);
  // unit-1 100 Wh, unit-2 300 Wh, unit-3 50 Wh per quarter hour; PV 400 Wh in the day's middle hours.
  for (const [m, wh] of [
    ["unit-1", 100],
    ["unit-2", 300],
    ["unit-3", 50],
    ["common", 20],
    ["charger-1", 0],
  ] as const)
    fillMeter(store, def.id, m, "2026-11", () => wh);
  fillMeter(store, def.id, "pv", "2026-11", (i) => (i % 96 >= 40 && i % 96 < 64 ? 400 : 0));
  addSession(store, def.id, {
    charger: "charger-1",
    userId: "04A1B2C3D4",
    unitId: "1",
    intervals: [0, 1, 2, 3].map((k) => ({ startMs: NOV_START + (5 * 96 + 72 + k) * INTERVAL_MS, wh: 2500, mode: k < 2 ? "priority" : "normal" })),
  });
  addSession(store, def.id, {
    charger: "charger-1",
    userId: "04FFEE9911",
    unitId: "2",
    intervals: [0, 1].map((k) => ({ startMs: NOV_START + (9 * 96 + 80 + k) * INTERVAL_MS, wh: 3000, mode: "normal" })),
  });
  const run = runBilling(store, { communityId: def.id, period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", force: true, actor: "test" });
  const invoiceOf: Record<string, number> = {};
  for (const r of run.invoices) if (r.id !== null) invoiceOf[r.tenancyKey] = r.id;
  const t1 = run.records.find((r) => r.tenancyKey === "t1")!;
  insertPayment(
    store,
    {
      communityId: def.id,
      source: "manual",
      bankKey: null,
      amount: "10.00",
      currency: "CHF",
      bookingDate: "2026-12-05",
      valueDate: "2026-12-05",
      referenceType: null,
      reference: null,
      debtorName: null,
      debtorIban: null,
      accountIban: null,
      invoiceId: t1.id,
      state: "manual",
      flag: null,
      note: "cash",
      fileName: null,
      messageId: null,
      entryRef: null,
      txRef: null,
      endToEndId: null,
      createdBy: "test",
    },
    PORTAL_NOW - 86_400_000,
  );
  const tokens: Record<string, string> = {};
  for (const t of def.tenancies) tokens[t.id] = createLink(store, { communityId: def.id, tenancyId: t.id, actor: "test", nowMs: PORTAL_NOW - 3600_000 }).token;
  return { store, def, invoiceOf, tokens };
}
