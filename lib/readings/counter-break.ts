/*
 * The one rule for counter resets and jumps on sources without a serial
 * (docs/aggregation.md "Meter replacement and resets", decision 0062).
 *
 * A reading whose counter does not continue the accepted one (it went back,
 * or rose faster than the installation can draw) is not accepted at once: a
 * single glitch (a Modbus read of 0, a Wh/kWh mix-up) must not move the
 * counter. It is kept as a candidate. Consecutive candidates that agree with
 * each other (monotone and plausible among themselves) are a new counter; the
 * BREAK_CONFIRMATIONS-th of them confirms it, and all of them are taken, so no
 * energy measured on the new counter is lost. A reading that continues the
 * old counter again discards the candidates (it was a glitch).
 *
 * zev-meter-in (lib/readings/meter-input/meter-ingest.ts) and the interval builder
 * (lib/readings/intervals/interval-builder.ts) both decide with these functions, so a
 * reading zev-meter-in lets through after confirming is confirmed by the
 * builder with the same readings. The plausibility limits below are the same
 * one set for both sides, in W and Wh.
 *
 * Pure: no clock, no I/O. Counters in Wh.
 */

import type { BreakCandidate, CounterSample } from "../model/meter-counter";

/** Readings of a new counter that agree with each other before it is taken. */
export const BREAK_CONFIRMATIONS = 3;

/** The installation's power a counter may not rise faster than, unless a node is configured otherwise (1000 kW). */
export const DEFAULT_MAX_POWER_W = 1_000_000;

/**
 * Resolution allowance added to every allowed rise: 1 kWh, a counter read
 * without decimals (a Loxone `<v>`, a kWh display). zev-meter-in
 * (lib/readings/meter-input/plausibility-checker.ts) and the interval builder both
 * take it from here, so a rise zev-meter-in lets through is never held by the
 * builder as a break candidate (docs/aggregation.md "Plausibility limits").
 */
export const JUMP_SLACK_WH = 1000;

/** How fast a counter may rise: the limits of the one plausibility rule (maxRiseWh), for meter input and interval building alike. */
export interface PlausibilityLimits {
  /** A counter rising faster than this is implausible; power beyond +/- this is out of range. */
  maxPowerW: number;
  /** Resolution allowance added to the allowed rise. */
  slackWh: number;
}

export const DEFAULT_PLAUSIBILITY_LIMITS: Readonly<PlausibilityLimits> = Object.freeze({ maxPowerW: DEFAULT_MAX_POWER_W, slackWh: JUMP_SLACK_WH });

/**
 * A counter may step back by this much without being a reset when its source
 * states no coarser resolution: the whole Wh the builder rounds to. A source
 * with a coarser resolution (a float32 register at a high count, a scaled
 * integer register, text with few decimals) states it on the reading
 * (`CounterReading.resolutionWh`, docs/aggregation.md "Resolution").
 */
export const COUNTER_TOLERANCE_WH = 1;
/** The reading message carries kWh to 6 decimals: a stated resolution may be off by this much. */
const READING_EPSILON_WH = 0.001;

/** How far a counter may step back and still be the same count, read at a different moment or through a different path. */
export function stepBackToleranceWh(r: { resolutionWh?: number }): number {
  const res = r.resolutionWh;
  return (res !== undefined && Number.isFinite(res) && res > COUNTER_TOLERANCE_WH ? res : COUNTER_TOLERANCE_WH) + READING_EPSILON_WH;
}

/** The most a counter may rise in `dtMs` (Wh): the installation's power over the time, plus the slack. */
export function maxRiseWh(dtMs: number, maxPowerW: number, slackWh: number = JUMP_SLACK_WH): number {
  return (maxPowerW * Math.max(0, dtMs)) / 3_600_000 + slackWh;
}

export interface BreakLimits extends PlausibilityLimits {
  /** A step back up to this is the source's jitter, not a break. */
  toleranceWh: number;
}

/** How a sample relates to the one before it on the same counter. */
export type CounterStep = "continues" | "backwards" | "jump";

export function counterStep(from: CounterSample, to: CounterSample, l: BreakLimits): CounterStep {
  if (to.imp < from.imp - l.toleranceWh) return "backwards";
  if (to.exp !== null && from.exp !== null && to.exp < from.exp - l.toleranceWh) return "backwards";
  const limit = maxRiseWh(to.ts - from.ts, l.maxPowerW, l.slackWh);
  if (to.imp - from.imp > limit) return "jump";
  if (to.exp !== null && from.exp !== null && to.exp - from.exp > limit) return "jump";
  return "continues";
}

export interface BreakVerdict {
  candidate: BreakCandidate;
  /** The candidate holds BREAK_CONFIRMATIONS agreeing samples: take the new counter from its first sample. */
  confirmed: boolean;
}

/**
 * Adds a sample that broke with the accepted counter (`kind`) to the
 * candidate: it extends the candidate if it continues its last sample,
 * otherwise it starts a new one.
 */
export function addBreakSample(
  previous: BreakCandidate | null | undefined,
  kind: "backwards" | "jump",
  s: CounterSample,
  l: BreakLimits,
  needed = BREAK_CONFIRMATIONS,
): BreakVerdict {
  const last = previous?.samples[previous.samples.length - 1];
  // The same reading sent again (a retry) neither counts twice nor starts over.
  if (previous && last && s.ts === last.ts && s.imp === last.imp && s.exp === last.exp)
    return { candidate: previous, confirmed: previous.samples.length >= needed };
  const extends_ = previous !== null && previous !== undefined && last !== undefined && s.ts > last.ts && counterStep(last, s, l) === "continues";
  // A step back within the tolerance (the counter's resolution: float32 jitter) holds the candidate's value, as an
  // accepted counter does: the candidate does not start over, and taking it never steps back.
  const held: CounterSample = extends_
    ? { ts: s.ts, imp: Math.max(s.imp, last!.imp), exp: s.exp !== null && last!.exp !== null ? Math.max(s.exp, last!.exp) : s.exp }
    : s;
  const candidate: BreakCandidate = extends_ ? { kind: previous.kind, samples: [...previous.samples, held] } : { kind, samples: [s] };
  return { candidate, confirmed: candidate.samples.length >= needed };
}

/** A candidate from a stored state of an older version ({ ts, imp, exp, count }) or of this one. */
export function asBreakCandidate(v: unknown): BreakCandidate | null {
  if (v === null || typeof v !== "object") return null;
  const o = v as Partial<BreakCandidate> & Partial<CounterSample>;
  if (Array.isArray(o.samples) && (o.kind === "backwards" || o.kind === "jump")) return { kind: o.kind, samples: o.samples };
  if (typeof o.ts === "number" && typeof o.imp === "number") return { kind: "jump", samples: [{ ts: o.ts, imp: o.imp, exp: o.exp ?? null }] };
  return null;
}
