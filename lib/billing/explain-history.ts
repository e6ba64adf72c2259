import { DateTime } from "luxon";
import type { EnergySummary, PeriodUsageFact } from "../model/invoice";
import { addDays, daysBetween, type LocalDate } from "../time/local-date";
import type { BillingPeriod } from "../time/periods";
import { Decimal } from "../util/money";

/*
 * The comparison an invoice prints (decision 0135): the tenancy's household
 * consumption and solar share in the previous period and in the same period
 * a year before. Pure: which invoice or computation supplies them is decided
 * in explain-store.ts.
 */

export interface ComparisonPeriod {
  which: PeriodUsageFact["which"];
  from: LocalDate;
  to: LocalDate;
}

const MONTHS = { month: 1, quarter: 3, "half-year": 6, year: 12 } as const;

function shiftMonths(d: LocalDate, months: number): LocalDate {
  return DateTime.fromISO(d, { zone: "UTC" }).plus({ months }).toISODate()!;
}

/** The previous period of the same kind and the same period last year (for a year, the two are one: only "previous"). */
export function comparisonPeriods(p: Pick<BillingPeriod, "kind" | "from" | "to">): ComparisonPeriod[] {
  let previous: ComparisonPeriod;
  if (p.kind === "custom") {
    const days = daysBetween(p.from, p.to) + 1;
    previous = { which: "previous", from: addDays(p.from, -days), to: addDays(p.from, -1) };
  } else {
    const n = MONTHS[p.kind];
    previous = { which: "previous", from: shiftMonths(p.from, -n), to: addDays(p.from, -1) };
  }
  if (p.kind === "year") return [previous];
  // The same calendar days a year before; a period ending on 29 February ends on the 28th.
  const lastYear: ComparisonPeriod = {
    which: "lastYear",
    from: shiftMonths(p.from, -12),
    to: p.kind === "custom" ? shiftMonths(p.to, -12) : addDays(shiftMonths(addDays(p.to, 1), -12), -1),
  };
  return [previous, lastYear];
}

/** Household consumption (own + common-area share) and solar share of an invoice's energy. */
export function usageOf(e: EnergySummary): { kWh: string; solarShare: string | null } {
  const kWh = new Decimal(e.ownSolarKWh).plus(e.ownBatteryKWh).plus(e.ownGridKWh).plus(e.commonKWh);
  return { kWh: kWh.toFixed(3), solarShare: e.selfSufficiency };
}
