import assert from "node:assert/strict";
import { join } from "node:path";
import { daySeries } from "../../../lib/aggregation/day-series";
import { estimateBilling } from "../../../lib/billing/estimate";
import { runBilling } from "../../../lib/billing/run";
import { IntervalIngest } from "../../../lib/readings/intervals/interval-ingest";
import { saveCommunity } from "../../../lib/store/community-repo";
import { boundaryRows, meterEnergyWh } from "../../../lib/store/counter-reading-repo";
import { countIntervals, meterIntervals, qualityRowCounts, upsertIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { MIGRATIONS } from "../../../lib/store/migrations";
import { negativeIntervalReport } from "../../../lib/store/negative-intervals";
import { pruneIntervalData } from "../../../lib/store/retention";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { firstIntervalMs } from "../../../lib/store/substitute-repo";
import { INTERVAL_MS } from "../../../lib/time/interval";
import { parsePeriod } from "../../../lib/time/periods";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

const Q = INTERVAL_MS;
const NOV = parsePeriod("2026-11");
/** The schema every database had before the index by time was dropped (found by its SQL: the integrator may renumber). */
const WITH_INDEX_BY_TIME = MIGRATIONS.slice(
  0,
  MIGRATIONS.findIndex((m) => /DROP INDEX IF EXISTS intervals_by_start/.test(m.sql)),
);

function intervalIndexes(store: SqliteStore): unknown[] {
  return store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'intervals' ORDER BY name").pluck().all();
}

function billedCommunity(path: string, migrations = MIGRATIONS): SqliteStore {
  const store = SqliteStore.open(path, { migrations });
  saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
  fillConsumers(store, "drei", "2026-11");
  fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 96 > 30 && i % 96 < 70 ? 600 : 0));
  fillMeter(store, "drei", "grid", "2026-11", () => 100);
  return store;
}

describe("interval storage (issue 16): the interval table without an index by time", () => {
  const tmp = useTmpDir();

  it("a new store's interval table has its primary key and the not-measured index, and no index by time", () => {
    const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    try {
      assert.ok(WITH_INDEX_BY_TIME.length > 0 && WITH_INDEX_BY_TIME.length < MIGRATIONS.length);
      assert.deepEqual(intervalIndexes(store), ["intervals_not_measured"]);
    } finally {
      store.close();
    }
  });

  it("opening a store of the older schema drops its index by time and keeps every row, the keys and the not-measured index", () => {
    const path = join(tmp(), "old.sqlite");
    const old = billedCommunity(path, WITH_INDEX_BY_TIME);
    const before = old.db.prepare("SELECT * FROM intervals ORDER BY meter_id, start_ms").all();
    assert.deepEqual(intervalIndexes(old), ["intervals_by_start", "intervals_not_measured"]);
    old.close();

    const store = SqliteStore.open(path);
    try {
      assert.equal(store.schemaVersion(), MIGRATIONS[MIGRATIONS.length - 1]!.version);
      assert.deepEqual(intervalIndexes(store), ["intervals_not_measured"]);
      assert.deepEqual(store.db.prepare("SELECT * FROM intervals ORDER BY meter_id, start_ms").all(), before);
      assert.deepEqual(store.integrityCheck(), ["ok"]);
      assert.deepEqual(store.db.pragma("foreign_key_check"), []);
      const pv = getMeter(store, "drei", "pv")!.id;
      assert.throws(() => upsertIntervals(store, [{ meterId: pv, startMs: NOV.startMs, importWh: -1, exportWh: 0, quality: "measured" }]), /never negative/);
    } finally {
      store.close();
    }
  });

  it("every query lib/ runs on the interval table searches it by meter (primary key or not-measured index); only the negative check scans it", () => {
    const store = billedCommunity(join(tmp(), "zev.sqlite"));
    const seen = new Set<string>();
    const stmt = store.stmt.bind(store);
    // record what lib/ prepares, then ask SQLite how it runs each statement on intervals
    (store as { stmt: (sql: string) => unknown }).stmt = (sql: string) => {
      seen.add(sql);
      return stmt(sql);
    };
    try {
      const unit1 = getMeter(store, "drei", "unit-1")!.id;
      const ingest = new IntervalIngest(store, "drei", { actor: "test", now: () => Date.UTC(2026, 11, 5) });
      for (let m = 0; m <= 60; m += 5) ingest.accept({ meter: "unit-2", ts: Date.UTC(2026, 11, 1, 0, m), importKWh: 1000 + m / 100 });
      ingest.flush();
      const report = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.ok(!report.stopped, report.stopReason);
      estimateBilling(store, "drei", "2026-11", { nowMs: Date.UTC(2026, 11, 5) });
      daySeries(store, "drei", "2026-11-15", "Europe/Zurich", { untilMs: Date.UTC(2026, 11, 5) });
      meterIntervals(store, unit1, NOV.startMs, NOV.startMs + 96 * Q);
      countIntervals(store, unit1);
      qualityRowCounts(store, "drei", NOV.startMs, NOV.endMs);
      boundaryRows(store, unit1, NOV.startMs + 10 * Q);
      meterEnergyWh(store, unit1, NOV.startMs, NOV.endMs);
      firstIntervalMs(store, unit1);
      negativeIntervalReport(store);
      pruneIntervalData(store, "drei", NOV.startMs + 96 * Q);

      const onIntervals = [...seen].filter((sql) => /\bintervals\b/.test(sql));
      for (const wanted of [
        /^DELETE FROM intervals WHERE meter_id = \? AND start_ms >= \? AND start_ms < \?/,
        /GROUP BY meter_id, quality/,
        /group_concat\(import_wh\)/,
        /INDEXED BY intervals_not_measured/,
      ])
        assert.ok(
          onIntervals.some((sql) => wanted.test(sql)),
          `no statement ${wanted} was run`,
        );
      const offenders: string[] = [];
      for (const sql of onIntervals) {
        const wholeTableCheck = /import_wh < 0 OR export_wh < 0/.test(sql);
        const params = new Array<number>((sql.match(/\?/g) ?? []).length).fill(0);
        const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
        for (const { detail } of plan) {
          if (!/\bintervals\b/.test(detail)) continue;
          const byMeter = /^SEARCH intervals USING (PRIMARY KEY|INDEX intervals_not_measured) \(meter_id=/.test(detail);
          if (!byMeter && !(wholeTableCheck && detail === "SCAN intervals")) offenders.push(`${detail}  <-  ${sql}`);
        }
      }
      assert.deepEqual(offenders, []);
    } finally {
      store.close();
    }
  });

  it("retention deletes only this community's intervals before the limit, on the new schema and on the older one", () => {
    for (const migrations of [MIGRATIONS, WITH_INDEX_BY_TIME]) {
      const path = join(tmp(), `retention-${migrations.length}.sqlite`);
      const store = billedCommunity(path, migrations);
      try {
        saveCommunity(store, threeUnitCommunity({ id: "andere", name: "Andere" }), { source: "test", actor: "test" });
        fillMeter(store, "andere", "unit-1", "2026-11", () => 5);
        const limit = NOV.startMs + 10 * 96 * Q + 7 * Q;
        const res = pruneIntervalData(store, "drei", limit);
        // seven meters with every quarter hour of November: ten days and seven quarter hours each
        assert.equal(res.intervals, 7 * (10 * 96 + 7));
        for (const key of ["pv", "grid", "unit-1", "charger-1"]) {
          const rows = meterIntervals(store, getMeter(store, "drei", key)!.id, 0, 8.64e15);
          assert.equal(rows[0]!.startMs, limit, key);
          assert.equal(rows.length, (NOV.endMs - limit) / Q, key);
        }
        assert.equal(countIntervals(store, getMeter(store, "andere", "unit-1")!.id), (NOV.endMs - NOV.startMs) / Q);
      } finally {
        store.close();
      }
    }
  });
});
