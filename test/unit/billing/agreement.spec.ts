import assert from "node:assert/strict";
import { communityIntervals } from "../../../lib/aggregation/community-intervals";
import { layoutOf } from "../../../lib/aggregation/community-intervals";
import { splitRoles } from "../../../lib/allocation/layout";
import { computeInvoices } from "../../../lib/billing/compute";
import { buildLayout } from "../../../lib/billing/layout";
import { accumulateLedger, CAT, ledgerIndex } from "../../../lib/billing/ledger";
import { loadBillingInput } from "../../../lib/billing/load";
import { upsertIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { parsePeriod } from "../../../lib/time/periods";
import { kwhFromMWh } from "../../../lib/util/money";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/*
 * Billing reads a period's interval matrix at once; the dashboard and the
 * interval summaries read it a week at a time through lib/aggregation. Both
 * must split every interval identically (docs/decisions/0025-community-view-shared-with-billing.md, 0088).
 */
describe("lib/aggregation and billing agree on the split", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  const PERIOD = "2026-03"; // includes the spring-forward day

  beforeEach(() => {
    const base = threeUnitCommunity();
    store = openBillingStore(tmp(), threeUnitCommunity({ meters: [...base.meters!, { id: "bat", role: "battery" }] }));
    const hourOf = (t: number): number => new Date(t).getUTCHours();
    fillMeter(store, "drei", "pv", PERIOD, (i, t) => Math.max(0, Math.round(900 * Math.sin(((hourOf(t) - 5) / 14) * Math.PI))) + (i % 7));
    fillMeter(store, "drei", "unit-1", PERIOD, (i) => 50 + ((i * 37) % 300));
    fillMeter(store, "drei", "unit-2", PERIOD, (i) => 80 + ((i * 53) % 250));
    fillMeter(store, "drei", "unit-3", PERIOD, (i) => (i % 11 === 0 ? null : 20 + ((i * 17) % 120))); // a few rows missing
    fillMeter(store, "drei", "common", PERIOD, (i) => 30 + (i % 5));
    fillMeter(store, "drei", "charger-1", PERIOD, (i) => (i % 96 > 70 ? 2750 : 0));
    fillMeter(
      store,
      "drei",
      "bat",
      PERIOD,
      (i) => (i % 96 > 40 && i % 96 < 56 ? 200 : 0),
      "measured",
      (i) => (i % 96 > 72 ? 150 : 0),
    );
    fillMeter(
      store,
      "drei",
      "grid",
      PERIOD,
      (i) => 300 + (i % 13),
      "measured",
      () => 0,
    );
  });
  afterEach(() => store.close());

  it("community totals over a month are the billing run's totals", () => {
    const billing = computeInvoices(loadBillingInput(store, "drei", PERIOD)).totals;
    const p = parsePeriod(PERIOD);
    let consumption = 0,
      production = 0,
      selfConsumed = 0,
      gridImport = 0,
      gridExport = 0,
      n = 0;
    for (const ci of communityIntervals(store, "drei", p.startMs, p.endMs, { method: "proportional" })) {
      const a = ci.allocation;
      consumption += a.totalConsumptionMWh;
      production += a.productionMWh;
      selfConsumed += a.selfConsumedMWh;
      gridImport += a.gridImportMWh;
      gridExport += a.gridExportMWh;
      n++;
    }
    assert.equal(n, 31 * 96 - 4);
    const kwh = (mWh: number): string => kwhFromMWh(mWh).toFixed(3);
    assert.deepEqual(
      { consumption: kwh(consumption), production: kwh(production), selfConsumed: kwh(selfConsumed), gridImport: kwh(gridImport), gridExport: kwh(gridExport) },
      {
        consumption: billing.consumptionKWh,
        production: billing.productionKWh,
        selfConsumed: billing.selfConsumedKWh,
        gridImport: billing.gridImportKWh,
        gridExport: billing.gridExportKWh,
      },
    );
    assert.ok(selfConsumed > 0 && gridExport > 0);
  });

  it("a battery whose discharge is unknown in one interval: billing still uses the rest of it, as the view does", () => {
    const p = parsePeriod(PERIOD);
    // the first evening's discharge interval without an export value (e.g. imported from an import-only load profile)
    upsertIntervals(store, [
      { meterId: getMeter(store, "drei", "bat")!.id, startMs: p.startMs + 80 * 900_000, importWh: 0, exportWh: null, quality: "measured" },
    ]);
    const input = loadBillingInput(store, "drei", PERIOD);
    const ledger = accumulateLedger(buildLayout(input.def, input.period, input.matrix.count), input.matrix, input.meters, input.ev, "proportional");
    let batteryUsed = 0;
    for (const ci of communityIntervals(store, "drei", p.startMs, p.endMs)) batteryUsed += ci.allocation.batteryUsedMWh;
    assert.ok(batteryUsed > 0);
    assert.equal(ledger.totals.batteryUsed, batteryUsed);
  });

  it("the ledger's consumers are lib/allocation's, in its order, which is the community view's", () => {
    const input = loadBillingInput(store, "drei", PERIOD);
    const layout = buildLayout(input.def, input.period, input.matrix.count);
    const ledger = accumulateLedger(layout, input.matrix, input.meters, input.ev, "proportional");
    const expected = splitRoles(input.meters, new Set(layout.units)).consumers.map((c) => c.meterId);
    assert.deepEqual(
      ledger.consumers.map((c) => c.meterId),
      expected,
    );
    assert.deepEqual(
      layoutOf(store, "drei").consumers.map((c) => c.meterId),
      expected,
    );
    assert.equal(expected.length, 5); // three units, the common area, the charger
  });

  it("each unit's solar, battery and grid shares are the billing ledger's, to the mWh", () => {
    const input = loadBillingInput(store, "drei", PERIOD);
    const layout = buildLayout(input.def, input.period, input.matrix.count);
    const ledger = accumulateLedger(layout, input.matrix, input.meters, input.ev, "proportional");
    const billed = (unitIndex: number, cats: number[]): number => {
      const occ = layout.occ[unitIndex * layout.days]!;
      let sum = 0;
      for (let seg = 0; seg < layout.segmentCount; seg++) for (const c of cats) sum += ledger.values[ledgerIndex(layout, occ, seg, c)]!;
      return sum;
    };
    const view = layoutOf(store, "drei");
    const totals = new Map(view.consumers.map((c) => [c.meter, { solar: 0, battery: 0, grid: 0 }]));
    for (const ci of communityIntervals(store, "drei", input.period.startMs, input.period.endMs)) {
      view.consumers.forEach((c, k) => {
        const t = totals.get(c.meter)!;
        t.solar += ci.allocation.solarMWh[k]!;
        t.battery += ci.allocation.batteryMWh[k]!;
        t.grid += ci.allocation.gridMWh[k]!;
      });
    }
    layout.units.forEach((unit, u) => {
      const t = totals.get(`unit-${unit}`)!;
      assert.equal(t.solar, billed(u, [CAT.ownSolar]), `unit ${unit} solar`);
      assert.equal(t.battery, billed(u, [CAT.ownBattery]), `unit ${unit} battery`);
      assert.equal(t.grid, billed(u, [CAT.ownGridHt, CAT.ownGridNt]), `unit ${unit} grid`);
    });
  });
});
