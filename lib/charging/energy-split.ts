import { INTERVAL_MS, intervalStart } from "../time/interval";
import type { ChargeMode, IntervalEnergy } from "../model/charging-session";

/** The mode in force at the start of a span and the changes within it (ascending ts). */
export interface ModeTimeline {
  initial: ChargeMode;
  changes: readonly { ts: number; mode: ChargeMode }[];
}

/**
 * Spreads the counter difference c2 - c1 (whole Wh, >= 0) between two
 * readings at t1 <= t2 over the quarter hours and modes in force, the way the
 * aggregation does for meters: the counter is interpolated linearly to every
 * cut (quarter-hour boundary, mode change) and rounded to whole Wh, and each
 * piece is the difference of its rounded ends. The pieces therefore add up
 * to exactly c2 - c1 (they telescope), none is negative (interpolation and
 * rounding are monotonic), and consecutive spans never lose or double a Wh.
 * Rows with 0 Wh are left out.
 */
export function splitEnergy(t1: number, c1: number, t2: number, c2: number, modes: ModeTimeline): IntervalEnergy[] {
  if (!(t2 >= t1)) throw new RangeError(`span must not run backwards: ${t1} -> ${t2}`);
  if (!Number.isInteger(c1) || !Number.isInteger(c2) || c2 < c1) throw new RangeError(`counters must be whole Wh and not decrease: ${c1} -> ${c2}`);
  let mode = modes.initial;
  const changes = modes.changes.filter((c) => {
    // A change at or before t1 is in force for the whole span; one at t2 only for what follows.
    if (c.ts <= t1) mode = c.mode;
    return c.ts > t1 && c.ts < t2;
  });
  const total = c2 - c1;
  if (total === 0) return [];
  if (t2 === t1) return [{ startMs: intervalStart(t1), mode, energyWh: total }];

  const cuts: { ts: number; mode?: ChargeMode }[] = [];
  for (let b = intervalStart(t1) + INTERVAL_MS; b < t2; b += INTERVAL_MS) cuts.push({ ts: b });
  for (const c of changes) cuts.push({ ts: c.ts, mode: c.mode });
  // Boundaries before mode changes at the same instant: the order does not change any piece.
  cuts.sort((a, b) => a.ts - b.ts);
  cuts.push({ ts: t2 });

  // Fraction first: monotonic in t even where total x ms would exceed 2^53 (a long outage).
  const at = (t: number): number => c1 + Math.round(total * ((t - t1) / (t2 - t1)));
  const rows = new Map<string, IntervalEnergy>();
  let from = t1;
  let fromWh = c1;
  for (const cut of cuts) {
    const toWh = cut.ts === t2 ? c2 : at(cut.ts);
    const wh = toWh - fromWh;
    if (wh > 0) {
      const startMs = intervalStart(from);
      const key = `${startMs}/${mode}`;
      const row = rows.get(key);
      if (row) row.energyWh += wh;
      else rows.set(key, { startMs, mode, energyWh: wh });
    }
    from = cut.ts;
    fromWh = toWh;
    if (cut.mode) mode = cut.mode;
  }
  return [...rows.values()];
}
