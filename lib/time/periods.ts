import { DateTime } from "luxon";
import { addDays, assertLocalDate, daysBetween, daysInMonth, DEFAULT_TIME_ZONE, LocalDate, startOfLocalDay } from "./local-date";

export type PeriodKind = "month" | "quarter" | "half-year" | "year" | "custom";

/**
 * A billing period: whole local days from `from` to `to`, both inclusive, as a
 * person reads them on an invoice. `startMs`/`endMs` is the same span as the
 * half-open instant range [startMs, endMs) in the community's zone.
 */
export interface BillingPeriod {
  kind: PeriodKind;
  /** Canonical text: 2026-10, 2026-Q4, 2026-H2, 2026, or 2026-10-05..2026-10-20. */
  label: string;
  from: LocalDate;
  to: LocalDate;
  startMs: number;
  endMs: number;
  zone: string;
}

export function periodFromDates(from: LocalDate, to: LocalDate, zone: string = DEFAULT_TIME_ZONE, kind: PeriodKind = "custom", label?: string): BillingPeriod {
  assertLocalDate(from, "period start");
  assertLocalDate(to, "period end");
  if (daysBetween(from, to) < 0) throw new RangeError(`period end ${to} is before its start ${from}`);
  return {
    kind,
    label: label ?? `${from}..${to}`,
    from,
    to,
    startMs: startOfLocalDay(from, zone),
    endMs: startOfLocalDay(addDays(to, 1), zone),
    zone,
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function monthSpan(year: number, firstMonth: number, months: number): { from: LocalDate; to: LocalDate } {
  const lastMonth = firstMonth + months - 1;
  return {
    from: `${year}-${pad2(firstMonth)}-01`,
    to: `${year}-${pad2(lastMonth)}-${pad2(daysInMonth(year, lastMonth))}`,
  };
}

/**
 * Reads a period as an admin or a script writes it:
 * `2026-10` (month), `2026-Q4` (quarter), `2026-H2` (half-year), `2026` (year),
 * `2026-10-05..2026-10-20` or `2026-10-05/2026-10-20` (custom, both days inclusive).
 */
export function parsePeriod(text: string, zone: string = DEFAULT_TIME_ZONE): BillingPeriod {
  const s = String(text).trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const year = +m[1]!,
      month = +m[2]!;
    if (month < 1 || month > 12) throw new RangeError(`no month ${m[2]} in period ${JSON.stringify(text)}`);
    const { from, to } = monthSpan(year, month, 1);
    return periodFromDates(from, to, zone, "month", s);
  }
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(s))) {
    const year = +m[1]!,
      q = +m[2]!;
    const { from, to } = monthSpan(year, (q - 1) * 3 + 1, 3);
    return periodFromDates(from, to, zone, "quarter", `${year}-Q${q}`);
  }
  if ((m = /^(\d{4})-H([12])$/i.exec(s))) {
    const year = +m[1]!,
      h = +m[2]!;
    const { from, to } = monthSpan(year, (h - 1) * 6 + 1, 6);
    return periodFromDates(from, to, zone, "half-year", `${year}-H${h}`);
  }
  if ((m = /^(\d{4})$/.exec(s))) {
    const year = +m[1]!;
    return periodFromDates(`${year}-01-01`, `${year}-12-31`, zone, "year", s);
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|\/)\s*(\d{4}-\d{2}-\d{2})$/.exec(s))) {
    return periodFromDates(m[1]!, m[2]!, zone, "custom");
  }
  throw new RangeError(`cannot read period ${JSON.stringify(text)}: write 2026-10, 2026-Q4, 2026-H2, 2026 or 2026-10-05..2026-10-20`);
}

/** Number of local days in the period, both ends included. */
export function periodDays(p: { from: LocalDate; to: LocalDate }): number {
  return daysBetween(p.from, p.to) + 1;
}

/**
 * The overlap of two inclusive date ranges, or null. `to` may be undefined
 * for an open end (a tenancy that has not ended).
 */
export function overlapDates(
  a: { from: LocalDate; to?: LocalDate | null },
  b: { from: LocalDate; to?: LocalDate | null },
): { from: LocalDate; to: LocalDate | null } | null {
  const from = daysBetween(a.from, b.from) > 0 ? b.from : a.from;
  let to: LocalDate | null;
  if (a.to == null) to = b.to ?? null;
  else if (b.to == null) to = a.to;
  else to = daysBetween(a.to, b.to) < 0 ? b.to : a.to;
  if (to !== null && daysBetween(from, to) < 0) return null;
  return { from, to };
}

export interface MonthSlice {
  /** YYYY-MM */
  month: string;
  /** Days of the slice inside that month. */
  days: number;
  daysInMonth: number;
  from: LocalDate;
  to: LocalDate;
}

/** Splits an inclusive date range into its calendar months (for monthly fees pro rata by days). */
export function monthSlices(from: LocalDate, to: LocalDate): MonthSlice[] {
  assertLocalDate(from, "from");
  assertLocalDate(to, "to");
  const out: MonthSlice[] = [];
  let cursor = from;
  while (daysBetween(cursor, to) >= 0) {
    const dt = DateTime.fromISO(cursor, { zone: "UTC" });
    const dim = dt.daysInMonth!;
    const monthEnd = `${dt.toFormat("yyyy-MM")}-${pad2(dim)}`;
    const sliceEnd = daysBetween(monthEnd, to) < 0 ? to : monthEnd;
    out.push({ month: dt.toFormat("yyyy-MM"), days: daysBetween(cursor, sliceEnd) + 1, daysInMonth: dim, from: cursor, to: sliceEnd });
    cursor = addDays(sliceEnd, 1);
  }
  return out;
}

export type RelativePeriod =
  "current-month" | "previous-month" | "current-quarter" | "previous-quarter" | "current-half-year" | "previous-half-year" | "current-year" | "previous-year";
export const RELATIVE_PERIODS: readonly RelativePeriod[] = [
  "current-month",
  "previous-month",
  "current-quarter",
  "previous-quarter",
  "current-half-year",
  "previous-half-year",
  "current-year",
  "previous-year",
];

/** A period named relative to `nowMs` in `zone` (for schedules: "bill the previous month on the 1st"). */
export function relativePeriod(name: RelativePeriod, nowMs: number, zone: string = DEFAULT_TIME_ZONE): BillingPeriod {
  const now = DateTime.fromMillis(nowMs, { zone });
  const [which, unit] = name.startsWith("current-") ? [0, name.slice(8)] : [-1, name.slice(9)];
  if (unit === "month") {
    const d = now.plus({ months: which });
    return parsePeriod(d.toFormat("yyyy-MM"), zone);
  }
  if (unit === "quarter") {
    const d = now.plus({ months: 3 * which });
    return parsePeriod(`${d.year}-Q${Math.ceil(d.month / 3)}`, zone);
  }
  if (unit === "half-year") {
    const d = now.plus({ months: 6 * which });
    return parsePeriod(`${d.year}-H${d.month <= 6 ? 1 : 2}`, zone);
  }
  return parsePeriod(String(now.year + which), zone);
}

/** A period as text (absolute or relative) or a {from, to} object. */
export function resolvePeriod(spec: unknown, nowMs: number, zone: string = DEFAULT_TIME_ZONE): BillingPeriod {
  if (spec && typeof spec === "object" && "from" in spec && "to" in spec) {
    const o = spec as { from: unknown; to: unknown };
    return periodFromDates(String(o.from), String(o.to), zone);
  }
  const text = String(spec ?? "").trim();
  if ((RELATIVE_PERIODS as readonly string[]).includes(text)) return relativePeriod(text as RelativePeriod, nowMs, zone);
  return parsePeriod(text, zone);
}
