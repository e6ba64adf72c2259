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

/** Dates inside [from, to] where the rate changes, including `from`: the VAT segments of a period. */
export function vatSegments(from: LocalDate, to: LocalDate): { from: LocalDate; to: LocalDate; rate: Decimal }[] {
  const starts = [from, ...SWISS_STANDARD_VAT.map((r) => r.from).filter((d) => daysBetween(from, d) > 0 && daysBetween(d, to) >= 0)];
  return starts.map((s, i) => {
    const next = starts[i + 1];
    const end = next ? addDaysLocal(next, -1) : to;
    return { from: s, to: end, rate: vatRateOn(s) };
  });
}

function addDaysLocal(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
