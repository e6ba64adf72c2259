import assert from "node:assert/strict";
import type { CounterReading } from "../../../../lib/readings/intervals/counter-state";
import { CounterReadingLog } from "../../../../lib/readings/intervals/counter-reading-log";
import { parseReadingMessage, ReadingScratch, type ParsedReading } from "../../../../lib/readings/intervals/reading-message";

const T0 = Date.UTC(2026, 5, 1, 8, 0);
const NOW = Date.UTC(2026, 5, 1, 12, 0);

/** A parsed reading's values, with an absent resolution and an undefined one alike. */
function values(r: ParsedReading): unknown {
  const c = r.counter;
  return {
    meter: r.meter,
    ts: r.ts,
    powerW: r.powerW,
    counter: c === null ? null : { ts: c.ts, imp: c.imp, exp: c.exp, serial: c.serial, resolutionWh: c.resolutionWh },
  };
}

describe("the ingest's reused reading objects", () => {
  it("a parse into a scratch gives what a fresh parse gives, message after message, and keeps nothing of the message before (resolution, export, serial, counter)", () => {
    const messages: unknown[] = [
      { meter: "pv", ts: T0, importKWh: 41800, exportKWh: 12, resolutionKWh: 0.003907, serial: "A1", powerW: 5 },
      { meter: "pv", ts: T0 + 60_000, importKWh: "41800.5" },
      { meter: "h1", ts: T0 + 60_000, powerW: 300 },
      { meter: "h1", ts: new Date(T0 + 120_000).toISOString(), importKWh: 7, exportKWh: 0 },
      { meter: 42, importKWh: 1 },
    ];
    const scratch = new ReadingScratch();
    for (const m of messages) {
      const fresh = parseReadingMessage(m, undefined, NOW);
      const reused = parseReadingMessage(m, undefined, NOW, scratch);
      assert.ok(fresh.ok && reused.ok);
      assert.equal(reused.reading, scratch.reading);
      assert.deepEqual(values(reused.reading), values(fresh.reading), JSON.stringify(m));
    }
  });

  it("the meter's name is the message's with the spaces trim() removes at both ends, ASCII and Unicode, and nothing else", () => {
    const names = ["pv", " pv", "pv ", "\tpv\n", "\u00a0pv", "pv\u2003", "\ufeffpv", "p v", "~pv!", "Zähler 1", "\u00a0", "x"];
    const scratch = new ReadingScratch();
    for (const name of names) {
      const n = parseReadingMessage({ meter: name, ts: T0, importKWh: 1 }, undefined, NOW, scratch);
      if (name.trim() === "") {
        assert.equal(n.ok, false, JSON.stringify(name));
        continue;
      }
      assert.ok(n.ok, JSON.stringify(name));
      assert.equal(n.reading.meter, name.trim(), JSON.stringify(name));
    }
  });

  it("a refused message leaves the scratch as the last accepted one filled it, and says why as a fresh parse does", () => {
    const scratch = new ReadingScratch();
    const ok = parseReadingMessage({ meter: "pv", ts: T0, importKWh: 1 }, undefined, NOW, scratch);
    assert.ok(ok.ok);
    const before = values(scratch.reading);
    const bad = parseReadingMessage({ meter: "pv", ts: T0, importKWh: -1 }, undefined, NOW, scratch);
    assert.ok(!bad.ok);
    assert.equal(bad.code, "reading.counterRange");
    assert.deepEqual(values(scratch.reading), before);
  });

  it("the counter log gives back every reading as pushed, with the clock it was applied at: null export, serial and resolution kept, absent ones absent", () => {
    const log = new CounterReadingLog();
    const pushed: [CounterReading, number][] = [
      [{ ts: T0, imp: 1000.5, exp: null, serial: null }, NOW],
      [{ ts: T0 + 1, imp: 1001, exp: 0, serial: "B7", resolutionWh: 3.907 }, NOW + 1],
      [{ ts: T0 + 2, imp: 1002, exp: 5, serial: null, resolutionWh: undefined }, NOW + 2],
    ];
    for (const [r, now] of pushed) log.push(r, now);
    assert.equal(log.length, 3);
    assert.deepEqual(log.at(0), { reading: { ts: T0, imp: 1000.5, exp: null, serial: null }, nowMs: NOW });
    assert.deepEqual(log.at(1), { reading: { ts: T0 + 1, imp: 1001, exp: 0, serial: "B7", resolutionWh: 3.907 }, nowMs: NOW + 1 });
    assert.deepEqual(log.at(2), { reading: { ts: T0 + 2, imp: 1002, exp: 5, serial: null }, nowMs: NOW + 2 });
    log.clear();
    assert.equal(log.length, 0);
  });

  it("the counter log keeps every reading past its first capacity, each with the serial it came with, and starts empty again after a clear", () => {
    const log = new CounterReadingLog();
    const serialOf = (i: number): string | null => (i < 10 ? null : i < 25 ? "A" : i < 26 ? null : i < 2000 ? "B" : "C");
    const reading = (i: number): CounterReading => ({ ts: T0 + i * 60_000, imp: 5000 + i / 4, exp: i % 3 === 0 ? null : i, serial: serialOf(i) });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2100; i++) log.push(reading(i), NOW + i);
      assert.equal(log.length, 2100);
      for (const i of [0, 9, 10, 24, 25, 26, 1999, 2000, 2099])
        assert.deepEqual(log.at(i), { reading: reading(i), nowMs: NOW + i }, `round ${round}, reading ${i}`);
      assert.throws(() => log.at(2100), RangeError);
      log.clear();
      assert.equal(log.length, 0);
      assert.throws(() => log.at(0), RangeError);
    }
  });
});
