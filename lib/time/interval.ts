/**
 * Quarter-hour intervals. Instants are UTC epoch milliseconds everywhere in the
 * suite (docs/decisions/0001-epoch-ms.md). Every real-world UTC offset is a
 * multiple of 15 minutes, so a UTC quarter-hour boundary is also a local one:
 * flooring in UTC is correct for Europe/Zurich and any other zone.
 */
export const INTERVAL_MINUTES = 15;
export const INTERVAL_MS = INTERVAL_MINUTES * 60 * 1000;

/** Start of the interval [t, t + 15 min) that contains `ms`. */
export function intervalStart(ms: number): number {
  return Math.floor(ms / INTERVAL_MS) * INTERVAL_MS;
}

export function isIntervalBoundary(ms: number): boolean {
  return Number.isInteger(ms) && ms % INTERVAL_MS === 0;
}

/** Interval starts s with fromMs <= s < toMs, both ends on interval boundaries. */
export function intervalStartsBetween(fromMs: number, toMs: number): number[] {
  assertBoundary(fromMs, "fromMs");
  assertBoundary(toMs, "toMs");
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += INTERVAL_MS) out.push(t);
  return out;
}

export function intervalCountBetween(fromMs: number, toMs: number): number {
  assertBoundary(fromMs, "fromMs");
  assertBoundary(toMs, "toMs");
  return Math.max(0, (toMs - fromMs) / INTERVAL_MS);
}

function assertBoundary(ms: number, name: string): void {
  if (!isIntervalBoundary(ms)) {
    throw new RangeError(`${name} must be a quarter-hour boundary in epoch ms, got ${ms}`);
  }
}
