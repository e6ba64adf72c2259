import { Decimal } from "../util/money";
import { daysBetween, LocalDate } from "../time/local-date";

/** Swiss standard VAT rates by the date they took effect (MWSTG Art. 25). */
export const SWISS_STANDARD_VAT: readonly { from: LocalDate; rate: string }[] = [
  { from: "2011-01-01", rate: "0.080" },
  { from: "2018-01-01", rate: "0.077" },
  { from: "2024-01-01", rate: "0.081" },
];

/** Standard rate in force on `date` (supplies are taxed by the date of supply). */
export function vatRateOn(date: LocalDate): Decimal {
  let rate: string | undefined;
  for (const r of SWISS_STANDARD_VAT) if (daysBetween(r.from, date) >= 0) rate = r.rate;
  if (rate === undefined) throw new RangeError(`no Swiss VAT rate known for ${date}`);
  return new Decimal(rate);
}
