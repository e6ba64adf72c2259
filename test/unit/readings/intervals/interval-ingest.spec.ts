import assert from "node:assert/strict";
import { join } from "node:path";
import { IntervalIngest } from "../../../../lib/readings/intervals/interval-ingest";
import { auditLog } from "../../../../lib/store/audit-repo";
import { saveCommunity } from "../../../../lib/store/community-repo";
import { meterIntervals } from "../../../../lib/store/interval-repo";
import { getMeter } from "../../../../lib/store/meter-repo";
import { meterEventsInRange } from "../../../../lib/store/meter-event-repo";
import { emptyCounterState } from "../../../../lib/readings/intervals/counter-state";
import { loadMeterState, meterStateWrittenMs, nextStateStampMs, saveMeterState } from "../../../../lib/store/meter-state-repo";
import { SqliteStore } from "../../../../lib/store/sqlite-store";
import { unallocatedInRange } from "../../../../lib/store/unallocated-repo";
import { minimalCommunity } from "../../../support/community-fixture";
import { useTmpDir } from "../../../support/tmp";

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0);
const NOW = Date.UTC(2026, 5, 2);

interface Msg {
  meter: string;
  ts: number;
  importKWh: number;
  exportKWh?: number;
  serial?: string;
  powerW?: number;
}

/** m1 at 1 kW read every 2 minutes from 10:01 for `minutes`. */
function steady(minutes: number, meter = "m1", kW = 1, startKWh = 100): Msg[] {
  const out: Msg[] = [];
  for (let m = 1; m <= minutes; m += 2) out.push({ meter, ts: T0 + m * MIN, importKWh: startKWh + (kW * m) / 60 });
  return out;
}

function dump(store: SqliteStore, meter: string): [number, number | null, string][] {
  const id = getMeter(store, "test-zev", meter)!.id;
  return meterIntervals(store, id, 0, 8.64e15).map((r) => [r.startMs, r.importWh, r.quality]);
}

describe("lib/readings ingest path (SQLite)", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  const open = (): SqliteStore => SqliteStore.open(join(tmp(), "zev.sqlite"));
  const ingest = (s: SqliteStore): IntervalIngest => new IntervalIngest(s, "test-zev", { actor: "test", now: () => NOW });

  beforeEach(() => {
    store = open();
    saveCommunity(store, minimalCommunity({ meters: [{ id: "m1", role: "unit", unit: "u1" }] }), { source: "test", actor: "test" });
  });
  afterEach(() => store.close());

  it("writes closed intervals and the meter's counter state in one flush", () => {
    const ing = ingest(store);
    for (const r of steady(61)) assert.equal(ing.accept(r).kind, "accepted");
    assert.deepEqual(dump(store, "m1"), [], "nothing is written before the flush");
    const res = ing.flush();
    assert.equal(res.intervals, 3);
    assert.deepEqual(dump(store, "m1"), [
      [T0 + 15 * MIN, 250, "measured"],
      [T0 + 30 * MIN, 250, "measured"],
      [T0 + 45 * MIN, 250, "measured"],
    ]);
    const state = loadMeterState(store, getMeter(store, "test-zev", "m1")!.id)!;
    assert.equal(state.anchor!.ms, T0 + 60 * MIN);
    assert.equal(state.last!.ts, T0 + 61 * MIN);
  });

  it("a restart continues from the stored state: same rows as an uninterrupted run, nothing twice", () => {
    const readings = steady(181);
    const a = ingest(store);
    readings.slice(0, 40).forEach((r) => a.accept(r));
    a.flush();
    store.close();
    store = open();
    const b = ingest(store);
    // the source re-sends everything after the restart: the old part is late or duplicate
    const outcomes = readings.map((r) => b.accept(r).kind);
    assert.equal(outcomes.slice(0, 40).filter((k) => k === "accepted").length, 0);
    b.flush();
    const restarted = dump(store, "m1");
    store.close();

    store = SqliteStore.open(join(tmp(), "straight.sqlite"));
    saveCommunity(store, minimalCommunity({ meters: [{ id: "m1", role: "unit", unit: "u1" }] }), { source: "test", actor: "test" });
    const c = ingest(store);
    readings.forEach((r) => c.accept(r));
    c.flush();
    assert.deepEqual(restarted, dump(store, "m1"));
    assert.equal(restarted.length, 11);
  });

  it("readings accepted but not flushed before a crash are simply not there; the next readings continue cleanly", () => {
    const readings = steady(121);
    const a = ingest(store);
    readings.slice(0, 20).forEach((r) => a.accept(r)); // up to 10:39
    a.flush();
    readings.slice(20, 40).forEach((r) => a.accept(r)); // lost: never flushed
    store.close();
    store = open();
    const b = ingest(store);
    readings.slice(45).forEach((r) => b.accept(r)); // from 11:31
    b.flush();
    const rows = dump(store, "m1");
    // 10:15 closed before the crash; 10:39 -> 11:31 is bridged by interpolation (10:30..11:30 touch the gap); no interval twice
    assert.deepEqual(
      rows.map((r) => r[0]),
      [15, 30, 45, 60, 75, 90, 105].map((m) => T0 + m * MIN),
    );
    assert.deepEqual(
      rows.map((r) => r[2]),
      ["measured", "interpolated", "interpolated", "interpolated", "interpolated", "interpolated", "measured"],
    );
    // constant 1 kW: the interpolation restores 250 Wh per quarter hour exactly
    assert.ok(rows.every((r) => r[1] === 250));
  });

  it("a flush is one write transaction with no nested write (a savepoint would journal every page its rows touch)", () => {
    const ing = ingest(store);
    steady(61).forEach((r) => ing.accept(r));
    const write = store.write.bind(store);
    let writes = 0;
    store.write = <T>(fn: () => T): T => {
      writes++;
      return write(fn);
    };
    try {
      assert.equal(ing.flush().intervals, 3);
    } finally {
      store.write = write;
    }
    assert.equal(writes, 1);
    assert.equal(dump(store, "m1").length, 3);
  });

  it("a replacement another connection or another ingest on this one recorded meanwhile, at a later clock or in the same millisecond as this ingest's last commit: the pending readings are applied again on its state, as if in order", () => {
    // Old meter at 1 kW up to 10:31 (flushed), replaced at 10:32 (100.531 kWh final, new meter from 0), new meter at 1 kW after.
    const rep = { atMs: T0 + 32 * MIN, oldFinalImportWh: 100_531, newInitialImportWh: 0, oldFinalExportWh: null, newInitialExportWh: null, serial: null };
    const before = steady(31);
    const after = steady(61, "m1", 1, 0)
      .filter((r) => r.ts > rep.atMs)
      .map((r) => ({ ...r, importKWh: (r.ts - rep.atMs) / 3_600_000 }));
    const rebased: { where: string; rows: [number, number | null, string][]; state: unknown }[] = [];
    const cases = [
      { where: "another connection", otherNow: NOW + 1 },
      { where: "this connection", otherNow: NOW + 1 },
      { where: "another connection", otherNow: NOW },
      { where: "this connection", otherNow: NOW },
    ];
    for (const { where, otherNow } of cases) {
      const file = join(tmp(), `${where.replace(" ", "-")}-${otherNow - NOW}.sqlite`);
      const s = SqliteStore.open(file);
      saveCommunity(s, minimalCommunity({ meters: [{ id: "m1", role: "unit", unit: "u1" }] }), { source: "test", actor: "test" });
      const a = ingest(s);
      before.forEach((r) => a.accept(r));
      a.flush();
      // Before the replacement is known here, the new meter's low counter looks like a reset still to be confirmed.
      after.forEach((r) => a.accept(r));
      const other = where === "this connection" ? s : SqliteStore.open(file);
      // The stamp that tells this ingest another writer was there changes with every write, even in the same millisecond.
      new IntervalIngest(other, "test-zev", { actor: "cli", now: () => otherNow }).replaceMeter("m1", rep);
      if (other !== s) other.close();
      a.flush();
      rebased.push({ where: `${where}, clock +${otherNow - NOW} ms`, rows: dump(s, "m1"), state: loadMeterState(s, getMeter(s, "test-zev", "m1")!.id) });
      s.close();
    }

    const b = ingest(store);
    before.forEach((r) => b.accept(r));
    b.flush();
    b.replaceMeter("m1", rep);
    after.forEach((r) => b.accept(r));
    b.flush();
    const inOrder = { rows: dump(store, "m1"), state: loadMeterState(store, getMeter(store, "test-zev", "m1")!.id) };
    assert.equal(inOrder.rows.length, 3);
    assert.equal(rebased.length, 4);
    for (const r of rebased) assert.deepEqual({ rows: r.rows, state: r.state }, inOrder, r.where);
  });

  it("a meter state written twice in the same millisecond, or under a clock set back, gets a new stamp each time", () => {
    const id = getMeter(store, "test-zev", "m1")!.id;
    const state = () => loadMeterState(store, id) ?? emptyCounterState();
    store.write(() => saveMeterState(store, id, state(), NOW));
    assert.equal(meterStateWrittenMs(store, id), NOW);
    store.write(() => saveMeterState(store, id, state(), NOW));
    assert.equal(meterStateWrittenMs(store, id), NOW + 1);
    store.write(() => saveMeterState(store, id, state(), NOW - 60_000));
    assert.equal(meterStateWrittenMs(store, id), NOW + 2);
    store.write(() => saveMeterState(store, id, state(), NOW + 10));
    assert.equal(meterStateWrittenMs(store, id), NOW + 10);
    assert.equal(nextStateStampMs(NOW + 10, NOW + 10), NOW + 11);
    assert.equal(nextStateStampMs(null, NOW), NOW);
  });

  it("a flush reads the meters' state stamps only when another writer wrote a state since this ingest's last commit", () => {
    const ing = ingest(store);
    const readings = steady(121);
    const stmt = store.stmt.bind(store);
    const stampQueries: number[] = [];
    let flushes = 0;
    store.stmt = <R>(sql: string) => {
      if (sql.includes("FROM meter_state WHERE meter_id IN")) stampQueries.push(flushes);
      return stmt<R>(sql);
    };
    try {
      for (const part of [readings.slice(0, 20), readings.slice(20, 40)]) {
        part.forEach((r) => ing.accept(r));
        ing.flush();
        flushes++;
      }
      // another connection commits something (here: an unrelated meter's registration): the stamps are read again
      const other = open();
      try {
        saveCommunity(
          other,
          minimalCommunity({
            meters: [
              { id: "m1", role: "unit", unit: "u1" },
              { id: "m9", role: "common" },
            ],
          }),
          { source: "test", actor: "test" },
        );
      } finally {
        other.close();
      }
      readings.slice(40).forEach((r) => ing.accept(r));
      ing.flush();
    } finally {
      store.stmt = stmt;
    }
    assert.deepEqual(stampQueries, [0, 2], "the first flush and the one after the other connection's commit");
    assert.equal(dump(store, "m1").length, 7);
  });

  it("a state another connection wrote while this meter had nothing pending here is found when it has again", () => {
    saveCommunity(
      store,
      minimalCommunity({
        meters: [
          { id: "m1", role: "unit", unit: "u1" },
          { id: "m2", role: "common" },
        ],
      }),
      { source: "test", actor: "test" },
    );
    const rep = { atMs: T0 + 32 * MIN, oldFinalImportWh: 100_531, newInitialImportWh: 0, oldFinalExportWh: null, newInitialExportWh: null, serial: null };
    const before = steady(31);
    const after = steady(61, "m1", 1, 0)
      .filter((r) => r.ts > rep.atMs)
      .map((r) => ({ ...r, importKWh: (r.ts - rep.atMs) / 3_600_000 }));
    const m2 = steady(121, "m2", 2, 50);
    const run = (s: SqliteStore, replace: () => void): void => {
      const a = ingest(s);
      before.forEach((r) => a.accept(r));
      m2.slice(0, 10).forEach((r) => a.accept(r));
      a.flush();
      replace();
      // m2 alone, twice: m1 has nothing pending here meanwhile
      m2.slice(10, 20).forEach((r) => a.accept(r));
      a.flush();
      m2.slice(20, 30).forEach((r) => a.accept(r));
      a.flush();
      after.forEach((r) => a.accept(r));
      a.flush();
    };
    run(store, () => {
      const other = open();
      try {
        new IntervalIngest(other, "test-zev", { actor: "cli", now: () => NOW + 1 }).replaceMeter("m1", rep);
      } finally {
        other.close();
      }
    });
    const rebased = dump(store, "m1");
    store.close();

    store = SqliteStore.open(join(tmp(), "in-order.sqlite"));
    saveCommunity(
      store,
      minimalCommunity({
        meters: [
          { id: "m1", role: "unit", unit: "u1" },
          { id: "m2", role: "common" },
        ],
      }),
      { source: "test", actor: "test" },
    );
    const b = ingest(store);
    before.forEach((r) => b.accept(r));
    b.flush();
    b.replaceMeter("m1", rep);
    after.forEach((r) => b.accept(r));
    b.flush();
    assert.deepEqual(rebased, dump(store, "m1"));
    assert.equal(rebased.length, 3);
  });

  it("a failed flush keeps everything pending and the retry writes it once", () => {
    const ing = ingest(store);
    steady(61).forEach((r) => ing.accept(r));
    store.db.exec("CREATE TEMP TRIGGER fail_once BEFORE INSERT ON intervals BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END");
    assert.throws(() => ing.flush(), /disk full/);
    assert.deepEqual(dump(store, "m1"), []);
    assert.equal(loadMeterState(store, getMeter(store, "test-zev", "m1")!.id), null, "state rolled back with the rows");
    store.db.exec("DROP TRIGGER fail_once");
    assert.equal(ing.flush().intervals, 3);
    assert.equal(dump(store, "m1").length, 3);
  });

  it("a reading for an unknown meter is kept: the meter is registered as role other, with an audit entry", () => {
    const ing = ingest(store);
    steady(31, "mystery").forEach((r) => ing.accept(r));
    ing.flush();
    const m = getMeter(store, "test-zev", "mystery")!;
    assert.equal(m.role, "other");
    assert.deepEqual(ing.registered, ["mystery"]);
    assert.ok(auditLog(store, "test-zev").some((e) => e.action === "meter.unknown-registered" && e.entityId === "mystery"));
    assert.equal(dump(store, "mystery").length, 1);
  });

  it("gap energy beyond the limit and counter events are stored with the rows", () => {
    const ing = ingest(store);
    const msgs: Msg[] = [
      { meter: "m1", ts: T0 + 1 * MIN, importKWh: 10 },
      { meter: "m1", ts: T0 + 2 * MIN, importKWh: 10.01 },
      { meter: "m1", ts: T0 + 300 * MIN, importKWh: 15 }, // 5 h gap
      { meter: "m1", ts: T0 + 305 * MIN, importKWh: 0.05 }, // reset
      { meter: "m1", ts: T0 + 310 * MIN, importKWh: 0.1 }, // a new counter is taken once three readings agree
      { meter: "m1", ts: T0 + 320 * MIN, importKWh: 0.2 },
    ];
    msgs.forEach((r) => ing.accept(r));
    ing.flush();
    const gaps = unallocatedInRange(store, "test-zev", T0, T0 + 400 * MIN);
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0]!.fromMs, T0 + 15 * MIN);
    assert.deepEqual(
      meterEventsInRange(store, "test-zev", T0, T0 + 400 * MIN).map((e) => e.kind),
      ["reset"],
    );
    const rows = dump(store, "m1");
    const total = rows.reduce((s, r) => s + (r[1] ?? 0), 0) + gaps[0]!.importWh;
    // Accounting starts at the first boundary, 10:15: 10 010 + 4 990 * 13/298 = 10 227.68 -> 10 228 Wh.
    // The gap holds 10:15..15:00: 15 000 - 10 228. Flat across the reset at 15:05, then 0.05 -> 0.2 kWh by 15:20,
    // so 15:15 is 15 000 + 150 * 10/15 = 15 100: the estimated interval [15:00, 15:15) holds 100 Wh.
    assert.equal(gaps[0]!.importWh, 15_000 - 10_228);
    assert.deepEqual(rows[rows.length - 1], [T0 + 300 * MIN, 100, "estimated"]);
    assert.equal(total, 15_100 - 10_228);
  });

  it("rejects bad messages with a clear reason and counts them", () => {
    const ing = ingest(store);
    const bad: [unknown, RegExp][] = [
      ["not an object", /payload must be an object/],
      [{ ts: T0, importKWh: 1 }, /no meter/],
      [{ meter: "m1", ts: 1_780_000_000, importKWh: 1 }, /looks like seconds/],
      [{ meter: "m1", ts: T0, importKWh: "lots" }, /not a number/],
      [{ meter: "m1", ts: T0, importKWh: -5 }, /outside/],
      [{ meter: "m1", ts: T0, importKWh: 5e12 }, /Wh sent as kWh/],
      [{ meter: "m1", ts: NOW + 10 * MIN, importKWh: 1 }, /in the future/],
    ];
    for (const [payload, re] of bad) {
      const out = ing.accept(payload);
      assert.equal(out.kind, "rejected", JSON.stringify(payload));
      assert.match(out.kind === "rejected" ? out.message : "", re);
    }
    assert.equal(ing.stats.rejected, bad.length);
  });

  it("takes the meter from msg.topic, numeric strings and ISO times; power-only readings feed the live view", () => {
    const ing = ingest(store);
    assert.equal(ing.accept({ ts: "2026-06-01T10:01:00+02:00", importKWh: "100.5" }, "m1").kind, "accepted");
    assert.equal(ing.accept({ meter: "m1", ts: T0 + 2 * MIN, powerW: 1500 }).kind, "live");
    const live = ing.live().find((l) => l.meter === "m1")!;
    assert.equal(live.powerW, 1500);
    assert.equal(loadMeterState(store, getMeter(store, "test-zev", "m1")!.id), null);
    ing.flush();
    assert.equal(loadMeterState(store, getMeter(store, "test-zev", "m1")!.id)!.last!.imp, 100_500);
  });
});
