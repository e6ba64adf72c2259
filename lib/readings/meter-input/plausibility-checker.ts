import { DEFAULT_PLAUSIBILITY_LIMITS, maxRiseWh, type PlausibilityLimits } from "../counter-break";
import { EARLIEST_READING_MS } from "../reading";
import type { Field, Rejection } from "./rejection";

/*
 * Per-meter checks of what a source delivers, before anything is emitted:
 * counters must be numbers, not negative, never go backwards, and not rise
 * faster than the installation can draw (`maxPowerW`, plus `slackWh` for
 * the resolution of the source, e.g. a Loxone `<v>` without decimals).
 * Power must lie within +/- maxPowerW. The limits are the one plausibility
 * rule's (lib/readings/counter-break.ts), in W and Wh as the interval builder
 * has them; only the values checked here are kWh, as the reading message
 * carries them.
 */
/** Clock skew tolerated for timestamps given by a device or script. */
export const MAX_FUTURE_MS = 10 * 60_000;

interface CounterState {
  value: number;
  ts: number;
}

export class PlausibilityChecker {
  private readonly counters = new Map<Field, CounterState>();

  constructor(private readonly limits: PlausibilityLimits = DEFAULT_PLAUSIBILITY_LIMITS) {}

  /** The last accepted value of a counter, if any. */
  last(field: Field): number | undefined {
    return this.counters.get(field)?.value;
  }

  /** Checks a counter value against the last accepted one; does not remember it. */
  checkCounter(field: Field, value: number, ts: number): Rejection | null {
    if (!Number.isFinite(value)) return { reason: "not-a-number", field, value: String(value) };
    if (value < 0) return { reason: "negative", field, value: String(value) };
    const prev = this.counters.get(field);
    if (!prev) return null;
    if (value < prev.value) return { reason: "backwards", field, value: String(value), previous: prev.value };
    const hours = Math.max(0, ts - prev.ts) / 3_600_000;
    const allowed = maxRiseWh(ts - prev.ts, this.limits.maxPowerW, this.limits.slackWh) / 1000;
    if (value - prev.value > allowed) {
      return {
        reason: "jump",
        field,
        value: String(value),
        previous: prev.value,
        detail: `+${round3(value - prev.value)} kWh in ${round3(hours * 3600)} s exceeds ${round3(allowed)} kWh (max ${this.limits.maxPowerW / 1000} kW)`,
      };
    }
    return null;
  }

  checkPower(value: number): Rejection | null {
    if (!Number.isFinite(value)) return { reason: "not-a-number", field: "powerW", value: String(value) };
    if (Math.abs(value) > this.limits.maxPowerW) {
      return { reason: "out-of-range", field: "powerW", value: String(value), detail: `beyond +/-${this.limits.maxPowerW / 1000} kW` };
    }
    return null;
  }

  /** Remembers an accepted counter value as the new baseline (`replace`: a confirmed new counter, lib/readings/counter-break.ts). */
  commit(field: Field, value: number, ts: number, replace = false): void {
    const prev = this.counters.get(field);
    this.counters.set(field, { value, ts: prev && !replace ? Math.max(prev.ts, ts) : ts });
  }

  /** Forgets all baselines (a new meter, recognised by its serial). */
  reset(): void {
    this.counters.clear();
  }
}

export function checkTimestamp(ts: unknown, now: number): Rejection | null {
  if (typeof ts !== "number" || !Number.isFinite(ts)) return { reason: "bad-timestamp", value: String(ts), detail: "not a number of epoch ms" };
  if (ts < EARLIEST_READING_MS) return { reason: "bad-timestamp", value: String(ts), detail: "before 2000 (seconds instead of ms?)" };
  if (ts > now + MAX_FUTURE_MS) return { reason: "bad-timestamp", value: String(ts), detail: "in the future" };
  return null;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
