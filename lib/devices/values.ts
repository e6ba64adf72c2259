import { parseNumberWithUnit } from "../readings/meter-input/value-text";

const FLAG_TRUE = new Set(["1", "true", "on", "yes"]);
const FLAG_FALSE = new Set(["0", "false", "off", "no", ""]);

/** A yes/no value as devices send it: true/false, 0/1 (any number: non-zero), "on"/"off"; null if it is none of these. */
export function parseFlag(raw: unknown): boolean | null {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw !== 0 : null;
  if (typeof raw !== "string") return null;
  const t = raw.trim().toLowerCase();
  if (FLAG_TRUE.has(t)) return true;
  if (FLAG_FALSE.has(t)) return false;
  const n = parseNumberWithUnit(t);
  return n && !n.unit ? n.value !== 0 : null;
}

/** A short, single-line, printable excerpt of what arrived, for logs. */
export function excerpt(data: string | Buffer, max = 80): string {
  const text = typeof data === "string" ? data : data.toString("utf8");
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}…(${text.length} chars)` : clean;
}
