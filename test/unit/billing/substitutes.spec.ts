import assert from "node:assert/strict";
import { substituteGaps } from "../../../lib/aggregation/substitute-run";
import { runBilling } from "../../../lib/billing/run";
import { upsertIntervals } from "../../../lib/store/interval-repo";
import { listInvoices } from "../../../lib/store/invoice-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/*
 * A billing run and substitute values (lib/billing/substitutes.ts): the
 * quarter hours an admin filled count towards the coverage threshold, each
 * filled gap is a notice of the run, and the unit's invoice shows the
 * estimated share; without the substitutes the same data stop the run.
 */
const STOP = Date.parse("2026-11-28T00:00:00+01:00");

function fill(store: SqliteStore): void {
  for (const month of ["2026-10", "2026-11"]) {
    fillMeter(store, "drei", "unit-1", month, () => 100);
    fillMeter(store, "drei", "unit-2", month, () => 200);
    // unit 3's meter stopped on 28 November: 3 of 30 days (10 %) without data
    fillMeter(store, "drei", "unit-3", month, (_i, t) => (t < STOP ? 100 : null));
    fillMeter(store, "drei", "common", month, () => 40);
    fillMeter(store, "drei", "pv", month, (i) => (i % 4 === 0 ? 220 : 0));
    fillMeter(store, "drei", "charger-1", month, () => 0);
  }
}

describe("billing runs on substitute values", () => {
  const tmp = useTmpDir();

  it("bills a period whose gap an admin filled, counting the filled quarter hours as data and listing them", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fill(store);
      const stopped = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.equal(stopped.stopped, true, "10 % missing is below the 95 % threshold");

      const filled = substituteGaps(store, {
        communityId: "drei",
        fromMs: Date.parse("2026-11-01T00:00:00+01:00"),
        toMs: Date.parse("2026-12-01T00:00:00+01:00"),
        meters: ["unit-3"],
        method: "profile",
        weeks: 4,
        dryRun: false,
        actor: "admin",
        nowMs: Date.parse("2026-12-02T00:00:00+01:00"),
      });
      assert.equal(filled.filled, 1);
      assert.equal(filled.gaps[0]!.importWh, 3 * 96 * 100);

      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.equal(r.stopped, false);
      const cov = r.coverage.find((c) => c.meter === "unit-3")!;
      assert.deepEqual([cov.estimated, cov.substituted, cov.coverage], [288, 288, 1]);
      const notice = r.notices.find((n) => n.code === "billing.substitutedProfile");
      assert.ok(notice, r.notices.map((n) => n.code).join(", "));
      assert.match(
        notice.message,
        /^meter unit-3: 288 quarter hours from 2026-11-28 00:00 .* are substitute values from the profile of 4 week\(s\), no counter difference known: 28\.800 kWh, flagged estimated \(zev meter substitute, by admin\)$/,
      );
      const inv = listInvoices(store, "drei").find((i) => i.snapshot.unit.id === "3")!;
      assert.deepEqual(
        inv.snapshot.quality.map((q) => [q.meter, q.estimated, q.total]),
        [["unit-3", 288, 2880]],
        "the invoice carries the estimated share",
      );
    } finally {
      store.close();
    }
  });

  it("no longer counts or lists a substitute whose quarter hours the meter's return turned missing again", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fill(store);
      substituteGaps(store, {
        communityId: "drei",
        fromMs: Date.parse("2026-11-01T00:00:00+01:00"),
        toMs: Date.parse("2026-12-01T00:00:00+01:00"),
        meters: ["unit-3"],
        method: "profile",
        weeks: 4,
        dryRun: false,
        actor: "admin",
        nowMs: Date.parse("2026-12-02T00:00:00+01:00"),
      });
      // the meter came back in December: the ingest closes the gap as missing (the counter difference kept apart)
      const id = getMeter(store, "drei", "unit-3")!.id;
      const rows = [];
      for (let t = STOP; t < Date.parse("2026-12-01T00:00:00+01:00"); t += 900_000)
        rows.push({ meterId: id, startMs: t, importWh: null, exportWh: null, quality: "missing" as const });
      upsertIntervals(store, rows);
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.equal(r.stopped, true);
      assert.equal(r.coverage.find((c) => c.meter === "unit-3")!.substituted, 0);
      assert.ok(!r.notices.some((n) => n.code.startsWith("billing.substituted")));
    } finally {
      store.close();
    }
  });

  it("does not count other estimated quarter hours (a counter reset) towards the threshold", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fill(store);
      // the same 288 quarter hours estimated by the ingest, not by a substitute: still below the threshold
      fillMeter(store, "drei", "unit-3", "2026-11", (_i, t) => (t >= STOP ? 100 : null), "estimated");
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.equal(r.stopped, true);
      const cov = r.coverage.find((c) => c.meter === "unit-3")!;
      assert.deepEqual([cov.estimated, cov.substituted], [288, 0]);
    } finally {
      store.close();
    }
  });
});
