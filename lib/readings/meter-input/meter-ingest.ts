import { parseNumberWithUnit, textResolution, toFieldUnit } from "./value-text";
import {
  addBreakSample,
  BREAK_CONFIRMATIONS,
  COUNTER_TOLERANCE_WH,
  DEFAULT_PLAUSIBILITY_LIMITS,
  stepBackToleranceWh,
  type BreakLimits,
  type PlausibilityLimits,
} from "../counter-break";
import type { BreakCandidate } from "../../model/meter-counter";
import { MAX_RESOLUTION_KWH, type Reading } from "../reading";
import { checkTimestamp, PlausibilityChecker } from "./plausibility-checker";
import { COUNTER_FIELDS, type Field, type RejectReason, type Rejection } from "./rejection";

/** One value as a source delivers it: a number, or text such as "31.0 kWh". */
export interface ValueInput {
  field: Field;
  raw: unknown;
  /** Unit assumed when the value carries none (e.g. "kW" for a Loxone Pf output). */
  defaultUnit?: string;
  /** The step the source reads the value in, in the value's unit (a Modbus register); text states its own by its decimals. */
  resolution?: number;
  /** The source already knows the value is unusable (a Modbus "not available" pattern). */
  problem?: "not-available" | "not-a-number";
}

/** What arrived from a source at one moment: a packet, a poll, a request, a msg. */
export interface Arrival {
  values: ValueInput[];
  /** Epoch ms given by the source; absent = receive time. */
  ts?: unknown;
  serial?: unknown;
  /** The counters' resolution in kWh as the sender states it (the reading message's `resolutionKWh`); wins over what the values tell. */
  resolutionKWh?: unknown;
  /** Where it came from, for messages: "udp 192.168.1.5:5000", "modbus 10.0.0.9:502 unit 3". */
  origin: string;
  /** What arrived, shortened, for messages. */
  excerpt?: string;
}

export interface RejectionReport extends Rejection {
  meter: string;
  origin: string;
  excerpt?: string;
}

export interface MeterIngestOutcome {
  /** The newest reading to send (the last of `readings`). */
  reading?: Reading;
  /**
   * Every reading to send, in time order: usually one; when a new counter is
   * confirmed, the held readings that confirmed it come first, so nothing
   * the new counter measured is lost downstream.
   */
  readings?: Reading[];
  accepted: number;
  rejections: RejectionReport[];
  /** The import counter was accepted (the counter's age in the status starts again). */
  importAccepted?: boolean;
}

/** A counter value that broke with the accepted one and is being confirmed as a new counter. */
export interface PendingBreak {
  field: "importKWh" | "exportKWh";
  kind: "backwards" | "jump";
  /** Newest candidate value in kWh, and the accepted one it broke with. */
  value: number;
  previous: number | undefined;
  count: number;
  needed: number;
}

/**
 * Counts per meter node: every item received (a value, or a packet/body that
 * could not be read as values) is either accepted or rejected for one reason,
 * so received = accepted + sum(rejected). `errors` counts failed polls
 * (timeouts, connection, authentication), which deliver no item.
 */
export interface MeterStats {
  received: number;
  accepted: number;
  rejected: Partial<Record<RejectReason, number>>;
  errors: Record<string, number>;
}

export interface MeterIngestOptions {
  meter: string;
  /** Swap import and export and negate power: for a meter mounted the other way round. */
  invert?: boolean;
  limits?: PlausibilityLimits;
  /** Emit a reading when only power arrived (msg, HTTP push); otherwise only counters trigger one (UDP). */
  emitOnPowerOnly?: boolean;
}

/** The resolution a reading without `resolutionKWh` is taken to have, the builder's (docs/aggregation.md "Resolution"). */
export const DEFAULT_RESOLUTION_KWH = COUNTER_TOLERANCE_WH / 1000;

const SERIAL_PATTERN = /^[\x20-\x7e]{1,64}$/;

/**
 * The functional core of zev-meter-in: takes what a source delivers, converts
 * units, applies the mounting direction, checks plausibility, keeps the latest
 * value of each field (values may arrive in separate packets) and produces the
 * reading message, or says precisely why not.
 */
export class MeterIngest {
  readonly stats: MeterStats = { received: 0, accepted: 0, rejected: {}, errors: {} };
  private readonly checker: PlausibilityChecker;
  private latest: Partial<Record<Field, number>> = {};
  /** Resolution of the latest value of each counter, kWh, where the source told it. */
  private latestResolution: Partial<Record<Field, number>> = {};
  private serial?: string;
  /** Per counter, the readings of a new counter being confirmed (lib/readings/counter-break.ts). */
  private candidates: Partial<Record<Field, BreakCandidate>> = {};
  /** Readings held back while a candidate is being confirmed; sent once it is. */
  private held: Reading[] = [];
  /** Oldest first candidate of a confirmed new counter whose held readings are not yet sent (the other counter may still be confirming). */
  private releaseFrom: number | null = null;
  lastReading?: Reading;

  constructor(private readonly opts: MeterIngestOptions) {
    this.checker = new PlausibilityChecker(opts.limits ?? DEFAULT_PLAUSIBILITY_LIMITS);
  }

  get meter(): string {
    return this.opts.meter;
  }

  offer(arrival: Arrival, now: number): MeterIngestOutcome {
    const rejections: RejectionReport[] = [];
    const report = (r: Rejection): void => {
      this.count(r.reason);
      rejections.push({ ...r, meter: this.opts.meter, origin: arrival.origin, excerpt: arrival.excerpt });
    };
    this.stats.received += arrival.values.length;

    const rejectAll = (r: Rejection): MeterIngestOutcome => {
      for (const v of arrival.values) report({ ...r, field: this.direction(v.field) });
      return { accepted: 0, rejections };
    };
    let ts = now;
    if (arrival.ts !== undefined && arrival.ts !== null) {
      const bad = checkTimestamp(arrival.ts, now);
      if (bad) return rejectAll(bad);
      ts = arrival.ts as number;
    }
    let serial: string | undefined;
    if (arrival.serial !== undefined && arrival.serial !== null) {
      const s = typeof arrival.serial === "number" ? String(arrival.serial) : arrival.serial;
      if (typeof s !== "string" || !SERIAL_PATTERN.test(s)) return rejectAll({ reason: "malformed", detail: "serial must be 1-64 printable characters" });
      serial = s;
    }
    let statedResKWh: number | null = null;
    if (arrival.resolutionKWh !== undefined && arrival.resolutionKWh !== null) {
      const r = typeof arrival.resolutionKWh === "string" && arrival.resolutionKWh.trim() !== "" ? Number(arrival.resolutionKWh) : arrival.resolutionKWh;
      if (typeof r !== "number" || !(r >= 0 && r <= MAX_RESOLUTION_KWH))
        return rejectAll({ reason: "malformed", detail: `resolutionKWh must be a number of kWh between 0 and ${MAX_RESOLUTION_KWH}` });
      statedResKWh = r > 0 ? r : null;
    }
    if (serial !== undefined && this.serial !== undefined && serial !== this.serial) {
      // A new meter: its counters start from their own baseline.
      this.checker.reset();
      this.latest = {};
      this.latestResolution = {};
      this.candidates = {};
      this.held = [];
      this.releaseFrom = null;
    }

    let accepted = 0;
    let counterAccepted = false;
    let importAccepted = false;
    const suspects: Partial<Record<Field, number>> = {};
    let confirmedNow = false;
    for (const v of arrival.values) {
      const field = this.direction(v.field);
      if (v.problem) {
        report({ reason: v.problem, field, value: shortText(v.raw) });
        continue;
      }
      const parsed = parseNumberWithUnit(v.raw);
      if (!parsed) {
        report({ reason: "not-a-number", field, value: shortText(v.raw) });
        continue;
      }
      const converted = toFieldUnit(v.field, parsed.value, parsed.unit, v.defaultUnit);
      if (converted === null) {
        report({ reason: "bad-unit", field, value: shortText(v.raw), detail: `unit ${parsed.unit ?? v.defaultUnit}` });
        continue;
      }
      let value = field === "powerW" ? round(this.opts.invert ? -converted : converted, 3) : round(converted, 6);
      let resKWh: number | null = null;
      if (field !== "powerW") {
        const res = v.resolution ?? textResolution(v.raw);
        const r = res === undefined ? null : toFieldUnit(v.field, res, parsed.unit, v.defaultUnit);
        resKWh = statedResKWh ?? (r !== null && Number.isFinite(r) && r > 0 ? r : null);
        // A step back within the resolution is the same count read differently (float32, rounding): it holds,
        // as in the interval builder, instead of being rejected as "backwards".
        const prev = this.checker.last(field);
        if (prev !== undefined && value < prev && prev - value <= Math.max(DEFAULT_RESOLUTION_KWH, resKWh ?? 0) + 1e-6) value = prev;
      }
      const problem = field === "powerW" ? this.checker.checkPower(value) : this.checker.checkCounter(field, value, ts);
      if (problem && field !== "powerW" && (problem.reason === "backwards" || problem.reason === "jump")) {
        // Not the accepted counter: a glitch, or a reset / replaced meter that the next readings confirm.
        const verdict = addBreakSample(this.candidates[field], problem.reason, { ts, imp: value * 1000, exp: null }, this.breakLimits(resKWh));
        // The candidate holds its value through a step back within the resolution (counter-break.ts).
        value = round(verdict.candidate.samples[verdict.candidate.samples.length - 1]!.imp / 1000, 6);
        if (!verdict.confirmed) {
          this.candidates[field] = verdict.candidate;
          suspects[field] = value;
          report({ ...problem, value: shortText(v.raw), confirming: { count: verdict.candidate.samples.length, needed: BREAK_CONFIRMATIONS } });
          continue;
        }
        const from = verdict.candidate.samples[0]!.ts;
        this.releaseFrom = this.releaseFrom === null ? from : Math.min(this.releaseFrom, from);
        confirmedNow = true;
        delete this.candidates[field];
      } else if (problem) {
        report({ ...problem, value: shortText(v.raw) });
        continue;
      } else if (field !== "powerW") delete this.candidates[field];
      if (field !== "powerW") {
        this.checker.commit(field, value, ts, confirmedNow);
        counterAccepted = true;
        if (resKWh !== null) this.latestResolution[field] = resKWh;
        else delete this.latestResolution[field];
        if (field === "importKWh") importAccepted = true;
      }
      this.latest[field] = value;
      accepted++;
    }
    this.stats.accepted += accepted;
    if (serial !== undefined && accepted > 0) this.serial = serial;

    if (Object.keys(suspects).length > 0) {
      // Held, not sent: a reading with the old counter would be wrong, one with the candidate premature.
      if (this.held[this.held.length - 1]?.ts !== ts) this.held.push({ ...this.readingNow(ts), ...suspects });
      if (this.held.length > 4 * BREAK_CONFIRMATIONS) this.held.shift();
      return { accepted, rejections, importAccepted };
    }
    const from = this.releaseFrom;
    const before = from === null ? [] : this.held.filter((h) => h.ts >= from && h.ts < ts);
    if (from !== null || Object.keys(this.candidates).length === 0) this.held = [];
    this.releaseFrom = null;
    const emit = counterAccepted || (this.opts.emitOnPowerOnly === true && accepted > 0);
    if (!emit) return { accepted, rejections, importAccepted };
    const reading = this.readingNow(ts);
    this.lastReading = reading;
    return { reading, readings: [...before, reading], accepted, rejections, importAccepted };
  }

  /** The counter value being confirmed as a new counter, if any (for the status). */
  pendingBreak(): PendingBreak | undefined {
    for (const field of ["importKWh", "exportKWh"] as const) {
      const c = this.candidates[field];
      if (!c) continue;
      const newest = c.samples[c.samples.length - 1]!;
      return { field, kind: c.kind, value: newest.imp / 1000, previous: this.checker.last(field), count: c.samples.length, needed: BREAK_CONFIRMATIONS };
    }
    return undefined;
  }

  private readingNow(ts: number): Reading {
    const reading: Reading = { meter: this.opts.meter, ts };
    for (const f of COUNTER_FIELDS) if (this.latest[f] !== undefined) reading[f as "importKWh" | "exportKWh"] = this.latest[f];
    if (this.latest.powerW !== undefined) reading.powerW = this.latest.powerW;
    const res = Math.max(0, ...COUNTER_FIELDS.filter((f) => reading[f as "importKWh" | "exportKWh"] !== undefined).map((f) => this.latestResolution[f] ?? 0));
    // Only a step coarser than the default (1 Wh, the builder's rounding) changes anything downstream. Rounded up
    // to the message's 6 decimals of kWh, so the step stated is never finer than the real one.
    // A text counter in MWh without decimals would state 1000 kWh: capped to what a reading may carry.
    const resKWh = Math.min(MAX_RESOLUTION_KWH, Math.ceil(res * 1e6 - 1e-6) / 1e6);
    if (resKWh > DEFAULT_RESOLUTION_KWH) reading.resolutionKWh = resKWh;
    if (this.serial !== undefined) reading.serial = this.serial;
    return reading;
  }

  /** The rule's limits; candidates agree within the counter's resolution, as in the builder (a float32 counter jitters by one step). */
  private breakLimits(resKWh: number | null): BreakLimits {
    const l = this.opts.limits ?? DEFAULT_PLAUSIBILITY_LIMITS;
    return { maxPowerW: l.maxPowerW, slackWh: l.slackWh, toleranceWh: stepBackToleranceWh({ resolutionWh: resKWh === null ? undefined : resKWh * 1000 }) };
  }

  /** Counts one item that could not even be read as values (a malformed packet or body). */
  rejectItem(r: Rejection, origin: string, excerptText?: string): RejectionReport {
    this.stats.received++;
    this.count(r.reason);
    return { ...r, meter: this.opts.meter, origin, excerpt: excerptText };
  }

  /** Counts a failed poll (timeout, connection refused, authentication). */
  countError(kind: string): void {
    this.stats.errors[kind] = (this.stats.errors[kind] ?? 0) + 1;
  }

  totalRejected(): number {
    return Object.values(this.stats.rejected).reduce((a, b) => a + (b ?? 0), 0);
  }

  private count(reason: RejectReason): void {
    this.stats.rejected[reason] = (this.stats.rejected[reason] ?? 0) + 1;
  }

  private direction(field: Field): Field {
    if (!this.opts.invert) return field;
    return field === "importKWh" ? "exportKWh" : field === "exportKWh" ? "importKWh" : field;
  }
}

function round(x: number, places: number): number {
  const f = 10 ** places;
  const r = Math.round(x * f) / f;
  return Number.isFinite(r) ? r : x;
}

function shortText(raw: unknown): string {
  let text: string;
  if (typeof raw === "string") text = raw;
  else {
    try {
      text = JSON.stringify(raw) ?? String(raw);
    } catch {
      text = String(raw);
    }
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
