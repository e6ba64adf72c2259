import assert from "node:assert/strict";
import { substituteGaps, UnknownMeterError } from "../../../lib/aggregation/substitute-run";
import { auditLog } from "../../../lib/store/audit-repo";
import { meterIntervals, upsertIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { substitutesInRange } from "../../../lib/store/substitute-repo";
import { unallocatedInRange, upsertUnallocated } from "../../../lib/store/unallocated-repo";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/*
 * Filling the gaps of a community's own meters in the store
 * (lib/aggregation/substitute-run.ts): a gap beyond the gap limit with its
 * counter difference, a meter that stopped, nothing before a meter existed,
 * a dry run, the record and the audit entry.
 */
const NOV = { from: Date.parse("2026-11-01T00:00:00+01:00"), to: Date.parse("2026-12-01T00:00:00+01:00") };
const GAP = { from: Date.parse("2026-11-23T08:00:00+01:00"), to: Date.parse("2026-11-23T12:00:00+01:00") };
const LATER = Date.parse("2026-12-05T00:00:00+01:00");

/** unit-2 measured all October and November with a daily shape (more in the morning), but 08:00-12:00 on 23 November missing, its 4.8 kWh unallocated. */
function withGap(store: SqliteStore): number {
  const shape = (t: number): number => (new Date(t).getUTCHours() < 12 ? 60 : 20);
  for (const m of ["2026-10", "2026-11"]) fillMeter(store, "drei", "unit-2", m, (_i, t) => (t >= GAP.from && t < GAP.to ? null : shape(t)));
  const id = getMeter(store, "drei", "unit-2")!.id;
  const missing = [];
  for (let t = GAP.from; t < GAP.to; t += 900_000) missing.push({ meterId: id, startMs: t, importWh: null, exportWh: null, quality: "missing" as const });
  upsertIntervals(store, missing);
  store.write(() => upsertUnallocated(store, { meterId: id, fromMs: GAP.from, toMs: GAP.to, importWh: 4801, exportWh: 0, reason: "gap" }, 0));
  return id;
}

describe("filling a meter's gaps with substitute values", () => {
  const tmp = useTmpDir();

  it("fills a gap beyond the gap limit with the weekday profile scaled to its counter difference, and records it", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      const id = withGap(store);
      const r = substituteGaps(store, {
        communityId: "drei",
        fromMs: NOV.from,
        toMs: NOV.to,
        meters: ["unit-2"],
        method: "profile",
        weeks: 4,
        dryRun: false,
        actor: "test",
        nowMs: LATER,
      });
      assert.equal(r.filled, 1);
      assert.equal(r.refused, 0);
      const g = r.gaps[0]!;
      assert.deepEqual([g.meter, g.kind, g.applied, g.scaledToCounter, g.intervals, g.importWh], ["unit-2", "counter", "profile", true, 16, 4801]);
      const rows = meterIntervals(store, id, GAP.from, GAP.to);
      assert.equal(rows.length, 16);
      assert.ok(rows.every((x) => x.quality === "estimated"));
      assert.equal(
        rows.reduce((s, x) => s + x.importWh!, 0),
        4801,
        "the filled gap holds exactly what the counter counted",
      );
      // 08:00-12:00 local is 07:00-11:00 UTC: the morning shape (60 Wh) before 12:00 UTC, all the same weight
      assert.deepEqual([...new Set(rows.map((x) => x.importWh))].sort(), [300, 301]);
      assert.equal(unallocatedInRange(store, "drei", NOV.from, NOV.to).length, 0, "the energy is in the intervals now, not twice");
      const rec = substitutesInRange(store, "drei", NOV.from, NOV.to);
      assert.deepEqual(
        rec.map((s) => [s.method, s.scaledToCounter, s.importWh, s.unallocatedImportWh, s.createdBy]),
        [["profile", true, 4801, 4801, "test"]],
      );
      const entry = auditLog(store, "drei").find((a) => a.action === "interval.substituted");
      assert.ok(entry);
      assert.equal(entry.entityId, "unit-2");
      assert.equal((entry.details as { intervals: number }).intervals, 16);
      // run again: nothing left to fill
      assert.equal(
        substituteGaps(store, {
          communityId: "drei",
          fromMs: NOV.from,
          toMs: NOV.to,
          meters: ["unit-2"],
          method: "profile",
          weeks: 4,
          dryRun: false,
          actor: "test",
          nowMs: LATER,
        }).gaps.length,
        0,
      );
    } finally {
      store.close();
    }
  });

  it("writes nothing on a dry run and reports the same", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      const id = withGap(store);
      const r = substituteGaps(store, {
        communityId: "drei",
        fromMs: NOV.from,
        toMs: NOV.to,
        meters: ["unit-2"],
        method: "linear",
        weeks: 4,
        dryRun: true,
        actor: "test",
        nowMs: LATER,
      });
      assert.equal(r.dryRun, true);
      assert.equal(r.gaps[0]!.applied, "linear");
      assert.equal(r.gaps[0]!.importWh, 4801);
      assert.ok(meterIntervals(store, id, GAP.from, GAP.to).every((x) => x.quality === "missing"));
      assert.equal(unallocatedInRange(store, "drei", NOV.from, NOV.to).length, 1);
      assert.equal(substitutesInRange(store, "drei", NOV.from, NOV.to).length, 0);
    } finally {
      store.close();
    }
  });

  it("fills a meter that stopped from the profile alone, and nothing before a meter's first interval", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      // unit-3 from 1 October until 25 November 00:00, then silent; unit-1 starts on 20 November (installed then)
      const stop = Date.parse("2026-11-25T00:00:00+01:00");
      for (const m of ["2026-10", "2026-11"]) fillMeter(store, "drei", "unit-3", m, (_i, t) => (t < stop ? 40 : null));
      const start1 = Date.parse("2026-11-20T00:00:00+01:00");
      fillMeter(store, "drei", "unit-1", "2026-11", (_i, t) => (t >= start1 ? 10 : null));
      const r = substituteGaps(store, {
        communityId: "drei",
        fromMs: NOV.from,
        toMs: NOV.to,
        meters: ["unit-1", "unit-3"],
        method: "profile",
        weeks: 2,
        dryRun: false,
        actor: "test",
        nowMs: LATER,
      });
      assert.deepEqual(
        r.gaps.map((g) => [g.meter, g.kind, g.fromMs, g.toMs, g.importWh, g.scaledToCounter]),
        [["unit-3", "no-data", stop, NOV.to, 6 * 96 * 40, false]],
      );
      const id3 = getMeter(store, "drei", "unit-3")!.id;
      assert.ok(meterIntervals(store, id3, stop, NOV.to).every((x) => x.quality === "estimated"));
    } finally {
      store.close();
    }
  });

  it("does not fill quarter hours that have not ended, and names an unknown meter", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      withGap(store);
      const during = Date.parse("2026-11-23T10:07:00+01:00");
      const id = getMeter(store, "drei", "unit-2")!.id;
      // a meter silent since 20 November, asked for on 23 November 10:07: filled up to 10:00, not beyond
      store.db.prepare("DELETE FROM intervals WHERE meter_id = ? AND start_ms >= ?").run(id, Date.parse("2026-11-20T00:00:00+01:00"));
      store.db.prepare("DELETE FROM unallocated_energy").run();
      const r = substituteGaps(store, {
        communityId: "drei",
        fromMs: NOV.from,
        toMs: NOV.to,
        meters: ["unit-2"],
        method: "profile",
        weeks: 4,
        dryRun: true,
        actor: "test",
        nowMs: during,
      });
      assert.equal(r.gaps.length, 1);
      assert.equal(r.gaps[0]!.toMs, Date.parse("2026-11-23T10:00:00+01:00"));
      assert.throws(
        () =>
          substituteGaps(store, {
            communityId: "drei",
            fromMs: NOV.from,
            toMs: NOV.to,
            meters: ["nope"],
            method: "profile",
            weeks: 4,
            dryRun: true,
            actor: "test",
            nowMs: during,
          }),
        UnknownMeterError,
      );
    } finally {
      store.close();
    }
  });
});
