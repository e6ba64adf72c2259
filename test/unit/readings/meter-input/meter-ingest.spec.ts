import assert from "node:assert/strict";
import { MeterIngest } from "../../../../lib/readings/meter-input/meter-ingest";
import { arrivalsFromPayload } from "../../../../lib/readings/meter-input/payload";
import { PlausibilityChecker } from "../../../../lib/readings/meter-input/plausibility-checker";
import { parseNumberWithUnit, toFieldUnit } from "../../../../lib/readings/meter-input/value-text";
import { RateLimiter } from "../../../../lib/util/rate-limit";

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const origin = "test";

describe("lib/readings plausibility", () => {
  it("accepts rising counters and refuses negative, backwards and absurd jumps with the reason", () => {
    const c = new PlausibilityChecker({ maxPowerW: 50_000, slackWh: 1000 });
    assert.equal(c.checkCounter("importKWh", 100, T0), null);
    c.commit("importKWh", 100, T0);
    assert.equal(c.checkCounter("importKWh", -1, T0)?.reason, "negative");
    assert.deepEqual(c.checkCounter("importKWh", 99.9, T0 + 1000), { reason: "backwards", field: "importKWh", value: "99.9", previous: 100 });
    // One hour at 50 kW is 50 kWh, plus 1 kWh slack.
    assert.equal(c.checkCounter("importKWh", 151, T0 + 3_600_000), null);
    assert.equal(c.checkCounter("importKWh", 151.5, T0 + 3_600_000)?.reason, "jump");
    // Within the same instant only the slack is allowed.
    assert.equal(c.checkCounter("importKWh", 101, T0), null);
    assert.equal(c.checkCounter("importKWh", 101.01, T0)?.reason, "jump");
    assert.equal(c.checkPower(50_000), null);
    assert.equal(c.checkPower(-50_001)?.reason, "out-of-range");
  });
});

describe("lib/readings values", () => {
  it("reads numbers with units as Loxone and scripts write them, refusing decimal commas", () => {
    assert.deepEqual(parseNumberWithUnit("531.68"), { value: 531.68 });
    assert.deepEqual(parseNumberWithUnit(" 31.0 kWh"), { value: 31, unit: "kWh" });
    assert.deepEqual(parseNumberWithUnit("-1.2kW"), { value: -1.2, unit: "kW" });
    assert.deepEqual(parseNumberWithUnit("1e3"), { value: 1000 });
    for (const bad of ["", "abc", "12,5", "1.2.3", "NaN", "Infinity", "0x10", "12 k W", null, undefined, {}, [], true, Number.NaN]) {
      assert.equal(parseNumberWithUnit(bad), null, JSON.stringify(bad));
    }
    assert.equal(toFieldUnit("importKWh", 1500, "Wh"), 1.5);
    assert.equal(toFieldUnit("powerW", 1.5, undefined, "kW"), 1500);
    assert.equal(toFieldUnit("powerW", 1.5, "kWh"), null);
    assert.equal(toFieldUnit("exportKWh", 2, "W"), null);
  });
});

describe("lib/readings MeterIngest", () => {
  it("emits a reading when a counter arrives, carrying the latest power and export from earlier arrivals", () => {
    const m = new MeterIngest({ meter: "unit-3" });
    assert.equal(m.offer({ values: [{ field: "powerW", raw: "1200" }], origin }, T0).reading, undefined);
    const r1 = m.offer({ values: [{ field: "importKWh", raw: "100.5" }], origin }, T0 + 1000).reading;
    // "100.5" as text: read to 0.1 kWh, and the reading says so
    assert.deepEqual(r1, { meter: "unit-3", ts: T0 + 1000, importKWh: 100.5, powerW: 1200, resolutionKWh: 0.1 });
    const r2 = m.offer({ values: [{ field: "exportKWh", raw: 3 }], origin }, T0 + 2000).reading;
    assert.deepEqual(r2, { meter: "unit-3", ts: T0 + 2000, importKWh: 100.5, exportKWh: 3, powerW: 1200, resolutionKWh: 0.1 });
    assert.deepEqual(m.stats, { received: 3, accepted: 3, rejected: {}, errors: {} });
  });

  it("with emitOnPowerOnly a power value alone is passed on", () => {
    const m = new MeterIngest({ meter: "m", emitOnPowerOnly: true });
    assert.deepEqual(m.offer({ values: [{ field: "powerW", raw: 5 }], origin }, T0).reading, { meter: "m", ts: T0, powerW: 5 });
  });

  it("an inverted meter swaps import and export and negates power", () => {
    const m = new MeterIngest({ meter: "pv", invert: true });
    const r = m.offer(
      {
        values: [
          { field: "importKWh", raw: 1 },
          { field: "exportKWh", raw: 900 },
          { field: "powerW", raw: -3000 },
        ],
        origin,
      },
      T0,
    ).reading;
    assert.deepEqual(r, { meter: "pv", ts: T0, importKWh: 900, exportKWh: 1, powerW: 3000 });
  });

  it("converts units and counts each rejected value by reason, naming meter, origin and packet", () => {
    const m = new MeterIngest({ meter: "unit-1", limits: { maxPowerW: 100_000, slackWh: 1000 } });
    m.offer({ values: [{ field: "importKWh", raw: "1000 Wh" }], origin }, T0);
    const out = m.offer(
      {
        values: [
          { field: "importKWh", raw: "0.5" },
          { field: "exportKWh", raw: "abc" },
          { field: "powerW", raw: "3 kWh" },
        ],
        origin: "udp 10.0.0.5:1234",
        excerpt: "unit-1:0.5;x:abc",
      },
      T0 + 1000,
    );
    assert.equal(out.reading, undefined);
    assert.deepEqual(
      out.rejections.map((r) => [r.reason, r.field, r.meter, r.origin, r.excerpt]),
      [
        ["backwards", "importKWh", "unit-1", "udp 10.0.0.5:1234", "unit-1:0.5;x:abc"],
        ["not-a-number", "exportKWh", "unit-1", "udp 10.0.0.5:1234", "unit-1:0.5;x:abc"],
        ["bad-unit", "powerW", "unit-1", "udp 10.0.0.5:1234", "unit-1:0.5;x:abc"],
      ],
    );
    assert.deepEqual(m.stats, { received: 4, accepted: 1, rejected: { backwards: 1, "not-a-number": 1, "bad-unit": 1 }, errors: {} });
    assert.equal(m.lastReading?.importKWh, 1);
  });

  it("a rejected value does not move the baseline; the next good value is checked against the last accepted one", () => {
    const m = new MeterIngest({ meter: "m", limits: { maxPowerW: 10_000, slackWh: 100 } });
    m.offer({ values: [{ field: "importKWh", raw: 100 }], origin }, T0);
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 100000 }], origin }, T0 + 60_000).rejections[0]!.reason, "jump");
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 100.2 }], origin }, T0 + 120_000).reading?.importKWh, 100.2);
  });

  it("timestamps from the source are used when valid; seconds instead of ms and future times are refused", () => {
    const m = new MeterIngest({ meter: "m" });
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 1 }], ts: T0 - 5000, origin }, T0).reading?.ts, T0 - 5000);
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 2 }], ts: T0 / 1000, origin }, T0).rejections[0]!.reason, "bad-timestamp");
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 2 }], ts: T0 + 3_600_000, origin }, T0).rejections[0]!.reason, "bad-timestamp");
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 2 }], ts: "yesterday", origin }, T0).rejections[0]!.reason, "bad-timestamp");
  });

  it("candidates of a new float32 counter agree within its resolution: a one-step jitter does not start the confirmation over", () => {
    const m = new MeterIngest({ meter: "pv" });
    const at = (i: number, kwh: number) => m.offer({ values: [{ field: "importKWh", raw: kwh }], resolutionKWh: 0.004, origin: "modbus" }, T0 + i * 60_000);
    assert.ok(at(0, 41_800.125).reading);
    assert.equal(at(1, 41_700.125).reading, undefined);
    assert.equal(at(2, 41_700.121).reading, undefined, "one step lower: still the same candidate (2/3)");
    assert.equal(m.pendingBreak()?.count, 2);
    const done = at(3, 41_700.125);
    assert.deepEqual(
      done.readings?.map((r) => r.importKWh),
      [41_700.125, 41_700.125, 41_700.125],
      "confirmed by the third reading; the jitter held the candidate's value",
    );
    // A step back beyond the resolution among candidates still starts over.
    assert.equal(at(4, 41_600).reading, undefined);
    assert.equal(at(5, 41_599.9).reading, undefined);
    assert.equal(m.pendingBreak()?.count, 1);
  });

  it("a new serial number starts a new baseline (meter swap)", () => {
    const m = new MeterIngest({ meter: "m" });
    m.offer({ values: [{ field: "importKWh", raw: 5000 }], serial: "A1", origin }, T0);
    assert.equal(m.offer({ values: [{ field: "importKWh", raw: 3 }], serial: "A1", origin }, T0 + 1000).rejections[0]!.reason, "backwards");
    const r = m.offer({ values: [{ field: "importKWh", raw: 3 }], serial: "B2", origin }, T0 + 2000).reading;
    assert.deepEqual(r, { meter: "m", ts: T0 + 2000, importKWh: 3, serial: "B2" });
  });

  it("source-flagged values (Modbus not available) are counted under their reason", () => {
    const m = new MeterIngest({ meter: "m" });
    const out = m.offer({ values: [{ field: "importKWh", raw: "0xffff", problem: "not-available" }], origin }, T0);
    assert.equal(out.rejections[0]!.reason, "not-available");
    assert.deepEqual(m.stats.rejected, { "not-available": 1 });
  });
});

describe("lib/readings payload normalisation (msg and HTTP push)", () => {
  it("a bare number is the import counter; objects carry named fields, ts and serial", () => {
    assert.deepEqual(arrivalsFromPayload(12.5, { meter: "m" }), { ok: true, arrivals: [{ values: [{ field: "importKWh", raw: 12.5 }] }] });
    const r = arrivalsFromPayload({ meter: "m", import: 1, exportKWh: 2, Power: 3, ts: T0, serial: "S" }, { meter: "m" });
    assert.ok(r.ok);
    assert.deepEqual(r.arrivals[0], {
      values: [
        { field: "importKWh", raw: 1 },
        { field: "exportKWh", raw: 2 },
        { field: "powerW", raw: 3 },
      ],
      ts: T0,
      serial: "S",
    });
  });

  it("refuses other meters, unknown fields, empty objects and arrays where not allowed", () => {
    const reason = (p: unknown, allowArray = false): string | undefined => {
      const r = arrivalsFromPayload(p, { meter: "m", allowArray });
      return r.ok ? undefined : `${r.rejection.reason}: ${r.rejection.detail}`;
    };
    assert.match(reason({ meter: "other", importKWh: 1 })!, /^meter-mismatch/);
    assert.match(reason({ importKwh: 1, imprt: 2 })!, /malformed: unknown field "imprt"/);
    assert.match(reason({ ts: 1 })!, /malformed: no importKWh/);
    assert.match(reason([{ importKWh: 1 }])!, /malformed: an array is not accepted/);
    assert.match(reason(null)!, /malformed/);
    assert.match(reason(true)!, /malformed/);
    assert.match(reason(new Array(1001).fill({ importKWh: 1 }), true)!, /^too-large/);
  });

  it("sorts a batch by timestamp so the checks see it in time order", () => {
    const r = arrivalsFromPayload(
      [
        { importKWh: 3, ts: 3 },
        { importKWh: 1, ts: 1 },
        { importKWh: 2, ts: 2 },
      ],
      { meter: "m", allowArray: true },
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.arrivals.map((a) => a.ts),
      [1, 2, 3],
    );
  });
});

describe("lib/util RateLimiter", () => {
  it("lets a few through per window and reports how many were held back", () => {
    const rl = new RateLimiter(2, 1000);
    assert.deepEqual(
      [rl.take(0), rl.take(1), rl.take(2), rl.take(3)].map((t) => t.allowed),
      [true, true, false, false],
    );
    assert.deepEqual(rl.take(1000), { allowed: true, suppressed: 2 });
  });
});
