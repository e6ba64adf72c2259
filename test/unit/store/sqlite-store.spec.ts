import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { auditLog } from "../../../lib/store/audit-repo";
import { saveCommunity } from "../../../lib/store/community-repo";
import { countIntervals, meterIntervals, upsertIntervals, upsertIntervalsInWrite } from "../../../lib/store/interval-repo";
import { getMeter, upsertMeter } from "../../../lib/store/meter-repo";
import { LATEST_SCHEMA_VERSION, Migration, MIGRATIONS } from "../../../lib/store/migrations";
import { acquireStore, releaseStore, storeUsers } from "../../../lib/store/registry";
import { SqliteStore, StoreError } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const T0 = Date.UTC(2026, 9, 1, 0, 0);

describe("lib/store SQLite", () => {
  const tmp = useTmpDir();

  function openWithCommunity(): { store: SqliteStore; meterId: number } {
    const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    saveCommunity(store, minimalCommunity(), { source: "test", actor: "test" });
    const meter = upsertMeter(store, "test-zev", { id: "m1", role: "unit", unit: "u1" }, "test");
    return { store, meterId: meter.id };
  }

  it("opens in WAL mode with foreign keys on and the latest schema", () => {
    const store = SqliteStore.open(join(tmp(), "sub", "dir", "zev.sqlite"));
    try {
      assert.equal(store.db.pragma("journal_mode", { simple: true }), "wal");
      assert.equal(store.db.pragma("foreign_keys", { simple: true }), 1);
      assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
      assert.deepEqual(store.integrityCheck(), ["ok"]);
    } finally {
      store.close();
    }
  });

  it("writing the same interval twice leaves one row with the last value", () => {
    const { store, meterId } = openWithCommunity();
    try {
      upsertIntervals(store, [{ meterId, startMs: T0, importWh: 120, exportWh: 0, quality: "measured" }]);
      upsertIntervals(store, [{ meterId, startMs: T0, importWh: 125, exportWh: 0, quality: "measured" }]);
      assert.equal(countIntervals(store, meterId), 1);
      assert.equal(meterIntervals(store, meterId, T0, T0 + 900000)[0]!.importWh, 125);
    } finally {
      store.close();
    }
  });

  it("rejects rows that break the schema's rules instead of storing wrong data", () => {
    const { store, meterId } = openWithCommunity();
    try {
      assert.throws(() => upsertIntervals(store, [{ meterId, startMs: T0 + 60000, importWh: 1, exportWh: 0, quality: "measured" }]), /CHECK constraint/);
      assert.throws(() => upsertIntervals(store, [{ meterId, startMs: T0, importWh: null, exportWh: null, quality: "measured" }]), /CHECK constraint/);
      assert.throws(() => upsertIntervals(store, [{ meterId: 999, startMs: T0, importWh: 1, exportWh: 0, quality: "measured" }]), /FOREIGN KEY/);
      // the failed batch left nothing behind
      assert.equal(countIntervals(store, meterId), 0);
    } finally {
      store.close();
    }
  });

  it("upsertIntervalsInWrite writes only inside the caller's transaction, and a bad row rolls that whole transaction back", () => {
    const { store, meterId } = openWithCommunity();
    try {
      const row = { meterId, startMs: T0, importWh: 1, exportWh: 0, quality: "measured" as const, counterWh: 1001 };
      assert.throws(() => upsertIntervalsInWrite(store, [row], 5), /inside store.write/);
      assert.equal(countIntervals(store, meterId), 0);
      assert.throws(() =>
        store.write(() => {
          upsertIntervalsInWrite(store, [row], 5);
          upsertIntervalsInWrite(store, [{ ...row, startMs: T0 + 900000, quality: "bogus" as never }], 5);
        }),
      );
      assert.equal(countIntervals(store, meterId), 0, "the first call's row went with the transaction");
      store.write(() => upsertIntervalsInWrite(store, [row], 5));
      assert.deepEqual(store.db.prepare("SELECT start_ms, import_wh, quality, updated_ms, counter_wh FROM intervals WHERE meter_id = ?").all(meterId), [
        { start_ms: T0, import_wh: 1, quality: "measured", updated_ms: 5, counter_wh: 1001 },
      ]);
    } finally {
      store.close();
    }
  });

  it("a batch is all or nothing", () => {
    const { store, meterId } = openWithCommunity();
    try {
      assert.throws(() =>
        upsertIntervals(store, [
          { meterId, startMs: T0, importWh: 1, exportWh: 0, quality: "measured" },
          { meterId, startMs: T0 + 900000, importWh: 2, exportWh: 0, quality: "bogus" as never },
        ]),
      );
      assert.equal(countIntervals(store, meterId), 0);
    } finally {
      store.close();
    }
  });

  it("migrates an existing database forward and keeps its data", () => {
    const path = join(tmp(), "old.sqlite");
    const v1Only: readonly Migration[] = MIGRATIONS.slice(0, 1);
    const old = SqliteStore.open(path, { migrations: v1Only });
    saveCommunity(old, minimalCommunity(), { source: "test", actor: "test" });
    old.close();
    const extra: Migration[] = [
      ...MIGRATIONS,
      { version: LATEST_SCHEMA_VERSION + 1, name: "test column", sql: "ALTER TABLE meters ADD COLUMN test_note TEXT" },
    ];
    const store = SqliteStore.open(path, { migrations: extra });
    try {
      assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION + 1);
      assert.equal((store.db.prepare("SELECT COUNT(*) AS n FROM communities").get() as { n: number }).n, 1);
      const cols = (store.db.prepare("PRAGMA table_info(meters)").all() as { name: string }[]).map((c) => c.name);
      assert.ok(cols.includes("test_note"));
      // running again applies nothing
      assert.deepEqual(store.migrate(extra), []);
    } finally {
      store.close();
    }
  });

  it("refuses a database written by a newer version instead of corrupting it", () => {
    const path = join(tmp(), "new.sqlite");
    const future: Migration[] = [...MIGRATIONS, { version: 999, name: "future", sql: "CREATE TABLE future_thing (x INTEGER)" }];
    SqliteStore.open(path, { migrations: future }).close();
    assert.throws(
      () => SqliteStore.open(path),
      (e: unknown) => e instanceof StoreError && /schema version 999, newer than/.test((e as Error).message),
    );
  });

  it("a failing migration rolls back and says which one failed", () => {
    const path = join(tmp(), "bad.sqlite");
    const bad: Migration[] = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: "broken", sql: "CREATE TABLE ok_part (x INTEGER); THIS IS NOT SQL" }];
    assert.throws(() => SqliteStore.open(path, { migrations: bad }), /migration \d+ \(broken\) failed/);
    const store = SqliteStore.open(path);
    try {
      assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
      assert.equal(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_part'").get(), undefined);
    } finally {
      store.close();
    }
  });

  it("says clearly when the file is not a database", () => {
    const path = join(tmp(), "not-a-db.sqlite");
    writeFileSync(path, "this is a text file, not SQLite ".repeat(100));
    assert.throws(
      () => SqliteStore.open(path),
      (e: unknown) => e instanceof StoreError && /not-a-db\.sqlite/.test((e as Error).message),
    );
  });

  it("shares one store per file among users and closes it with the last one", () => {
    const path = join(tmp(), "shared.sqlite");
    const a = acquireStore(path);
    const b = acquireStore(join(tmp(), ".", "shared.sqlite"));
    assert.equal(a, b);
    assert.equal(storeUsers(path), 2);
    releaseStore(a);
    assert.ok(b.isOpen);
    releaseStore(b);
    assert.equal(storeUsers(path), 0);
    assert.equal(b.isOpen, false);
    const c = acquireStore(path);
    assert.notEqual(c, a);
    assert.ok(c.isOpen);
    releaseStore(c);
  });

  it("meter changes of role or unit are written to the audit log", () => {
    const { store } = openWithCommunity();
    try {
      upsertMeter(store, "test-zev", { id: "m1", role: "unit", unit: "u2" }, "tester");
      assert.equal(getMeter(store, "test-zev", "m1")!.unitId, "u2");
      const entry = auditLog(store, "test-zev").find((e) => e.action === "meter.changed");
      assert.ok(entry);
      assert.deepEqual((entry!.details as { before: { unit: string } }).before.unit, "u1");
      assert.equal(entry!.actor, "tester");
    } finally {
      store.close();
    }
  });

  it("writers in two processes at once both land, none is lost (WAL + busy timeout)", function () {
    this.timeout(60000);
    const path = join(tmp(), "concurrent.sqlite");
    const { store, meterId } = (() => {
      const s = SqliteStore.open(path);
      saveCommunity(s, minimalCommunity(), { source: "test", actor: "test" });
      const m = upsertMeter(s, "test-zev", { id: "m1", role: "unit", unit: "u1" }, "test");
      return { store: s, meterId: m.id };
    })();
    store.close();
    const script = `
      const { SqliteStore } = require(${JSON.stringify(join(__dirname, "../../../lib/store/sqlite-store"))});
      const { upsertIntervals } = require(${JSON.stringify(join(__dirname, "../../../lib/store/interval-repo"))});
      const s = SqliteStore.open(process.argv[1]);
      const offset = Number(process.argv[2]);
      for (let b = 0; b < 50; b++) {
        const rows = [];
        for (let i = 0; i < 20; i++) rows.push({ meterId: ${meterId}, startMs: ${T0} + (offset + b * 20 + i) * 900000, importWh: 1, exportWh: 0, quality: "measured" });
        upsertIntervals(s, rows);
      }
      s.close();`;
    const tsx = join(__dirname, "../../../node_modules/tsx/dist/cli.mjs");
    const procs = [0, 1000].map((offset) => spawn(process.execPath, [tsx, "-e", script, path, String(offset)], { stdio: "pipe" }));
    return Promise.all(
      procs.map(
        (p: ChildProcess) =>
          new Promise<void>((res, rej) => {
            let err = "";
            p.stderr!.on("data", (d) => (err += d));
            p.on("exit", (code) => (code === 0 ? res() : rej(new Error(`writer exited ${code}: ${err}`))));
          }),
      ),
    ).then(() => {
      const s = SqliteStore.open(path);
      try {
        assert.equal(countIntervals(s, meterId), 2000);
      } finally {
        s.close();
      }
    });
  });

  it("an online backup is a complete, openable copy", async () => {
    const { store, meterId } = openWithCommunity();
    const dest = join(tmp(), "backup", "copy.sqlite");
    try {
      upsertIntervals(store, [{ meterId, startMs: T0, importWh: 7, exportWh: 0, quality: "measured" }]);
      await store.backup(dest);
    } finally {
      store.close();
    }
    assert.ok(existsSync(dest));
    const copy = new Database(dest, { readonly: true });
    try {
      assert.equal((copy.prepare("SELECT import_wh FROM intervals").get() as { import_wh: number }).import_wh, 7);
    } finally {
      copy.close();
    }
  });
});
