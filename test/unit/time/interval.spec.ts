import assert from "node:assert/strict";
import { INTERVAL_MS, intervalCountBetween, intervalStart, intervalStartsBetween } from "../../../lib/time/interval";
import { addDays, daysBetween, daysInMonth, localClock, localDateOf, localDayIntervalStarts, startOfLocalDay } from "../../../lib/time/local-date";

describe("lib/time intervals in Europe/Zurich", () => {
  it("a spring-forward day (2026-03-29) has 92 quarter hours", () => {
    assert.equal(localDayIntervalStarts("2026-03-29").length, 92);
  });

  it("a fall-back day (2026-10-25) has 100 quarter hours", () => {
    assert.equal(localDayIntervalStarts("2026-10-25").length, 100);
  });

  it("an ordinary day has 96 quarter hours, summer and winter", () => {
    assert.equal(localDayIntervalStarts("2026-07-15").length, 96);
    assert.equal(localDayIntervalStarts("2026-01-15").length, 96);
  });

  it("local midnight is 23:00 UTC in winter and 22:00 UTC in summer", () => {
    assert.equal(new Date(startOfLocalDay("2026-01-15")).toISOString(), "2026-01-14T23:00:00.000Z");
    assert.equal(new Date(startOfLocalDay("2026-07-15")).toISOString(), "2026-07-14T22:00:00.000Z");
  });

  it("the spring-forward day skips 02:00-03:00 local: 01:45 is followed by 03:00", () => {
    const starts = localDayIntervalStarts("2026-03-29");
    const clocks = starts.map((s) => localClock(s).minuteOfDay);
    const i = clocks.indexOf(105);
    assert.equal(clocks[i + 1], 180);
  });

  it("the fall-back day shows 02:00-02:45 twice", () => {
    const clocks = localDayIntervalStarts("2026-10-25").map((s) => localClock(s).minuteOfDay);
    assert.equal(clocks.filter((m) => m === 120).length, 2);
    assert.equal(clocks.filter((m) => m === 165).length, 2);
  });

  it("floors any instant to its quarter hour", () => {
    const t = Date.UTC(2026, 5, 1, 10, 14, 59, 999);
    assert.equal(intervalStart(t), Date.UTC(2026, 5, 1, 10, 0));
    assert.equal(intervalStart(Date.UTC(2026, 5, 1, 10, 15)), Date.UTC(2026, 5, 1, 10, 15));
  });

  it("lists interval starts over a range and refuses non-boundaries", () => {
    const from = Date.UTC(2026, 0, 1);
    assert.deepEqual(intervalStartsBetween(from, from + 3 * INTERVAL_MS), [from, from + INTERVAL_MS, from + 2 * INTERVAL_MS]);
    assert.equal(intervalCountBetween(from, from + 96 * INTERVAL_MS), 96);
    assert.throws(() => intervalStartsBetween(from + 1, from + INTERVAL_MS), /quarter-hour boundary/);
  });

  it("maps instants to local dates across midnight and DST", () => {
    assert.equal(localDateOf(Date.UTC(2026, 2, 28, 23, 30)), "2026-03-29");
    assert.equal(localDateOf(Date.UTC(2026, 9, 24, 21, 59)), "2026-10-24");
    assert.equal(localDateOf(Date.UTC(2026, 9, 24, 22, 0)), "2026-10-25");
  });

  it("counts days in leap years and across year ends", () => {
    assert.equal(daysInMonth(2028, 2), 29);
    assert.equal(daysInMonth(2026, 2), 28);
    assert.equal(daysInMonth(2100, 2), 28);
    assert.equal(daysInMonth(2000, 2), 29);
    assert.equal(addDays("2028-02-28", 1), "2028-02-29");
    assert.equal(addDays("2026-12-31", 1), "2027-01-01");
    assert.equal(daysBetween("2028-01-01", "2029-01-01"), 366);
    assert.equal(localDayIntervalStarts("2028-02-29").length, 96);
  });

  it("a whole local year has 35040 intervals (35136 in a leap year)", () => {
    const year = (y: number): number => intervalCountBetween(startOfLocalDay(`${y}-01-01`), startOfLocalDay(`${y + 1}-01-01`));
    assert.equal(year(2026), 35040);
    assert.equal(year(2028), 35136);
  });
});
