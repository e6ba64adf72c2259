import assert from "node:assert/strict";
import { join } from "node:path";
import { QUALITY_CODE } from "../../../lib/model/quality";
import { saveCommunity } from "../../../lib/store/community-repo";
import { DAY_MS, sealedDayCount, sealIntervalDays } from "../../../lib/store/interval-days";
import { readIntervalMatrix } from "../../../lib/store/interval-matrix";
import { upsertIntervals } from "../../../lib/store/interval-repo";
import { listMeters } from "../../../lib/store/meter-repo";
import { pruneIntervalData } from "../../../lib/store/retention";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { intervalRows, rowByRowColumn } from "../../support/interval-reference";
import { useTmpDir } from "../../support/tmp";

const Q = 900_000;
const DAYS = 6;
const T0 = Date.UTC(2026, 2, 1);
const N = 96 * DAYS;

describe("lib/store interval-days: sealed days read as their rows, and never outlive a write to them", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  let ids: Map<string, number>;
  const keys = ["full", "export", "gap-day", "estimated", "missing", "export-some", "export-null", "late-start", "empty"];
  const all = (): number[] => keys.map((k) => ids.get(k)!);

  /** Every meter's matrix over each range equals the rows' reading. */
  const assertSameAsRows = (ranges: [number, number][], label: string): void => {
    for (const [fromMs, toMs] of ranges)
      for (const withExport of [true, false]) {
        const m = readIntervalMatrix(store, all(), fromMs, toMs, new Set(withExport ? all() : []));
        for (const key of keys) {
          const id = ids.get(key)!;
          const got = m.columns.get(id)!;
          const want = rowByRowColumn(store, id, fromMs, toMs, withExport);
          const at = `${label}: ${key} over [${(fromMs - T0) / Q}, ${(toMs - T0) / Q}) export ${withExport}`;
          assert.deepEqual([...got.importWh], [...want.importWh], `${at} import`);
          assert.deepEqual([...got.exportWh], [...want.exportWh], `${at} export`);
          assert.deepEqual([...got.quality], [...want.quality], `${at} quality`);
        }
      }
  };

  // Whole days, a local (Zurich) day that starts at 23:00 UTC, a range inside one day, ranges of one quarter hour.
  const ranges: [number, number][] = [
    [T0, T0 + N * Q],
    [T0 - 4 * Q, T0 + N * Q - 4 * Q],
    [T0 + DAY_MS - 4 * Q, T0 + 3 * DAY_MS - 4 * Q],
    [T0 + 10 * Q, T0 + 50 * Q],
    [T0 + DAY_MS, T0 + DAY_MS + Q],
    [T0 + 2 * DAY_MS - Q, T0 + 2 * DAY_MS],
    [T0 - DAY_MS, T0 + (N + 96) * Q],
  ];

  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "d.sqlite"));
    saveCommunity(store, minimalCommunity({ meters: keys.map((id) => ({ id, role: "common" as const })) }), { source: "test", actor: "test" });
    ids = new Map(listMeters(store, "test-zev").map((m) => [m.key, m.id]));
    const { rows, put } = intervalRows(ids, T0);
    let seed = 11;
    const rnd = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (let i = 0; i < N; i++) {
      put("full", i, rnd(100000), 0);
      put("export", i, rnd(500), rnd(3) === 0 ? 0 : rnd(2_000_000_000));
      // Day 2 lacks one quarter hour: it stays rows.
      if (i !== 2 * 96 + 40) put("gap-day", i, rnd(400), null);
      put("estimated", i, 100 + rnd(9), 2, i % 17 === 0 ? "estimated" : i % 23 === 0 ? "interpolated" : "measured");
      if (i % 150 === 0) put("missing", i, null, null);
      else put("missing", i, 50 + rnd(3), 1);
      put("export-some", i, 10 + rnd(4), i < N / 2 + 7 ? null : 20 + rnd(6));
      put("export-null", i, 10 + rnd(4), null);
      if (i >= 96 + 30) put("late-start", i, rnd(1000), rnd(1000));
    }
    upsertIntervals(store, rows);
  });
  afterEach(() => store.close());

  it("seals only complete days before the limit, and the matrix reads the same whether they are sealed or not", () => {
    assertSameAsRows(ranges, "rows only");
    const res = sealIntervalDays(store, "test-zev", T0 + (DAYS - 1) * DAY_MS + 5 * Q);
    // The last day is not over at the limit; gap-day's day 2, "missing"'s days with a missing quarter hour and late-start's first two days stay rows.
    const missingDays = new Set([...Array(N).keys()].filter((i) => i % 150 === 0).map((i) => Math.floor(i / 96))).size;
    assert.equal(sealedDayCount(store, ids.get("full")!), DAYS - 1);
    assert.equal(sealedDayCount(store, ids.get("gap-day")!), DAYS - 2);
    assert.equal(sealedDayCount(store, ids.get("missing")!), DAYS - 1 - missingDays);
    assert.equal(sealedDayCount(store, ids.get("late-start")!), DAYS - 3);
    assert.equal(sealedDayCount(store, ids.get("empty")!), 0);
    assert.ok(res.sealed > 0 && res.incomplete > 0);
    assertSameAsRows(ranges, "sealed");
    // A second call finds nothing new to seal.
    assert.equal(sealIntervalDays(store, "test-zev", T0 + (DAYS - 1) * DAY_MS).sealed, 0);
  });

  it("a write to any row of a sealed day drops that day's copy in the same statement, and the matrix shows the write", () => {
    sealIntervalDays(store, "test-zev", T0 + DAYS * DAY_MS);
    const full = ids.get("full")!;
    const before = sealedDayCount(store, full);
    // An upsert (as the ingest and every import write), a quality change, and a new row all count.
    upsertIntervals(store, [{ meterId: full, startMs: T0 + DAY_MS + 7 * Q, importWh: 123456, exportWh: 5, quality: "estimated" }]);
    assert.equal(sealedDayCount(store, full), before - 1);
    store.db.prepare("UPDATE intervals SET import_wh = 1 WHERE meter_id = ? AND start_ms = ?").run(full, T0 + 3 * DAY_MS);
    assert.equal(sealedDayCount(store, full), before - 2);
    assertSameAsRows(ranges, "after writes");
    const m = readIntervalMatrix(store, [full], T0, T0 + N * Q).columns.get(full)!;
    assert.equal(m.importWh[96 + 7], 123456);
    assert.equal(m.quality[96 + 7], QUALITY_CODE.estimated);
    assert.equal(m.importWh[3 * 96], 1);
  });

  it("retention deletes the sealed copies of the days it deletes", () => {
    sealIntervalDays(store, "test-zev", T0 + DAYS * DAY_MS);
    const full = ids.get("full")!;
    pruneIntervalData(store, "test-zev", T0 + 2 * DAY_MS);
    assert.equal(sealedDayCount(store, full), DAYS - 2);
    assertSameAsRows(ranges, "after retention");
  });

  it("a negative value is not sealed: the read names it as before", () => {
    const full = ids.get("full")!;
    // Only a database older versions wrote holds a negative value (migration 5); the CHECK has to be bypassed to make one.
    store.db.pragma("ignore_check_constraints = ON");
    store.db.prepare("UPDATE intervals SET import_wh = -5 WHERE meter_id = ? AND start_ms = ?").run(full, T0 + 40 * Q);
    store.db.pragma("ignore_check_constraints = OFF");
    sealIntervalDays(store, "test-zev", T0 + DAYS * DAY_MS);
    assert.equal(sealedDayCount(store, full), DAYS - 1);
    assert.throws(() => readIntervalMatrix(store, [full], T0, T0 + N * Q), /negative/i);
  });

  it("a sealed copy that no longer equals its rows cannot arise from a write inside the seal (the seal holds the write lock)", () => {
    // The seal reads and writes each day in one write transaction; a second connection's write waits for it.
    const other = SqliteStore.open(store.path, { busyTimeoutMs: 0 });
    try {
      const full = ids.get("full")!;
      let blocked = false;
      const originalWrite = store.write.bind(store);
      store.write = <T>(fn: () => T): T =>
        originalWrite(() => {
          try {
            other.db.prepare("UPDATE intervals SET import_wh = 7 WHERE meter_id = ? AND start_ms = ?").run(full, T0);
          } catch (e) {
            blocked = /busy|locked/i.test((e as Error).message);
          }
          return fn();
        });
      sealIntervalDays(store, "test-zev", T0 + DAYS * DAY_MS);
      assert.ok(blocked, "another writer is kept out while a day is read and sealed");
    } finally {
      other.close();
    }
  });
});
