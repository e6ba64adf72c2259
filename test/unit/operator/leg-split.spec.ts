import assert from "node:assert/strict";
import { reconcileLegSplit, computeLegPeriod } from "../../../lib/billing/leg-run";
import { importSdatText } from "../../../lib/operator/sdat-files";
import { parseSdat } from "../../../lib/operator/sdat";
import { meterIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { openBillingStore } from "../../support/billing-fixture";
import { DAY, e66, END, fillLegMonth, legCommunity, START } from "../../support/leg-fixture";
import { useTmpDir } from "../../support/tmp";

describe("LEG: the operator's per-member split (E66) imported, billed from and reconciled", () => {
  const tmp = useTmpDir();

  function setUp(source: "own" | "operator" = "operator") {
    const store = openBillingStore(tmp(), legCommunity({ legSplitSource: source, legProducts: { local: ["LEG-LOCAL"], residual: ["LEG-RESIDUAL"] } }));
    fillLegMonth(store);
    return store;
  }

  it("without legProducts a split series is a note, and a document of only split series is refused as before", () => {
    assert.throws(() => parseSdat(e66(), "e66.xml"), /no active-energy load profile/);
    const doc = parseSdat(e66(), "e66.xml", { splitProducts: new Set(["LEG-LOCAL", "LEG-RESIDUAL"]) });
    assert.equal(doc.series.length, 0);
    assert.equal(doc.splitSeries!.length, 10);
  });

  it("imports the configured local and residual products into their own table, never into the metered intervals", () => {
    const store = setUp();
    try {
      const meter = getMeter(store, "leg", "mp-m1")!;
      const before = meterIntervals(store, meter.id, Date.parse(START), Date.parse(END));
      const report = importSdatText(store, "leg", e66(), "e66.xml", { actor: "test" });
      assert.equal(report.series.length, 0);
      assert.equal(report.legSplit!.length, 10);
      const m1Local = report.legSplit!.find((s) => s.meter === "mp-m1" && s.share === "local")!;
      assert.deepEqual([m1Local.product, m1Local.observations, m1Local.stored, m1Local.replaced, m1Local.kept], ["LEG-LOCAL", 96, 96, 0, 0]);
      assert.deepEqual(meterIntervals(store, meter.id, Date.parse(START), Date.parse(END)), before);
      // Re-delivered identical data changes nothing.
      const again = importSdatText(store, "leg", e66(), "e66.xml", { actor: "test" });
      assert.equal(
        again.legSplit!.reduce((a, s) => a + s.stored + s.replaced, 0),
        0,
      );
      // A substitute never overwrites a true value.
      const subst = importSdatText(store, "leg", e66({ differ: false, condition: "56" }), "e66-subst.xml", { actor: "test" });
      assert.equal(
        subst.legSplit!.reduce((a, s) => a + s.stored + s.replaced, 0),
        0,
      );
    } finally {
      store.close();
    }
  });

  it("bills from the operator's split when legSplitSource is operator; the books still balance", () => {
    const store = setUp();
    try {
      importSdatText(store, "leg", e66(), "e66.xml", { actor: "test" });
      const op = computeLegPeriod(store, "leg", DAY);
      const own = computeLegPeriod(store, "leg", DAY, "own");
      const local = (c: typeof op, k: string): string => c.invoices.find((i) => i.tenancyKey === k)!.leg!.localKWh;
      // Own: 24 sunny quarters x 89 Wh = 2.136 kWh; operator: 23 x 89 + 95 = 2.142 kWh; m2 23 x 178 + 172 = 4.266 kWh.
      assert.equal(local(own, "t-m1"), "2.136");
      assert.equal(local(op, "t-m1"), "2.142");
      assert.equal(local(op, "t-m2"), "4.266");
      assert.equal(op.invoices.find((i) => i.tenancyKey === "t-m1")!.leg!.source, "operator");
      assert.equal(op.leg.totals.billedLocalKWh, "9.600");
      assert.equal(op.leg.totals.creditedKWh, "9.600");
    } finally {
      store.close();
    }
  });

  it("reconciles the operator's split against the own computation per member, with the deliberate difference", () => {
    const store = setUp();
    try {
      importSdatText(store, "leg", e66(), "e66.xml", { actor: "test" });
      const r = reconcileLegSplit(store, "leg", DAY);
      const row = (k: string) => r.rows.find((x) => x.tenancyKey === k)!;
      assert.deepEqual([row("t-m1").ownLocalKWh, row("t-m1").operatorLocalKWh, row("t-m1").localDifferenceKWh], ["2.136", "2.142", "0.006"]);
      assert.deepEqual([row("t-m2").ownLocalKWh, row("t-m2").operatorLocalKWh, row("t-m2").localDifferenceKWh], ["4.272", "4.266", "-0.006"]);
      assert.equal(row("t-m1").residualDifferenceKWh, "-0.006");
      assert.equal(row("t-m3").localDifferenceKWh, "0.000");
      assert.equal(row("t-m3").residualDifferenceKWh, "0.000");
      assert.equal(r.differing, 2);
      assert.equal(r.totals.localDifferenceKWh, "0.000");
    } finally {
      store.close();
    }
  });

  it("names the quarter hours without an operator value instead of billing them silently as local", () => {
    const store = setUp();
    try {
      const op = computeLegPeriod(store, "leg", DAY);
      assert.equal(op.leg.totals.billedLocalKWh, "0.000");
      assert.ok(op.notices.some((n) => n.code === "leg.operatorSplitMissing"));
    } finally {
      store.close();
    }
  });
});
