import { DateTime } from "luxon";
import { INTERVAL_MS } from "./interval";

/** A calendar date in the community's time zone, written YYYY-MM-DD. */
export type LocalDate = string;

export const DEFAULT_TIME_ZONE = "Europe/Zurich";

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== "string") return false;
  const m = LOCAL_DATE_RE.exec(value);
  if (!m) return false;
  return DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: "UTC" }).isValid;
}

export function assertLocalDate(value: unknown, what: string): asserts value is LocalDate {
  if (!isLocalDate(value)) {
    throw new RangeError(`${what} must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
}

export function assertTimeZone(zone: string): void {
  if (!DateTime.now().setZone(zone).isValid) {
    throw new RangeError(`unknown time zone ${JSON.stringify(zone)}`);
  }
}

function parts(date: LocalDate): { year: number; month: number; day: number } {
  assertLocalDate(date, "date");
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return { year: y, month: m, day: d };
}

/** Epoch ms of local midnight at the start of `date` in `zone`. */
export function startOfLocalDay(date: LocalDate, zone: string = DEFAULT_TIME_ZONE): number {
  const dt = DateTime.fromObject(parts(date), { zone });
  if (!dt.isValid) throw new RangeError(`invalid date ${date} in zone ${zone}: ${dt.invalidReason}`);
  return dt.toMillis();
}

/** The local calendar date that contains instant `ms`. */
export function localDateOf(ms: number, zone: string = DEFAULT_TIME_ZONE): LocalDate {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return DateTime.fromObject(parts(date), { zone: "UTC" }).plus({ days }).toISODate()!;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = DateTime.fromObject(parts(from), { zone: "UTC" });
  const b = DateTime.fromObject(parts(to), { zone: "UTC" });
  return Math.round(b.diff(a, "days").days);
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return daysBetween(b, a);
}

export function daysInMonth(year: number, month: number): number {
  return DateTime.fromObject({ year, month, day: 1 }, { zone: "UTC" }).daysInMonth!;
}

/** Interval starts of one local day: 96 normally, 92 on spring-forward, 100 on fall-back days. */
export function localDayIntervalStarts(date: LocalDate, zone: string = DEFAULT_TIME_ZONE): number[] {
  const from = startOfLocalDay(date, zone);
  const to = startOfLocalDay(addDays(date, 1), zone);
  const out: number[] = [];
  for (let t = from; t < to; t += INTERVAL_MS) out.push(t);
  return out;
}

export interface LocalClock {
  /** ISO weekday, 1 = Monday .. 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, by the wall clock. */
  minuteOfDay: number;
  date: LocalDate;
}

/** Wall-clock reading of an instant in `zone`. */
export function localClock(ms: number, zone: string = DEFAULT_TIME_ZONE): LocalClock {
  const dt = DateTime.fromMillis(ms, { zone });
  return { weekday: dt.weekday, minuteOfDay: dt.hour * 60 + dt.minute, date: dt.toISODate()! };
}

/** Human-readable local timestamp, e.g. for errors and logs. */
export function formatLocal(ms: number, zone: string = DEFAULT_TIME_ZONE): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}
