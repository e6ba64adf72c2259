import { INTERVAL_MS } from "../time/interval";

/**
 * When a community interval is closed (docs/aggregation.md): once every
 * meter that has reported has closed it (its open interval starts at or
 * after the interval's end), or once readings `graceMs` past its end have
 * arrived from any meter (a silent meter does not hold the others back).
 * Time is the readings' time, not the wall clock, so a replay closes the
 * same intervals as live operation did.
 *
 * Returns the end (exclusive) of the closed span: every interval ending at
 * or before it is closed. -Infinity when nothing is known yet.
 */
export function closedThrough(openStarts: Iterable<number | null>, watermarkMs: number, graceMs: number): number {
  let min = Infinity;
  let any = false;
  for (const s of openStarts) {
    if (s === null) continue;
    any = true;
    if (s < min) min = s;
  }
  const byGrace = watermarkMs > 0 ? Math.floor((watermarkMs - graceMs) / INTERVAL_MS) * INTERVAL_MS : -Infinity;
  if (!any) return byGrace;
  return Math.max(min, byGrace);
}
