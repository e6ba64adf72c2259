import assert from "node:assert/strict";
import { splitEnergy } from "../../../lib/charging/energy-split";
import { initialState, reattribute, setMode, step, type MachineOptions, type MachineState, type SessionChange } from "../../../lib/charging/session-machine";
import type { ChargerObservation } from "../../../lib/charging/types";
import type { ChargeMode } from "../../../lib/model/charging-session";
import { INTERVAL_MS, intervalStart } from "../../../lib/time/interval";
import { Rng } from "../../support/random";

const T0 = Date.UTC(2026, 2, 2, 7, 0); // 08:00 in Zurich, a quarter-hour boundary
const MIN = 60_000;
const at = (minutes: number): number => T0 + minutes * MIN;

const IDS: Record<string, string> = { "RFID-ANNA": "1", "rfid-ben": "2" };
const OPTS: MachineOptions = {
  outageMs: 26 * MIN,
  maxPowerW: 22_000,
  slackWh: 1000,
  stallFlagWh: 100,
  unitFor: (id) => Object.entries(IDS).find(([k]) => k.toLowerCase() === id.toLowerCase())?.[1] ?? null,
};

/** Threads observations (and mode switches) through the machine, collecting what it says. */
class Run {
  state: MachineState;
  changes: SessionChange[] = [];
  unassignedWh = 0;
  constructor(mode: ChargeMode = "normal") {
    this.state = initialState(mode);
  }
  obs(minutes: number, o: Partial<ChargerObservation> & { connected: boolean }): this {
    const r = step(this.state, { ts: at(minutes), ...o }, OPTS);
    this.state = r.state;
    this.changes.push(...r.changes);
    this.unassignedWh += r.unassignedWh;
    return this;
  }
  mode(minutes: number, mode: ChargeMode): this {
    this.state = setMode(this.state, mode, at(minutes)).state;
    return this;
  }
  /** Rows per session ref, summed per (interval start as minutes from T0, mode). */
  rows(ref: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.changes.filter((x) => x.session.ref === ref))
      for (const r of c.rows) {
        const key = `${(r.startMs - T0) / MIN}/${r.mode}`;
        out[key] = (out[key] ?? 0) + r.energyWh;
      }
    return out;
  }
  last(ref: number): SessionChange {
    return this.changes.filter((c) => c.session.ref === ref).at(-1)!;
  }
}

describe("lib/charging energy split (quarter hours, modes, integer Wh)", () => {
  const normal = { initial: "normal" as const, changes: [] };

  it("interpolates the counter to each quarter-hour boundary", () => {
    assert.deepEqual(splitEnergy(at(10), 1000, at(20), 1600, normal), [
      { startMs: at(0), mode: "normal", energyWh: 300 },
      { startMs: at(15), mode: "normal", energyWh: 300 },
    ]);
    assert.deepEqual(
      splitEnergy(at(10), 0, at(50), 4000, normal).map((r) => r.energyWh),
      [500, 1500, 1500, 500],
    );
  });

  it("splits at a mode change inside an interval: two rows for that quarter hour", () => {
    const rows = splitEnergy(at(10), 0, at(50), 4000, { initial: "normal", changes: [{ ts: at(40), mode: "priority" }] });
    assert.deepEqual(rows, [
      { startMs: at(0), mode: "normal", energyWh: 500 },
      { startMs: at(15), mode: "normal", energyWh: 1500 },
      { startMs: at(30), mode: "normal", energyWh: 1000 },
      { startMs: at(30), mode: "priority", energyWh: 500 },
      { startMs: at(45), mode: "priority", energyWh: 500 },
    ]);
  });

  it("a change before the span rules all of it; one at its end none of it", () => {
    assert.deepEqual(splitEnergy(at(1), 0, at(2), 10, { initial: "normal", changes: [{ ts: at(0), mode: "priority" }] }), [
      { startMs: at(0), mode: "priority", energyWh: 10 },
    ]);
    assert.deepEqual(splitEnergy(at(1), 0, at(2), 10, { initial: "normal", changes: [{ ts: at(2), mode: "priority" }] }), [
      { startMs: at(0), mode: "normal", energyWh: 10 },
    ]);
    assert.deepEqual(splitEnergy(at(3), 5, at(3), 9, normal), [{ startMs: at(0), mode: "normal", energyWh: 4 }]);
    assert.deepEqual(splitEnergy(at(3), 5, at(90), 5, normal), []);
    assert.throws(() => splitEnergy(at(3), 9, at(4), 5, normal), /not decrease/);
  });

  it("rows always add up to the counter difference, never negative, inside the span (2000 random spans)", () => {
    const rng = new Rng(7);
    const rnd = (): number => rng.next();
    for (let i = 0; i < 2000; i++) {
      const t1 = T0 + Math.floor(rnd() * 10 * INTERVAL_MS);
      const t2 = t1 + Math.floor(rnd() ** 3 * 30 * INTERVAL_MS);
      const c1 = Math.floor(rnd() * 1e7);
      const c2 = c1 + Math.floor(rnd() * (rnd() < 0.3 ? 20 : 50_000));
      const changes = [t1 + (t2 - t1) * rnd(), t1 + (t2 - t1) * rnd()]
        .sort((a, b) => a - b)
        .map((ts, k) => ({ ts: Math.round(ts), mode: (k % 2 ? "normal" : "priority") as ChargeMode }));
      const rows = splitEnergy(t1, c1, t2, c2, { initial: "normal", changes });
      assert.equal(
        rows.reduce((a, r) => a + r.energyWh, 0),
        c2 - c1,
      );
      for (const r of rows) {
        assert.ok(Number.isInteger(r.energyWh) && r.energyWh > 0);
        assert.ok(r.startMs >= intervalStart(t1) && r.startMs <= t2);
      }
      assert.equal(new Set(rows.map((r) => `${r.startMs}/${r.mode}`)).size, rows.length, "one row per interval and mode");
    }
  });
});

describe("lib/charging session machine", () => {
  it("plug in, charge across intervals, unplug: energy = end counter - start counter, to the Wh per interval", () => {
    const r = new Run()
      .obs(5, { connected: false, counterWh: 100_000 })
      .obs(6, { connected: true, counterWh: 100_000, userId: "RFID-ANNA" })
      .obs(10, { connected: true, charging: true, counterWh: 100_700, powerW: 11_000 })
      .obs(25, { connected: true, charging: true, counterWh: 103_450 })
      .obs(50, { connected: true, charging: true, counterWh: 108_050 })
      .obs(52, { connected: false, counterWh: 108_050 });
    assert.deepEqual(
      r.changes.map((c) => c.kind),
      ["start", "update", "update", "update", "end"],
    );
    const end = r.last(1).session;
    assert.equal(end.status, "closed");
    assert.equal(end.startedMs, at(6));
    assert.equal(end.endedMs, at(52));
    assert.equal(end.userId, "RFID-ANNA");
    assert.equal(end.unitId, "1");
    assert.equal(end.startCounterWh, 100_000);
    assert.equal(end.endCounterWh, 108_050);
    assert.equal(end.energyWh, 8050);
    assert.deepEqual(end.byMode, { priority: 0, normal: 8050 });
    assert.deepEqual(end.flags, []);
    // 10->25: 2750 Wh over 15 min, boundary at 15: 2750 * 5/15 = 917 (rounded).
    // 25->50: 4600 Wh over 25 min, boundaries 30 (1/5 -> 920) and 45 (4/5 -> 3680).
    assert.deepEqual(r.rows(1), { "0/normal": 700 + 917, "15/normal": 1833 + 920, "30/normal": 2760, "45/normal": 920 });
    assert.equal(r.unassignedWh, 0);
  });

  it("a mode switch by message mid-interval splits that interval's energy at the switch", () => {
    const r = new Run("normal")
      .obs(0, { connected: true, counterWh: 0, userId: "rfid-ben" })
      .obs(10, { connected: true, counterWh: 1000 })
      .mode(12, "priority")
      .obs(20, { connected: true, counterWh: 2000 })
      .mode(35, "normal")
      .obs(40, { connected: true, counterWh: 4000 })
      .obs(41, { connected: false, counterWh: 4000 });
    // 10->20: cut at 12 (200 Wh normal) and at 15 (500 total -> 300 priority); 20->40: cut 30 (1000), 35 (1500).
    assert.deepEqual(r.rows(1), { "0/normal": 1200, "0/priority": 300, "15/priority": 500 + 1000, "30/priority": 500, "30/normal": 500 });
    assert.deepEqual(r.last(1).session.byMode, { priority: 2300, normal: 1700 });
    assert.equal(r.last(1).session.unitId, "2", "ids compare without regard to case");
  });

  it("the device's mode switches only when the device's value changes (a message may override it meanwhile)", () => {
    const r = new Run("normal")
      .obs(0, { connected: true, counterWh: 0, mode: "priority" })
      .obs(5, { connected: true, counterWh: 500, mode: "priority" })
      .mode(5, "normal")
      .obs(10, { connected: true, counterWh: 1000, mode: "priority" })
      .obs(20, { connected: true, counterWh: 2000, mode: "normal" })
      .obs(25, { connected: true, counterWh: 2500, mode: "priority" })
      .obs(30, { connected: true, counterWh: 3000, mode: "priority" });
    // 0-5 priority (device), 5-25 normal (message at 5; the device repeating "priority" changes nothing), 25-30 priority (device changed).
    assert.deepEqual(r.rows(1), { "0/priority": 500, "0/normal": 1000, "15/normal": 1000, "15/priority": 500 });
  });

  it("counter stall: no energy while the counter stands, flagged once the reported power adds up", () => {
    const r = new Run()
      .obs(0, { connected: true, charging: true, counterWh: 5000, powerW: 3000 })
      .obs(0.5, { connected: true, charging: true, counterWh: 5000, powerW: 3000 })
      .obs(1, { connected: true, charging: true, counterWh: 5000, powerW: 3000 });
    assert.deepEqual(r.last(1).session.flags, [], "3 kW for a minute (50 Wh) is not yet a stall");
    r.obs(2, { connected: true, charging: true, counterWh: 5000, powerW: 3000 });
    assert.deepEqual(r.last(1).session.flags, [{ flag: "counter-stall", count: 1, sinceMs: at(0), powerWh: 100 }]);
    r.obs(3, { connected: true, charging: true, counterWh: 5100 }).obs(4, { connected: false, counterWh: 5100 });
    assert.equal(r.last(1).session.energyWh, 100);
  });

  it("counter reset or replaced device: energy so far kept, counting restarts, never negative", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 900_000, userId: "RFID-ANNA" })
      .obs(10, { connected: true, counterWh: 901_000 })
      .obs(11, { connected: true, counterWh: 20 }) // reset: this pair counts nothing
      .obs(20, { connected: true, counterWh: 520 })
      .obs(21, { connected: false, counterWh: 520 });
    const s = r.last(1).session;
    assert.equal(s.energyWh, 1000 + 500);
    assert.deepEqual(s.flags, [{ flag: "counter-reset", atMs: at(11), fromWh: 901_000, toWh: 20 }]);
    assert.equal(s.startCounterWh, 900_000);
    assert.equal(s.endCounterWh, 520);
    // 11->20: 500 Wh over 9 min, boundary at 15: 500 x 4/9 = 222.
    assert.deepEqual(r.rows(1), { "0/normal": 1000 + 222, "15/normal": 278 });
  });

  it("a single counter read of 0 mid-session is a glitch (the one break rule): discarded, the energy across it is exact, no flag", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 900_000, userId: "RFID-ANNA" })
      .obs(5, { connected: true, counterWh: 900_500 })
      .obs(6, { connected: true, counterWh: 0 }) // a bad read
      .obs(10, { connected: true, counterWh: 901_000 })
      .obs(11, { connected: false, counterWh: 901_000 });
    const s = r.last(1).session;
    assert.deepEqual([s.energyWh, s.startCounterWh, s.endCounterWh, s.flags], [1000, 900_000, 901_000, []]);
    assert.deepEqual(r.rows(1), { "0/normal": 1000 });
  });

  it("a reset is taken only once three readings agree; a session ending before that is flagged, nothing invented", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 900_000, userId: "RFID-ANNA" })
      .obs(10, { connected: true, counterWh: 901_000 })
      .obs(11, { connected: true, counterWh: 20 })
      .obs(12, { connected: false, counterWh: 120 });
    const s = r.last(1).session;
    assert.equal(s.status, "closed");
    assert.equal(s.energyWh, 1000, "the two unconfirmed readings are not counted");
    assert.deepEqual(s.flags, [{ flag: "counter-reset", atMs: at(11), fromWh: 901_000, toWh: 20 }]);
  });

  it("a counter jump beyond the charger's power is not counted and is flagged", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 1000 })
      .obs(1, { connected: true, counterWh: 1300 })
      .obs(2, { connected: true, counterWh: 50_000_000 })
      .obs(3, { connected: true, counterWh: 50_000_300 })
      .obs(4, { connected: false, counterWh: 50_000_300 });
    const s = r.last(1).session;
    assert.equal(s.energyWh, 600);
    assert.deepEqual(s.flags, [{ flag: "counter-jump", atMs: at(2), fromWh: 1300, toWh: 50_000_000 }, { flag: "no-id" }]);
  });

  it("an outage while the car stays: the session stays open and the gap's energy is interpolated across it", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 0, userId: "RFID-ANNA" })
      .obs(10, { connected: true, counterWh: 1000 })
      .obs(40, { connected: true, counterWh: 4000 }) // 30 min without readings
      .obs(42, { connected: false, counterWh: 4200 });
    const s = r.last(1).session;
    assert.equal(s.status, "closed");
    assert.equal(s.energyWh, 4200);
    assert.deepEqual(s.flags, [{ flag: "outage", count: 1, gapMs: 30 * MIN, energyWh: 3000, lastFromMs: at(10), lastToMs: at(40) }]);
    assert.deepEqual(r.rows(1), { "0/normal": 1000 + 500, "15/normal": 1500, "30/normal": 1000 + 200 });
  });

  it("the car gone after an outage: the session ends at its last reading, the gap's energy goes to nobody", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 0, userId: "RFID-ANNA" })
      .obs(10, { connected: true, counterWh: 1000 })
      .obs(70, { connected: false, counterWh: 9000 });
    const s = r.last(1).session;
    assert.equal(s.status, "aborted");
    assert.equal(s.endedMs, at(10));
    assert.equal(s.energyWh, 1000);
    assert.equal(s.endCounterWh, 1000);
    assert.deepEqual(s.flags, [{ flag: "ended-in-outage", lastSeenMs: at(10), seenGoneMs: at(70), unassignedWh: 8000 }]);
    assert.equal(r.unassignedWh, 8000);
  });

  it("another RFID while connected ends the session and starts one for the new id, which gets that reading pair", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 0, userId: "RFID-ANNA" })
      .obs(5, { connected: true, counterWh: 500, userId: "RFID-ANNA" })
      .obs(6, { connected: true, counterWh: 600, userId: "rfid-ben" })
      .obs(10, { connected: true, counterWh: 1000, userId: "rfid-ben" })
      .obs(11, { connected: false, counterWh: 1000 });
    assert.deepEqual(
      r.changes.map((c) => `${c.kind}:${c.session.ref}`),
      ["start:1", "update:1", "end:1", "start:2", "update:2", "end:2"],
    );
    assert.deepEqual({ e: r.last(1).session.energyWh, end: r.last(1).session.endCounterWh }, { e: 500, end: 500 });
    assert.deepEqual(
      { e: r.last(2).session.energyWh, start: r.last(2).session.startCounterWh, unit: r.last(2).session.unitId },
      { e: 500, start: 500, unit: "2" },
    );
  });

  it("an id read after plugging in is adopted; an unknown id is kept and flagged, never mapped", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 0 })
      .obs(1, { connected: true, counterWh: 0, userId: "  " })
      .obs(2, { connected: true, counterWh: 100, userId: "STRANGER" })
      .obs(3, { connected: true, counterWh: 200, userId: "" })
      .obs(4, { connected: false, counterWh: 200 });
    const s = r.last(1).session;
    assert.deepEqual(
      { user: s.userId, unit: s.unitId, e: s.energyWh, flags: s.flags },
      { user: "STRANGER", unit: null, e: 200, flags: [{ flag: "unknown-id", id: "STRANGER" }] },
    );
    assert.equal(r.changes.filter((c) => c.kind === "start").length, 1);
  });

  it("an unknown id mapped later is attributed to the open session", () => {
    const r = new Run().obs(0, { connected: true, counterWh: 0, userId: "NEW-CARD" });
    const later = reattribute(r.state, { unitFor: (id) => (id === "NEW-CARD" ? "2" : null) }, at(3));
    assert.equal(later.changed, true);
    assert.equal(later.state.open!.unitId, "2");
    assert.deepEqual(later.state.open!.flags, [
      { flag: "unknown-id", id: "NEW-CARD" },
      { flag: "attributed-later", atMs: at(3), unit: "2" },
    ]);
    assert.equal(r.state.open!.unitId, null, "the machine never changes a state in place");
  });

  it("two users one after the other get exactly their own energy, the first one's energy never lands on the second", () => {
    const r = new Run()
      .obs(0, { connected: true, counterWh: 10_000, userId: "RFID-ANNA" })
      .obs(14, { connected: true, counterWh: 12_345 })
      .obs(16, { connected: false, counterWh: 12_500 }) // Anna charged 155 Wh more before leaving
      .obs(20, { connected: false, counterWh: 12_500 })
      .obs(21, { connected: true, counterWh: 12_530, userId: "rfid-ben" }) // Ben's car drew 30 Wh before the first poll saw it
      .obs(44, { connected: true, counterWh: 15_000 })
      .obs(46, { connected: false, counterWh: 15_000 });
    const anna = r.last(1).session;
    const ben = r.last(2).session;
    assert.equal(anna.energyWh, 2500);
    assert.equal(ben.energyWh, 2500);
    assert.equal(anna.energyWh, anna.endCounterWh! - anna.startCounterWh!);
    assert.equal(ben.energyWh, ben.endCounterWh! - ben.startCounterWh!);
    assert.deepEqual({ start: ben.startCounterWh, started: ben.startedMs }, { start: 12_500, started: at(21) });
    assert.equal(r.unassignedWh, 0);
  });

  it("energy with no car plugged in is reported as unassigned, not given to the next session", () => {
    const r = new Run().obs(0, { connected: false, counterWh: 100 }).obs(5, { connected: false, counterWh: 130 }).obs(6, { connected: true, counterWh: 130 });
    assert.equal(r.unassignedWh, 30);
    assert.equal(r.last(1).session.startCounterWh, 130);
  });

  it("an observation older than the last one is ignored", () => {
    const r = new Run().obs(5, { connected: true, counterWh: 100 });
    const res = step(r.state, { ts: at(4), connected: false, counterWh: 50 }, OPTS);
    assert.equal(res.ignored, "out-of-order");
    assert.equal(res.state, r.state);
  });
});
