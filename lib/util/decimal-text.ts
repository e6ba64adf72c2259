/** Why decimal text is not a number of the kind asked for. */
export type DecimalTextProblem = "negative" | "not-a-number" | "too-large";

/**
 * A non-negative decimal as files from operators and chargers write it (a
 * point or a comma, ' or spaces as thousands marks, 1,234.5 with both) in
 * whole units of 10^-places, rounded half up at that place: "41789.2875" at 3
 * places is 41789288. Integer arithmetic on the digits, never a binary float.
 */
export function parseScaledDecimal(raw: string, places: number, max: number): { value: number } | { problem: DecimalTextProblem } {
  let t = raw.trim().replace(/['\u2019\s]/g, "");
  if (t.includes(",") && t.includes(".")) t = t.replace(/,/g, "");
  else t = t.replace(",", ".");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return { problem: /^-/.test(t) ? "negative" : "not-a-number" };
  const frac = (m[2] ?? "").padEnd(places + 1, "0");
  const value = Number(m[1]) * 10 ** places + (places ? Number(frac.slice(0, places)) : 0) + (Number(frac[places]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(value) || value > max) return { problem: "too-large" };
  return { value };
}
