import type { Field } from "./rejection";

/**
 * Numbers as devices and integrators write them: "531.68", "31.0 kWh",
 * "-1.2kW", "1e3 Wh", numbers. A decimal comma is refused ("1,234" could be
 * 1.234 or 1234): returns null, and the caller rejects it as not-a-number.
 */
export interface NumberWithUnit {
  value: number;
  unit?: string;
}

const NUMBER_WITH_UNIT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]{1,4})?$/;

export function parseNumberWithUnit(raw: unknown): NumberWithUnit | null {
  if (typeof raw === "number") return Number.isFinite(raw) ? { value: raw } : null;
  if (typeof raw !== "string") return null;
  const text = raw.trim();
  if (text.length === 0 || text.length > 40) return null;
  const m = NUMBER_WITH_UNIT.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return null;
  return m[2] ? { value, unit: m[2] } : { value };
}

/**
 * For a value written as text: the step of its last digit in the value's
 * unit ("41789.3 kWh" -> 0.1, "41789" -> 1, "1.5e3" -> 100). A device that
 * prints a counter with few decimals reads it no finer than that. Undefined
 * for a number, whose step the text does not tell.
 */
export function textResolution(raw: unknown): number | undefined {
  if (typeof raw !== "string") return undefined;
  const m = NUMBER_WITH_UNIT.exec(raw.trim());
  if (!m) return undefined;
  const [mantissa, exponent] = m[1]!.toLowerCase().replace(/^[+-]/, "").split("e");
  const dot = mantissa!.indexOf(".");
  const decimals = dot < 0 ? 0 : mantissa!.length - dot - 1;
  return 10 ** (Number(exponent ?? 0) - decimals);
}

const COUNTER_FACTORS: Record<string, number> = { wh: 0.001, kwh: 1, mwh: 1000 };
const POWER_FACTORS: Record<string, number> = { w: 1, kw: 1000, mw: 1_000_000 };

/**
 * Converts a value to the field's unit (kWh for counters, W for power).
 * `unit` is what came with the value; `defaultUnit` what the source is
 * configured to send when the value carries none. Returns null when the unit
 * does not belong to the field.
 */
export function toFieldUnit(field: Field, value: number, unit: string | undefined, defaultUnit?: string): number | null {
  const u = (unit ?? defaultUnit ?? (field === "powerW" ? "W" : "kWh")).toLowerCase();
  const factor = field === "powerW" ? POWER_FACTORS[u] : COUNTER_FACTORS[u];
  if (factor === undefined) return null;
  return value * factor;
}
