import { allUnits } from "../community/types";
import { latestCommunity } from "../store/community-repo";
import { allocateInterval, AllocationMethod, IntervalAllocation } from "../allocation/allocate";
import { reconcile, Reconciliation } from "../allocation/reconcile";
import { Q_ABSENT, Q_MEASURED, Q_MISSING, qualityOfCode, type Quality } from "../model/quality";
import { readIntervalMatrix, type MeterColumn } from "../store/interval-matrix";
import { listMeters } from "../store/meter-repo";
import { MeterRecord } from "../model/meter";
import type { Store } from "../store/store";
import { INTERVAL_MS, isIntervalBoundary } from "../time/interval";
import { communityLayout, CommunityLayout } from "../allocation/layout";

/**
 * One quarter hour of a community: what was measured, and the split of it
 * by lib/allocation. Interval summaries and the dashboard read intervals
 * through here; billing's ledger reads the same store reader
 * (lib/store/interval-matrix.ts) and takes the same consumers in the same
 * order (lib/allocation/layout.ts) into the same lib/allocation, and a test
 * pins that both agree (docs/decisions/0088).
 */
export interface CommunityInterval {
  startMs: number;
  /** Per consumer in `layout.consumers` order, Wh; null where that meter's value is missing. */
  consumptionWh: (number | null)[];
  productionWh: number;
  batteryChargeWh: number;
  batteryDischargeWh: number;
  /** Measured at the grid connection; null without a grid meter or when its value is missing. */
  grid: { importWh: number; exportWh: number } | null;
  /** The split; missing consumer values count as 0 in it (see `missing`). */
  allocation: IntervalAllocation;
  /** Measured against computed grid energy; null when `grid` is null. */
  reconciliation: Reconciliation | null;
  /** Worst quality of every meter that takes part (missing when a meter has no value). */
  quality: Quality;
  /** Keys of the meters without a value in this interval. */
  missing: string[];
}

export interface CommunityIntervalOptions {
  method?: AllocationMethod;
  /** The meters to use (e.g. as they were configured at the time); default: the community's meters now. */
  meters?: readonly MeterRecord[];
}

/** Where a meter's values go in an interval besides a consumer slot. */
const enum Kind {
  Consumer = 0,
  Production = 1,
  Battery = 2,
  Grid = 3,
}

interface Participant {
  id: number;
  key: string;
  consumer: number;
  kind: Kind;
}

/** A week of intervals per read: few statements per meter, and a bounded amount of memory for a year. */
const CHUNK_INTERVALS = 7 * 96;

/**
 * Every interval of [fromMs, toMs) in time order, also those without any
 * row (all missing). Both ends must be quarter-hour boundaries. Reads a week
 * at a time through lib/store/interval-matrix.ts (a few statements per
 * meter and week, never one per interval); each week is a consistent snapshot.
 */
export function* communityIntervals(
  store: Store,
  communityId: string,
  fromMs: number,
  toMs: number,
  opts: CommunityIntervalOptions = {},
): Generator<CommunityInterval, void, undefined> {
  if (!isIntervalBoundary(fromMs) || !isIntervalBoundary(toMs))
    throw new RangeError(`interval range must start and end on quarter hours, got ${fromMs}..${toMs}`);
  const layout = layoutOf(store, communityId, opts.meters);
  yield* intervalsOfLayout(store, layout, fromMs, toMs, opts.method ?? "proportional");
}

/** The community's layout from the store: its meters, and its units from the latest definition. */
export function layoutOf(store: Store, communityId: string, meters?: readonly MeterRecord[]): CommunityLayout {
  const def = latestCommunity(store, communityId)?.definition;
  return communityLayout(communityId, meters ?? listMeters(store, communityId), def ? new Set(allUnits(def).map((u) => u.id)) : undefined);
}

export function* intervalsOfLayout(
  store: Store,
  layout: CommunityLayout,
  fromMs: number,
  toMs: number,
  method: AllocationMethod,
): Generator<CommunityInterval, void, undefined> {
  const parts: Participant[] = [
    ...layout.consumers.map((c, i) => ({ id: c.meterId, key: c.meter, consumer: i, kind: Kind.Consumer })),
    ...layout.production.map((m) => ({ id: m.id, key: m.key, consumer: -1, kind: Kind.Production })),
    ...layout.batteries.map((m) => ({ id: m.id, key: m.key, consumer: -1, kind: Kind.Battery })),
    ...layout.grid.map((m) => ({ id: m.id, key: m.key, consumer: -1, kind: Kind.Grid })),
  ];
  const ids = parts.map((p) => p.id);
  for (let chunk = fromMs; chunk < toMs; chunk += CHUNK_INTERVALS * INTERVAL_MS) {
    const end = Math.min(toMs, chunk + CHUNK_INTERVALS * INTERVAL_MS);
    // lib/store's one interval reader, as billing reads its period (a stored negative value is named there, never allocated)
    const matrix = readIntervalMatrix(store, ids, chunk, end);
    const cols = parts.map((p) => matrix.columns.get(p.id)!);
    for (let i = 0; i < matrix.count; i++) yield intervalAt(chunk + i * INTERVAL_MS, i, parts, cols, layout, method);
  }
}

function intervalAt(
  startMs: number,
  i: number,
  parts: readonly Participant[],
  cols: readonly MeterColumn[],
  layout: CommunityLayout,
  method: AllocationMethod,
): CommunityInterval {
  const consumption = new Array<number | null>(layout.consumers.length).fill(null);
  let production = 0,
    charge = 0,
    discharge = 0,
    gridImport = 0,
    gridExport = 0;
  let gridOk = layout.grid.length > 0;
  // A community without any meter has nothing measured: missing.
  let worst: number = parts.length === 0 ? Q_MISSING : Q_MEASURED;
  const missing: string[] = [];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const col = cols[p]!;
    const code = col.quality[i]!;
    if (code === Q_ABSENT || code === Q_MISSING) {
      missing.push(part.key);
      worst = Q_MISSING;
      if (part.kind === Kind.Grid) gridOk = false;
      continue;
    }
    if (code > worst) worst = code;
    const im = col.importWh[i]!,
      ex = col.exportWh[i]!;
    switch (part.kind) {
      case Kind.Consumer:
        consumption[part.consumer] = im;
        break;
      case Kind.Production:
        production += im;
        break;
      case Kind.Battery:
        charge += im;
        discharge += ex;
        break;
      case Kind.Grid:
        gridImport += im;
        gridExport += ex;
        break;
    }
  }
  const allocation = allocateInterval(
    { consumptionWh: consumption.map((c) => c ?? 0), productionWh: production, batteryChargeWh: charge, batteryDischargeWh: discharge },
    method,
  );
  const grid = gridOk ? { importWh: gridImport, exportWh: gridExport } : null;
  return {
    startMs,
    consumptionWh: consumption,
    productionWh: production,
    batteryChargeWh: charge,
    batteryDischargeWh: discharge,
    grid,
    allocation,
    reconciliation: grid ? reconcile(allocation, grid) : null,
    quality: qualityOfCode(worst),
    missing,
  };
}
