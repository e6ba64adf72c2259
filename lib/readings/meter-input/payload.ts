import { fieldForKey, isMetaKey } from "./fields";
import type { Arrival, ValueInput } from "./meter-ingest";
import type { Rejection } from "./rejection";

export type ParsedPayload = { ok: true; arrivals: Omit<Arrival, "origin" | "excerpt">[] } | { ok: false; rejection: Rejection };

export interface PayloadOptions {
  /** The node's meter id: a payload naming another meter is refused. */
  meter: string;
  /** Accept an array of readings (HTTP push batches). */
  allowArray?: boolean;
  maxItems?: number;
}

/**
 * Reads a payload from a wire or an HTTP body as readings: a bare number (or
 * numeric text) is the import counter; an object carries importKWh /
 * exportKWh / powerW (or import / export / power), optional ts (epoch ms),
 * serial and meter; an array (when allowed) is a batch, sent to the checks in
 * time order.
 */
export function arrivalsFromPayload(payload: unknown, opts: PayloadOptions): ParsedPayload {
  if (typeof payload === "number" || typeof payload === "string") {
    return { ok: true, arrivals: [{ values: [{ field: "importKWh", raw: payload }] }] };
  }
  if (Array.isArray(payload)) {
    if (!opts.allowArray) return bad("an array is not accepted here; send one reading per message");
    const max = opts.maxItems ?? 1000;
    if (payload.length === 0) return bad("empty array");
    if (payload.length > max) return { ok: false, rejection: { reason: "too-large", detail: `${payload.length} readings, at most ${max} per request` } };
    const arrivals: Omit<Arrival, "origin" | "excerpt">[] = [];
    for (const [i, item] of payload.entries()) {
      const one = fromObject(item, opts.meter);
      if (!one.ok) return { ok: false, rejection: { ...one.rejection, detail: `item ${i}: ${one.rejection.detail ?? one.rejection.reason}` } };
      arrivals.push(one.arrival);
    }
    const tsOf = (a: Omit<Arrival, "origin" | "excerpt">): number => (typeof a.ts === "number" ? a.ts : Infinity);
    arrivals.sort((a, b) => tsOf(a) - tsOf(b));
    return { ok: true, arrivals };
  }
  const one = fromObject(payload, opts.meter);
  return one.ok ? { ok: true, arrivals: [one.arrival] } : one;
}

function fromObject(item: unknown, meter: string): { ok: true; arrival: Omit<Arrival, "origin" | "excerpt"> } | { ok: false; rejection: Rejection } {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return bad(`expected a number or an object, got ${describe(item)}`);
  const obj = item as Record<string, unknown>;
  const values: ValueInput[] = [];
  for (const [key, raw] of Object.entries(obj)) {
    const field = fieldForKey(key);
    if (field) {
      if (values.some((v) => v.field === field)) return bad(`${field} given twice`);
      values.push({ field, raw });
    } else if (!isMetaKey(key)) return bad(`unknown field "${key.slice(0, 40)}"`);
  }
  if (obj.meter !== undefined && obj.meter !== meter) {
    return {
      ok: false,
      rejection: { reason: "meter-mismatch", value: String(obj.meter).slice(0, 64), detail: `payload is for meter ${String(obj.meter).slice(0, 64)}` },
    };
  }
  if (values.length === 0) return bad("no importKWh, exportKWh or powerW");
  return { ok: true, arrival: { values, ts: obj.ts, serial: obj.serial, ...(obj.resolutionKWh === undefined ? {} : { resolutionKWh: obj.resolutionKWh }) } };
}

function bad(detail: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { reason: "malformed", detail } };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}
