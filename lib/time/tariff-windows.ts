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

export function parseClock(text: string): number {
  const m = HHMM.exec(text);
  if (!m) throw new RangeError(`time ${JSON.stringify(text)} must be written HH:MM (00:00-24:00)`);
  const minutes = +m[1]! * 60 + +m[2]!;
  if (minutes > 24 * 60) throw new RangeError(`time ${text} is after 24:00`);
  return minutes;
}

/** Problems with a schedule, worded for the person who typed it; empty when valid. */
export function validateSchedule(schedule: TariffSchedule): string[] {
  const errors: string[] = [];
  if (!schedule || !Array.isArray(schedule.ht)) return ["the HT/NT schedule needs a list of HT windows"];
  schedule.ht.forEach((w, i) => {
    const where = `HT window ${i + 1}`;
    if (!Array.isArray(w.days) || w.days.length === 0) errors.push(`${where}: choose at least one weekday`);
    else if (w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) errors.push(`${where}: weekdays are 1 (Monday) to 7 (Sunday)`);
    for (const key of ["from", "to"] as const) {
      try {
        parseClock(w[key]);
      } catch (e) {
        errors.push(`${where}: ${(e as Error).message}`);
      }
    }
    if (w.from === w.to) errors.push(`${where}: from and to are equal (${w.from}); an all-day window is 00:00-24:00`);
  });
  (schedule.ntDays ?? []).forEach((d) => {
    if (!isLocalDate(d)) errors.push(`NT day ${JSON.stringify(d)} must be written YYYY-MM-DD`);
  });
  return errors;
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
    c = { windows: schedule.ht.map((w) => ({ days: new Set(w.days), from: parseClock(w.from), to: parseClock(w.to) })), ntDays: new Set(schedule.ntDays ?? []) };
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
