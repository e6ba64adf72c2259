import { Issue, issue, quoted } from "../util/issue";
import { DEFAULT_TIME_ZONE, isLocalDate, LocalDate, localClock } from "./local-date";

/**
 * A high-tariff (HT) window in local wall-clock time. `days` are the ISO
 * weekdays (1 = Monday .. 7 = Sunday) on which the window *starts*. When `to`
 * is not after `from` the window runs past midnight into the next day
 * (e.g. 22:00-06:00); `to` of "24:00" means the end of the day.
 */
export interface TimeWindow {
  days: number[];
  from: string;
  to: string;
}

/** HT/NT schedule: HT inside any window, NT elsewhere and on listed holidays. */
export interface TariffSchedule {
  ht: TimeWindow[];
  /** Local dates that are NT all day (public holidays, as the utility lists them). */
  ntDays?: LocalDate[];
}

export type TariffBand = "HT" | "NT";

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Why `text` is not a wall-clock time HH:MM from 00:00 to 24:00, or null when it is one. */
export function clockIssue(text: string): Issue | null {
  const m = HHMM.exec(text);
  if (!m) return issue("time.format", "time __time__ must be written HH:MM (00:00-24:00)", { time: quoted(text) });
  if (+m[1]! * 60 + +m[2]! > 24 * 60) return issue("time.after24", "time __time__ is after 24:00", { time: text });
  return null;
}

export function parseClock(text: string): number {
  const problem = clockIssue(text);
  if (problem) throw new RangeError(problem.message);
  const m = HHMM.exec(text)!;
  return +m[1]! * 60 + +m[2]!;
}

/** Problems with a schedule (code, values, English text); empty when valid. */
export function scheduleIssues(schedule: TariffSchedule): Issue[] {
  const errors: Issue[] = [];
  if (!schedule || !Array.isArray(schedule.ht)) return [issue("schedule.notList", "the HT/NT schedule needs a list of HT windows")];
  schedule.ht.forEach((w, i) => {
    const window = i + 1;
    if (!Array.isArray(w.days) || w.days.length === 0)
      errors.push(issue("schedule.noWeekday", "HT window __window__: choose at least one weekday", { window }));
    else if (w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      errors.push(issue("schedule.weekdayRange", "HT window __window__: weekdays are 1 (Monday) to 7 (Sunday)", { window }));
    for (const key of ["from", "to"] as const) {
      const problem = clockIssue(w[key]);
      if (problem?.code === "time.format")
        errors.push(issue("schedule.timeFormat", "HT window __window__: time __time__ must be written HH:MM (00:00-24:00)", { window, ...problem.params }));
      else if (problem) errors.push(issue("schedule.timeAfter24", "HT window __window__: time __time__ is after 24:00", { window, ...problem.params }));
    }
    if (w.from === w.to)
      errors.push(
        issue("schedule.sameFromTo", "HT window __window__: from and to are equal (__time__); an all-day window is 00:00-24:00", {
          window,
          time: String(w.from),
        }),
      );
  });
  (schedule.ntDays ?? []).forEach((d) => {
    if (!isLocalDate(d)) errors.push(issue("schedule.ntDayFormat", "NT day __day__ must be written YYYY-MM-DD", { day: quoted(d) }));
  });
  return errors;
}

/** Problems with a schedule, worded for the person who typed it; empty when valid. */
export function validateSchedule(schedule: TariffSchedule): string[] {
  return scheduleIssues(schedule).map((e) => e.message);
}

function prevWeekday(weekday: number): number {
  return weekday === 1 ? 7 : weekday - 1;
}

/**
 * Band of the interval that starts at `ms`, by its local wall-clock start
 * time. On the fall-back day both 02:xx hours fall in the same band, on the
 * spring-forward day the missing hour simply has no intervals.
 */
export function tariffBand(ms: number, schedule: TariffSchedule, zone: string = DEFAULT_TIME_ZONE): TariffBand {
  const clock = localClock(ms, zone);
  return bandAt(clock.weekday, clock.minuteOfDay, clock.date, schedule);
}

interface CompiledWindow {
  days: ReadonlySet<number>;
  from: number;
  to: number;
}

const compiled = new WeakMap<TariffSchedule, { windows: CompiledWindow[]; ntDays: ReadonlySet<string> }>();

/** Parsed once per schedule object: billing classifies tens of thousands of intervals. */
function compile(schedule: TariffSchedule): { windows: CompiledWindow[]; ntDays: ReadonlySet<string> } {
  let c = compiled.get(schedule);
  if (!c) {
    c = {
      windows: schedule.ht.map((w) => ({ days: new Set(w.days), from: parseClock(w.from), to: parseClock(w.to) })),
      ntDays: new Set(schedule.ntDays ?? []),
    };
    compiled.set(schedule, c);
  }
  return c;
}

export function bandAt(weekday: number, minuteOfDay: number, date: LocalDate, schedule: TariffSchedule): TariffBand {
  const c = compile(schedule);
  if (c.ntDays.has(date)) return "NT";
  for (const w of c.windows) {
    const { from, to } = w;
    if (to > from) {
      if (w.days.has(weekday) && minuteOfDay >= from && minuteOfDay < to) return "HT";
    } else {
      // Past midnight: the evening part belongs to today's window, the morning part to yesterday's.
      if (w.days.has(weekday) && minuteOfDay >= from) return "HT";
      if (w.days.has(prevWeekday(weekday)) && minuteOfDay < to) return "HT";
    }
  }
  return "NT";
}

/** A common Swiss utility schedule: HT Mon-Fri 07:00-20:00 and Sat 07:00-13:00. */
export const TYPICAL_SWISS_SCHEDULE: TariffSchedule = {
  ht: [
    { days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" },
    { days: [6], from: "07:00", to: "13:00" },
  ],
};
