import assert from "node:assert/strict";
import { join } from "node:path";
import { runCliCaptured as cli } from "../support/cli";
import { daySeries } from "../../lib/aggregation/day-series";
import { estimateBilling } from "../../lib/billing/estimate";
import { runBilling } from "../../lib/billing/run";
import { auditLog } from "../../lib/store/audit-repo";
import { saveCommunity } from "../../lib/store/community-repo";
import { meterIntervals, upsertIntervals } from "../../lib/store/interval-repo";
import { NEGATIVE_REPAIR_ACTION, type NegativeRepair } from "../../lib/store/interval-repair";
import { getMeter } from "../../lib/store/meter-repo";
import { MIGRATIONS } from "../../lib/store/migrations";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { INTERVAL_MS } from "../../lib/time/interval";
import { parsePeriod } from "../../lib/time/periods";
import { CodedError } from "../../lib/util/coded-error";
import { fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { useTmpDir } from "../support/tmp";

const Q = INTERVAL_MS;
/** 2026-11-30 10:00 in Zurich. */
const T = Date.UTC(2026, 10, 30, 9, 0);
const BEFORE_V5 = MIGRATIONS.filter((m) => m.version <= 4);

/** A database with the schema of version 4 (before the CHECK), the community, full November data, and negative rows as older versions wrote them. */
function oldDatabase(path: string): void {
  const store = SqliteStore.open(path, { migrations: BEFORE_V5 });
  try {
    assert.equal(store.schemaVersion(), 4);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    for (const m of ["grid", "common", "unit-1", "unit-2", "unit-3", "charger-1"]) fillMeter(store, "drei", m, "2026-11", () => 40);
    fillMeter(store, "drei", "pv", "2026-11", () => 100);
    const id = (k: string): number => getMeter(store, "drei", k)!.id;
    const set = store.db.prepare("UPDATE intervals SET import_wh = ?, quality = ? WHERE meter_id = ? AND start_ms = ?");
    // the defect: -1 Wh `measured` where the live counter dipped below the backfilled one, +1 in the next interval
    set.run(-1, "measured", id("pv"), T);
    set.run(101, "measured", id("pv"), T + Q);
    // a negative no neighbour can absorb: both neighbours hold less than 5 Wh
    set.run(2, "measured", id("unit-1"), T - Q);
    set.run(-5, "interpolated", id("unit-1"), T);
    set.run(3, "measured", id("unit-1"), T + Q);
  } finally {
    store.close();
  }
}

describe("negative interval energy (schema 5)", () => {
  const tmp = useTmpDir();

  it("the store refuses a negative interval: the schema CHECK, and upsertIntervals names it before writing", () => {
    const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    try {
      saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
      const pv = getMeter(store, "drei", "pv")!.id;
      const insert = store.db.prepare(
        "INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', 0)",
      );
      assert.throws(() => insert.run(pv, T, -1, 0), /CHECK constraint failed/);
      assert.throws(() => insert.run(pv, T, 5, -1), /CHECK constraint failed/);
      insert.run(pv, T, 0, 0);
      assert.throws(() => store.db.prepare("UPDATE intervals SET import_wh = -1 WHERE meter_id = ?").run(pv), /CHECK constraint failed/);
      assert.throws(
        () => upsertIntervals(store, [{ meterId: pv, startMs: T + Q, importWh: -1, exportWh: 0, quality: "measured" }]),
        (e: unknown) => e instanceof CodedError && e.code === "negative-interval-refused" && /never negative/.test(e.message),
      );
      assert.equal(meterIntervals(store, pv, 0, 8.64e15).length, 1, "nothing of the refused batch was written");
      const session = store.db
        .prepare("INSERT INTO charger_sessions (community_id, charger_key, started_ms, status, updated_ms) VALUES ('drei', 'charger-1', ?, 'closed', 0)")
        .run(T).lastInsertRowid;
      assert.throws(
        () => store.db.prepare("INSERT INTO charger_session_intervals (session_id, start_ms, mode, energy_wh) VALUES (?, ?, 'normal', -1)").run(session, T),
        /CHECK constraint failed/,
      );
    } finally {
      store.close();
    }
  });

  it("migration 5 repairs the negative rows an older version wrote, audits each, keeps indexes and keys, and zev check reports it", async () => {
    const db = join(tmp(), "old.sqlite");
    oldDatabase(db);
    const res = await cli(["check", "--db", db]);
    assert.equal(res.code, 0, res.err + res.out);
    // Opened by this version, the old database is migrated through 5 (the repair) to the newest schema.
    assert.match(res.out, new RegExp(`schema version ${MIGRATIONS[MIGRATIONS.length - 1]!.version} \\(this package`));
    assert.match(res.out, /negative intervals repaired: 2 \(1 moved into a neighbouring interval, 1 set to 0 and flagged estimated/);
    assert.match(res.out, /meter pv 2026-11-30T09:00:00.000Z import -1 -> 0 Wh, 1 Wh taken from 2026-11-30T09:15:00.000Z \(101 -> 100 Wh\)/);
    assert.match(res.out, /meter unit-1 2026-11-30T09:00:00.000Z import -5 -> 0 Wh, the meter's sum grew by 5 Wh, quality estimated/);
    assert.match(res.out, /negative intervals remaining: 0/);

    const store = SqliteStore.open(db);
    try {
      const rows = (k: string): [number, number | null, string][] =>
        meterIntervals(store, getMeter(store, "drei", k)!.id, T - Q, T + 2 * Q).map((r) => [r.startMs - T, r.importWh, r.quality]);
      // pv: the Wh is back where the counter put it; the sum over the two intervals is unchanged (100)
      assert.deepEqual(rows("pv"), [
        [-Q, 100, "measured"],
        [0, 0, "measured"],
        [Q, 100, "measured"],
      ]);
      assert.deepEqual(rows("unit-1"), [
        [-Q, 2, "measured"],
        [0, 0, "estimated"],
        [Q, 3, "measured"],
      ]);
      const audits = auditLog(store, "drei", 1000).filter((a) => a.action === NEGATIVE_REPAIR_ACTION);
      assert.equal(audits.length, 2);
      const pvAudit = audits.find((a) => a.entityId === "pv@2026-11-30T09:00:00.000Z")!;
      assert.equal(pvAudit.actor, "migration 5");
      assert.deepEqual((pvAudit.details as NegativeRepair).movedTo, { startMs: T + Q, start: "2026-11-30T09:15:00.000Z", beforeWh: 101, afterWh: 100 });
      // the rebuilt table keeps its indexes (the partial one of migration 3 by name), its foreign keys and its data;
      // the index by time it recreated is dropped by a later migration (decision 0141), as on every store
      const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'intervals' ORDER BY name").pluck().all();
      assert.deepEqual(indexes, ["intervals_not_measured"]);
      assert.match(
        String(store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'intervals_not_measured'").pluck().get()),
        /WHERE quality <> 'measured'/,
      );
      assert.deepEqual(store.db.pragma("foreign_key_check"), []);
      assert.equal(store.db.prepare("SELECT count(*) FROM intervals").pluck().get(), 7 * 30 * 96);
      assert.throws(
        () =>
          store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (9999, 0, 1, 0, 'measured', 0)").run(),
        /FOREIGN KEY/,
      );
      assert.deepEqual(store.integrityCheck(), ["ok"]);
      // the repaired month can be billed
      const report = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.ok(!report.stopped, report.stopReason);
    } finally {
      store.close();
    }
    // the next check still tells what the migration did
    const again = await cli(["check", "--db", db]);
    assert.match(again.out, /negative intervals repaired: 2/);
  });

  it("a database not yet repaired: day series, estimate and billing run name the meter, the interval and what to do, never a RangeError", () => {
    const db = join(tmp(), "old.sqlite");
    oldDatabase(db);
    // opened as a version that predates the repair would open it (read-only views use the same readers)
    const store = SqliteStore.open(db, { migrations: BEFORE_V5 });
    try {
      const coded = (e: unknown): boolean => {
        assert.ok(e instanceof CodedError, `not a coded error: ${String(e)}`);
        assert.equal(e.code, "stored-negative-interval");
        assert.equal(e.params.start, "2026-11-30T09:00:00.000Z");
        assert.ok(e.params.meter === "pv" || e.params.meter === "unit-1");
        assert.doesNotMatch(e.message, /RangeError|non-negative integer/);
        assert.match(e.message, /has a negative interval at 2026-11-30T09:00:00.000Z .*run "zev check --db /);
        return true;
      };
      assert.throws(() => daySeries(store, "drei", "2026-11-30", "Europe/Zurich", { untilMs: parsePeriod("2026-11").endMs }), coded);
      assert.throws(() => estimateBilling(store, "drei", parsePeriod("2026-11"), { nowMs: Date.UTC(2026, 11, 1, 12) }), coded);
      assert.throws(() => runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" }), coded);
    } finally {
      store.close();
    }
  });

  it("zev export on a database not yet repaired (opened read-only) says which meter and interval and to run zev check", async () => {
    const db = join(tmp(), "old.sqlite");
    oldDatabase(db);
    const res = await cli(["export", "--db", db, "--community", "drei", "--kind", "allocation", "--period", "2026-11", "--out", join(tmp(), "a.csv")]);
    assert.equal(res.code, 1);
    assert.match(
      res.err,
      /^zev export: meter (pv|unit-1) has a negative interval at 2026-11-30T09:00:00.000Z \(import -?\d+ Wh\) in .*old.sqlite, written by an older version: run "zev check --db .*old.sqlite"/,
    );
    assert.doesNotMatch(res.err, /RangeError/);
  });
});
