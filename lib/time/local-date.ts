import { DateTime } from "luxon";
import { INTERVAL_MS } from "./interval";

/** A calendar date in the community's time zone, written YYYY-MM-DD. */
export type LocalDate = string;

export const DEFAULT_TIME_ZONE = "Europe/Zurich";

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid YYYY-MM-DD, or NaN. Plain integer math: this runs per day and unit in billing. */
function dayNumber(value: string): number {
  const m = LOCAL_DATE_RE.exec(value);
  if (!m) return NaN;
  const y = +m[1]!,
    mo = +m[2]!,
    d = +m[3]!;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return NaN;
  return ms / 86400000;
}

function fromDayNumber(n: number): LocalDate {
  return new Date(n * 86400000).toISOString().slice(0, 10);
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === "string" && !Number.isNaN(dayNumber(value));
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
  assertLocalDate(date, "date");
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (Number.isNaN(a)) assertLocalDate(from, "date");
  if (Number.isNaN(b)) assertLocalDate(to, "date");
  return b - a;
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return daysBetween(b, a);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
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
