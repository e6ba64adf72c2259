import type { IntervalEnergy } from "../model/interval-energy";
import type { MeterRecord } from "../model/meter";
import { audit } from "../store/audit-repo";
import { meterIntervals, upsertIntervals } from "../store/interval-repo";
import { listMeters } from "../store/meter-repo";
import type { Store } from "../store/store";
import { firstIntervalMs, insertSubstitute } from "../store/substitute-repo";
import { deleteUnallocated, unallocatedInRange, type UnallocatedEnergy } from "../store/unallocated-repo";
import { INTERVAL_MS } from "../time/interval";
import { type KnownDifference, MAX_REFERENCE_WEEKS, slotsOf, SubstituteError, type SubstituteMethod, substituteValues } from "./substitute";

/*
 * Finds the gaps of a community's own meters in a range and fills them with
 * substitute values (lib/aggregation/substitute.ts): each run of `missing`
 * quarter hours with its unallocated energy (the counter difference is
 * known: the values add up to it), and each run of quarter hours without a
 * row after the meter's first one (a meter that stopped: no difference is
 * known). All gaps in one transaction, each recorded in `substitutes` and
 * in the audit log; a dry run computes the same report and writes nothing.
 */

const WEEK_MS = 7 * 24 * 3600_000;

export interface SubstituteRequest {
  communityId: string;
  fromMs: number;
  toMs: number;
  /** Meter ids (keys) to fill; absent: every meter of the community. */
  meters?: readonly string[];
  method: SubstituteMethod;
  weeks: number;
  dryRun: boolean;
  actor: string;
  nowMs: number;
}

export interface SubstitutedGap {
  meter: string;
  fromMs: number;
  toMs: number;
  intervals: number;
  /** `counter`: a gap beyond the gap limit whose counter difference is known; `no-data`: the meter delivered nothing then. */
  kind: "counter" | "no-data";
  known: KnownDifference | null;
  applied: SubstituteMethod | null;
  scaledToCounter: boolean;
  slotsWithReference: number;
  importWh: number;
  exportWh: number | null;
  /** Why this gap was left as it was. */
  refused: { code: string; message: string } | null;
}

export interface SubstituteReport {
  /** The method asked for; a gap's `applied` differs where the profile found no reference. */
  method: SubstituteMethod;
  gaps: SubstitutedGap[];
  filled: number;
  refused: number;
  dryRun: boolean;
}

export class UnknownMeterError extends Error {
  readonly code = "substitute-unknown-meter";
  constructor(readonly meter: string) {
    super(`meter ${JSON.stringify(meter)} is not a meter of this community`);
    this.name = "UnknownMeterError";
  }
}

interface Gap {
  meter: MeterRecord;
  fromMs: number;
  toMs: number;
  unallocated: UnallocatedEnergy | null;
}

export function substituteGaps(store: Store, req: SubstituteRequest): SubstituteReport {
  if (!Number.isInteger(req.weeks) || req.weeks < 1 || req.weeks > MAX_REFERENCE_WEEKS)
    throw new SubstituteError("substitute-weeks", `reference weeks must be a whole number from 1 to ${MAX_REFERENCE_WEEKS}`);
  const all = listMeters(store, req.communityId);
  const wanted = req.meters?.length ? new Set(req.meters) : null;
  if (wanted) for (const key of wanted) if (!all.some((m) => m.key === key)) throw new UnknownMeterError(key);
  const meters = all.filter((m) => !wanted || wanted.has(m.key));
  const end = Math.min(req.toMs, Math.floor(req.nowMs / INTERVAL_MS) * INTERVAL_MS);

  const run = (): SubstituteReport => {
    const gaps = findGaps(store, req.communityId, meters, req.fromMs, end);
    const report: SubstituteReport = { method: req.method, gaps: [], filled: 0, refused: 0, dryRun: req.dryRun };
    for (const g of gaps) {
      const slots = slotsOf(g.fromMs, g.toMs);
      const known: KnownDifference | null = g.unallocated ? { importWh: g.unallocated.importWh, exportWh: g.unallocated.exportWh } : null;
      const base = { meter: g.meter.key, fromMs: g.fromMs, toMs: g.toMs, intervals: slots.length, kind: known ? "counter" : "no-data", known } as const;
      const refs = referenceLookup(store, g.meter.id, g.fromMs - req.weeks * WEEK_MS, g.toMs);
      try {
        const r = substituteValues({ meterId: g.meter.id, slots, known, method: req.method, weeks: req.weeks, reference: refs });
        report.gaps.push({
          ...base,
          applied: r.applied,
          scaledToCounter: r.scaledToCounter,
          slotsWithReference: r.slotsWithReference,
          importWh: r.importWh,
          exportWh: r.exportWh,
          refused: null,
        });
        report.filled++;
        if (req.dryRun) continue;
        upsertIntervals(store, r.rows, req.nowMs);
        if (g.unallocated) deleteUnallocated(store, g.meter.id, g.unallocated.fromMs);
        insertSubstitute(store, {
          meterId: g.meter.id,
          fromMs: g.fromMs,
          toMs: g.toMs,
          method: r.applied,
          referenceWeeks: req.weeks,
          scaledToCounter: r.scaledToCounter,
          importWh: r.importWh,
          exportWh: r.exportWh,
          unallocatedImportWh: known?.importWh ?? null,
          unallocatedExportWh: known?.exportWh ?? null,
          createdMs: req.nowMs,
          createdBy: req.actor,
        });
        audit(store, {
          communityId: req.communityId,
          actor: req.actor,
          action: "interval.substituted",
          entity: "meter",
          entityId: g.meter.key,
          details: {
            from: new Date(g.fromMs).toISOString(),
            to: new Date(g.toMs).toISOString(),
            intervals: slots.length,
            method: r.applied,
            requested: req.method,
            weeks: req.weeks,
            scaledToCounter: r.scaledToCounter,
            importWh: r.importWh,
            exportWh: r.exportWh,
          },
          tsMs: req.nowMs,
        });
      } catch (e) {
        if (!(e instanceof SubstituteError)) throw e;
        report.gaps.push({
          ...base,
          applied: null,
          scaledToCounter: false,
          slotsWithReference: 0,
          importWh: 0,
          exportWh: null,
          refused: { code: e.code, message: e.message },
        });
        report.refused++;
      }
    }
    return report;
  };
  return req.dryRun ? store.read(run) : store.write(run);
}

/**
 * The gaps of [fromMs, toMs): a run of unallocated energy is taken whole
 * (its counter difference belongs to all of it, even where it reaches
 * outside the range); other quarter hours without energy form runs of their
 * own, from the meter's first stored interval on (before it the meter did
 * not exist: nothing is invented there).
 */
function findGaps(store: Store, communityId: string, meters: readonly MeterRecord[], fromMs: number, toMs: number): Gap[] {
  if (toMs <= fromMs) return [];
  const runs = unallocatedInRange(store, communityId, fromMs, toMs);
  const out: Gap[] = [];
  for (const m of meters) {
    const mine = runs.filter((u) => u.meterId === m.id);
    for (const u of mine) out.push({ meter: m, fromMs: u.fromMs, toMs: u.toMs, unallocated: u });
    const first = firstIntervalMs(store, m.id);
    if (first === null) continue;
    const start = Math.max(fromMs, first);
    if (start >= toMs) continue;
    const energy = new Set<number>();
    for (const r of meterIntervals(store, m.id, start, toMs)) if (r.importWh !== null) energy.add(r.startMs);
    let runFrom: number | null = null;
    const close = (t: number): void => {
      if (runFrom !== null) out.push({ meter: m, fromMs: runFrom, toMs: t, unallocated: null });
      runFrom = null;
    };
    for (let t = start; t < toMs; t += INTERVAL_MS) {
      const covered = energy.has(t) || mine.some((u) => t >= u.fromMs && t < u.toMs);
      if (covered) close(t);
      else if (runFrom === null) runFrom = t;
    }
    close(toMs);
  }
  return out.sort((a, b) => a.meter.key.localeCompare(b.meter.key) || a.fromMs - b.fromMs);
}

function referenceLookup(store: Store, meterId: number, fromMs: number, toMs: number): (startMs: number) => IntervalEnergy | undefined {
  const byStart = new Map<number, IntervalEnergy>();
  for (const r of meterIntervals(store, meterId, fromMs, toMs)) byStart.set(r.startMs, r);
  return (t) => byStart.get(t);
}
