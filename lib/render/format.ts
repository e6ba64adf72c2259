import { isLocalDate, type LocalDate } from "../time/local-date";
import { Decimal } from "../util/money";
import { groupThousands } from "../util/swiss-number";

/*
 * Swiss number and date formats for documents, the same in de, fr, it and
 * en-CH: dates dd.MM.yyyy, a decimal point, and an apostrophe between
 * thousands (1'234.50). Everything works on the decimal text the invoice
 * stores, never on binary floats. The ASCII apostrophe is used (not U+2019)
 * so that the printed text is also what a search or pdftotext finds.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

function decimalText(value: string | Decimal, what: string): Decimal {
  if (value instanceof Decimal) return value;
  if (!DECIMAL.test(value)) throw new RangeError(`${what} ${JSON.stringify(value)} is not a decimal number`);
  return new Decimal(value);
}

const group = groupThousands;

/** An amount with two decimals: "1234.5" -> "1'234.50". */
export function formatAmount(value: string | Decimal): string {
  return group(decimalText(value, "amount").toFixed(2, Decimal.ROUND_HALF_UP));
}

/** kWh with three decimals: "1234.5" -> "1'234.500". */
export function formatKWh(value: string | Decimal): string {
  return group(decimalText(value, "kWh").toFixed(3, Decimal.ROUND_HALF_UP));
}

/** A unit price as the plan gives it, at least 2 and at most 5 decimals: "0.2" -> "0.20", "0.2150" -> "0.215". */
export function formatPrice(value: string | Decimal): string {
  const d = decimalText(value, "price");
  const places = Math.min(5, Math.max(2, d.decimalPlaces()));
  return group(d.toFixed(places, Decimal.ROUND_HALF_UP));
}

/** A fraction 0..1 as percent with one decimal: "0.5123" -> "51.2 %". */
export function formatShare(value: string | Decimal): string {
  return `${decimalText(value, "share").mul(100).toFixed(1, Decimal.ROUND_HALF_UP)} %`;
}

/** A VAT rate as a fraction ("0.081") written as the law does: "8.1 %". */
export function formatVatRate(rate: string): string {
  return `${decimalText(rate, "VAT rate").mul(100).toString()} %`;
}

/** "2026-11-30" -> "30.11.2026". */
export function formatDate(date: LocalDate): string {
  if (!isLocalDate(date)) throw new RangeError(`date ${JSON.stringify(date)} must be written YYYY-MM-DD`);
  const [y, m, d] = date.split("-");
  return `${d}.${m}.${y}`;
}

/** "01.11.2026 – 30.11.2026", or one date when both are the same day. */
export function formatDateRange(from: LocalDate, to: LocalDate): string {
  return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
}

/** Swico S1 dates: "2026-12-01" -> "261201". */
export { swicoDate } from "../billing/issuable";

/** A fee quantity as stored on the line: "15/30" (days of a month) or "3" (whole months). */
export type FeeQuantity = { kind: "days"; days: number; daysInMonth: number } | { kind: "months"; months: number };

export function parseFeeQuantity(quantity: string): FeeQuantity {
  const days = /^(-?\d+)\/(\d+)$/.exec(quantity);
  if (days) return { kind: "days", days: Number(days[1]), daysInMonth: Number(days[2]) };
  if (/^-?\d+$/.test(quantity)) return { kind: "months", months: Number(quantity) };
  throw new RangeError(`fee quantity ${JSON.stringify(quantity)} is neither "days/days-in-month" nor a number of months`);
}
