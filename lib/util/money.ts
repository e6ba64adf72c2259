import DecimalBase from "decimal.js";

/**
 * Decimal arithmetic for money (docs/decisions/0003). A private Decimal
 * class so no other library's settings can change ours: 40 significant
 * digits, rounding half-up (kaufmännisch) where a rounding mode is implied.
 */
export const Decimal = DecimalBase.clone({ precision: 40, rounding: DecimalBase.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | string | number;

export const ZERO = new Decimal(0);

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Parses a price or amount typed by a person ("0.2150", "12", "0,25"); throws a clear error otherwise. */
export function parseDecimal(value: unknown, what: string): Decimal {
  const text =
    typeof value === "number"
      ? String(value)
      : String(value ?? "")
          .trim()
          .replace(",", ".");
  if (!DECIMAL_TEXT.test(text)) throw new RangeError(`${what} must be a decimal number like 0.215, got ${JSON.stringify(value)}`);
  return new Decimal(text);
}

/** Half-up to 0.01: line amounts. */
export function roundCents(x: DecimalInput): Decimal {
  return new Decimal(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Half-up to 0.05 (Swiss cash rounding): invoice totals in CHF. */
export function roundFiveCents(x: DecimalInput): Decimal {
  return new Decimal(x).mul(20).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).div(20);
}

/** Amount text with exactly two decimals, as stored and printed: "12.35". */
export function money(x: DecimalInput): string {
  return new Decimal(x).toFixed(2);
}

/** mWh (integer) -> kWh as Decimal, exact. */
export function kwhFromMWh(mwh: number): Decimal {
  return new Decimal(mwh).div(1_000_000);
}
