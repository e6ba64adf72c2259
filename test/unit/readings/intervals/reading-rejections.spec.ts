import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_BUILDER_OPTIONS, emptyCounterState, type CounterReading, type ReadingOutcome } from "../../../../lib/readings/intervals/counter-state";
import { applyReading } from "../../../../lib/readings/intervals/interval-builder";
import { IntervalIngest } from "../../../../lib/readings/intervals/interval-ingest";
import { parseReadingMessage } from "../../../../lib/readings/intervals/reading-message";
import { saveCommunity } from "../../../../lib/store/community-repo";
import { SqliteStore } from "../../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../../support/community-fixture";
import { useTmpDir } from "../../../support/tmp";

const T0 = Date.UTC(2026, 5, 1, 8, 0);
const NOW = Date.UTC(2026, 5, 1, 12, 0);
const sink = { interval: () => undefined, gap: () => undefined, event: () => undefined };
const reading = (ts: number, kWh: number, exportKWh: number | null = null): CounterReading => ({
  ts,
  imp: kWh * 1000,
  exp: exportKWh === null ? null : exportKWh * 1000,
  serial: null,
});

/** Feeds readings to one meter's builder and returns the last outcome. */
function last(readings: CounterReading[]): ReadingOutcome {
  const state = emptyCounterState();
  const o = { ...DEFAULT_BUILDER_OPTIONS, nowMs: NOW };
  let out: ReadingOutcome = { kind: "late" };
  for (const r of readings) out = applyReading(state, r, o, sink);
  return out;
}

describe("refused readings in the one problem shape (code, params, English message)", () => {
  it("the builder's refusals carry their values as params and the English text readers have always seen", () => {
    const future = last([reading(NOW + 10 * 60_000, 1)]);
    assert.deepEqual(future, {
      kind: "rejected",
      code: "future",
      params: { ts: "2026-06-01T12:10:00.000Z", minutes: 10 },
      message: "reading at 2026-06-01T12:10:00.000Z is 10 min in the future (clock wrong, or ts not in epoch ms?)",
    });
    const conflict = last([reading(T0, 1), reading(T0, 1.5)]);
    assert.deepEqual(conflict.kind === "rejected" && [conflict.code, conflict.params, conflict.message], [
      "conflict",
      { ts: "2026-06-01T08:00:00.000Z", acceptedKWh: 1, kWh: 1.5 },
      "a different reading for 2026-06-01T08:00:00.000Z was already accepted (import 1 kWh, now 1.5 kWh)",
    ]);
  });

  it("a counter going backwards or rising too fast is implausible, its params say which", () => {
    const back = last([reading(T0, 100, 5), reading(T0 + 60_000, 100, 4)]);
    assert.ok(back.kind === "rejected");
    assert.equal(back.code, "implausible");
    assert.equal(back.params.change, "backwards");
    assert.equal(
      back.message,
      "counter went backwards (export 5 -> 4 kWh); taken as a new counter (reset or replaced meter) once 3 consistent readings agree (1/3)",
    );
    assert.deepEqual(back.confirming, { count: 1, needed: 3 });
    const jump = last([reading(T0, 100), reading(T0 + 60_000, 5100)]);
    assert.ok(jump.kind === "rejected");
    assert.equal(jump.params.change, "jump");
    assert.match(
      jump.message,
      /^counter rose 5000\.000 kWh in 60 s \(300000 kW average, limit \d+ kW\); accepted as a counter jump after 3 consistent readings \(1\/3\)$/,
    );
  });

  it("a message the parser refuses is a coded problem with the meter and the value as params", () => {
    const cases: [unknown, string, string][] = [
      [[1], "reading.notObject", "payload must be an object { meter, ts, importKWh, ... }"],
      [{ ts: T0 }, "reading.noMeter", "no meter: set payload.meter or msg.topic to the meter id"],
      [{ meter: "pv", ts: "yesterday" }, "reading.tsFormat", 'meter pv: ts "yesterday" is neither epoch ms nor an ISO time with offset'],
      [
        { meter: "pv", ts: 1780000000 },
        "reading.tsSeconds",
        "meter pv: ts 1780000000 is before the year 2000 (it looks like seconds; ts must be epoch milliseconds)",
      ],
      [{ meter: "pv", ts: -5 }, "reading.tsBefore2000", "meter pv: ts -5 is before the year 2000"],
      [{ meter: "pv", ts: T0, importKWh: "abc" }, "reading.notNumber", 'meter pv: importKWh "abc" is not a number'],
      [
        { meter: "pv", ts: T0, importKWh: 2e9 },
        "reading.counterRange",
        "meter pv: importKWh 2000000000 is outside 0..1000000000 kWh (a counter in Wh sent as kWh?)",
      ],
      [{ meter: "pv", ts: T0, powerW: 1e9 }, "reading.powerAbsurd", "meter pv: powerW 1000000000 is absurd for a building"],
      [{ meter: "pv", ts: T0, exportKWh: 1 }, "reading.exportOnly", "meter pv: exportKWh without importKWh; send both counters"],
      [{ meter: "pv", ts: T0, importKWh: 1, resolutionKWh: 11 }, "reading.resolution", "meter pv: resolutionKWh 11 must be a number of kWh between 0 and 10"],
    ];
    for (const [payload, code, message] of cases) {
      const r = parseReadingMessage(payload, undefined, NOW);
      assert.ok(!r.ok, code);
      assert.equal(r.code, code);
      assert.equal(r.message, message);
    }
    const bad = parseReadingMessage({ meter: "pv", ts: T0, exportKWh: "x", importKWh: 1 }, undefined, NOW);
    assert.ok(!bad.ok);
    assert.deepEqual(bad.params, { meter: "pv", field: "exportKWh", value: '"x"' });
  });

  describe("the ingest path", () => {
    const tmp = useTmpDir();
    it("names the meter in front of a builder's refusal and in its params; a parser's refusal is invalid with the parser's code", () => {
      const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
      try {
        saveCommunity(store, minimalCommunity({ meters: [{ id: "m1", role: "unit", unit: "u1" }] }), { source: "test", actor: "test" });
        const ing = new IntervalIngest(store, "test-zev", { actor: "test", now: () => NOW });
        const future = ing.accept({ meter: "m1", ts: NOW + 10 * 60_000, importKWh: 1 });
        assert.ok(future.kind === "rejected");
        assert.equal(future.code, "future");
        assert.equal(future.meter, "m1");
        assert.deepEqual(future.params, { meter: "m1", ts: "2026-06-01T12:10:00.000Z", minutes: 10 });
        assert.equal(future.message, "meter m1: reading at 2026-06-01T12:10:00.000Z is 10 min in the future (clock wrong, or ts not in epoch ms?)");
        const invalid = ing.accept({ meter: "m1", ts: T0, importKWh: "abc" });
        assert.ok(invalid.kind === "rejected");
        assert.deepEqual(
          [invalid.code, invalid.params, invalid.message],
          ["invalid", { problem: "reading.notNumber", meter: "m1", field: "importKWh", value: '"abc"' }, 'meter m1: importKWh "abc" is not a number'],
        );
      } finally {
        store.close();
      }
    });
  });
});
