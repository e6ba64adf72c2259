import type { Quality } from "./quality";

/** One reading of a meter's counters in the interval builder's units: epoch ms, Wh. */
export interface CounterSample {
  ts: number;
  imp: number;
  exp: number | null;
}

/** Candidates of a new counter, oldest first; `kind` is how the first one broke with the accepted counter. */
export interface BreakCandidate {
  kind: "backwards" | "jump";
  samples: CounterSample[];
}

/**
 * What the interval builder remembers about one meter between readings. It
 * is stored in meter_state (lib/store/meter-state-encoding.ts, decision 0153)
 * in the same transaction as the interval rows it led to, so that a restart
 * continues exactly here.
 *
 * Counters are in Wh. Raw values are what the meter reported; the builder
 * works on a continuous counter `raw + offset`, where the offset changes at a
 * reset or a meter swap so that the continuous counter never goes backwards.
 */
export interface MeterCounterState {
  v: 1;
  serial: string | null;
  /** Last accepted reading, raw counters (a counter that stepped back within its resolution keeps the value it held). */
  last: { ts: number; imp: number; exp: number | null } | null;
  offset: { imp: number; exp: number };
  /**
   * Start of the open interval and the continuous counter at that boundary,
   * rounded to whole Wh. Null until the first boundary after the first reading.
   */
  anchor: { ms: number; imp: number; exp: number | null } | null;
  /** Worst quality seen so far inside the open interval. */
  openQuality: Quality;
  /** The run of missing intervals still growing, with the energy it holds. */
  gap: { fromMs: number; toMs: number; imp: number; exp: number | null } | null;
  /**
   * Readings that broke with the counter and agree with each other: a new
   * counter being confirmed (lib/readings/counter-break.ts). States written by
   * older versions hold { ts, imp, exp, count } here; asBreakCandidate reads both.
   */
  suspect: BreakCandidate | null;
}

/** How a meter's counter broke with the one before: a reset, a recorded meter swap, a jump. */
export type CounterEventKind = "reset" | "swap" | "jump";
