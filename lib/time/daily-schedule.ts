import { DateTime } from "luxon";
import { DEFAULT_TIME_ZONE } from "./local-date";
import { parseClock } from "./tariff-windows";

/**
 * The next instant after `nowMs` at local time `hhmm` (e.g. "03:30") in
 * `zone`. On the spring-forward day a time inside the skipped hour runs at
 * the first instant after it; on the fall-back day it runs once.
 */
export function nextDailyRun(nowMs: number, hhmm: string, zone: string = DEFAULT_TIME_ZONE): number {
  const minutes = parseClock(hhmm);
  if (minutes >= 24 * 60) throw new RangeError(`a daily time must be before 24:00, got ${hhmm}`);
  const now = DateTime.fromMillis(nowMs, { zone });
  for (let d = 0; d < 3; d++) {
    const day = now.plus({ days: d });
    const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone });
    if (at.toMillis() > nowMs) return at.toMillis();
  }
  throw new Error(`no next run found for ${hhmm} in ${zone}`);
}

/** The instant `years` calendar years before `nowMs`, at local midnight in `zone` (for retention). */
export function yearsBefore(nowMs: number, years: number, zone: string = DEFAULT_TIME_ZONE): number {
  return DateTime.fromMillis(nowMs, { zone }).minus({ years }).startOf("day").toMillis();
}
