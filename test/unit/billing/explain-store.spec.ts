import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { computeInvoices } from "../../../lib/billing/compute";
import { explainFromStore } from "../../../lib/billing/explain-store";
import { usageOf } from "../../../lib/billing/explain-history";
import { loadBillingInput } from "../../../lib/billing/load";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { meterEnergyWh } from "../../../lib/store/counter-reading-repo";
import { upsertIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { startOfLocalDay, addDays } from "../../../lib/time/local-date";
import { parsePeriod } from "../../../lib/time/periods";
import { fillMeter, openBillingStore, person, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/** A move-out, a vacancy and a move-in in unit 3, so that service spans end and start inside the month. */
const moving = () =>
  threeUnitCommunity({
    tenancies: [
      { id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2025-01-01", to: null },
      { id: "t2", unit: "2", tenant: person("Luc Dubois", "fr"), from: "2025-01-01", to: null },
      { id: "t3", unit: "3", tenant: person("Sam Taylor", "en"), from: "2025-01-01", to: "2026-11-12" },
      { id: "t4", unit: "3", tenant: person("Mia Keller"), from: "2026-11-20", to: null },
    ],
  });

/** Every meter's month; `rough`: unit 1 with gaps, unit 2 estimated (coverage below 95 % for both). */
function fillAll(store: SqliteStore, month: string, rough = true): void {
  fillMeter(store, "drei", "unit-1", month, (i) => (rough && i % 13 === 5 ? null : 80 + (i % 7)));
  fillMeter(store, "drei", "unit-2", month, (i) => 150 + (i % 11), rough ? "estimated" : "measured");
  fillMeter(store, "drei", "unit-3", month, (i) => 90 + (i % 5));
  fillMeter(store, "drei", "common", month, () => 40);
  fillMeter(store, "drei", "pv", month, (i) => (i % 96 > 36 && i % 96 < 64 ? 900 : 0));
  fillMeter(store, "drei", "charger-1", month, () => 0);
  fillMeter(
    store,
    "drei",
    "grid",
    month,
    () => 300,
    "measured",
    (i) => (i % 96 > 40 && i % 96 < 60 ? 120 : 0),
  );
}

const explained = (store: SqliteStore, invoices: InvoiceSnapshot[], input: ReturnType<typeof loadBillingInput>): InvoiceSnapshot[] => {
  const copy = structuredClone(invoices);
  explainFromStore(store, input, copy);
  return copy;
};

describe("lib/billing explain-store: readings and comparison added from the store", () => {
  const tmp = useTmpDir();

  it("a reading's interval energy from the loaded matrix is SQL's sum of the stored rows, on gaps, estimated and missing rows and partial spans", () => {
    const store = openBillingStore(tmp(), moving());
    try {
      fillAll(store, "2026-11");
      // Unit 3's meter: some rows stored as missing (no energy), one day without rows at all.
      const m3 = getMeter(store, "drei", "unit-3")!;
      const nov = parsePeriod("2026-11");
      upsertIntervals(
        store,
        [5, 6, 7, 200, 201].map((i) => ({ meterId: m3.id, startMs: nov.startMs + i * 900_000, importWh: null, exportWh: null, quality: "missing" as const })),
      );
      store.db
        .prepare("DELETE FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?")
        .run(m3.id, nov.startMs + 96 * 900_000 * 25, nov.startMs + 96 * 900_000 * 26);
      const input = loadBillingInput(store, "drei", "2026-11");
      const comp = computeInvoices(input);
      const fromMatrix = explained(store, comp.invoices, input);
      // Without the period's columns every span is summed by SQL, as before the matrix was used.
      const fromSql = explained(store, comp.invoices, { ...input, matrix: { ...input.matrix, columns: new Map() } });
      assert.deepEqual(
        fromMatrix.map((s) => s.explain!.readings),
        fromSql.map((s) => s.explain!.readings),
      );
      const spans = fromMatrix.flatMap((s) => s.service.map((span) => ({ tenancy: s.tenancyKey, span, readings: s.explain!.readings! })));
      assert.deepEqual([...new Set(spans.map((x) => x.tenancy))].sort(), ["owner:3", "t1", "t2", "t3", "t4"]);
      for (const s of fromMatrix)
        for (const [k, span] of s.service.entries()) {
          const fact = s.explain!.readings!.filter((r) => r.meter === s.unit.meters[0])[k]!;
          const fromMs = startOfLocalDay(span.from, "Europe/Zurich");
          const toMs = startOfLocalDay(addDays(span.to, 1), "Europe/Zurich");
          const meter = getMeter(store, "drei", s.unit.meters[0]!)!;
          assert.equal(fact.intervalKWh, (meterEnergyWh(store, meter.id, fromMs, toMs).wh / 1000).toFixed(3), `${s.tenancyKey} ${span.from}..${span.to}`);
        }
      // The spans really are partial: unit 3's tenancies do not cover the month.
      const t3 = fromMatrix.find((s) => s.tenancyKey === "t3")!;
      assert.equal(t3.service[0]!.to, "2026-11-12");
    } finally {
      store.close();
    }
  });

  it("an earlier period: computed from the intervals when every counted meter has data, 'none' when one has none or too little, computed at minimum coverage 0 even so", () => {
    for (const [minCoverage, october, want] of [
      [0.95, "all", "intervals"],
      [0.95, "some", "none"],
      [0.95, "rough", "none"],
      [0.95, "nothing", "none"],
      [0, "nothing", "intervals"],
    ] as const) {
      const dir = `${tmp()}/${minCoverage}-${october}`;
      mkdirSync(dir);
      const def = threeUnitCommunity({ billing: { allocation: "proportional", commonAreaKey: "floorArea", minCoverage } });
      const store = openBillingStore(dir, def);
      try {
        fillAll(store, "2026-11");
        if (october === "all" || october === "rough") fillAll(store, "2026-10", october === "rough");
        // Every meter but unit 3's: its coverage is 0.
        if (october === "some") for (const m of ["unit-1", "unit-2", "common", "pv", "charger-1", "grid"]) fillMeter(store, "drei", m, "2026-10", () => 10);
        const input = loadBillingInput(store, "drei", "2026-11");
        const got = explained(store, computeInvoices(input).invoices, input);
        const previous = got.map((s) => s.explain!.history!.find((h) => h.which === "previous")!);
        assert.deepEqual(
          previous.map((h) => h.source),
          got.map(() => want),
          `minCoverage ${minCoverage}, October ${october}`,
        );
        if (want === "intervals") {
          const oct = computeInvoices(loadBillingInput(store, "drei", "2026-10")).invoices;
          assert.deepEqual(
            previous.map((h) => h.kWh),
            got.map((s) => usageOf(oct.find((o) => o.tenancyKey === s.tenancyKey)!.energy).kWh),
          );
          if (october === "nothing") assert.ok(previous.every((h) => h.kWh === "0.000"));
        }
        // November 2025: no price plan in force, no comparison.
        assert.ok(got.every((s) => s.explain!.history!.find((h) => h.which === "lastYear")!.source === "none"));
      } finally {
        store.close();
      }
    }
  });
});
