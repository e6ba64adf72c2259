import assert from "node:assert/strict";
import { join } from "node:path";
import type { IntervalEnergy } from "../../../lib/model/interval-energy";
import { saveCommunity } from "../../../lib/store/community-repo";
import { DAY_MS, sealedDayCount, sealIntervalDays } from "../../../lib/store/interval-days";
import { upsertIntervals, upsertIntervalsInWrite } from "../../../lib/store/interval-repo";
import { listMeters } from "../../../lib/store/meter-repo";
import { MIGRATIONS } from "../../../lib/store/migrations";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const Q = 900_000;
const T0 = Date.UTC(2026, 2, 1);
type Stored = [number, number, number | null, number | null, string, number, number | null];

/*
 * interval-repo writes a batch one meter at a time, several rows of a meter per statement (decision 0155). Whatever
 * order the batch comes in, what is stored must be exactly what row-by-row writes in the batch's order would store.
 */
describe("lib/store interval-repo: a batch of rows is stored as row-by-row writes in its order would store it", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  let ids: number[];

  const open = (migrations = MIGRATIONS): void => {
    store = SqliteStore.open(join(tmp(), "w.sqlite"), { migrations });
    saveCommunity(store, minimalCommunity({ meters: ["a", "b", "c"].map((id) => ({ id, role: "common" as const })) }), { source: "test", actor: "test" });
    ids = listMeters(store, "test-zev").map((m) => m.id);
  };
  afterEach(() => store.close());

  const stored = (): Stored[] =>
    store.db
      .prepare("SELECT meter_id, start_ms, import_wh, export_wh, quality, updated_ms, counter_wh FROM intervals ORDER BY meter_id, start_ms")
      .raw(true)
      .all() as Stored[];

  /** What writing the rows one by one, in order, leaves: the last row for an interval wins. */
  const expected = (rows: IntervalEnergy[], nowMs: number): Stored[] => {
    const last = new Map<string, IntervalEnergy>();
    for (const r of rows) last.set(`${r.meterId}:${r.startMs}`, r);
    return [...last.values()]
      .sort((x, y) => x.meterId - y.meterId || x.startMs - y.startMs)
      .map((r) => [r.meterId, r.startMs, r.importWh, r.exportWh, r.quality, nowMs, r.counterWh ?? null]);
  };

  it("rows of three meters, interleaved, 40 per meter (more than one statement takes), with counters and without", () => {
    open();
    const rows: IntervalEnergy[] = [];
    for (let i = 0; i < 40; i++)
      for (const [k, id] of ids.entries())
        rows.push({
          meterId: id,
          startMs: T0 + i * Q,
          importWh: 100 * k + i,
          exportWh: k === 1 ? null : i,
          quality: i % 7 === 0 ? "estimated" : "measured",
          counterWh: k === 2 ? null : 5000 + i,
        });
    upsertIntervals(store, rows, 77);
    assert.deepEqual(stored(), expected(rows, 77));
  });

  it("the same interval twice in one batch: the later row wins, in a batch of one meter and in one of several", () => {
    open();
    const one: IntervalEnergy[] = [
      { meterId: ids[0]!, startMs: T0, importWh: 1, exportWh: null, quality: "measured" },
      { meterId: ids[0]!, startMs: T0 + Q, importWh: 2, exportWh: null, quality: "measured" },
      { meterId: ids[0]!, startMs: T0, importWh: 3, exportWh: 9, quality: "estimated" },
    ];
    upsertIntervals(store, one, 1);
    assert.deepEqual(stored(), expected(one, 1));
    const several: IntervalEnergy[] = [
      { meterId: ids[1]!, startMs: T0, importWh: 10, exportWh: null, quality: "measured" },
      { meterId: ids[0]!, startMs: T0 + Q, importWh: 20, exportWh: null, quality: "measured" },
      { meterId: ids[1]!, startMs: T0, importWh: null, exportWh: null, quality: "missing" },
      { meterId: ids[0]!, startMs: T0 + Q, importWh: 21, exportWh: 4, quality: "interpolated" },
    ];
    store.write(() => upsertIntervalsInWrite(store, several, 2));
    const rewritten = expected([...one, ...several], 2).map((r): Stored => (r[0] === ids[0] && r[1] === T0 ? ([...r.slice(0, 5), 1, null] as Stored) : r));
    assert.deepEqual(stored(), rewritten);
  });

  it("one batch that writes into sealed days of two meters drops both copies, and no other", () => {
    open();
    const rows: IntervalEnergy[] = [];
    for (let i = 0; i < 96 * 2; i++) for (const id of ids) rows.push({ meterId: id, startMs: T0 + i * Q, importWh: i, exportWh: null, quality: "measured" });
    upsertIntervals(store, rows);
    sealIntervalDays(store, "test-zev", T0 + 2 * DAY_MS);
    assert.deepEqual(
      ids.map((id) => sealedDayCount(store, id)),
      [2, 2, 2],
    );
    upsertIntervals(store, [
      { meterId: ids[0]!, startMs: T0 + 5 * Q, importWh: 7, exportWh: null, quality: "estimated" },
      { meterId: ids[2]!, startMs: T0 + DAY_MS + 9 * Q, importWh: 7, exportWh: null, quality: "estimated" },
      { meterId: ids[0]!, startMs: T0 + 6 * Q, importWh: 8, exportWh: null, quality: "estimated" },
    ]);
    assert.deepEqual(
      ids.map((id) => sealedDayCount(store, id)),
      [1, 2, 1],
    );
  });

  it("a store on the schema before counter_wh (migration 14) takes an interleaved batch too", () => {
    open(
      MIGRATIONS.slice(
        0,
        MIGRATIONS.findIndex((m) => /ADD COLUMN counter_wh/.test(m.sql)),
      ),
    );
    const rows: IntervalEnergy[] = [];
    for (let i = 0; i < 20; i++)
      for (const id of ids) rows.push({ meterId: id, startMs: T0 + i * Q, importWh: i, exportWh: null, quality: "measured", counterWh: 99 });
    upsertIntervals(store, rows, 5);
    const got = store.db
      .prepare("SELECT meter_id, start_ms, import_wh, export_wh, quality, updated_ms FROM intervals ORDER BY meter_id, start_ms")
      .raw(true)
      .all();
    assert.deepEqual(
      got,
      expected(rows, 5).map((r) => r.slice(0, 6)),
    );
  });
});
