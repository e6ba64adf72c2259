import type { PendingBreak } from "./meter-ingest";
import { swissNumber } from "../../util/swiss-number";
import type { Reading } from "../reading";
import type { RejectReason } from "./rejection";

/** What a meter node knows about its recent past, for its status. */
export interface MeterStatusState {
  lastReading?: Reading;
  /** Receive time of the last accepted value (of any field, power included). */
  lastAcceptedAt?: number;
  /** Receive time at which the import counter was last accepted: the age the status shows. */
  lastCounterAt?: number;
  /** A counter value being confirmed as a new counter (reset or replaced meter). */
  confirming?: PendingBreak;
  /** The last counter value refused for a reason that cannot make it a new counter (negative, not a number...). */
  lastCounterRejection?: { reason: RejectReason; at: number };
  lastError?: { kind: string; message: string; at: number };
  lastRejection?: { reason: RejectReason; at: number };
  rejectedTotal: number;
  /** A configuration problem: the source does not run. */
  problem?: string;
}

export type AgeUnit = "s" | "min" | "h" | "d";

export interface StatusView {
  fill: "green" | "yellow" | "red" | "grey";
  shape: "dot" | "ring";
  /** Which text to show; the node translates it. */
  kind: "problem" | "waiting" | "value" | "error" | "rejected" | "confirming" | "counterRejected";
  importKWh?: string;
  exportKWh?: string;
  powerW?: string;
  age?: { n: number; unit: AgeUnit };
  message?: string;
  reason?: RejectReason;
  rejected: number;
  /** confirming: the candidate of a new counter; counterRejected: the counter concerned. */
  confirming?: { field: "importKWh" | "exportKWh"; value: string; count: number; needed: number };
  field?: "importKWh" | "exportKWh";
}

export function formatAge(ms: number): { n: number; unit: AgeUnit } {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return { n: s, unit: "s" };
  if (s < 7200) return { n: Math.round(s / 60), unit: "min" };
  if (s < 172_800) return { n: Math.round(s / 3600), unit: "h" };
  return { n: Math.round(s / 86_400), unit: "d" };
}

/** Counter with up to 3 decimals, no trailing zeros beyond one decimal, Swiss grouping: 1'234.5, 12.345, 7.0. */
export function formatKWh(v: number): string {
  return swissNumber(v, { min: 1, max: 3 });
}

/** Power: 830 W, 9'500 W, 12.5 kW. */
export function formatW(v: number): string {
  return Math.abs(v) >= 10_000 ? `${swissNumber(v / 1000, 1)} kW` : `${swissNumber(Math.round(v), 0)} W`;
}

/**
 * The status: a configuration problem first; else whichever happened last
 * of a good value (green), a failed poll (red) or a rejected value (yellow);
 * grey until anything happened. While the counter is not accepted the
 * status is never green: yellow while a new counter is being confirmed, red
 * when the counter is refused outright. The age is the counter's (power
 * accepted in the same poll does not make a stale counter look fresh).
 */
export function meterStatus(s: MeterStatusState, now: number): StatusView {
  const base = { rejected: s.rejectedTotal };
  if (s.problem) return { ...base, fill: "red", shape: "ring", kind: "problem", message: s.problem };
  const goodAt = s.lastAcceptedAt ?? -Infinity;
  const counterAt = s.lastCounterAt ?? goodAt;
  const age = s.lastReading ? formatAge(now - counterAt) : undefined;
  if (s.lastError && s.lastError.at > goodAt && (!s.lastRejection || s.lastError.at >= s.lastRejection.at)) {
    return { ...base, fill: "red", shape: "ring", kind: "error", message: s.lastError.message, age };
  }
  if (s.confirming) {
    const c = s.confirming;
    return {
      ...base,
      fill: "yellow",
      shape: "ring",
      kind: "confirming",
      age,
      confirming: { field: c.field, value: formatKWh(c.value), count: c.count, needed: c.needed },
    };
  }
  const cr = s.lastCounterRejection;
  if (cr && cr.at > (s.lastCounterAt ?? -Infinity)) {
    return { ...base, fill: "red", shape: "ring", kind: "counterRejected", reason: cr.reason, age };
  }
  if (s.lastRejection && s.lastRejection.at > goodAt) {
    return { ...base, fill: "yellow", shape: "ring", kind: "rejected", reason: s.lastRejection.reason, age };
  }
  if (!s.lastReading) return { ...base, fill: "grey", shape: "ring", kind: "waiting" };
  const r = s.lastReading;
  const view: StatusView = { ...base, fill: "green", shape: "dot", kind: "value", age };
  if (r.importKWh !== undefined) view.importKWh = formatKWh(r.importKWh);
  if (r.exportKWh !== undefined) view.exportKWh = formatKWh(r.exportKWh);
  if (r.powerW !== undefined) view.powerW = formatW(r.powerW);
  return view;
}
