import { DateTime } from "luxon";

function offsetMinutes(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).offset;
}

/**
 * The instants a local wall-clock time stands for in `zone`, ascending:
 * one normally, two in the repeated hour of a fall-back day (02:00-02:59 on
 * 2026-10-25 in Zurich), none in the skipped hour of a spring-forward day.
 * (luxon silently picks one of two and shifts a skipped time: a load
 * profile needs to know.)
 */
export function instantsOfWallClock(year: number, month: number, day: number, hour: number, minute: number, zone: string): number[] {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set([offsetMinutes(wall - 86_400_000, zone), offsetMinutes(wall + 86_400_000, zone)]);
  const out: number[] = [];
  for (const o of offsets) {
    const instant = wall - o * 60_000;
    if (offsetMinutes(instant, zone) === o && !out.includes(instant)) out.push(instant);
  }
  return out.sort((a, b) => a - b);
}
