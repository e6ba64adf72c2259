/*
 * Swiss number formats for everything a person reads (documents, node
 * statuses, the CLI, the dashboard): a decimal point and an ASCII
 * apostrophe between thousands, the same in de, fr, it and en-CH
 * (1'234.5 kWh, CHF 1'234.50). lib/render/format.ts builds the invoice
 * formats on this; the apostrophe is ASCII so that what is printed is also
 * what a search or pdftotext finds.
 */

/** Groups the integer part of a plain decimal text with apostrophes: "-1234567.5" -> "-1'234'567.5". */
export function groupThousands(fixed: string): string {
  const neg = fixed.startsWith("-");
  const [int, frac] = (neg ? fixed.slice(1) : fixed).split(".") as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, "'");
  return `${neg ? "-" : ""}${grouped}${frac !== undefined ? `.${frac}` : ""}`;
}

/**
 * A number for display with `decimals` places (or between min and max,
 * trailing zeros beyond min dropped): 1234.5 -> "1'234.5" with {min: 1, max: 3}.
 * Not for money: amounts are decimal texts (formatChf, lib/render/format.ts).
 */
export function swissNumber(v: number, decimals: number | { min: number; max: number } = 0): string {
  if (!Number.isFinite(v)) return String(v);
  const { min, max } = typeof decimals === "number" ? { min: decimals, max: decimals } : decimals;
  let t = v.toFixed(max);
  if (max > min) t = t.replace(new RegExp(`\\.?0{1,${max - min}}$`), (m) => (m.startsWith(".") && min > 0 ? "." : ""));
  if (t.endsWith(".")) t = t.slice(0, -1);
  if (/^-0(\.0*)?$/.test(t)) t = t.slice(1);
  return groupThousands(t);
}

/** An integer count: 12345 -> "12'345". */
export const swissCount = (n: number): string => swissNumber(Math.round(n), 0);

/** An amount from a decimal text, half-up to the Rappen, grouped: "1234.5" -> "1'234.50" (a text that is no decimal is returned as it is). */
export function swissAmount(amount: string | number): string {
  const text = typeof amount === "number" ? amount.toFixed(2) : amount;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  return groupThousands(roundHalfUp2(text));
}

/** Money with its currency: "1234.5" -> "CHF 1'234.50". */
export function formatChf(amount: string | number, currency = "CHF"): string {
  return `${currency} ${swissAmount(amount)}`;
}

/** A decimal text (kWh as the ledger stores it) grouped as it is: "12345.678" -> "12'345.678". */
export function swissDecimalText(text: string): string {
  return /^-?\d+(\.\d+)?$/.test(text) ? groupThousands(text) : text;
}

/** Half-up to two places on the decimal text itself (no binary float on the way). */
function roundHalfUp2(text: string): string {
  const neg = text.startsWith("-");
  const [int, frac = ""] = (neg ? text.slice(1) : text).split(".") as [string, string | undefined];
  const digits = (frac + "000").slice(0, 3);
  let cents = BigInt(int) * 100n + BigInt(digits.slice(0, 2));
  if (Number(digits[2]) >= 5) cents += 1n;
  const s = cents.toString().padStart(3, "0");
  const out = `${s.slice(0, -2)}.${s.slice(-2)}`;
  return neg && cents !== 0n ? `-${out}` : out;
}
