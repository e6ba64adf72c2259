import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { CATCH_UP_MS, latestRun, nextRun, parseSchedule, runToStart, unpricedDays, type BillingSchedule } from "../../../lib/billing/schedule";
import { SIMPLE_PLAN, threeUnitCommunity } from "../../support/billing-fixture";

const Z = "Europe/Zurich";
const at = (iso: string): number => DateTime.fromISO(iso, { zone: Z }).toMillis();
const local = (ms: number): string => DateTime.fromMillis(ms, { zone: Z }).toFormat("yyyy-MM-dd HH:mm");
const monthly: BillingSchedule = { rhythm: "monthly", day: 1, hour: 6, minute: 0, mode: "draft" };

describe("billing schedule (lib/billing/schedule.ts)", () => {
  it("reads the editor's fields with defaults (day 1, 06:00, draft) and names the wrong one", () => {
    assert.deepEqual(parseSchedule({}), { schedule: null });
    assert.deepEqual(parseSchedule({ rhythm: "off", day: "99" }), { schedule: null }, "an off schedule checks nothing else");
    assert.deepEqual(parseSchedule({ rhythm: "monthly" }).schedule, monthly);
    assert.deepEqual(parseSchedule({ rhythm: "quarterly", day: "5", time: "7:30", mode: "issue" }).schedule, {
      rhythm: "quarterly",
      day: 5,
      hour: 7,
      minute: 30,
      mode: "issue",
    });
    assert.equal(parseSchedule({ rhythm: "weekly" }).problem?.code, "schedule.rhythm");
    assert.equal(parseSchedule({ rhythm: "monthly", day: "29" }).problem?.code, "schedule.day", "not every month has a 29th");
    assert.equal(parseSchedule({ rhythm: "monthly", day: "1.5" }).problem?.code, "schedule.day");
    assert.equal(parseSchedule({ rhythm: "monthly", time: "24:00" }).problem?.code, "schedule.time");
    assert.equal(parseSchedule({ rhythm: "monthly", mode: "send" }).problem?.code, "schedule.mode");
    assert.match(parseSchedule({ rhythm: "monthly", time: "6h" }).problem!.message, /HH:MM .* got 6h/);
  });

  it("monthly: due on the day at the local time, billing the month before; winter and summer time alike", () => {
    assert.deepEqual(nextRun(monthly, at("2026-11-30T12:00"), Z), { dueMs: at("2026-12-01T06:00"), period: "2026-11" });
    assert.equal(new Date(nextRun(monthly, at("2026-11-30T12:00"), Z).dueMs).toISOString(), "2026-12-01T05:00:00.000Z");
    assert.equal(new Date(nextRun(monthly, at("2026-06-15T00:00"), Z).dueMs).toISOString(), "2026-07-01T04:00:00.000Z");
    assert.deepEqual(latestRun(monthly, at("2026-12-01T06:00"), Z), { dueMs: at("2026-12-01T06:00"), period: "2026-11" }, "due at the instant");
    assert.deepEqual(latestRun(monthly, at("2026-12-01T05:59"), Z), { dueMs: at("2026-11-01T06:00"), period: "2026-10" });
    assert.deepEqual(nextRun(monthly, at("2026-12-15T00:00"), Z), { dueMs: at("2027-01-01T06:00"), period: "2026-12" }, "across the year");
  });

  it("quarterly: due in January, April, July and October, billing the quarter before", () => {
    const q: BillingSchedule = { ...monthly, rhythm: "quarterly", day: 3, hour: 23, minute: 45 };
    assert.deepEqual(nextRun(q, at("2026-11-05T00:00"), Z), { dueMs: at("2027-01-03T23:45"), period: "2026-Q4" });
    assert.deepEqual(latestRun(q, at("2026-11-05T00:00"), Z), { dueMs: at("2026-10-03T23:45"), period: "2026-Q3" });
    assert.equal(local(nextRun(q, at("2027-01-04T00:00"), Z).dueMs), "2027-04-03 23:45");
  });

  it("starts the latest due run once, up to three days late, never a period it ran", () => {
    const none = (): boolean => false;
    assert.equal(runToStart(monthly, at("2026-11-30T12:00"), Z, none), null, "November 1st is a month ago: not made up");
    assert.equal(runToStart(monthly, at("2026-12-01T05:59"), Z, none), null);
    assert.deepEqual(runToStart(monthly, at("2026-12-01T06:00"), Z, none), { dueMs: at("2026-12-01T06:00"), period: "2026-11" });
    assert.equal(runToStart(monthly, at("2026-12-01T06:00") + CATCH_UP_MS, Z, none)?.period, "2026-11", "72 h late is still made up");
    assert.equal(runToStart(monthly, at("2026-12-01T06:00") + CATCH_UP_MS + 1, Z, none), null);
    const asked: string[] = [];
    const ran = (p: string): boolean => (asked.push(p), p === "2026-11");
    assert.equal(runToStart(monthly, at("2026-12-01T07:00"), Z, ran), null, "a period the schedule ran is not run again");
    assert.deepEqual(asked, ["2026-11"]);
  });

  it("finds the days of a period without a price plan", () => {
    const def = threeUnitCommunity({ tariffs: [{ ...SIMPLE_PLAN, validFrom: "2026-11-28" }] });
    assert.deepEqual(unpricedDays(def, { from: "2026-11-25", to: "2026-11-30" }), ["2026-11-25", "2026-11-26", "2026-11-27"]);
    assert.deepEqual(unpricedDays(threeUnitCommunity(), { from: "2026-11-01", to: "2026-11-30" }), []);
  });
});
