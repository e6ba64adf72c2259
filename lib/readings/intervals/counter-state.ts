import type { Quality } from "../../model/quality";
import { DEFAULT_PLAUSIBILITY_LIMITS, type PlausibilityLimits } from "../counter-break";
import type { Issue } from "../../util/issue";
import type { CounterEventKind, MeterCounterState } from "../../model/meter-counter";

/**
 * What the interval builder remembers about one meter between readings
 * (MeterCounterState, lib/model/meter-counter.ts) and what it is fed and emits.
 */

export function emptyCounterState(): MeterCounterState {
  return { v: 1, serial: null, last: null, offset: { imp: 0, exp: 0 }, anchor: null, openQuality: "measured", gap: null, suspect: null };
}

export function cloneCounterState(s: MeterCounterState): MeterCounterState {
  return JSON.parse(JSON.stringify(s)) as MeterCounterState;
}

/** A reading in the builder's units: epoch ms and raw counters in Wh. */
export interface CounterReading {
  ts: number;
  imp: number;
  exp: number | null;
  serial: string | null;
  /**
   * The step of the counters as the source reads them, Wh (a float32 register:
   * its ulp at this count; a scaled integer register: its scale; text: its
   * last decimal). A step back within it is the same count and holds; a bigger
   * one is a reset. Absent: 1 Wh (docs/aggregation.md "Resolution").
   */
  resolutionWh?: number;
}

/** An interval row as the builder emits it (the store adds the meter id). */
export interface BuiltInterval {
  startMs: number;
  importWh: number | null;
  exportWh: number | null;
  quality: Quality;
}

/** The energy of a run of missing intervals, growing while the run grows (same fromMs). */
export interface BuiltGap {
  fromMs: number;
  toMs: number;
  importWh: number;
  exportWh: number | null;
}

export interface CounterEvent {
  kind: CounterEventKind;
  ts: number;
  details: Record<string, unknown>;
}

/** Receives what one reading produced; the ingest path collects it into a batch. */
export interface BuilderSink {
  /**
   * Told just before `interval` for the same start: the meter's raw import counter at that interval's end (Wh,
   * as the meter shows it), null inside a counter break (decision 0133). Optional: only the store keeps it.
   */
  counter?(startMs: number, counterWh: number | null): void;
  interval(row: BuiltInterval): void;
  gap(row: BuiltGap): void;
  event(e: CounterEvent): void;
}

/**
 * Why a reading is refused: a message the parser refused (invalid), a time in
 * the future, a second value for the same instant (conflict), a counter that
 * went backwards or rose too fast (implausible, `params.change` "backwards"
 * or "jump").
 */
export type RejectCode = "invalid" | "future" | "implausible" | "conflict";

/**
 * A refused reading as a coded problem (lib/util/issue.ts) with its English
 * text; `confirming` when the reading may start a new counter (`count` of
 * `needed` agreeing readings).
 */
export interface ReadingRejection extends Issue {
  kind: "rejected";
  code: RejectCode;
  confirming?: { count: number; needed: number };
}

export type ReadingOutcome = { kind: "accepted"; closed: number } | { kind: "duplicate" } | { kind: "late" } | ReadingRejection;

/** `maxPowerW` and `slackWh`: the one plausibility rule's limits (lib/readings/counter-break.ts), as zev-meter-in has them. */
export interface BuilderOptions extends PlausibilityLimits {
  /** Readings further apart than this leave the intervals between them `missing`. Default 3 h. */
  gapLimitMs: number;
  /** Readings at most this far apart give `measured` intervals; further, `interpolated`. Default 15 min. */
  maxMeasuredGapMs: number;
  /** Readings further in the future than this (against nowMs) are rejected. Default 5 min. */
  maxFutureMs: number;
  nowMs: number;
}

export const DEFAULT_BUILDER_OPTIONS: Omit<BuilderOptions, "nowMs"> = {
  gapLimitMs: 3 * 3600_000,
  maxMeasuredGapMs: 15 * 60_000,
  ...DEFAULT_PLAUSIBILITY_LIMITS,
  maxFutureMs: 5 * 60_000,
};
