import assert from "node:assert/strict";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { INTERVAL_MS } from "../../../lib/time/interval";
import { parsePeriod } from "../../../lib/time/periods";
import { addSession, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

const lines = (inv: InvoiceSnapshot): string[] => inv.lines.map((l) => `${l.kind} ${l.quantity} ${l.unit} x ${l.unitPrice} = ${l.amount}`);

/*
 * November 2026 (30 days, 2880 quarter hours, no DST change), every interval:
 * unit 1: 100 Wh, unit 2: 200 Wh, unit 3: 100 Wh, common area: 40 Wh;
 * PV: 220 Wh in the first quarter of every hour (720 intervals), else 0.
 * In a PV interval C = 440, S = 220: everyone gets half their consumption from solar.
 *   unit 1: solar 720 x 50 = 36.000 kWh; grid 720 x 50 + 2160 x 100 = 252.000 kWh
 *   unit 2: solar 72.000 kWh; grid 504.000 kWh
 *   common: solar 720 x 20 = 14.400 kWh, grid 720 x 20 + 2160 x 40 = 100.800 kWh,
 *           shared by floor area 100:200:100 -> unit 1: 3.600 + 25.200, unit 2: 7.200 + 50.400
 * Charger: unit 1's tenant charges 10 x 2750 Wh normal and 4 x 2750 Wh priority in non-PV
 * intervals (so nobody else's solar share changes).
 */
describe("billing: a month of a 3-unit building with solar, common area and a charger", () => {
  const tmp = useTmpDir();

  function setUp() {
    const def = threeUnitCommunity();
    const store = openBillingStore(tmp(), def);
    const period = parsePeriod("2026-11");
    const evNormal = Array.from({ length: 10 }, (_, k) => ({
      startMs: Date.parse("2026-11-10T18:15:00+01:00") + k * 4 * INTERVAL_MS,
      wh: 2750,
      mode: "normal" as const,
    }));
    const evPriority = Array.from({ length: 4 }, (_, k) => ({
      startMs: Date.parse("2026-11-20T07:15:00+01:00") + k * 4 * INTERVAL_MS,
      wh: 2750,
      mode: "priority" as const,
    }));
    const charging = new Map([...evNormal, ...evPriority].map((x) => [x.startMs, x.wh]));
    fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
    fillMeter(store, "drei", "unit-2", "2026-11", () => 200);
    fillMeter(store, "drei", "unit-3", "2026-11", () => 100);
    fillMeter(store, "drei", "common", "2026-11", () => 40);
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    fillMeter(store, "drei", "charger-1", "2026-11", (_i, t) => charging.get(t) ?? 0);
    fillMeter(store, "drei", "grid", "2026-11", (i, t) => (i % 4 === 0 ? 220 : 440) + (charging.get(t) ?? 0));
    addSession(store, "drei", { charger: "charger-1", userId: "RFID-ANNA", unitId: "1", intervals: evNormal });
    addSession(store, "drei", { charger: "charger-1", userId: "RFID-ANNA", unitId: "1", intervals: evPriority });
    return { store, period };
  }

  it("bills unit 1 to the Rappen: own solar and grid, common-area share, both EV modes, fees", () => {
    const { store } = setUp();
    try {
      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      const inv = res.invoices.find((i) => i.tenancyKey === "t1")!;
      assert.deepEqual(lines(inv), [
        "solar 36.000 kWh x 0.2 = 7.20",
        "grid 252.000 kWh x 0.3 = 75.60",
        "common-solar 3.600 kWh x 0.2 = 0.72",
        "common-grid 25.200 kWh x 0.3 = 7.56",
        "ev-normal 27.500 kWh x 0.25 = 6.88",
        "ev-priority 11.000 kWh x 0.4 = 4.40",
        "base-fee 1 month x 5 = 5.00",
        "metering-fee 1 month x 3.5 = 3.50",
      ]);
      assert.equal(inv.totals.gross, "110.86");
      assert.equal(inv.totals.rounding, "-0.01");
      assert.equal(inv.totals.total, "110.85");
      assert.deepEqual(inv.totals.vat, []);
      assert.equal(inv.energy.totalKWh, "355.300");
      // (36 + 3.6) / (36 + 252 + 3.6 + 25.2)
      assert.equal(inv.energy.selfSufficiency, "0.1250");
      assert.deepEqual(inv.service, [{ from: "2026-11-01", to: "2026-11-30" }]);
    } finally {
      store.close();
    }
  });

  it("bills unit 2 to the Rappen and puts no EV line on it", () => {
    const { store } = setUp();
    try {
      const inv = computeInvoices(loadBillingInput(store, "drei", "2026-11")).invoices.find((i) => i.tenancyKey === "t2")!;
      assert.deepEqual(lines(inv), [
        "solar 72.000 kWh x 0.2 = 14.40",
        "grid 504.000 kWh x 0.3 = 151.20",
        "common-solar 7.200 kWh x 0.2 = 1.44",
        "common-grid 50.400 kWh x 0.3 = 15.12",
        "base-fee 1 month x 5 = 5.00",
        "metering-fee 1 month x 3.5 = 3.50",
      ]);
      assert.equal(inv.totals.total, "190.65");
      assert.equal(inv.language, "fr");
    } finally {
      store.close();
    }
  });

  it("the run's totals match the meters: consumption, production, EV sessions", () => {
    const { store } = setUp();
    try {
      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      assert.equal(res.invoices.length, 3);
      assert.equal(res.totals.productionKWh, "158.400");
      // 2880 x 440 Wh + 38.5 kWh charging
      assert.equal(res.totals.consumptionKWh, "1305.700");
      assert.equal(res.totals.selfConsumedKWh, "158.400");
      assert.equal(res.totals.evSessionsKWh, "38.500");
      assert.equal(res.totals.commonAreaKWh, "115.200");
      assert.ok(res.coverage.every((c) => c.coverage === 1));
      assert.deepEqual(res.warnings, []);
    } finally {
      store.close();
    }
  });
});
