import type { ChargeMode } from "../model/charging-session";

/**
 * The current limit for a charger under external control (AC SMART register
 * 11052): priority charges at the maximum; normal charges with what the
 * solar surplus allows, 0 (pause) below the minimum current IEC 61851 allows.
 */
export interface CurrentControlOptions {
  maxCurrentA: number;
  /** Below this the car cannot charge: the limit is 0 instead. */
  minCurrentA: number;
  phases: 1 | 3;
  voltageV: number;
  /** A surplus older than this counts as none (the sender stopped). */
  surplusMaxAgeMs: number;
}

export const DEFAULT_CONTROL: CurrentControlOptions = { maxCurrentA: 16, minCurrentA: 6, phases: 3, voltageV: 230, surplusMaxAgeMs: 5 * 60_000 };

export type LimitReason = "priority" | "surplus" | "below-minimum" | "no-surplus";

export function currentLimit(
  mode: ChargeMode,
  surplus: { w: number; ts: number } | null,
  nowMs: number,
  o: CurrentControlOptions,
): { amps: number; reason: LimitReason } {
  if (mode === "priority") return { amps: Math.floor(o.maxCurrentA), reason: "priority" };
  if (!surplus || nowMs - surplus.ts > o.surplusMaxAgeMs || !Number.isFinite(surplus.w)) return { amps: 0, reason: "no-surplus" };
  // Whole amperes, rounded down: never more than the surplus.
  const amps = Math.floor(Math.max(0, surplus.w) / (o.phases * o.voltageV));
  if (amps < o.minCurrentA) return { amps: 0, reason: "below-minimum" };
  return { amps: Math.min(amps, Math.floor(o.maxCurrentA)), reason: "surplus" };
}
