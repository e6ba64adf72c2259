import assert from "node:assert/strict";
import {
  BuilderOptions,
  BuiltGap,
  BuiltInterval,
  CounterEvent,
  CounterReading,
  DEFAULT_BUILDER_OPTIONS,
  emptyCounterState,
  ReadingOutcome,
} from "../../../../lib/readings/intervals/counter-state";
import { MeterCounterState } from "../../../../lib/model/meter-counter";
import { applyReading, JUMP_CONFIRMATIONS } from "../../../../lib/readings/intervals/interval-builder";
import { localDayIntervalStarts } from "../../../../lib/time/local-date";

const MIN = 60_000;
const Q = 15 * MIN;
const T0 = Date.UTC(2026, 5, 1, 8, 0); // 10:00 in Zurich (summer time)
const at = (minutes: number): number => T0 + minutes * MIN;

interface Run {
  rows: BuiltInterval[];
  gaps: Map<number, BuiltGap>;
  events: CounterEvent[];
  outcomes: ReadingOutcome[];
  state: MeterCounterState;
}

function opts(extra: Partial<BuilderOptions> = {}): BuilderOptions {
  return { ...DEFAULT_BUILDER_OPTIONS, nowMs: Date.UTC(2030, 0, 1), ...extra };
}

/** Readings as [ts, import kWh, export kWh?, serial?]. */
type R = [number, number, (number | null)?, string?];

function feed(readings: R[], o: BuilderOptions = opts(), state: MeterCounterState = emptyCounterState()): Run {
  const run: Run = { rows: [], gaps: new Map(), events: [], outcomes: [], state };
  const sink = {
    interval: (r: BuiltInterval) => run.rows.push(r),
    gap: (g: BuiltGap) => run.gaps.set(g.fromMs, { ...g }),
    event: (e: CounterEvent) => run.events.push(e),
  };
  for (const [ts, imp, exp, serial] of readings) {
    const r: CounterReading = { ts, imp: imp * 1000, exp: exp === undefined || exp === null ? null : exp * 1000, serial: serial ?? null };
    run.outcomes.push(applyReading(state, r, o, sink));
  }
  return run;
}

const sumImport = (rows: BuiltInterval[]): number => rows.reduce((s, r) => s + (r.importWh ?? 0), 0);
const sumGaps = (run: Run): number => [...run.gaps.values()].reduce((s, g) => s + g.importWh, 0);

describe("lib/readings interval builder", () => {
  describe("interpolation at the boundaries", () => {
    it("interpolates the counter linearly to each boundary and rounds to the Wh", () => {
      // 10:05 0 Wh, 10:20 100 Wh: at 10:15 the counter is 100 * 10/15 = 66.67 -> 67 Wh.
      // 10:35 200 Wh: at 10:30 it is 100 + 100 * 10/15 = 166.67 -> 167 Wh.
      const run = feed([
        [at(5), 0],
        [at(20), 0.1],
        [at(35), 0.2],
      ]);
      assert.deepEqual(run.rows, [{ startMs: at(15), importWh: 100, exportWh: null, quality: "measured" }]);
      assert.deepEqual(run.state.anchor, { ms: at(30), imp: 167, exp: null });
    });

    it("hand-computed case: 10:07 1000.000 kWh, 10:22 1000.300, 10:37 1000.450", () => {
      // at 10:15: 1 000 000 + 300 * 8/15 = 1 000 160 Wh; at 10:30: 1 000 300 + 150 * 8/15 = 1 000 380 Wh
      const run = feed([
        [at(7), 1000],
        [at(22), 1000.3],
        [at(37), 1000.45],
      ]);
      assert.deepEqual(run.rows, [{ startMs: at(15), importWh: 220, exportWh: null, quality: "measured" }]);
      assert.equal(run.state.anchor!.imp, 1_000_380);
    });

    it("a reading exactly on a boundary is that boundary's value; the first interval starts there", () => {
      const run = feed([
        [at(0), 5],
        [at(15), 5.25],
        [at(30), 5.3],
      ]);
      assert.deepEqual(
        run.rows.map((r) => [r.startMs, r.importWh]),
        [
          [at(0), 250],
          [at(15), 50],
        ],
      );
    });

    it("sums telescope: intervals add up exactly to the counter difference between boundaries", () => {
      // A counter read every 7 s with an irregular load, 3 hours long.
      const readings: R[] = [];
      let kwh = 12345.678;
      for (let t = at(1); t < at(181); t += 7000) {
        readings.push([t, kwh]);
        kwh += 0.0001 * (1 + ((t / 7000) % 13));
      }
      const run = feed(readings);
      assert.equal(run.rows.length, 11); // 10:15 .. 12:45, the first boundary after the first reading is 10:15
      assert.ok(run.rows.every((r) => r.quality === "measured"));
      const first = run.rows[0]!.startMs;
      assert.equal(first, at(15));
      // the counter at 10:15 and 13:00 interpolated by hand from the readings around them
      const valueAt = (b: number): number => {
        const i = readings.findIndex(([t]) => t >= b);
        const [t1, c1] = readings[i - 1]!;
        const [t2, c2] = readings[i]!;
        return Math.round(c1 * 1000 + ((c2 - c1) * 1000 * (b - t1)) / (t2 - t1));
      };
      assert.equal(sumImport(run.rows), valueAt(at(180)) - valueAt(at(15)));
    });

    it("export is interpolated the same way as import", () => {
      const run = feed([
        [at(10), 1, 2],
        [at(20), 1.1, 2.03],
        [at(35), 1.25, 2.075],
      ]);
      // export at 10:15: 2000 + 30 * 5/10 = 2015; at 10:30: 2030 + 45 * 10/15 = 2060
      assert.deepEqual(run.rows, [{ startMs: at(15), importWh: 150, exportWh: 45, quality: "measured" }]);
    });
  });

  describe("gaps", () => {
    it("a gap of an hour is filled by interpolation and flagged interpolated", () => {
      const run = feed([
        [at(0), 0],
        [at(5), 0.05],
        [at(65), 0.65],
        [at(70), 0.7],
        [at(80), 0.8],
      ]);
      assert.deepEqual(
        run.rows.map((r) => [r.startMs - T0, r.importWh, r.quality]),
        [
          [0, 150, "interpolated"], // contains part of the gap
          [15 * MIN, 150, "interpolated"],
          [30 * MIN, 150, "interpolated"],
          [45 * MIN, 150, "interpolated"],
          [60 * MIN, 150, "interpolated"], // 60..65 is gap, 65..75 measured: worst wins
        ],
      );
    });

    it("beyond the gap limit the intervals are missing, and the counter difference goes to one gap row", () => {
      // 10:07 -> 16:40 is 6.5 h (limit 3 h)
      const run = feed([
        [at(0), 100],
        [at(7), 100.07],
        [at(400), 104],
        [at(410), 104.1],
        [at(425), 104.25],
      ]);
      const missing = run.rows.filter((r) => r.quality === "missing");
      // [10:00, 10:15) .. [16:30, 16:45): every interval the gap touches
      assert.equal(missing[0]!.startMs, at(0));
      assert.equal(missing[missing.length - 1]!.startMs, at(390));
      assert.equal(missing.length, 27);
      assert.ok(missing.every((r) => r.importWh === null && r.exportWh === null));
      assert.equal(run.gaps.size, 1);
      const gap = run.gaps.get(at(0))!;
      assert.equal(gap.toMs, at(405));
      // the gap holds the counter difference from 10:00 (100 kWh) to 16:45 (halfway 16:40 -> 16:50: 104.05 kWh)
      assert.equal(gap.importWh, 104_050 - 100_000);
      // nothing lost: intervals + gap = counter difference from 10:00 to 17:00 (104.1 + 0.15 * 10/15 = 104.2 kWh)
      assert.equal(sumImport(run.rows) + gap.importWh, 104_200 - 100_000);
      assert.equal(run.rows[run.rows.length - 1]!.quality, "measured");
    });

    it("the gap limit is configurable", () => {
      const readings: R[] = [
        [at(0), 0],
        [at(125), 1.25],
        [at(140), 1.4],
      ];
      assert.ok(feed(readings, opts({ gapLimitMs: 3 * 3600_000 })).rows.every((r) => r.quality === "interpolated"));
      assert.ok(
        feed(readings, opts({ gapLimitMs: 3600_000 }))
          .rows.slice(0, -1)
          .every((r) => r.quality === "missing"),
      );
    });
  });

  describe("resets and meter swaps", () => {
    it("a counter going backwards is a reset: new baseline, no negative energy, flagged estimated", () => {
      const run = feed([
        [at(0), 500],
        [at(5), 500.05],
        [at(10), 0.01], // meter restarted its count
        [at(15), 0.06],
        [at(20), 0.11],
        [at(30), 0.21],
      ]);
      assert.equal(run.events.length, 1);
      assert.equal(run.events[0]!.kind, "reset");
      // [10:00,10:15): 500.000 -> 500.050 before, unknown across the reset (flat), 0.01 -> 0.06 after
      assert.deepEqual(run.rows[0], { startMs: at(0), importWh: 100, exportWh: null, quality: "estimated" });
      assert.deepEqual(run.rows[1], { startMs: at(15), importWh: 150, exportWh: null, quality: "measured" });
      assert.ok(run.rows.every((r) => (r.importWh ?? 0) >= 0));
    });

    it("a new serial number is a meter swap: the old meter's last and the new meter's first reading bound the energy", () => {
      const run = feed([
        [at(0), 8000, null, "OLD-1"],
        [at(6), 8000.06, null, "OLD-1"], // old meter removed after this
        [at(9), 12.5, null, "NEW-2"], // new meter, its own count
        [at(15), 12.56, null, "NEW-2"],
        [at(30), 12.71, null, "NEW-2"],
      ]);
      assert.deepEqual(
        run.events.map((e) => e.kind),
        ["swap"],
      );
      // old: 60 Wh; swap 10:06-10:09: nothing measured, nothing invented; new: 60 Wh
      assert.deepEqual(run.rows[0], { startMs: at(0), importWh: 120, exportWh: null, quality: "interpolated" });
      assert.deepEqual(run.rows[1], { startMs: at(15), importWh: 150, exportWh: null, quality: "measured" });
      assert.equal(run.state.serial, "NEW-2");
    });

    it("a swap to a meter with a higher count invents nothing either", () => {
      const run = feed([
        [at(0), 10, null, "A"],
        [at(5), 10.05, null, "A"],
        [at(10), 99000, null, "B"],
        [at(15), 99000.05, null, "B"],
      ]);
      assert.equal(run.rows[0]!.importWh, 100);
    });

    it("an implausible jump is rejected with a clear error, and accepted as a jump once confirmed", () => {
      const readings: R[] = [
        [at(0), 100],
        [at(1), 100.01],
        [at(2), 100010.02], // +100 000 kWh in a minute: Wh sent as kWh?
      ];
      const run = feed(readings);
      const out = run.outcomes[2]!;
      assert.equal(out.kind, "rejected");
      assert.equal(out.kind === "rejected" && out.code, "implausible");
      assert.match(out.kind === "rejected" ? out.message : "", /kW average, limit 1000 kW/);
      const more = feed(
        [
          [at(3), 100010.03],
          [at(4), 100010.04],
          [at(20), 100010.2],
        ],
        opts(),
        run.state,
      );
      assert.equal(more.outcomes[0]!.kind, "rejected");
      assert.equal(JUMP_CONFIRMATIONS, 3);
      assert.equal(more.outcomes[1]!.kind, "accepted");
      assert.deepEqual(
        more.events.map((e) => e.kind),
        ["jump"],
      );
      // 100.000 -> 100.010 before, flat across the jump from 10:01 to the first agreeing reading at 10:02,
      // then the new counter from 100010.02 to 100010.15 (10:15 interpolated): its energy since 10:02 is kept
      assert.deepEqual(more.rows[0], { startMs: at(0), importWh: 10 + 130, exportWh: null, quality: "estimated" });
    });
  });

  describe("steps back within the resolution", () => {
    /** Readings in exact Wh (no kWh conversion), with an optional stated resolution. */
    function feedWh(readings: [number, number, number?][], state: MeterCounterState = emptyCounterState()): Run {
      const run: Run = { rows: [], gaps: new Map(), events: [], outcomes: [], state };
      const sink = {
        interval: (r: BuiltInterval) => run.rows.push(r),
        gap: (g: BuiltGap) => run.gaps.set(g.fromMs, { ...g }),
        event: (e: CounterEvent) => run.events.push(e),
      };
      for (const [ts, imp, res] of readings) {
        const r: CounterReading = { ts, imp, exp: null, serial: null, ...(res === undefined ? {} : { resolutionWh: res }) };
        run.outcomes.push(applyReading(state, r, opts(), sink));
      }
      return run;
    }
    const f32 = (x: number): number => Math.fround(x);
    /** The float32 one step below x (x a float32 value > 0). */
    const f32Below = (x: number): number => {
      const b = Buffer.alloc(4);
      b.writeFloatBE(x, 0);
      b.writeUInt32BE(b.readUInt32BE(0) - 1, 0);
      return b.readFloatBE(0);
    };

    it("history 41789.288 kWh, then live 41789.2874 kWh: the counter holds, no interval is negative, no reset", () => {
      // The backfill ends exactly on a boundary; the live meter reads a fraction of a Wh lower, then stays there.
      const run = feed([
        [at(0), 41789.288],
        [at(5), 41789.2874],
        [at(10), 41789.2874],
        [at(15), 41789.2874],
        [at(20), 41789.2874],
        [at(30), 41789.2879],
        [at(35), 41789.2891],
        [at(45), 41789.3],
      ]);
      assert.deepEqual(run.events, []);
      assert.deepEqual(
        run.rows.map((r) => [r.importWh, r.quality]),
        [
          [0, "measured"],
          [0, "measured"],
          [12, "measured"],
        ],
      );
      // nothing invented: the boundaries follow the held count (41789288) and then the meter
      assert.equal(run.state.anchor!.imp, 41_789_300);
      assert.equal(sumImport(run.rows), 41_789_300 - 41_789_288);
    });

    it("a float32 counter at 41.8 MWh stepping back one float32 step (3.9 Wh) holds and is no reset", () => {
      const high = f32(41800.123) * 1000;
      const low = f32Below(f32(41800.123)) * 1000;
      const res = high - low;
      assert.ok(res > 3.9 && res < 3.91, `ulp ${res}`);
      const run = feedWh([
        [at(0), high, res],
        [at(5), low, res],
        [at(10), low, res],
        [at(15), low, res],
        [at(20), high, res],
        [at(30), high + 2 * res, res],
      ]);
      assert.deepEqual(run.events, []);
      assert.ok(run.outcomes.every((o) => o.kind === "accepted"));
      assert.ok(
        run.rows.every((r) => r.importWh !== null && r.importWh >= 0 && r.quality === "measured"),
        JSON.stringify(run.rows),
      );
      // the rows telescope to the counter between the boundaries: nothing invented by the step back
      assert.equal(sumImport(run.rows), run.state.anchor!.imp - Math.round(high));
      assert.equal(run.state.anchor!.imp, Math.round(high + 2 * res));
    });

    it("a state an older version stored mid-dip (anchor above the last reading) still gives no negative interval", () => {
      // Written before the hold: the anchor rounded from the exact history, the last reading the lower live value.
      const state: MeterCounterState = {
        ...emptyCounterState(),
        last: { ts: at(5), imp: 41_789_287.4, exp: null },
        anchor: { ms: at(0), imp: 41_789_288, exp: null },
      };
      const run = feedWh(
        [
          [at(10), 41_789_287.4],
          [at(20), 41_789_287.4],
          [at(35), 41_789_290],
        ],
        state,
      );
      assert.deepEqual(run.events, []);
      assert.deepEqual(
        run.rows.map((r) => r.importWh),
        [0, 1],
      );
      // 10:30 lies between 287.4 (10:20) and 290 (10:35): 289.13 -> 289 Wh; the held 288 at 10:15 loses nothing
      assert.deepEqual(run.state.anchor, { ms: at(30), imp: 41_789_289, exp: null });
    });

    it("a re-sent reading that stepped back within the resolution is a duplicate, not a conflict", () => {
      const high = f32(41800.123) * 1000;
      const low = f32Below(f32(41800.123)) * 1000;
      const res = high - low;
      const run = feedWh([
        [at(0), high, res],
        [at(5), low, res],
        [at(5), low, res],
      ]);
      assert.equal(run.outcomes[2]!.kind, "duplicate");
    });

    it("a step back bigger than the resolution is still a reset", () => {
      const high = f32(41800.123) * 1000;
      let low = f32(41800.123);
      for (let i = 0; i < 3; i++) low = f32Below(low);
      const res = high - f32Below(f32(41800.123)) * 1000;
      const run = feedWh([
        [at(0), high, res],
        [at(5), low * 1000, res],
        // The rule for breaks (lib/readings/counter-break.ts): the third agreeing reading confirms the new counter.
        [at(20), low * 1000 + 1, res],
        [at(25), low * 1000 + 2, res],
      ]);
      assert.deepEqual(
        run.events.map((e) => e.kind),
        ["reset"],
      );
      assert.ok(run.rows.every((r) => (r.importWh ?? 0) >= 0));
    });

    it("without a stated resolution a step back of more than 1 Wh is a reset, as before", () => {
      const run = feedWh([
        [at(0), 1_000_000],
        [at(5), 999_990],
        [at(20), 999_991],
        [at(25), 999_992],
      ]);
      assert.deepEqual(
        run.events.map((e) => e.kind),
        ["reset"],
      );
    });

    it("jittering readings around a count never give a negative interval and add up to the counter", () => {
      let seed = 11;
      const rnd = (): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      for (let k = 0; k < 20; k++) {
        const readings: [number, number, number?][] = [];
        let truth = 41_789_000 + rnd() * 1000;
        let t = at(0) + Math.floor(rnd() * Q);
        for (let i = 0; i < 300; i++) {
          // a float32 register reading of the true count, now and then a step below it
          const v = f32(truth / 1000);
          readings.push([t, (rnd() < 0.2 ? f32Below(v) : v) * 1000, 3.90625]);
          t += 60_000 * (1 + Math.floor(rnd() * 6));
          truth += rnd() < 0.5 ? 0 : rnd() * 20;
        }
        const run = feedWh(readings);
        assert.deepEqual(run.events, [], `case ${k}`);
        for (const r of run.rows) assert.ok(r.importWh !== null && r.importWh >= 0, `case ${k}: ${r.importWh}`);
        // the same as the running maximum of the readings, interpolated to the boundaries: nothing invented, nothing lost
        const cont: number[] = [];
        for (const [, v] of readings) cont.push(Math.max(cont[cont.length - 1] ?? v, v));
        const valueAt = (b: number): number => {
          const i = readings.findIndex(([ts]) => ts >= b);
          if (readings[i]![0] === b) return Math.round(cont[i]!);
          const t1 = readings[i - 1]![0],
            t2 = readings[i]![0];
          return Math.round(cont[i - 1]! + ((cont[i]! - cont[i - 1]!) * (b - t1)) / (t2 - t1));
        };
        assert.equal(sumImport(run.rows), valueAt(run.state.anchor!.ms) - valueAt(run.rows[0]!.startMs), `case ${k}`);
      }
    });
  });

  describe("duplicates, out of order, future", () => {
    const base: R[] = [
      [at(1), 1],
      [at(6), 1.05],
      [at(11), 1.1],
      [at(16), 1.15],
      [at(21), 1.2],
      [at(31), 1.3],
    ];

    it("a duplicate reading changes nothing", () => {
      const once = feed(base);
      const twice = feed(base.flatMap((r) => [r, r]));
      assert.deepEqual(twice.rows, once.rows);
      assert.equal(twice.outcomes.filter((o) => o.kind === "duplicate").length, base.length);
    });

    it("a different reading for the same instant is rejected as a conflict", () => {
      const run = feed([...base, [at(31), 1.4]]);
      const out = run.outcomes[run.outcomes.length - 1]!;
      assert.equal(out.kind === "rejected" && out.code, "conflict");
    });

    it("a late reading (older than the last accepted one) is ignored, never counted twice", () => {
      const inOrder = feed(base);
      const shuffled = feed([base[0]!, base[2]!, base[1]!, base[3]!, base[5]!, base[4]!]);
      assert.equal(shuffled.outcomes[2]!.kind, "late");
      assert.equal(shuffled.outcomes[5]!.kind, "late");
      // the late readings only refined the line; the energy is the same up to the last boundary
      assert.equal(sumImport(shuffled.rows), sumImport(inOrder.rows));
      // replaying everything after the fact adds nothing
      const replay = feed(base, opts(), shuffled.state);
      assert.equal(replay.rows.length, 0);
      assert.ok(replay.outcomes.every((o) => o.kind === "late" || o.kind === "duplicate"));
    });

    it("a reading more than 5 minutes in the future is rejected", () => {
      const now = at(100);
      const run = feed(
        [
          [at(0), 1],
          [at(106), 2],
          [at(104), 1.5],
        ],
        opts({ nowMs: now }),
      );
      assert.equal(run.outcomes[1]!.kind === "rejected" && run.outcomes[1]!.code, "future");
      assert.equal(run.outcomes[2]!.kind, "accepted");
    });
  });

  describe("DST days in Europe/Zurich", () => {
    for (const [date, expected] of [
      ["2026-03-29", 92],
      ["2026-10-25", 100],
    ] as const) {
      it(`${date} has ${expected} intervals, all with energy, summing to the day's counter difference`, () => {
        const day = localDayIntervalStarts(date);
        assert.equal(day.length, expected);
        const start = day[0]!;
        const end = day[day.length - 1]! + Q;
        const readings: R[] = [];
        // a reading every 10 minutes, 1 kW constant: 250 Wh per quarter hour
        for (let t = start - 5 * MIN; t <= end + 5 * MIN; t += 10 * MIN) readings.push([t, (t - start) / 3600_000 + 50]);
        const run = feed(readings);
        const rows = run.rows.filter((r) => r.startMs >= start && r.startMs < end);
        assert.equal(rows.length, expected);
        assert.ok(rows.every((r) => r.importWh === 250 && r.quality === "measured"));
        assert.equal(sumImport(rows), expected * 250);
      });
    }
  });

  describe("restart", () => {
    it("continuing from a stored copy of the state gives the same rows as running through", () => {
      const readings: R[] = [];
      for (let i = 0; i < 200; i++) readings.push([at(1) + i * 47_000, 3 + i * 0.0131]);
      const through = feed(readings);
      const first = feed(readings.slice(0, 77));
      const restored = JSON.parse(JSON.stringify(first.state)) as MeterCounterState;
      const second = feed(readings.slice(77), opts(), restored);
      assert.deepEqual([...first.rows, ...second.rows], through.rows);
    });
  });

  it("random streams with gaps, resets and jitter: nothing negative, nothing lost, nothing invented", () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 30; k++) {
      const readings: R[] = [];
      let t = at(0) + Math.floor(rnd() * Q);
      let kwh = Math.round(rnd() * 1e6) / 1000;
      for (let i = 0; i < 400; i++) {
        readings.push([t, kwh]);
        const step = Math.round(rnd() < 0.05 ? 4 * 3600_000 * rnd() : 60_000 * (1 + 10 * rnd()));
        t += step;
        const rise = Math.round((step / 3600_000) * 5000 * rnd()) / 1000; // up to 5 kW, whole Wh
        // 1 % resets to a small count. A reset is taken once three readings agree on the new count; a count
        // that is back above the old one before that is the old counter continuing (the reading was a glitch),
        // so resets come only where three steps (at most 3 x 20 kWh) cannot climb back over the old count.
        kwh = rnd() < 0.01 && kwh > 100 ? rise : Math.round((kwh + rise) * 1000) / 1000;
      }
      const run = feed(readings);
      for (const r of run.rows) assert.ok(r.importWh === null || r.importWh >= 0, `case ${k}: negative energy`);
      // Reference: the continuous counter (flat across a reset), interpolated to a boundary.
      const cont: number[] = [readings[0]![1] * 1000];
      for (let i = 1; i < readings.length; i++) {
        const d = (readings[i]![1] - readings[i - 1]![1]) * 1000;
        cont.push(cont[i - 1]! + (d >= 0 ? d : 0));
      }
      const valueAt = (b: number): number => {
        const i = readings.findIndex(([ts]) => ts >= b);
        if (readings[i]![0] === b) return Math.round(cont[i]!);
        const t1 = readings[i - 1]![0],
          t2 = readings[i]![0];
        return Math.round(cont[i - 1]! + ((cont[i]! - cont[i - 1]!) * (b - t1)) / (t2 - t1));
      };
      const firstB = run.rows[0]!.startMs;
      const lastB = run.state.anchor!.ms;
      const total = sumImport(run.rows) + sumGaps(run);
      assert.ok(Math.abs(total - (valueAt(lastB) - valueAt(firstB))) <= 1, `case ${k}: ${total} vs ${valueAt(lastB) - valueAt(firstB)}`);
      // every interval between the first and the last boundary is there, once
      assert.equal(run.rows.length, (lastB - firstB) / Q);
      run.rows.forEach((r, i) => assert.equal(r.startMs, firstB + i * Q));
    }
  });
});
