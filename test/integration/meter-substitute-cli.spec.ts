import assert from "node:assert/strict";
import { join } from "node:path";
import { IntervalIngest } from "../../lib/readings/intervals/interval-ingest";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { unallocatedInRange } from "../../lib/store/unallocated-repo";
import { runCliCaptured as run } from "../support/cli";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { useTmpDir } from "../support/tmp";

/*
 * `zev meter substitute` on a SQLite file the real ingest filled: unit-1
 * read every 15 minutes for three weeks, then silent for 5 hours (beyond the
 * 3 h gap limit: missing intervals, the counter difference kept apart), then
 * back. The gap is filled from the weekday profile, scaled to what the
 * counter counted, flagged estimated.
 */
const Q = 900_000;
const START = Date.parse("2026-11-02T00:00:00+01:00");
const GAP_FROM = Date.parse("2026-11-23T07:00:00+01:00");
const GAP_TO = Date.parse("2026-11-23T12:00:00+01:00");
const END = Date.parse("2026-11-24T00:00:00+01:00");

/** 40 Wh per quarter hour at night, 100 Wh from 06:00 to 18:00 local: the profile. */
const whAt = (t: number): number => {
  const h = (new Date(t).getUTCHours() + 1) % 24;
  return h >= 6 && h < 18 ? 100 : 40;
};

/** Feeds the readings; returns what the counter counted across the gap. */
function feed(db: string): { counterAcrossGapWh: number } {
  const store = SqliteStore.open(db);
  try {
    const ing = new IntervalIngest(store, "sonnenhof", { actor: "test", now: () => END + Q });
    let wh = 1_000_000;
    let acrossGap = 0;
    for (let t = START; t <= END; t += Q) {
      if (t > START) wh += whAt(t - Q);
      if (t > GAP_FROM && t <= GAP_TO) acrossGap += whAt(t - Q);
      if (t > GAP_FROM && t < GAP_TO) continue;
      ing.accept({ meter: "unit-1", ts: t, importKWh: wh / 1000 });
    }
    ing.flush();
    return { counterAcrossGapWh: acrossGap };
  } finally {
    store.close();
  }
}

describe("zev meter substitute (the real CLI on a SQLite file)", () => {
  const tmp = useTmpDir();

  it("fills a gap beyond the gap limit from the weekday profile, scaled to the counter difference, and says what it did", async () => {
    const db = join(tmp(), "site.sqlite");
    assert.equal((await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db])).code, 0);
    const { counterAcrossGapWh } = feed(db);
    const args = ["meter", "substitute", "--db", db, "--community", "sonnenhof", "--period", "2026-11", "--meter", "unit-1"];

    const before = SqliteStore.open(db, { readonly: true });
    let id: number;
    try {
      id = getMeter(before, "sonnenhof", "unit-1")!.id;
      const gap = unallocatedInRange(before, "sonnenhof", START, END);
      assert.equal(gap.length, 1, "the ingest kept the gap's energy apart");
      assert.equal(gap[0]!.importWh, counterAcrossGapWh);
    } finally {
      before.close();
    }

    const dry = await run([...args, "--dry-run"]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(
      dry.out,
      /unit-1: 2026-11-23 07:00 \S+ to 2026-11-23 12:00 \S+ \(20 quarter hours\): profile, scaled to the counter difference 2\.000 kWh: import 2\.000 kWh/,
    );
    assert.match(dry.out, /unit-1: 2026-11-24 00:00 \S+ to 2026-12-01 00:00 \S+ \(672 quarter hours\): profile, no counter difference known/);
    assert.match(dry.out, /dry run, nothing written: would fill 2 gap\(s\)/);

    const done = await run([...args, "--json"]);
    assert.equal(done.code, 0, done.err);
    const report = JSON.parse(done.out) as { filled: number; gaps: { importWh: number; scaledToCounter: boolean }[] };
    assert.equal(report.filled, 2);
    assert.equal(report.gaps[0]!.scaledToCounter, true);
    assert.equal(report.gaps[0]!.importWh, counterAcrossGapWh);

    const after = SqliteStore.open(db, { readonly: true });
    try {
      const rows = meterIntervals(after, id, GAP_FROM, GAP_TO);
      assert.equal(rows.length, 20);
      assert.ok(rows.every((r) => r.quality === "estimated"));
      // the profile: 40 Wh before 06:00 local is not in the gap; 07:00-12:00 is all day-time, 100 Wh each, scaled to the counter
      assert.equal(
        rows.reduce((s, r) => s + r.importWh!, 0),
        counterAcrossGapWh,
      );
      assert.deepEqual([...new Set(rows.map((r) => r.importWh))], [100]);
      assert.equal(unallocatedInRange(after, "sonnenhof", START, END).length, 0);
    } finally {
      after.close();
    }
    const again = await run(args);
    assert.equal(again.code, 0);
    assert.match(again.out, /no gaps to fill/);
  });

  it("refuses the linear method where no counter difference is known, with exit code 1 and the reason", async () => {
    const db = join(tmp(), "site.sqlite");
    assert.equal((await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db])).code, 0);
    feed(db);
    // the meter silent after its last reading (24 November 00:00): up to the end of November nothing is known
    const res = await run([
      "meter",
      "substitute",
      "--db",
      db,
      "--community",
      "sonnenhof",
      "--period",
      "2026-11",
      "--meter",
      "unit-1",
      "--method",
      "linear",
      "--dry-run",
    ]);
    assert.equal(res.code, 1);
    assert.match(
      res.out,
      /unit-1: 2026-11-24 00:00 \S+ to 2026-12-01 00:00 \S+ \(672 quarter hours\): NOT FILLED: the linear method spreads a known counter difference/,
    );
  });
});
