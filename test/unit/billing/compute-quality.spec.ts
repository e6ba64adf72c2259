import assert from "node:assert/strict";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import { Q_ESTIMATED, Q_INTERPOLATED, Q_MEASURED } from "../../../lib/model/quality";
import { getMeter } from "../../../lib/store/meter-repo";
import { addDays, startOfLocalDay } from "../../../lib/time/local-date";
import { fillMeter, openBillingStore, person, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

describe("lib/billing compute: an invoice's data quality", () => {
  const tmp = useTmpDir();

  it("counts each unit meter's qualities over the payer's days alike for a meter measured throughout and for one with gaps, estimates and missing rows", () => {
    const def = threeUnitCommunity({
      tenancies: [
        { id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2025-01-01", to: "2026-11-09" },
        { id: "t1b", unit: "1", tenant: person("Ben Roth"), from: "2026-11-10", to: null },
        { id: "t2", unit: "2", tenant: person("Luc Dubois", "fr"), from: "2025-01-01", to: null },
        { id: "t3", unit: "3", tenant: person("Sam Taylor", "en"), from: "2025-01-01", to: "2026-11-20" },
      ],
    });
    const store = openBillingStore(tmp(), def);
    try {
      fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
      fillMeter(store, "drei", "unit-2", "2026-11", (i) => (i % 9 === 0 ? null : 200));
      fillMeter(store, "drei", "unit-2", "2026-11-03..2026-11-04", () => 150, "estimated");
      fillMeter(store, "drei", "unit-2", "2026-11-20..2026-11-20", () => 150, "interpolated");
      fillMeter(store, "drei", "unit-3", "2026-11", (i) => (i % 5 === 0 ? null : 90));
      fillMeter(store, "drei", "unit-3", "2026-11-12..2026-11-12", () => null);
      const m3 = getMeter(store, "drei", "unit-3")!;
      store.db
        .prepare("UPDATE intervals SET import_wh = NULL, export_wh = NULL, quality = 'missing' WHERE meter_id = ? AND (start_ms / 900000) % 7 = 0")
        .run(m3.id);
      fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
      const input = loadBillingInput(store, "drei", "2026-11");
      const comp = computeInvoices(input);
      assert.equal(comp.invoices.length, 5);
      for (const inv of comp.invoices)
        for (const q of inv.quality) {
          const meter = input.meters.find((m) => m.key === q.meter)!;
          const col = input.matrix.columns.get(meter.id)!;
          const want = { meter: q.meter, measured: 0, interpolated: 0, estimated: 0, missing: 0, total: 0 };
          for (const span of inv.service) {
            const a = (startOfLocalDay(span.from, def.timeZone) - input.matrix.fromMs) / 900_000;
            const b = (startOfLocalDay(addDays(span.to, 1), def.timeZone) - input.matrix.fromMs) / 900_000;
            for (let i = a; i < b; i++) {
              const c = col.quality[i];
              if (c === Q_MEASURED) want.measured++;
              else if (c === Q_INTERPOLATED) want.interpolated++;
              else if (c === Q_ESTIMATED) want.estimated++;
              else want.missing++;
              want.total++;
            }
          }
          assert.deepEqual(q, want, `${inv.tenancyKey} ${q.meter}`);
        }
      // The cases are there: unit 1 measured throughout, the others not.
      const q1 = comp.invoices.find((s) => s.tenancyKey === "t1b")!.quality[0]!;
      assert.deepEqual([q1.measured, q1.total], [21 * 96, 21 * 96]);
      const q2 = comp.invoices.find((s) => s.tenancyKey === "t2")!.quality[0]!;
      assert.ok(q2.estimated === 2 * 96 && q2.interpolated === 96 && q2.missing > 0);
      const q3 = comp.invoices.find((s) => s.tenancyKey === "owner:3")!.quality[0]!;
      assert.ok(q3.missing > 0 && q3.measured > 0);
    } finally {
      store.close();
    }
  });
});
