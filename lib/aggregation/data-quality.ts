import type { MeterRole } from "../model/meter";
import type { Quality } from "../model/quality";
import { qualityRowCounts } from "../store/interval-repo";
import { meterEventsInRange } from "../store/meter-event-repo";
import { listMeters } from "../store/meter-repo";
import type { Store } from "../store/store";
import { unallocatedInRange } from "../store/unallocated-repo";
import { INTERVAL_MS, isIntervalBoundary } from "../time/interval";

export interface MeterDataQuality {
  meter: string;
  role: MeterRole;
  unit: string | null;
  /** Intervals of the period up to `untilMs`. */
  expected: number;
  measured: number;
  interpolated: number;
  estimated: number;
  /** Rows flagged missing plus intervals without any row. */
  missing: number;
  /** Of `missing`, the intervals without any row (the meter never reported them). */
  noRow: number;
  /** Shares of `expected`, 0..1. */
  shares: Record<Quality, number>;
  /** Counter energy of missing runs overlapping the period: known in amount, not in time. */
  unallocatedImportWh: number;
  unallocatedExportWh: number;
  resets: number;
  swaps: number;
  jumps: number;
  /** Of `swaps`, the replacements an operator recorded (zev meter replace, the replace-meter command). */
  replacements: number;
  /** Every reset, swap, jump and replacement of the period, oldest first: a break in the counter to look at. */
  events: MeterQualityEvent[];
}

/** One break in a meter's counter, as the quality report lists it (counters in Wh). */
export interface MeterQualityEvent {
  tsMs: number;
  kind: "reset" | "swap" | "jump" | "replacement";
  /** The counter before and after; for a replacement the old meter's final and the new meter's initial reading. */
  beforeImportWh: number | null;
  afterImportWh: number | null;
  /** Readings of the new counter that agreed before it was taken (automatic resets and jumps). */
  confirmedBy: number | null;
}

function qualityEvent(e: { tsMs: number; kind: "reset" | "swap" | "jump"; details: unknown }): MeterQualityEvent {
  const d = (e.details ?? {}) as {
    source?: string;
    before?: { importWh?: number };
    after?: { importWh?: number };
    oldFinal?: { importWh?: number };
    newInitial?: { importWh?: number };
    confirmedBy?: number;
  };
  const operator = d.source === "operator";
  return {
    tsMs: e.tsMs,
    kind: operator ? "replacement" : e.kind,
    beforeImportWh: (operator ? d.oldFinal?.importWh : d.before?.importWh) ?? null,
    afterImportWh: (operator ? d.newInitial?.importWh : d.after?.importWh) ?? null,
    confirmedBy: typeof d.confirmedBy === "number" ? d.confirmedBy : null,
  };
}

export interface DataQualityReport {
  community: string;
  fromMs: number;
  toMs: number;
  /** Intervals after this instant are not yet due and not counted. */
  untilMs: number;
  meters: MeterDataQuality[];
}

/**
 * Per meter and period, how many intervals are measured / interpolated /
 * estimated / missing (intervals with no row at all count as missing).
 * One grouped query; counts come from the primary key per meter.
 */
export function dataQuality(store: Store, communityId: string, fromMs: number, toMs: number, opts: { untilMs?: number } = {}): DataQualityReport {
  if (!isIntervalBoundary(fromMs) || !isIntervalBoundary(toMs)) throw new RangeError("the quality period must start and end on quarter hours");
  const untilMs = Math.min(toMs, Math.max(fromMs, Math.floor((opts.untilMs ?? Date.now()) / INTERVAL_MS) * INTERVAL_MS));
  const expected = (untilMs - fromMs) / INTERVAL_MS;
  const meters = listMeters(store, communityId);
  const counts = qualityRowCounts(store, communityId, fromMs, untilMs);
  const gaps = unallocatedInRange(store, communityId, fromMs, untilMs);
  const events = meterEventsInRange(store, communityId, fromMs, untilMs);
  return {
    community: communityId,
    fromMs,
    toMs,
    untilMs,
    meters: meters.map((m) => {
      const c: Record<Quality, number> = { measured: 0, interpolated: 0, estimated: 0, missing: 0 };
      for (const r of counts) if (r.meterId === m.id) c[r.quality] += r.rows;
      const rows = c.measured + c.interpolated + c.estimated + c.missing;
      const noRow = Math.max(0, expected - rows);
      c.missing += noRow;
      const share = (n: number): number => (expected > 0 ? n / expected : 0);
      const mine = gaps.filter((g) => g.meterId === m.id);
      // An automatic reset / jump that a replacement recorded later explains is listed as that replacement.
      const ev = events.filter((e) => e.meterId === m.id && (e.details as { supersededBy?: unknown } | null)?.supersededBy === undefined);
      return {
        meter: m.key,
        role: m.role,
        unit: m.unitId,
        expected,
        ...c,
        noRow,
        shares: { measured: share(c.measured), interpolated: share(c.interpolated), estimated: share(c.estimated), missing: share(c.missing) },
        unallocatedImportWh: mine.reduce((s, g) => s + g.importWh, 0),
        unallocatedExportWh: mine.reduce((s, g) => s + (g.exportWh ?? 0), 0),
        resets: ev.filter((e) => e.kind === "reset").length,
        swaps: ev.filter((e) => e.kind === "swap").length,
        jumps: ev.filter((e) => e.kind === "jump").length,
        replacements: ev.filter((e) => (e.details as { source?: string } | null)?.source === "operator").length,
        events: ev.map(qualityEvent),
      };
    }),
  };
}
