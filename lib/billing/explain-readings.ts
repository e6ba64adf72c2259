import type { MeterChange } from "../aggregation/meter-changes";
import type { BoundaryReading, MeterReadingFact } from "../model/invoice";
import type { BoundaryRows } from "../store/counter-reading-repo";
import { INTERVAL_MS } from "../time/interval";
import type { LocalDate } from "../time/local-date";

/*
 * The counter readings an invoice prints at the ends of each service span
 * (decision 0133), from the counter the interval builder stored at each
 * interval's end. Pure: the rows and the meter's changes come from the store.
 *
 * Quality of a reading: "measured" when both intervals beside the instant are
 * measured, i.e. real readings at most 15 minutes apart bracket it (the
 * builder's measured limit, the tolerance of a reading "at" the boundary);
 * "interpolated" when the counter was interpolated across a longer gap (up to
 * the builder's 3 h gap limit); "estimated" across a break or a data gap.
 */

/** A change this close to a boundary happened at it: the reading there is the recorded one. */
const AT_BOUNDARY_MS = INTERVAL_MS;

const RANK = { measured: 0, interpolated: 1, estimated: 2, missing: 3 } as const;

export function boundaryReading(date: LocalDate, atMs: number, side: "start" | "end", rows: BoundaryRows, changes: readonly MeterChange[]): BoundaryReading {
  const here = changes.filter((c) => Math.abs(c.atMs - atMs) <= AT_BOUNDARY_MS);
  const replaced = here.find((c) => c.kind === "replacement");
  if (replaced) {
    // At the start the new meter's initial reading counts, at the end the old meter's final one.
    const kWh = side === "start" ? replaced.afterKWh : replaced.beforeKWh;
    return { date, kWh, source: "replaced", quality: kWh === null ? null : "measured" };
  }
  const { before, after } = rows;
  if (!before && !after) return { date, kWh: null, source: "none", quality: null };
  let wh: number | null = null;
  if (before && before.counterWh !== null) wh = before.counterWh;
  else if (after && after.counterWh !== null && after.importWh !== null) wh = after.counterWh - after.importWh;
  if (wh === null) {
    // No counter beside the instant: across a counter break the builder keeps none; otherwise the rows are operator data.
    if (here.length || changes.some((c) => c.kind !== "replacement" && Math.abs(c.atMs - atMs) <= 3 * 3600_000))
      return { date, kWh: null, source: "break", quality: null };
    return { date, kWh: null, source: "operator", quality: null };
  }
  const worst = Math.max(...[before, after].filter((r) => r !== null).map((r) => RANK[r.quality]));
  const quality = worst === 0 ? "measured" : worst === 1 ? "interpolated" : "estimated";
  return { date, kWh: (wh / 1000).toFixed(3), source: "counter", quality };
}

export interface SpanReadingInput {
  meter: string;
  start: { date: LocalDate; ms: number; rows: BoundaryRows };
  end: { date: LocalDate; ms: number; rows: BoundaryRows };
  /** The meter's intervals in the span, Wh. */
  intervalWh: number;
  /** The meter's counter changes around the span (replacements, resets, jumps, swaps). */
  changes: readonly MeterChange[];
}

export function spanReadings(x: SpanReadingInput): MeterReadingFact {
  const start = boundaryReading(x.start.date, x.start.ms, "start", x.start.rows, x.changes);
  const end = boundaryReading(x.end.date, x.end.ms, "end", x.end.rows, x.changes);
  const inside = x.changes.filter((c) => c.atMs > x.start.ms + AT_BOUNDARY_MS && c.atMs < x.end.ms - AT_BOUNDARY_MS);
  const sameMeter = inside.length === 0 && start.kWh !== null && end.kWh !== null && start.source !== "operator" && end.source !== "operator";
  // Whole Wh on both sides: the difference is exact in decimal text.
  const counterKWh = sameMeter ? ((Math.round(Number(end.kWh) * 1000) - Math.round(Number(start.kWh) * 1000)) / 1000).toFixed(3) : null;
  return {
    meter: x.meter,
    start,
    end,
    counterKWh,
    intervalKWh: (x.intervalWh / 1000).toFixed(3),
    replaced: inside.filter((c) => c.kind === "replacement").map((c) => c.date),
  };
}
