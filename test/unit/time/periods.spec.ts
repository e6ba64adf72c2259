import assert from "node:assert/strict";
import { INTERVAL_MS } from "../../../lib/time/interval";
import { monthSlices, overlapDates, parsePeriod, periodDays, relativePeriod, resolvePeriod } from "../../../lib/time/periods";

describe("lib/time billing periods", () => {
  it("a month runs from local midnight on the 1st to local midnight after its last day", () => {
    const p = parsePeriod("2026-10");
    assert.equal(p.kind, "month");
    assert.equal(p.from, "2026-10-01");
    assert.equal(p.to, "2026-10-31");
    assert.equal(new Date(p.startMs).toISOString(), "2026-09-30T22:00:00.000Z");
    assert.equal(new Date(p.endMs).toISOString(), "2026-10-31T23:00:00.000Z");
    // 31 days, one of them 25 hours long
    assert.equal((p.endMs - p.startMs) / INTERVAL_MS, 31 * 96 + 4);
  });

  it("March 2026 is 4 intervals short because of the spring-forward day", () => {
    const p = parsePeriod("2026-03");
    assert.equal((p.endMs - p.startMs) / INTERVAL_MS, 31 * 96 - 4);
  });

  it("quarters, half-years and years follow calendar months in local time", () => {
    const q = parsePeriod("2026-q4");
    assert.deepEqual([q.kind, q.label, q.from, q.to], ["quarter", "2026-Q4", "2026-10-01", "2026-12-31"]);
    const q1 = parsePeriod("2028-Q1");
    assert.equal(periodDays(q1), 91); // leap year
    const h = parsePeriod("2026-H1");
    assert.deepEqual([h.from, h.to], ["2026-01-01", "2026-06-30"]);
    const y = parsePeriod("2026");
    assert.equal(periodDays(y), 365);
    assert.equal(new Date(y.startMs).toISOString(), "2025-12-31T23:00:00.000Z");
    assert.equal(y.endMs, parsePeriod("2027-01").startMs);
  });

  it("consecutive months share their boundary exactly (no gap, no overlap)", () => {
    for (let m = 1; m < 12; m++) {
      const a = parsePeriod(`2026-${String(m).padStart(2, "0")}`);
      const b = parsePeriod(`2026-${String(m + 1).padStart(2, "0")}`);
      assert.equal(a.endMs, b.startMs, `months ${m} and ${m + 1}`);
    }
  });

  it("custom periods include both days, written with .. or /", () => {
    const p = parsePeriod("2026-10-05..2026-10-20");
    assert.equal(periodDays(p), 16);
    assert.equal(parsePeriod("2026-10-05/2026-10-20").endMs, p.endMs);
  });

  it("rejects periods it cannot read with a hint on how to write them", () => {
    assert.throws(() => parsePeriod("Oct 2026"), /write 2026-10, 2026-Q4/);
    assert.throws(() => parsePeriod("2026-13"), /no month 13/);
    assert.throws(() => parsePeriod("2026-10-20..2026-10-05"), /before its start/);
    assert.throws(() => parsePeriod("2026-02-30..2026-03-05"), /YYYY-MM-DD/);
  });

  it("splits a date range into months for pro-rata fees", () => {
    assert.deepEqual(
      monthSlices("2026-01-20", "2026-03-10").map((s) => [s.month, s.days, s.daysInMonth]),
      [
        ["2026-01", 12, 31],
        ["2026-02", 28, 28],
        ["2026-03", 10, 31],
      ],
    );
    assert.deepEqual(
      monthSlices("2028-02-01", "2028-02-29").map((s) => [s.days, s.daysInMonth]),
      [[29, 29]],
    );
  });

  it("overlaps a tenancy with a period, open ends included", () => {
    const period = { from: "2026-10-01", to: "2026-10-31" };
    assert.deepEqual(overlapDates({ from: "2023-01-01", to: "2026-10-15" }, period), { from: "2026-10-01", to: "2026-10-15" });
    assert.deepEqual(overlapDates({ from: "2026-10-16", to: null }, period), { from: "2026-10-16", to: "2026-10-31" });
    assert.equal(overlapDates({ from: "2026-11-01", to: null }, period), null);
    assert.deepEqual(overlapDates({ from: "2026-10-31", to: "2026-10-31" }, period), { from: "2026-10-31", to: "2026-10-31" });
  });
});

describe("lib/time relative periods", () => {
  // 2026-01-01 00:30 local is still 2025 in UTC: the local calendar decides
  const newYear = Date.parse("2026-01-01T00:30:00+01:00");
  it("names periods relative to now in local time", () => {
    assert.equal(relativePeriod("previous-month", newYear).label, "2025-12");
    assert.equal(relativePeriod("current-month", newYear).label, "2026-01");
    assert.equal(relativePeriod("previous-quarter", newYear).label, "2025-Q4");
    assert.equal(relativePeriod("previous-half-year", newYear).label, "2025-H2");
    assert.equal(relativePeriod("previous-year", newYear).label, "2025");
    assert.equal(resolvePeriod({ from: "2026-02-03", to: "2026-02-10" }, newYear).label, "2026-02-03..2026-02-10");
    assert.equal(resolvePeriod("2026-Q2", newYear).from, "2026-04-01");
    assert.throws(() => resolvePeriod("last month", newYear), /cannot read period/);
  });
});
