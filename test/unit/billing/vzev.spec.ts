import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import type { CommunityDefinition } from "../../../lib/community/types";
import { importSdatText } from "../../../lib/operator/sdat-files";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { sdatXml, type SdatBlock } from "../../support/sdat";
import { useTmpDir } from "../../support/tmp";

const PERIOD = "2026-11-02..2026-11-02";
const START = "2026-11-01T23:00:00Z";
const END = "2026-11-02T23:00:00Z";
const WH: Record<string, (i: number) => number> = {
  "unit-1": () => 100,
  "unit-2": () => 200,
  "unit-3": () => 100,
  common: () => 40,
  pv: (i) => (i % 4 === 0 ? 220 : 0),
};
const meters = (withPoints: boolean): CommunityDefinition["meters"] =>
  (
    [
      { id: "pv", role: "production" },
      { id: "common", role: "common" },
      { id: "unit-1", role: "unit", unit: "1" },
      { id: "unit-2", role: "unit", unit: "2" },
      { id: "unit-3", role: "unit", unit: "3" },
    ] as const
  ).map((m) => ({ ...m, ...(withPoints ? { meteringPoint: `CH99000000000000000000000${m.id.toUpperCase().replace("-", "")}` } : {}) }));

/*
 * A vZEV is billed like a ZEV from the operator's data (docs/operator-data.md "vZEV"): the same day of
 * the same building, once as a ZEV from its own meters' intervals, once as a vZEV from SDAT-CH documents
 * (consumption documents of the members' points, a production document of the PV plant), gives the same
 * invoice lines and totals.
 */
describe("vZEV: billed from SDAT-imported intervals exactly like a ZEV", () => {
  const tmp = useTmpDir();

  it("gives the ZEV's invoices", () => {
    mkdirSync(join(tmp(), "zev"));
    mkdirSync(join(tmp(), "vzev"));
    const zevStore = openBillingStore(join(tmp(), "zev"), threeUnitCommunity({ meters: meters(false) }));
    const vzevStore = openBillingStore(join(tmp(), "vzev"), threeUnitCommunity({ kind: "vZEV", meters: meters(true) }));
    try {
      for (const [m, f] of Object.entries(WH)) fillMeter(zevStore, "drei", m, PERIOD, f);
      const blocks: SdatBlock[] = meters(true)!.map((m) => ({
        point: m.meteringPoint!,
        direction: m.role === "production" ? "production" : "consumption",
        start: START,
        end: END,
        observations: Array.from({ length: 96 }, (_, i) => ({ kWh: (WH[m.id]!(i) / 1000).toFixed(3) })),
      }));
      const report = importSdatText(vzevStore, "drei", sdatXml({ documentId: "VZEV-1", blocks }), "vzev.xml", { actor: "test" });
      assert.equal(
        report.series.reduce((a, s) => a + s.stored, 0),
        5 * 96,
      );
      const zev = computeInvoices(loadBillingInput(zevStore, "drei", PERIOD));
      const vzev = computeInvoices(loadBillingInput(vzevStore, "drei", PERIOD));
      assert.ok(zev.invoices.length === 3 && zev.invoices[0]!.lines.some((l) => l.kind === "solar"));
      assert.deepEqual(
        vzev.invoices.map((i) => ({ kind: i.communityKind, lines: i.lines, totals: i.totals, energy: i.energy })),
        zev.invoices.map((i) => ({ kind: "vZEV", lines: i.lines, totals: i.totals, energy: i.energy })),
      );
      assert.deepEqual(vzev.totals, zev.totals);
    } finally {
      zevStore.close();
      vzevStore.close();
    }
  });
});
