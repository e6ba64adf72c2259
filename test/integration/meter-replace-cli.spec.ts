import assert from "node:assert/strict";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { dataQuality } from "../../lib/aggregation/data-quality";
import { IntervalIngest } from "../../lib/readings/intervals/interval-ingest";
import { invoiceView } from "../../lib/render/invoice-view";
import { auditLog } from "../../lib/store/audit-repo";
import { listInvoices } from "../../lib/store/invoice-repo";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { useTmpDir } from "../support/tmp";

const MIN = 60_000;
const Q = 15 * MIN;
// Tuesday 2026-11-10 09:00 UTC = 10:00 in Zurich.
const T = Date.UTC(2026, 10, 10, 9, 0);
const NOW = T + 6 * 3600_000;

/** Feeds readings [minute after T, import kWh] of unit-1 through a fresh ingest (as zev-aggregate would) and commits them. */
function feed(db: string, readings: [number, number][]): string[] {
  const store = SqliteStore.open(db);
  try {
    const ing = new IntervalIngest(store, "sonnenhof", { actor: "test", now: () => NOW });
    const outcomes = readings.map(([m, kwh]) => ing.accept({ meter: "unit-1", ts: T + m * MIN, importKWh: kwh }).kind);
    ing.flush();
    return outcomes;
  } finally {
    store.close();
  }
}

function rows(db: string): [number, number | null, string][] {
  const store = SqliteStore.open(db, { readonly: true });
  try {
    const id = getMeter(store, "sonnenhof", "unit-1")!.id;
    return meterIntervals(store, id, T, T + 5 * Q).map((r) => [(r.startMs - T) / MIN, r.importWh, r.quality]);
  } finally {
    store.close();
  }
}

const OLD: [number, number][] = [
  [0, 1000],
  [5, 1000.1],
  [10, 1000.2],
];
const NEW: [number, number][] = [
  [20, 5.06],
  [25, 5.16],
  [30, 5.26],
  [35, 5.36],
  [45, 5.56],
];
// The old meter ran on at 1.2 kW until 10:17 local; the new one started at 5.000 kWh.
const REPLACE = [
  "meter",
  "replace",
  "--community",
  "sonnenhof",
  "--meter",
  "unit-1",
  "--at",
  "2026-11-10 10:17",
  "--old-final",
  "1000.340",
  "--new-initial",
  "5.000",
];
// [T, T+15): 1000.000 -> 1000.300 (10:15 between 10:10 and the final reading at 10:17);
// [T+15, T+30): 1000.300 -> 1000.340 on the old meter, 5.000 -> 5.260 on the new one;
// [T+30, T+45): 5.260 -> 5.560.
const EXPECTED: [number, number | null, string][] = [
  [0, 300, "measured"],
  [15, 40 + 260, "interpolated"],
  [30, 300, "measured"],
];

describe("zev meter replace (the real CLI on a SQLite file)", () => {
  const tmp = useTmpDir();

  async function community(): Promise<string> {
    const db = join(tmp(), "site.sqlite");
    const imp = await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db]);
    assert.equal(imp.code, 0, imp.err);
    return db;
  }

  it("energy across the swap is exact to the Wh: the old meter up to its final reading, the new one from its initial reading", async () => {
    const db = await community();
    feed(db, OLD);
    const res = await run([...REPLACE, "--db", db]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /meter unit-1 replaced on 2026-11-10 10:17 .*: old final 1000\.34 kWh, new initial 5 kWh/);
    assert.deepEqual(feed(db, NEW), ["accepted", "accepted", "accepted", "accepted", "accepted"]);
    assert.deepEqual(rows(db), EXPECTED);
    const total = rows(db).reduce((s, r) => s + (r[1] ?? 0), 0);
    assert.equal(total, 340 + 560);

    const store = SqliteStore.open(db, { readonly: true });
    try {
      const q = dataQuality(store, "sonnenhof", T, T + 4 * Q, { untilMs: NOW }).meters.find((m) => m.meter === "unit-1")!;
      assert.equal(q.replacements, 1);
      assert.deepEqual(q.events, [{ tsMs: T + 17 * MIN, kind: "replacement", beforeImportWh: 1_000_340, afterImportWh: 5000, confirmedBy: null }]);
      assert.ok(auditLog(store, "sonnenhof").some((a) => a.action === "meter.replaced" && a.entityId === "unit-1"));
    } finally {
      store.close();
    }
  });

  it("the billing run of the period names the replacement, and the unit's invoice carries it as a note", async () => {
    const db = await community();
    feed(db, OLD);
    assert.equal((await run([...REPLACE, "--db", db])).code, 0);
    feed(db, NEW);
    const bill = await run(["bill", "--db", db, "--community", "sonnenhof", "--period", "2026-11", "--force", "--json", "--out", join(tmp(), "inv")]);
    assert.equal(bill.code, 0, bill.err);
    const report = JSON.parse(bill.out) as { warnings: string[] };
    assert.ok(
      report.warnings.some((w) => /^meter unit-1 replaced on 2026-11-10 10:17 .*: old final 1000\.340 kWh, new initial 5\.000 kWh/.test(w)),
      report.warnings.join("\n"),
    );
    const store = SqliteStore.open(db, { readonly: true });
    try {
      const invoices = listInvoices(store, "sonnenhof");
      const mine = invoices.filter((i) => i.snapshot.unit.id === "1");
      assert.ok(mine.length > 0);
      for (const i of mine)
        assert.deepEqual(i.snapshot.meterChanges, [{ meter: "unit-1", date: "2026-11-10", oldFinalKWh: "1000.340", newInitialKWh: "5.000" }]);
      for (const i of invoices.filter((x) => x.snapshot.unit.id !== "1")) assert.equal(i.snapshot.meterChanges, undefined);
      const view = invoiceView(mine[0]!.snapshot);
      assert.ok(
        view.notes.some((n) => n.includes("unit-1") && n.includes("10.11.2026") && n.includes("1'000.340 kWh")),
        view.notes.join("\n"),
      );
    } finally {
      store.close();
    }
  });

  it("recorded after the new meter's first readings arrived (held as a possible new counter): the same exact energy", async () => {
    const db = await community();
    assert.deepEqual(feed(db, [...OLD, ...NEW.slice(0, 2)]), ["accepted", "accepted", "accepted", "rejected", "rejected"]);
    const res = await run([...REPLACE, "--db", db, "--json"]);
    assert.equal(res.code, 0, res.err);
    const json = JSON.parse(res.out) as { replayed: number; meter: string };
    assert.equal(json.replayed, 2);
    feed(db, NEW.slice(2));
    assert.deepEqual(rows(db), EXPECTED);
  });

  it("recorded after the new meter was already taken as an automatic reset: the rows across the break get the exact energy", async () => {
    const db = await community();
    feed(db, [...OLD, ...NEW]);
    // Without the replacement: flat from 10:10 to the new meter's first reading at 10:20.
    assert.deepEqual(rows(db), [
      [0, 200, "estimated"],
      [15, 200, "estimated"],
      [30, 300, "measured"],
    ]);
    const res = await run([...REPLACE, "--db", db]);
    assert.equal(res.code, 0, res.err);
    assert.deepEqual(
      rows(db),
      EXPECTED.map(([m, wh, q]) => [m, wh, m < 30 ? "interpolated" : q]),
    );
    // The next readings continue on the corrected counter.
    feed(db, [[60, 5.86]]);
    assert.deepEqual(rows(db)[3], [45, 300, "measured"]);
    const store = SqliteStore.open(db, { readonly: true });
    try {
      const q = dataQuality(store, "sonnenhof", T, T + 5 * Q, { untilMs: NOW }).meters.find((m) => m.meter === "unit-1")!;
      assert.deepEqual([q.resets, q.replacements], [0, 1], "the reset is listed as the replacement that explains it");
    } finally {
      store.close();
    }
    const again = await run([...REPLACE, "--db", db]);
    assert.equal(again.code, 1, "the same replacement twice is refused");
    const history = await run(["meter", "history", "--db", db, "--community", "sonnenhof", "--meter", "unit-1"]);
    assert.equal(history.code, 0, history.err);
    assert.deepEqual(
      history.out
        .trim()
        .split("\n")
        .map((l) => l.replace(/^\S+ \S+ \S+\s+/, "")),
      ["unit-1  replacement  1000.340 -> 5.000 kWh", "unit-1  reset (explained by a later replacement)  1000.200 -> 5.060 kWh"],
    );
  });

  it("a replacement recorded with the CLI while zev-aggregate runs on the same file is not overwritten by the running node", async () => {
    const db = await community();
    const store = SqliteStore.open(db);
    try {
      let now = T + 12 * MIN;
      // The running node: its own connection and in-memory counter state.
      const running = new IntervalIngest(store, "sonnenhof", { actor: "node:agg", now: () => now });
      for (const [m, kwh] of OLD) running.accept({ meter: "unit-1", ts: T + m * MIN, importKWh: kwh });
      running.flush();
      const res = await run([...REPLACE, "--db", db]);
      assert.equal(res.code, 0, res.err);
      for (const [m, kwh] of NEW) {
        now = T + m * MIN + 1000;
        running.accept({ meter: "unit-1", ts: T + m * MIN, importKWh: kwh });
        running.flush();
      }
    } finally {
      store.close();
    }
    assert.deepEqual(rows(db), EXPECTED);
  });

  it("refuses what contradicts the stored readings, with the reason, and changes nothing", async () => {
    const db = await community();
    feed(db, OLD);
    const below = await run([
      "meter",
      "replace",
      "--db",
      db,
      "--community",
      "sonnenhof",
      "--meter",
      "unit-1",
      "--at",
      "2026-11-10 10:17",
      "--old-final",
      "999",
      "--new-initial",
      "5",
    ]);
    assert.equal(below.code, 1);
    assert.match(below.err, /final reading 999 kWh is below its last accepted reading 1000\.2 kWh/);
    const wh = await run([
      "meter",
      "replace",
      "--db",
      db,
      "--community",
      "sonnenhof",
      "--meter",
      "unit-1",
      "--at",
      "2026-11-10 10:17",
      "--old-final",
      "1000340",
      "--new-initial",
      "5",
    ]);
    assert.equal(wh.code, 1);
    assert.match(wh.err, /a value in Wh given as kWh\?/);
    const unknown = await run([
      "meter",
      "replace",
      "--db",
      db,
      "--community",
      "sonnenhof",
      "--meter",
      "nope",
      "--at",
      "2026-11-10 10:17",
      "--old-final",
      "1",
      "--new-initial",
      "0",
    ]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no meter nope/);
    const usage = await run(["meter", "replace", "--db", db, "--community", "sonnenhof", "--meter", "unit-1", "--old-final", "1", "--new-initial", "0"]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--at is required/);
    const ambiguous = await run([
      "meter",
      "replace",
      "--db",
      db,
      "--community",
      "sonnenhof",
      "--meter",
      "unit-1",
      "--at",
      "2026-10-25 02:30",
      "--old-final",
      "1",
      "--new-initial",
      "0",
    ]);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.err, /happens twice/);
    // Nothing was written: the new meter's readings are held as a possible new counter, as without a replacement.
    assert.deepEqual(feed(db, NEW.slice(0, 1)), ["rejected"]);
  });
});
