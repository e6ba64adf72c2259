import assert from "node:assert/strict";
import {
  addBreakSample,
  asBreakCandidate,
  BREAK_CONFIRMATIONS,
  counterStep,
  DEFAULT_PLAUSIBILITY_LIMITS,
  JUMP_SLACK_WH,
  type BreakLimits,
} from "../../../lib/readings/counter-break";
import { PlausibilityChecker } from "../../../lib/readings/meter-input/plausibility-checker";
import { BuiltInterval, CounterEvent, DEFAULT_BUILDER_OPTIONS, emptyCounterState, ReadingOutcome } from "../../../lib/readings/intervals/counter-state";
import { MeterCounterState } from "../../../lib/model/meter-counter";
import { applyReading } from "../../../lib/readings/intervals/interval-builder";
import { MeterIngest } from "../../../lib/readings/meter-input/meter-ingest";
import { meterStatus } from "../../../lib/readings/meter-input/meter-status";

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0);
const at = (m: number): number => T0 + m * MIN;
const L: BreakLimits = { maxPowerW: 1_000_000, slackWh: 100, toleranceWh: 1 };

function feed(
  readings: [number, number][],
  state: MeterCounterState = emptyCounterState(),
): { rows: BuiltInterval[]; events: CounterEvent[]; outcomes: ReadingOutcome[]; state: MeterCounterState } {
  const run = { rows: [] as BuiltInterval[], events: [] as CounterEvent[], outcomes: [] as ReadingOutcome[], state };
  const sink = { interval: (r: BuiltInterval) => run.rows.push(r), gap: () => undefined, event: (e: CounterEvent) => run.events.push(e) };
  for (const [m, kwh] of readings)
    run.outcomes.push(
      applyReading(state, { ts: at(m), imp: kwh * 1000, exp: null, serial: null }, { ...DEFAULT_BUILDER_OPTIONS, nowMs: Date.UTC(2030, 0, 1) }, sink),
    );
  return run;
}

describe("lib/readings counter breaks: one rule for resets and jumps", () => {
  it("a step is backwards beyond the tolerance, a jump beyond max. power x time + slack, else it continues", () => {
    const s = (m: number, imp: number) => ({ ts: at(m), imp, exp: null });
    assert.equal(counterStep(s(0, 1000), s(1, 999.5), L), "continues");
    assert.equal(counterStep(s(0, 1000), s(1, 990), L), "backwards");
    assert.equal(counterStep(s(0, 1000), s(1, 1000 + 16_000), L), "continues"); // 1000 kW for a minute: 16.7 kWh + 100 Wh
    assert.equal(counterStep(s(0, 1000), s(1, 1000 + 17_000), L), "jump");
    assert.equal(counterStep({ ts: at(0), imp: 1, exp: 500 }, { ts: at(1), imp: 2, exp: 100 }, L), "backwards", "the export counter counts too");
  });

  it("candidates that continue each other add up to a confirmed new counter at the third; one that does not starts over", () => {
    let v = addBreakSample(null, "backwards", { ts: at(1), imp: 10, exp: null }, L);
    assert.deepEqual([v.candidate.samples.length, v.confirmed], [1, false]);
    v = addBreakSample(v.candidate, "backwards", { ts: at(2), imp: 20, exp: null }, L);
    assert.deepEqual([v.candidate.samples.length, v.confirmed], [2, false]);
    const restart = addBreakSample(v.candidate, "jump", { ts: at(3), imp: 5, exp: null }, L);
    assert.deepEqual([restart.candidate.kind, restart.candidate.samples.length], ["jump", 1]);
    const retry = addBreakSample(v.candidate, "backwards", { ts: at(2), imp: 20, exp: null }, L);
    assert.deepEqual([retry.candidate.samples.length, retry.confirmed], [2, false], "a resent reading neither counts twice nor starts over");
    v = addBreakSample(v.candidate, "backwards", { ts: at(3), imp: 30, exp: null }, L);
    assert.deepEqual([v.candidate.kind, v.candidate.samples.length, v.confirmed], ["backwards", 3, true]);
    assert.equal(BREAK_CONFIRMATIONS, 3);
  });

  it("reads the suspect of a state stored by an older version as a one-reading candidate", () => {
    assert.deepEqual(asBreakCandidate({ ts: 5, imp: 7, exp: null, count: 2 }), { kind: "jump", samples: [{ ts: 5, imp: 7, exp: null }] });
    assert.equal(asBreakCandidate(null), null);
  });

  it("the interval builder: a single bad read of 0 between good readings loses nothing and records nothing", () => {
    const run = feed([
      [0, 500],
      [5, 500.1],
      [7, 0], // a failed register read
      [10, 500.2],
      [15, 500.3],
      [30, 500.6],
    ]);
    assert.equal(run.outcomes[2]!.kind, "rejected");
    assert.deepEqual(run.events, []);
    assert.deepEqual(
      run.rows.map((r) => [r.importWh, r.quality]),
      [
        [300, "measured"],
        [300, "measured"],
      ],
    );
  });

  it("the interval builder: a reset taken after three agreeing readings keeps what the new counter measured from its first reading", () => {
    const run = feed([
      [0, 500],
      [5, 500.1],
      [8, 0.02], // reset
      [11, 0.08],
      [14, 0.14],
      [15, 0.16],
    ]);
    assert.deepEqual(
      run.outcomes.map((o) => o.kind),
      ["accepted", "accepted", "rejected", "rejected", "accepted", "accepted"],
    );
    assert.deepEqual(
      run.events.map((e) => [e.kind, e.ts, (e.details as { confirmedBy: number }).confirmedBy]),
      [["reset", at(8), 3]],
    );
    // 100 Wh before 10:05, flat 10:05-10:08, then 0.02 -> 0.16 kWh: 140 Wh
    assert.deepEqual(run.rows, [{ startMs: at(0), importWh: 240, exportWh: null, quality: "estimated" }]);
  });

  it("zev-meter-in's core holds a new counter's readings and sends them, in order, once three agree", () => {
    const m = new MeterIngest({ meter: "u1" });
    const offer = (kwh: number, ts: number, power = 300) =>
      m.offer(
        {
          values: [
            { field: "importKWh", raw: kwh },
            { field: "powerW", raw: power },
          ],
          origin: "test",
        },
        ts,
      );
    assert.equal(offer(1000, at(0)).readings!.length, 1);
    const held1 = offer(0.5, at(1));
    assert.equal(held1.readings, undefined);
    assert.deepEqual([held1.rejections[0]!.reason, held1.rejections[0]!.confirming], ["backwards", { count: 1, needed: 3 }]);
    assert.equal(held1.importAccepted, false);
    assert.deepEqual(m.pendingBreak(), { field: "importKWh", kind: "backwards", value: 0.5, previous: 1000, count: 1, needed: 3 });
    offer(0.6, at(2));
    const done = offer(0.7, at(3));
    assert.deepEqual(
      done.readings!.map((r) => [r.ts, r.importKWh]),
      [
        [at(1), 0.5],
        [at(2), 0.6],
        [at(3), 0.7],
      ],
    );
    assert.equal(m.pendingBreak(), undefined);
    assert.deepEqual(
      offer(0.71, at(4)).readings!.map((r) => r.importKWh),
      [0.71],
      "the new counter is the baseline",
    );
  });

  it("zev-meter-in's core: import and export of a replaced meter confirmed one poll apart: every held reading is sent", () => {
    const m = new MeterIngest({ meter: "u1" });
    const offer = (imp: number, exp: number, ts: number) =>
      m.offer(
        {
          values: [
            { field: "importKWh", raw: imp },
            { field: "exportKWh", raw: exp },
          ],
          origin: "test",
        },
        ts,
      );
    offer(1000, 50, at(0));
    assert.equal(offer(0.5, 50.01, at(1)).readings, undefined);
    assert.equal(offer(0.6, 0.1, at(2)).readings, undefined);
    assert.equal(offer(0.7, 0.2, at(3)).readings, undefined, "import confirmed, export still confirming");
    assert.deepEqual(
      offer(0.8, 0.3, at(4)).readings!.map((r) => [r.ts, r.importKWh, r.exportKWh]),
      [
        [at(1), 0.5, 50.01],
        [at(2), 0.6, 0.1],
        [at(3), 0.7, 0.2],
        [at(4), 0.8, 0.3],
      ],
    );
  });

  it("zev-meter-in's core: a glitch is dropped when the old counter continues", () => {
    const m = new MeterIngest({ meter: "u1" });
    const offer = (kwh: number, ts: number) => m.offer({ values: [{ field: "importKWh", raw: kwh }], origin: "test" }, ts);
    offer(1000, at(0));
    offer(0, at(1));
    assert.deepEqual(
      offer(1000.01, at(2)).readings!.map((r) => r.importKWh),
      [1000.01],
    );
    assert.equal(m.pendingBreak(), undefined);
  });

  it("the meter status: yellow while a new counter is being confirmed, red when the counter is refused, and the counter's age even when power is fresh", () => {
    const now = at(10);
    const lastReading = { meter: "u1", ts: at(0), importKWh: 1000, powerW: 300 };
    const base = { lastReading, lastAcceptedAt: now, lastCounterAt: at(0), rejectedTotal: 2 };
    const green = meterStatus(base, now);
    assert.deepEqual([green.fill, green.age], ["green", { n: 10, unit: "min" }]);
    const confirming = meterStatus({ ...base, confirming: { field: "importKWh", kind: "backwards", value: 0.5, previous: 1000, count: 2, needed: 3 } }, now);
    assert.deepEqual(
      [confirming.fill, confirming.kind, confirming.confirming],
      ["yellow", "confirming", { field: "importKWh", value: "0.5", count: 2, needed: 3 }],
    );
    const refused = meterStatus({ ...base, lastCounterRejection: { reason: "negative", at: now } }, now);
    assert.deepEqual([refused.fill, refused.kind, refused.reason, refused.age], ["red", "counterRejected", "negative", { n: 10, unit: "min" }]);
  });
  it("one limit: every rise zev-meter-in's default checker accepts is continued by the builder with default settings", () => {
    assert.equal(DEFAULT_PLAUSIBILITY_LIMITS.slackWh, JUMP_SLACK_WH);
    assert.equal(DEFAULT_PLAUSIBILITY_LIMITS.slackWh, DEFAULT_BUILDER_OPTIONS.slackWh);
    assert.equal(DEFAULT_PLAUSIBILITY_LIMITS.maxPowerW, DEFAULT_BUILDER_OPTIONS.maxPowerW);
    for (const dtS of [0.3, 1, 5, 60, 900]) {
      const allowedKWh: number = (DEFAULT_PLAUSIBILITY_LIMITS.maxPowerW / 1000) * (dtS / 3600) + DEFAULT_PLAUSIBILITY_LIMITS.slackWh / 1000;
      for (const rise of [allowedKWh * 0.5, allowedKWh - 0.001, allowedKWh * 1.01]) {
        const kwh = Math.round((1000 + rise) * 1e6) / 1e6;
        const checker = new PlausibilityChecker();
        checker.commit("importKWh", 1000, at(0));
        const meterIn = checker.checkCounter("importKWh", kwh, at(0) + dtS * 1000) === null;
        const out = feed([
          [0, 1000],
          [dtS / 60, kwh],
        ]).outcomes[1]!;
        assert.equal(out.kind === "accepted", meterIn, `+${rise} kWh in ${dtS} s: zev-meter-in ${meterIn}, builder ${out.kind}`);
      }
    }
  });
});
