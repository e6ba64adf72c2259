import { issue, type Issue, type IssueParams } from "../../util/issue";
import { EARLIEST_READING_MS, MAX_RESOLUTION_KWH } from "../reading";
import type { CounterReading } from "./counter-state";

/** No meter counts this far: 1e9 kWh. Larger values are unit mistakes (Wh sent as kWh). */
export const MAX_COUNTER_KWH = 1e9;
/** A building's meter draws far less; beyond this a powerW value is a unit mistake. */
const MAX_ABS_POWER_W = 1e8;

export interface ParsedReading {
  meter: string;
  /** Null for a live-only reading (power without counters). */
  counter: CounterReading | null;
  ts: number;
  powerW: number | null;
}

/** A refused message is a coded problem with its English text (lib/util/issue.ts). */
export type ReadingMessageResult = { ok: true; reading: ParsedReading } | ({ ok: false } & Issue);

/**
 * One caller's objects, filled again by every parse that is given them (the ingest's: a million readings make no
 * million objects to collect). What a parse returns from them holds until the next parse with the same scratch.
 */
export class ReadingScratch {
  readonly counter: CounterReading = { ts: 0, imp: 0, exp: null, serial: null, resolutionWh: undefined };
  readonly reading: ParsedReading = { meter: "", ts: 0, powerW: null, counter: null };
  readonly result: { ok: true; reading: ParsedReading } = { ok: true, reading: this.reading };
}

function num(v: unknown): number | undefined | null {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && /^\s*[-+]?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

/**
 * s.trim(), without the copy trim() makes of a string that has nothing to trim: the ingest then looks the meter up by
 * the message's own string, whose hash is already known, instead of hashing a fresh copy for every reading.
 */
function trimmed(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  // Printable ASCII but the space at both ends: nothing trim() removes (it removes Unicode spaces, hence not > 32 alone).
  return first > 32 && first < 127 && last > 32 && last < 127 ? s : s.trim();
}

function fail(code: string, template: string, params: IssueParams = {}): ReadingMessageResult {
  return { ok: false, ...issue(`reading.${code}`, template, params) };
}

function counterRange(meter: string, field: "importKWh" | "exportKWh", value: number): ReadingMessageResult {
  return fail("counterRange", "meter __meter__: __field__ __value__ is outside 0..__max__ kWh (a counter in Wh sent as kWh?)", {
    meter,
    field,
    value,
    max: MAX_COUNTER_KWH,
  });
}

/**
 * Checks a reading message (lib/readings/reading.ts) from any source and
 * converts it to the builder's units. `topic` names the meter when the
 * payload does not. Numeric strings are accepted (MQTT delivers text); a
 * missing `ts` means "now" (the arrival time), for sources without a clock.
 */
export function parseReadingMessage(payload: unknown, topic: unknown, nowMs: number, scratch?: ReadingScratch): ReadingMessageResult {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload))
    return fail("notObject", "payload must be an object { meter, ts, importKWh, ... }");
  const p = payload as Record<string, unknown>;
  const meterRaw = p.meter ?? topic;
  const meter = typeof meterRaw === "string" ? trimmed(meterRaw) : typeof meterRaw === "number" ? String(meterRaw) : "";
  if (meter === "") return fail("noMeter", "no meter: set payload.meter or msg.topic to the meter id");
  let ts: number;
  if (p.ts === undefined || p.ts === null || p.ts === "") ts = nowMs;
  else if (typeof p.ts === "number") ts = p.ts;
  else if (typeof p.ts === "string" && /^\d+$/.test(p.ts)) ts = Number(p.ts);
  else if (typeof p.ts === "string" && !Number.isNaN(Date.parse(p.ts)) && /[T ]\d{2}:\d{2}/.test(p.ts) && /(Z|[+-]\d{2}:?\d{2})$/.test(p.ts))
    ts = Date.parse(p.ts);
  else return fail("tsFormat", "meter __meter__: ts __ts__ is neither epoch ms nor an ISO time with offset", { meter, ts: String(JSON.stringify(p.ts)) });
  if (!Number.isFinite(ts)) return fail("tsNotNumber", "meter __meter__: ts is not a number", { meter });
  ts = Math.round(ts);
  if (ts < EARLIEST_READING_MS) {
    if (ts > 0 && ts < 1e11)
      return fail("tsSeconds", "meter __meter__: ts __ts__ is before the year 2000 (it looks like seconds; ts must be epoch milliseconds)", { meter, ts });
    return fail("tsBefore2000", "meter __meter__: ts __ts__ is before the year 2000", { meter, ts });
  }
  const imp = num(p.importKWh);
  const exp = num(p.exportKWh);
  const power = num(p.powerW);
  const resolution = num(p.resolutionKWh);
  if (resolution === null || (resolution !== undefined && !(resolution >= 0 && resolution <= MAX_RESOLUTION_KWH))) {
    return fail("resolution", "meter __meter__: resolutionKWh __value__ must be a number of kWh between 0 and __max__", {
      meter,
      value: String(JSON.stringify(p.resolutionKWh)),
      max: MAX_RESOLUTION_KWH,
    });
  }
  if (imp === null)
    return fail("notNumber", "meter __meter__: __field__ __value__ is not a number", { meter, field: "importKWh", value: String(JSON.stringify(p.importKWh)) });
  if (exp === null)
    return fail("notNumber", "meter __meter__: __field__ __value__ is not a number", { meter, field: "exportKWh", value: String(JSON.stringify(p.exportKWh)) });
  if (power === null)
    return fail("notNumber", "meter __meter__: __field__ __value__ is not a number", { meter, field: "powerW", value: String(JSON.stringify(p.powerW)) });
  // Two plain checks, no array per message: every reading of every meter passes here.
  if (imp !== undefined && (imp < 0 || imp > MAX_COUNTER_KWH)) return counterRange(meter, "importKWh", imp);
  if (exp !== undefined && (exp < 0 || exp > MAX_COUNTER_KWH)) return counterRange(meter, "exportKWh", exp);
  if (power !== undefined && Math.abs(power) > MAX_ABS_POWER_W)
    return fail("powerAbsurd", "meter __meter__: powerW __value__ is absurd for a building", { meter, value: power });
  if (imp === undefined && exp !== undefined) return fail("exportOnly", "meter __meter__: exportKWh without importKWh; send both counters", { meter });
  const serial = p.serial === undefined || p.serial === null || p.serial === "" ? null : String(p.serial);
  if (scratch !== undefined) {
    const c = scratch.counter;
    const out = scratch.reading;
    if (imp !== undefined) {
      c.ts = ts;
      c.imp = imp * 1000;
      c.exp = exp === undefined ? null : exp * 1000;
      c.serial = serial;
      c.resolutionWh = resolution === undefined ? undefined : resolution * 1000;
    }
    out.meter = meter;
    out.ts = ts;
    out.powerW = power ?? null;
    out.counter = imp === undefined ? null : c;
    return scratch.result;
  }
  let counter: CounterReading | null = null;
  if (imp !== undefined) {
    // Built field by field, no spread: a spread per message allocated a throwaway object and a slow copy.
    counter = { ts, imp: imp * 1000, exp: exp === undefined ? null : exp * 1000, serial };
    if (resolution !== undefined) counter.resolutionWh = resolution * 1000;
  }
  return { ok: true, reading: { meter, ts, powerW: power ?? null, counter } };
}
