import assert from "node:assert/strict";
import { reconcileLegSplit, computeLegPeriod } from "../../../lib/billing/leg-run";
import { importSdatText } from "../../../lib/operator/sdat-files";
import { parseSdat } from "../../../lib/operator/sdat";
import { meterIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { openBillingStore } from "../../support/billing-fixture";
import { fillLegMonth, legCommunity } from "../../support/leg-fixture";
import { sdatXml, type SdatBlock } from "../../support/sdat";
import { useTmpDir } from "../../support/tmp";

const DAY = "2026-11-02..2026-11-02";
const START = "2026-11-01T23:00:00Z";
const END = "2026-11-02T23:00:00Z";
const POINT = (u: string): string => `CH10000000000000000000000000${u.toUpperCase()}`;
const DRAW: Record<string, (i: number) => number> = {
  m1: () => 100,
  m2: () => 200,
  m3: () => 100,
  m4: () => 50,
  p2: (i) => (i % 4 === 0 ? 0 : 50),
};
/** The own split of a sunny quarter (test/unit/billing/leg-month.spec.ts): 89, 178, 89, 44, p2 0. */
const OWN_LOCAL: Record<string, number> = { m1: 89, m2: 178, m3: 89, m4: 44, p2: 0 };

const kwh = (wh: number): string => (wh / 1000).toFixed(3);

/** The operator's E66 split of 2 Nov 2026: the own split, except the first sunny quarter where m1 gets 95 and m2 172 Wh. */
function e66(opts: { differ: boolean; condition?: string } = { differ: true }): string {
  const blocks: SdatBlock[] = [];
  for (const u of Object.keys(DRAW)) {
    const local = (i: number): number => {
      if (i % 4 !== 0) return 0;
      if (opts.differ && i === 0 && u === "m1") return 95;
      if (opts.differ && i === 0 && u === "m2") return 172;
      return OWN_LOCAL[u]!;
    };
    const obs = (f: (i: number) => number) =>
      Array.from({ length: 96 }, (_, i) => (opts.condition ? { kWh: kwh(f(i)), condition: opts.condition } : { kWh: kwh(f(i)) }));
    blocks.push({ point: POINT(u), direction: "consumption", start: START, end: END, product: "LEG-LOCAL", observations: obs(local) });
    blocks.push({
      point: POINT(u),
      direction: "consumption",
      start: START,
      end: END,
      product: "LEG-RESIDUAL",
      observations: obs((i) => DRAW[u]!(i) - local(i)),
    });
  }
  return sdatXml({ documentId: opts.differ ? "E66-1" : "E66-0", created: "2026-11-03T06:00:00Z", blocks });
}

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
