import type { Quality } from "../../model/quality";
import { INTERVAL_MS } from "../../time/interval";
import type { BuilderOptions, BuilderSink, CounterReading, ReadingOutcome, ReadingRejection, RejectCode } from "./counter-state";
import type { BreakCandidate, CounterEventKind, MeterCounterState } from "../../model/meter-counter";
import {
  addBreakSample,
  asBreakCandidate,
  BREAK_CONFIRMATIONS,
  COUNTER_TOLERANCE_WH,
  maxRiseWh,
  stepBackToleranceWh,
  type BreakLimits,
  type PlausibilityLimits,
} from "../counter-break";
import { worstQuality } from "../../model/quality";
import { issue, type IssueParams } from "../../util/issue";

/*
 * Cumulative counter -> energy per quarter hour, one meter at a time
 * (docs/aggregation.md). The counter is interpolated linearly to every
 * interval boundary between two readings and rounded to whole Wh; an
 * interval's energy is the difference of its two boundary values. The sums
 * therefore telescope: over any run of intervals they equal the counter
 * difference between its first and last boundary, to the Wh.
 *
 * No I/O and no clock: `applyReading` mutates `state` in place (the ingest
 * path owns it and persists it with the rows) and reports rows to `sink`.
 */

/** Consecutive, mutually consistent readings that are taken as a new counter (the one rule, lib/readings/counter-break.ts). */
export const JUMP_CONFIRMATIONS = BREAK_CONFIRMATIONS;

const ACCEPTED_NOTHING_CLOSED: ReadingOutcome = Object.freeze({ kind: "accepted", closed: 0 }) as ReadingOutcome;
const DUPLICATE: ReadingOutcome = Object.freeze({ kind: "duplicate" });
const LATE: ReadingOutcome = Object.freeze({ kind: "late" });

function startOf(ms: number): number {
  return Math.floor(ms / INTERVAL_MS) * INTERVAL_MS;
}

function plausibleRise(fromImp: number, fromExp: number | null, r: CounterReading, dtMs: number, l: PlausibilityLimits): boolean {
  const limit = maxRiseWh(dtMs, l.maxPowerW, l.slackWh);
  if (r.imp - fromImp > limit) return false;
  if (r.exp !== null && fromExp !== null && r.exp - fromExp > limit) return false;
  return true;
}

/** `confirmed`: a break the rule confirmed; the reading it starts at is taken with this event (see takeBreak). */
export function applyReading(
  state: MeterCounterState,
  r: CounterReading,
  opts: BuilderOptions,
  sink: BuilderSink,
  confirmed: CounterEventKind | null = null,
): ReadingOutcome {
  if (r.ts > opts.nowMs + opts.maxFutureMs) {
    return rejected("future", "reading at __ts__ is __minutes__ min in the future (clock wrong, or ts not in epoch ms?)", {
      ts: new Date(r.ts).toISOString(),
      minutes: Math.round((r.ts - opts.nowMs) / 60000),
    });
  }
  const last = state.last;
  if (last === null) {
    state.last = { ts: r.ts, imp: r.imp, exp: r.exp };
    state.serial = r.serial;
    if (r.ts % INTERVAL_MS === 0) {
      state.anchor = { ms: r.ts, imp: Math.round(r.imp), exp: r.exp === null ? null : Math.round(r.exp) };
      state.openQuality = "measured";
    }
    return ACCEPTED_NOTHING_CLOSED;
  }
  if (r.ts < last.ts) return LATE;
  const tol = stepBackToleranceWh(r);
  if (r.ts === last.ts) {
    const same =
      sameCount(r.imp, last.imp, tol) &&
      (r.exp === null || (last.exp !== null && sameCount(r.exp, last.exp, tol))) &&
      (r.serial === null || r.serial === state.serial);
    if (same) return DUPLICATE;
    return rejected("conflict", "a different reading for __ts__ was already accepted (import __acceptedKWh__ kWh, now __kWh__ kWh)", {
      ts: new Date(r.ts).toISOString(),
      acceptedKWh: last.imp / 1000,
      kWh: r.imp / 1000,
    });
  }

  const dt = r.ts - last.ts;
  // A reading without an export counter keeps the last one: no flow invented.
  let rExp = r.exp ?? last.exp;
  let event: CounterEventKind | null = null;
  const swapped = r.serial !== null && state.serial !== null && r.serial !== state.serial;
  const dropped = r.imp < last.imp - tol || (rExp !== null && last.exp !== null && rExp < last.exp - tol);
  if (swapped) event = "swap";
  else if (confirmed !== null) event = confirmed;
  else if (dropped || !plausibleRise(last.imp, last.exp, r, dt, opts)) {
    // Without a serial a new counter is taken only once several readings agree on it (lib/readings/counter-break.ts).
    const verdict = addBreakSample(
      asBreakCandidate(state.suspect),
      dropped ? "backwards" : "jump",
      { ts: r.ts, imp: r.imp, exp: rExp },
      breakLimits(opts, tol),
    );
    if (!verdict.confirmed) {
      state.suspect = verdict.candidate;
      const count = verdict.candidate.samples.length;
      return { ...breakRejection(last, r, rExp, dropped, dt, opts, count), confirming: { count, needed: BREAK_CONFIRMATIONS } };
    }
    state.suspect = null;
    return takeBreak(state, verdict.candidate, r.serial, opts, sink);
  }
  state.suspect = null;
  // A step back within the resolution is the same count read differently (a float32 register against an exact
  // history, rounding at the source): the counter holds its last value. Keeping the higher value, not moving the
  // offset, invents nothing: energy is counted again only once the meter passes the held value.
  let rImp = r.imp;
  if (event === null) {
    if (rImp < last.imp) rImp = last.imp;
    if (rExp !== null && last.exp !== null && rExp < last.exp) rExp = last.exp;
  }

  // Continuous counter values of the two readings that bound this segment.
  const vl = last.imp + state.offset.imp;
  const vle = last.exp === null ? null : last.exp + state.offset.exp;
  let q: Quality;
  if (event !== null) {
    // Flat across the break: what the old count did after `last` is unknown, and the new count starts here.
    state.offset.imp = vl - rImp;
    if (rExp !== null) state.offset.exp = (vle ?? rExp) - rExp;
    sink.event({
      kind: event,
      ts: r.ts,
      details: {
        fromTs: last.ts,
        before: { serial: state.serial, importWh: last.imp, exportWh: last.exp },
        after: { serial: r.serial ?? state.serial, importWh: rImp, exportWh: rExp },
      },
    });
    q = dt > opts.gapLimitMs ? "missing" : event === "swap" && dt <= opts.maxMeasuredGapMs ? "interpolated" : "estimated";
  } else {
    q = dt <= opts.maxMeasuredGapMs ? "measured" : dt <= opts.gapLimitMs ? "interpolated" : "missing";
  }
  const vr = Math.max(vl, rImp + state.offset.imp);
  // An export counter seen for the first time starts flat at its first value.
  const vleFrom = vle ?? (rExp === null ? null : rExp + state.offset.exp);
  const vre = rExp === null ? null : Math.max(vleFrom!, rExp + state.offset.exp);
  if (state.anchor !== null && state.anchor.exp === null && vre !== null) state.anchor.exp = Math.round(vleFrom!);

  let closed = 0;
  if (state.anchor !== null) state.openQuality = worstQuality(state.openQuality, q);
  for (let b = startOf(last.ts) + INTERVAL_MS; b <= r.ts; b += INTERVAL_MS) {
    const f = (b - last.ts) / dt;
    const a = state.anchor;
    // Boundary values never fall below the previous boundary (float noise in offsets and interpolation), so no
    // interval is negative; each interval is still the difference of its two boundaries, so sums telescope.
    const vImp = monotone(b === r.ts ? Math.round(vr) : Math.round(vl + (vr - vl) * f), a?.imp ?? null);
    const vExp = vre === null ? null : monotone(b === r.ts ? Math.round(vre) : Math.round(vleFrom! + (vre - vleFrom!) * f), a?.exp ?? null);
    if (a !== null) {
      // The meter's own counter at this boundary (decision 0133); inside a break it is neither the old count nor the new.
      const counterWh = event !== null && b < r.ts ? null : Math.round(vImp - state.offset.imp);
      closeInterval(state, a.ms, vImp - a.imp, vExp === null || a.exp === null ? null : vExp - a.exp, sink, counterWh);
      closed++;
    }
    state.anchor = { ms: b, imp: vImp, exp: vExp };
    state.openQuality = b < r.ts ? q : "measured";
  }
  // In place: one object per meter rather than one per reading (nothing keeps the previous `last`).
  last.ts = r.ts;
  last.imp = rImp;
  last.exp = rExp;
  if (r.serial !== null) state.serial = r.serial;
  return closed === 0 && event === null ? ACCEPTED_NOTHING_CLOSED : { kind: "accepted", closed };
}

/** A held counter (see applyReading) stored its previous, higher value: the same reading sent again is a duplicate. */
function sameCount(v: number, held: number, tol: number): boolean {
  return v === held || (v < held && held - v <= tol);
}

function monotone(v: number, previous: number | null): number {
  return previous !== null && v < previous ? previous : v;
}

function closeInterval(
  state: MeterCounterState,
  startMs: number,
  importWh: number,
  exportWh: number | null,
  sink: BuilderSink,
  counterWh: number | null,
): void {
  const quality = state.openQuality;
  if (quality !== "missing") {
    state.gap = null;
    sink.counter?.(startMs, counterWh);
    sink.interval({ startMs, importWh, exportWh, quality });
    return;
  }
  sink.counter?.(startMs, counterWh);
  sink.interval({ startMs, importWh: null, exportWh: null, quality });
  const g = state.gap;
  if (g !== null && g.toMs === startMs) {
    g.toMs = startMs + INTERVAL_MS;
    g.imp += importWh;
    g.exp = g.exp === null || exportWh === null ? (g.exp ?? exportWh) : g.exp + exportWh;
  } else {
    state.gap = { fromMs: startMs, toMs: startMs + INTERVAL_MS, imp: importWh, exp: exportWh };
  }
  const cur = state.gap!;
  sink.gap({ fromMs: cur.fromMs, toMs: cur.toMs, importWh: cur.imp, exportWh: cur.exp });
}

/** The builder's limits as the break rule needs them; candidates agree within the counter's resolution (`toleranceWh`). */
export function breakLimits(opts: BuilderOptions, toleranceWh: number = COUNTER_TOLERANCE_WH): BreakLimits {
  return { maxPowerW: opts.maxPowerW, slackWh: opts.slackWh, toleranceWh };
}

function rejected(code: RejectCode, template: string, params: IssueParams): ReadingRejection {
  return { kind: "rejected", ...issue(code, template, params), code };
}

/** A backwards or jumping counter, `params.change` says which (one code, implausible, as the ingest counts it). */
function breakRejection(
  last: { ts: number; imp: number; exp: number | null },
  r: CounterReading,
  rExp: number | null,
  dropped: boolean,
  dt: number,
  opts: BuilderOptions,
  count: number,
): ReadingRejection {
  const progress = { count, needed: BREAK_CONFIRMATIONS };
  if (dropped) {
    const imp = r.imp < last.imp - COUNTER_TOLERANCE_WH;
    const back = imp
      ? { field: "import", fromKWh: last.imp / 1000, toKWh: r.imp / 1000 }
      : { field: "export", fromKWh: (last.exp ?? 0) / 1000, toKWh: (rExp ?? 0) / 1000 };
    const template =
      "counter went backwards (__field__ __fromKWh__ -> __toKWh__ kWh); taken as a new counter (reset or replaced meter) once __needed__ consistent readings agree (__count__/__needed__)";
    return rejected("implausible", template, { change: "backwards", ...back, ...progress });
  }
  const kw = Math.round(((r.imp - last.imp) / dt) * 3600);
  const template =
    "counter rose __kWh__ kWh in __seconds__ s (__kW__ kW average, limit __limitKW__ kW); accepted as a counter jump after __needed__ consistent readings (__count__/__needed__)";
  const rise = { kWh: ((r.imp - last.imp) / 1000).toFixed(3), seconds: Math.round(dt / 1000), kW: kw, limitKW: opts.maxPowerW / 1000 };
  return rejected("implausible", template, { change: "jump", ...rise, ...progress });
}

/**
 * A confirmed new counter: flat from the last accepted reading to the first
 * candidate (what happened in between is unknown), then every further
 * candidate as an ordinary reading, so the energy the new counter measured
 * is kept.
 */
function takeBreak(state: MeterCounterState, c: BreakCandidate, serial: string | null, opts: BuilderOptions, sink: BuilderSink): ReadingOutcome {
  const kind: CounterEventKind = c.kind === "backwards" ? "reset" : "jump";
  const details = { confirmedBy: c.samples.length, confirmedTs: c.samples[c.samples.length - 1]!.ts };
  let closed = 0;
  // The break's event says how it was confirmed.
  const first: BuilderSink = {
    interval: (r) => sink.interval(r),
    gap: (g) => sink.gap(g),
    event: (e) => sink.event({ ...e, details: { ...e.details, ...details } }),
  };
  c.samples.forEach((s, i) => {
    const out = applyReading(state, { ts: s.ts, imp: s.imp, exp: s.exp, serial }, opts, i === 0 ? first : sink, i === 0 ? kind : null);
    if (out.kind === "accepted") closed += out.closed;
  });
  return { kind: "accepted", closed };
}
