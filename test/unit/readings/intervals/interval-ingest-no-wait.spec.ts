import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import { IntervalIngest } from "../../../../lib/readings/intervals/interval-ingest";
import { saveCommunity } from "../../../../lib/store/community-repo";
import { meterIntervals } from "../../../../lib/store/interval-repo";
import { getMeter } from "../../../../lib/store/meter-repo";
import { loadMeterState } from "../../../../lib/store/meter-state-repo";
import { SqliteStore } from "../../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../../support/community-fixture";
import { useTmpDir } from "../../../support/tmp";

/*
 * Node-RED's thread flushes readings while a worker thread (a billing run,
 * an import) may hold the database's write lock for a while: the flush must
 * return at once and lose nothing (decision 0117).
 */
const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0);
const NOW = Date.UTC(2026, 5, 3);

function readings(meters: number, minutes: number): { meter: string; ts: number; importKWh: number }[] {
  const out: { meter: string; ts: number; importKWh: number }[] = [];
  for (let m = 1; m <= minutes; m++)
    for (let k = 0; k < meters; k++) out.push({ meter: `m${k}`, ts: T0 + m * MIN + k * 100, importKWh: 100 + ((k + 1) * m) / 60 });
  return out;
}

function rows(store: SqliteStore, meters: number): unknown[] {
  const out: unknown[] = [];
  for (let k = 0; k < meters; k++) {
    const id = getMeter(store, "test-zev", `m${k}`)!.id;
    out.push(
      meterIntervals(store, id, 0, 8.64e15).map((r) => [r.startMs, r.importWh, r.exportWh, r.quality]),
      loadMeterState(store, id),
    );
  }
  return out;
}

describe("lib/readings ingest flush on Node-RED's thread never waits for another connection's write lock", () => {
  const tmp = useTmpDir();
  const METERS = 5;
  const open = (name: string): SqliteStore => {
    // A long busy timeout: the old flush would sit in it for as long as the other writer holds the lock.
    const s = SqliteStore.open(join(tmp(), name), { busyTimeoutMs: 5000 });
    saveCommunity(s, minimalCommunity({ meters: Array.from({ length: METERS }, (_, k) => ({ id: `m${k}`, role: "unit" as const, unit: "u1" })) }), {
      source: "test",
      actor: "test",
    });
    return s;
  };

  it("tryFlush returns null at once while another connection holds the write lock, keeps every reading, and commits them all once it is free: the same rows and state as a flush without contention", () => {
    const all = readings(METERS, 240);
    const ref = open("ref.sqlite");
    const store = open("zev.sqlite");
    // Another connection to the same file (as a worker thread has) holding the write lock.
    const other = new Database(store.path);
    try {
      const plain = new IntervalIngest(ref, "test-zev", { actor: "test", now: () => NOW });
      for (const r of all) plain.accept(r);
      plain.flush();

      const ing = new IntervalIngest(store, "test-zev", { actor: "test", now: () => NOW });
      const half = all.length / 2;
      for (const r of all.slice(0, half)) assert.equal(ing.accept(r).kind, "accepted");
      other.exec("BEGIN IMMEDIATE");
      const t0 = performance.now();
      assert.equal(ing.tryFlush(), null, "flushed although the lock was taken");
      const waited = performance.now() - t0;
      assert.ok(waited < 50, `the flush waited ${waited.toFixed(0)} ms for the lock`);
      assert.ok(ing.pending > 0);
      // Readings keep arriving meanwhile, a second try fails just as quickly.
      for (const r of all.slice(half)) assert.equal(ing.accept(r).kind, "accepted");
      assert.equal(ing.tryFlush(), null);
      other.exec("COMMIT");
      const res = ing.tryFlush();
      assert.ok(res && res.intervals > 0, "nothing flushed once the lock was free");
      assert.equal(ing.pending, 0);
      assert.deepEqual(rows(store, METERS), rows(ref, METERS));
      // The connection's own busy timeout is back for the writes that must wait (commands, the CLI).
      assert.equal(store.db.pragma("busy_timeout", { simple: true }), 5000);
    } finally {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
      store.close();
      ref.close();
    }
  });

  it("an error other than a taken lock still reaches the caller, and the readings stay pending for the retry", () => {
    const store = open("zev.sqlite");
    try {
      const ing = new IntervalIngest(store, "test-zev", { actor: "test", now: () => NOW });
      for (const r of readings(METERS, 60)) ing.accept(r);
      store.db.exec("CREATE TRIGGER full BEFORE INSERT ON intervals BEGIN SELECT RAISE(ABORT, 'disk full'); END");
      assert.throws(() => ing.tryFlush(), /disk full/);
      store.db.exec("DROP TRIGGER full");
      assert.ok((ing.tryFlush()?.intervals ?? 0) > 0);
    } finally {
      store.close();
    }
  });
});
