import assert from "node:assert/strict";
import { localDayIntervalStarts } from "../../../lib/time/local-date";
import { tariffBand, TariffSchedule, TYPICAL_SWISS_SCHEDULE, validateSchedule } from "../../../lib/time/tariff-windows";

const zurich = (iso: string): number => Date.parse(iso);
const bandsOfDay = (date: string, s: TariffSchedule): string =>
  localDayIntervalStarts(date)
    .map((t) => (tariffBand(t, s) === "HT" ? "H" : "n"))
    .join("");

describe("lib/time HT/NT windows", () => {
  it("classifies by local wall-clock time: Monday 07:00 is HT, 06:45 NT, 20:00 NT", () => {
    assert.equal(tariffBand(zurich("2026-11-02T06:45:00+01:00"), TYPICAL_SWISS_SCHEDULE), "NT");
    assert.equal(tariffBand(zurich("2026-11-02T07:00:00+01:00"), TYPICAL_SWISS_SCHEDULE), "HT");
    assert.equal(tariffBand(zurich("2026-11-02T19:45:00+01:00"), TYPICAL_SWISS_SCHEDULE), "HT");
    assert.equal(tariffBand(zurich("2026-11-02T20:00:00+01:00"), TYPICAL_SWISS_SCHEDULE), "NT");
  });

  it("Saturday has HT only in the morning, Sunday none", () => {
    assert.equal(tariffBand(zurich("2026-11-07T12:45:00+01:00"), TYPICAL_SWISS_SCHEDULE), "HT");
    assert.equal(tariffBand(zurich("2026-11-07T13:00:00+01:00"), TYPICAL_SWISS_SCHEDULE), "NT");
    assert.equal(bandsOfDay("2026-11-08", TYPICAL_SWISS_SCHEDULE), "n".repeat(96));
  });

  it("a working day has 52 HT quarter hours (07:00-20:00)", () => {
    assert.equal([...bandsOfDay("2026-11-04", TYPICAL_SWISS_SCHEDULE)].filter((c) => c === "H").length, 52);
  });

  it("summer time shifts the window with the wall clock, not with UTC", () => {
    // 07:00 local in summer is 05:00 UTC
    assert.equal(tariffBand(Date.UTC(2026, 6, 6, 5, 0), TYPICAL_SWISS_SCHEDULE), "HT");
    assert.equal(tariffBand(Date.UTC(2026, 6, 6, 4, 45), TYPICAL_SWISS_SCHEDULE), "NT");
  });

  const night: TariffSchedule = { ht: [{ days: [1, 2, 3, 4, 5], from: "22:00", to: "06:00" }] };

  it("a window across midnight belongs to the day it starts on", () => {
    // Friday 23:00 -> HT (Friday's window); Saturday 01:00 -> HT (still Friday's window)
    assert.equal(tariffBand(zurich("2026-11-06T23:00:00+01:00"), night), "HT");
    assert.equal(tariffBand(zurich("2026-11-07T01:00:00+01:00"), night), "HT");
    assert.equal(tariffBand(zurich("2026-11-07T06:00:00+01:00"), night), "NT");
    // Saturday 23:00 -> NT (no window starts on Saturday); Monday 01:00 -> NT (Sunday has no window)
    assert.equal(tariffBand(zurich("2026-11-07T23:00:00+01:00"), night), "NT");
    assert.equal(tariffBand(zurich("2026-11-09T01:00:00+01:00"), night), "NT");
  });

  it("on the fall-back day (Sunday 2026-10-25) the repeated 02:00 hour is classified twice the same way", () => {
    // Saturday-night window from Saturday 22:00 to Sunday 06:00
    const sat: TariffSchedule = { ht: [{ days: [6], from: "22:00", to: "06:00" }] };
    const bands = bandsOfDay("2026-10-25", sat);
    assert.equal(bands.length, 100);
    // 00:00-06:00 local on that day is 7 hours = 28 quarter hours, all HT
    assert.equal(bands.slice(0, 28), "H".repeat(28));
    assert.equal(bands.slice(28), "n".repeat(72));
  });

  it("on the spring-forward day a night window has one hour less", () => {
    const sat: TariffSchedule = { ht: [{ days: [6], from: "22:00", to: "06:00" }] };
    const bands = bandsOfDay("2026-03-29", sat);
    assert.equal(bands.length, 92);
    assert.equal(bands.slice(0, 20), "H".repeat(20));
    assert.equal(bands[20], "n");
  });

  it("NT days (public holidays) are NT all day", () => {
    const s: TariffSchedule = { ...TYPICAL_SWISS_SCHEDULE, ntDays: ["2026-12-25"] };
    assert.equal(bandsOfDay("2026-12-25", s), "n".repeat(96));
    assert.equal(tariffBand(zurich("2026-12-24T10:00:00+01:00"), s), "HT");
  });

  it("a 24:00 end means to the end of the day", () => {
    const s: TariffSchedule = { ht: [{ days: [3], from: "00:00", to: "24:00" }] };
    assert.equal(bandsOfDay("2026-11-04", s), "H".repeat(96));
  });

  it("explains invalid schedules", () => {
    const errors = validateSchedule({
      ht: [
        { days: [0, 8], from: "7:00", to: "07:00" },
        { days: [], from: "25:00", to: "08:00" },
      ],
      ntDays: ["25.12.2026"],
    });
    assert.ok(
      errors.some((e) => /HT window 1: weekdays are 1 \(Monday\) to 7/.test(e)),
      errors.join("\n"),
    );
    assert.ok(errors.some((e) => /HT window 1: time "7:00" must be written HH:MM/.test(e)));
    assert.ok(errors.some((e) => /HT window 2: choose at least one weekday/.test(e)));
    assert.ok(errors.some((e) => /NT day "25.12.2026"/.test(e)));
    assert.deepEqual(validateSchedule(TYPICAL_SWISS_SCHEDULE), []);
  });
});
