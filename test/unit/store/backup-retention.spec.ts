import assert from "node:assert/strict";
import { copyFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../../bin/cli";
import { backupWithRotation, listBackups, restoreBackup } from "../../../lib/store/backup";
import { saveCommunity } from "../../../lib/store/community-repo";
import { countIntervals, upsertIntervals } from "../../../lib/store/interval-repo";
import { upsertMeter } from "../../../lib/store/meter-repo";
import { operatorSplitInRange, upsertOperatorSplit } from "../../../lib/store/leg-repo";
import { operatorDeliveries, writeOperatorMerge } from "../../../lib/store/operator-delivery-repo";
import { pruneIntervalData } from "../../../lib/store/retention";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { nextDailyRun, yearsBefore } from "../../../lib/time/daily-schedule";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const T0 = Date.UTC(2026, 5, 1, 0, 0);
const Q = 900_000;

describe("lib/store backup, restore and retention", () => {
  const tmp = useTmpDir();

  function storeWith(rows: number, path = join(tmp(), "zev.sqlite")): { store: SqliteStore; meterId: number } {
    const store = SqliteStore.open(path);
    saveCommunity(store, minimalCommunity(), { source: "test", actor: "test" });
    const meterId = upsertMeter(store, "test-zev", { id: "m1", role: "unit", unit: "u1" }, "test").id;
    upsertIntervals(
      store,
      Array.from({ length: rows }, (_, i) => ({ meterId, startMs: T0 + i * Q, importWh: i, exportWh: 0, quality: "measured" as const })),
    );
    return { store, meterId };
  }

  it("a backup taken while the store is open is complete; rotation keeps the newest n", async () => {
    const { store, meterId } = storeWith(100);
    const folder = join(tmp(), "backups");
    try {
      for (let k = 0; k < 4; k++) {
        upsertIntervals(store, [{ meterId, startMs: T0 + (100 + k) * Q, importWh: 1, exportWh: 0, quality: "measured" }]);
        const res = await backupWithRotation(store, folder, { keep: 2, nowMs: T0 + k * 86_400_000 });
        assert.match(res.file, /zev-20260\d{3}-\d{6}Z\.sqlite$/);
        if (k >= 2) assert.equal(res.removed.length, 1);
      }
      const kept = listBackups(folder, store.path);
      assert.equal(kept.length, 2);
      assert.ok(readdirSync(folder).every((f) => !f.endsWith(".partial")));
      const copy = SqliteStore.open(kept[1]!, { readonly: true });
      try {
        assert.equal(countIntervals(copy, meterId), 104);
      } finally {
        copy.close();
      }
    } finally {
      store.close();
    }
  });

  it("restore: the backup replaces the database, the old file and a crash's leftover WAL are kept aside, the result opens", async () => {
    const { store, meterId } = storeWith(10, join(tmp(), "src.sqlite"));
    const { file } = await backupWithRotation(store, join(tmp(), "b"), { keep: 3 });
    // Later writes stay in the WAL; copying file + WAL now gives the state a killed process leaves behind.
    store.db.pragma("wal_autocheckpoint = 0");
    upsertIntervals(store, [{ meterId, startMs: T0 + 50 * Q, importWh: 9, exportWh: 0, quality: "measured" }]);
    const path = join(tmp(), "crashed.sqlite");
    copyFileSync(store.path, path);
    copyFileSync(`${store.path}-wal`, `${path}-wal`);
    store.close();
    const res = restoreBackup(file, path, { nowMs: T0 });
    assert.ok(res.previous && existsSync(res.previous));
    assert.ok(existsSync(`${res.previous}-wal`), "the WAL moved with the file it belongs to");
    assert.equal(existsSync(`${path}-wal`), false);
    const back = SqliteStore.open(path);
    try {
      assert.equal(countIntervals(back, meterId), 10);
      assert.deepEqual(back.integrityCheck(), ["ok"]);
    } finally {
      back.close();
    }
    // the replaced database, WAL included, is still intact for whoever needs it
    const old = SqliteStore.open(res.previous!);
    try {
      assert.equal(countIntervals(old, meterId), 11);
    } finally {
      old.close();
    }
  });

  it("restore refuses a damaged backup and leaves the database untouched", () => {
    const path = join(tmp(), "live.sqlite");
    const { store, meterId } = storeWith(5, path);
    store.close();
    const bad = join(tmp(), "bad.sqlite");
    writeFileSync(bad, "SQLite format 3\0 but not really".repeat(50));
    assert.throws(() => restoreBackup(bad, path), /not a usable ZEV database|damaged/);
    const s = SqliteStore.open(path);
    try {
      assert.equal(countIntervals(s, meterId), 5);
    } finally {
      s.close();
    }
  });

  it("zev backup and zev restore from the command line", async () => {
    const path = join(tmp(), "cli.sqlite");
    storeWith(3, path).store.close();
    let out = "",
      err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    assert.equal(await runCli(["backup", "--db", path, "--to", join(tmp(), "bk"), "--keep", "2"], io), 0, err);
    const file = /backup written: (\S+)/.exec(out)![1]!;
    assert.equal(await runCli(["restore", file, "--db", path], io), 0, err);
    assert.match(out, /integrity: ok/);
    assert.equal(await runCli(["backup", "--db", path], io), 2);
  });

  it("retention deletes interval data older than the limit, nothing newer", () => {
    const { store, meterId } = storeWith(96 * 3);
    try {
      const res = pruneIntervalData(store, "test-zev", T0 + 96 * Q);
      assert.equal(res.intervals, 96);
      assert.equal(countIntervals(store, meterId), 96 * 2);
    } finally {
      store.close();
    }
  });

  it("retention deletes the grid operator's values (SDAT deliveries, a LEG's split per member) older than the limit with the rows, nothing newer", () => {
    const { store, meterId } = storeWith(96 * 3);
    try {
      const at = (i: number): number => T0 + i * Q;
      store.write(() => {
        writeOperatorMerge(
          store,
          [0, 95, 96, 200].map((i) => ({
            meterId,
            startMs: at(i),
            direction: "import" as const,
            wh: 5,
            quality: "measured" as const,
            condition: null,
            documentId: "doc-1",
            createdMs: T0,
          })),
          [],
          T0,
        );
        upsertOperatorSplit(
          store,
          [10, 96].flatMap((i) => (["local", "residual"] as const).map((share) => ({ meterId, startMs: at(i), share, wh: 3, quality: "measured" as const }))),
          "doc-2",
          T0,
        );
      });
      const res = pruneIntervalData(store, "test-zev", at(96));
      assert.deepEqual(res, { intervals: 96, operatorValues: 2 + 2, gaps: 0, events: 0 });
      assert.deepEqual(
        operatorDeliveries(store, meterId, 0, 8.64e15).map((d) => d.startMs),
        [at(96), at(200)],
      );
      assert.deepEqual(
        operatorSplitInRange(store, [meterId], 0, 8.64e15).map((r) => [r.startMs, r.share]),
        [
          [at(96), "local"],
          [at(96), "residual"],
        ],
      );
    } finally {
      store.close();
    }
  });

  it("retention over months with a long gap deletes each row before the limit once, in transactions of a month, and keeps the rest", () => {
    const { store, meterId } = storeWith(0);
    const DAY = 96 * Q;
    try {
      // Days 0 to 19 and 60 to 99: a gap of 40 days; the limit at day 80 lies three slices past the first row.
      const days = [...Array(100).keys()].filter((d) => d < 20 || d >= 60);
      upsertIntervals(
        store,
        days.flatMap((d) =>
          Array.from({ length: 96 }, (_, i) => ({ meterId, startMs: T0 + d * DAY + i * Q, importWh: 1, exportWh: 0, quality: "measured" as const })),
        ),
      );
      let writes = 0;
      const write = store.write.bind(store);
      store.write = <T>(fn: () => T): T => (writes++, write(fn));
      const res = pruneIntervalData(store, "test-zev", T0 + 80 * DAY);
      assert.equal(res.intervals, 40 * 96);
      assert.equal(countIntervals(store, meterId), 20 * 96);
      assert.equal(store.db.prepare("SELECT MIN(start_ms) FROM intervals").pluck().get(), T0 + 80 * DAY);
      // Days 0 to 19 (one slice), 60 to 80 (one slice; the gap costs none), and the gaps and events.
      assert.equal(writes, 3);
      assert.deepEqual(pruneIntervalData(store, "test-zev", T0 + 80 * DAY), { intervals: 0, operatorValues: 0, gaps: 0, events: 0 });
    } finally {
      store.close();
    }
  });

  it("schedules: the next local 03:30, across DST, and ten years back to local midnight", () => {
    // 2026-03-29 00:00 UTC = 01:00 CET; 03:30 CEST that day = 01:30 UTC
    assert.equal(nextDailyRun(Date.UTC(2026, 2, 29, 0, 0), "03:30"), Date.UTC(2026, 2, 29, 1, 30));
    // after today's run: tomorrow
    assert.equal(nextDailyRun(Date.UTC(2026, 2, 29, 1, 30), "03:30"), Date.UTC(2026, 2, 30, 1, 30));
    // 2026-10-25 03:30 CET = 02:30 UTC
    assert.equal(nextDailyRun(Date.UTC(2026, 9, 24, 12, 0), "03:30"), Date.UTC(2026, 9, 25, 2, 30));
    assert.equal(yearsBefore(Date.UTC(2026, 5, 15, 12, 0), 10), Date.UTC(2016, 5, 14, 22, 0));
    assert.throws(() => nextDailyRun(0, "25:00"), /HH:MM/);
  });
});
