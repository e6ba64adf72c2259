import { allUnits } from "../community/types";
import { latestCommunity } from "../store/community-repo";
import { allocateInterval, AllocationMethod, IntervalAllocation } from "../allocation/allocate";
import { reconcile, Reconciliation } from "../allocation/reconcile";
import type { Quality } from "../store/interval-repo";
import { storedNegativeIntervalError } from "../store/negative-intervals";
import { listMeters, MeterRecord } from "../store/meter-repo";
import type { SqliteStore } from "../store/sqlite-store";
import { INTERVAL_MS, isIntervalBoundary } from "../time/interval";
import { communityLayout, CommunityLayout } from "../allocation/layout";

/**
 * One quarter hour of a community: what was measured, and the split of it
 * by lib/allocation. Interval summaries, the dashboard and exports read
 * intervals through here; billing's ledger takes the same consumers in the
 * same order into the same lib/allocation, and a test pins that both agree.
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

const QUALITY_BY_CODE: readonly Quality[] = ["measured", "interpolated", "estimated", "missing"];
/** A week of intervals per query: SQLite packs each meter's week into one JSON text, far cheaper than a JS object per row. */
const CHUNK_INTERVALS = 7 * 96;

/**
 * Every interval of [fromMs, toMs) in time order, also those without any
 * row (all missing). Both ends must be quarter-hour boundaries. Reads a week
 * per query (one query per week for all meters, never one per interval);
 * each week is a consistent snapshot.
 */
export function* communityIntervals(store: SqliteStore, communityId: string, fromMs: number, toMs: number, opts: CommunityIntervalOptions = {}): Generator<CommunityInterval, void, undefined> {
  if (!isIntervalBoundary(fromMs) || !isIntervalBoundary(toMs)) throw new RangeError(`interval range must start and end on quarter hours, got ${fromMs}..${toMs}`);
  const layout = layoutOf(store, communityId, opts.meters);
  yield* intervalsOfLayout(store, layout, fromMs, toMs, opts.method ?? "proportional");
}

/** The community's layout from the store: its meters, and its units from the latest definition. */
export function layoutOf(store: SqliteStore, communityId: string, meters?: readonly MeterRecord[]): CommunityLayout {
  const def = latestCommunity(store, communityId)?.definition;
  return communityLayout(communityId, meters ?? listMeters(store, communityId), def ? new Set(allUnits(def).map((u) => u.id)) : undefined);
}

export function* intervalsOfLayout(store: SqliteStore, layout: CommunityLayout, fromMs: number, toMs: number, method: AllocationMethod): Generator<CommunityInterval, void, undefined> {
  const parts: Participant[] = [
    ...layout.consumers.map((c, i) => ({ id: c.meterId, key: c.meter, consumer: i, kind: Kind.Consumer })),
    ...layout.production.map((m) => ({ id: m.id, key: m.key, consumer: -1, kind: Kind.Production })),
    ...layout.batteries.map((m) => ({ id: m.id, key: m.key, consumer: -1, kind: Kind.Battery })),
    ...layout.grid.map((m) => ({ id: m.id, key: m.key, consumer: -1, kind: Kind.Grid })),
  ];
  const P = parts.length;
  const index = new Map(parts.map((p, i) => [p.id, i]));
  // Ids are integers from the meters table, never text: safe to inline, and SQLite then walks the primary key per meter.
  const stmt =
    P === 0
      ? null
      : store.db
          .prepare(
            `SELECT meter_id, json_group_array(json_array((start_ms - @from) / ${INTERVAL_MS}, import_wh, export_wh,
               CASE quality WHEN 'measured' THEN 0 WHEN 'interpolated' THEN 1 WHEN 'estimated' THEN 2 ELSE 3 END))
             FROM intervals WHERE meter_id IN (${parts.map((p) => p.id).join(",")}) AND start_ms >= @from AND start_ms < @to GROUP BY meter_id`,
          )
          .raw(true);
  const imp = new Float64Array(P * CHUNK_INTERVALS);
  const exp = new Float64Array(P * CHUNK_INTERVALS);
  const q = new Int8Array(P * CHUNK_INTERVALS);
  for (let chunk = fromMs; chunk < toMs; chunk += CHUNK_INTERVALS * INTERVAL_MS) {
    const end = Math.min(toMs, chunk + CHUNK_INTERVALS * INTERVAL_MS);
    const len = (end - chunk) / INTERVAL_MS;
    q.fill(-1);
    if (stmt) {
      for (const [meterId, json] of stmt.all({ from: chunk, to: end }) as [number, string][]) {
        const base = index.get(meterId)! * CHUNK_INTERVALS;
        for (const [i, im, ex, code] of JSON.parse(json) as [number, number | null, number | null, number][]) {
          // only a database older versions wrote and not yet migrated holds one: named, never allocated
          if ((im ?? 0) < 0 || (ex ?? 0) < 0) throw storedNegativeIntervalError(store, meterId, chunk + i * INTERVAL_MS, (im ?? 0) < 0 ? "import" : "export", (im ?? 0) < 0 ? im! : ex!);
          imp[base + i] = im ?? 0;
          exp[base + i] = ex ?? 0;
          q[base + i] = im === null ? 3 : code;
        }
      }
    }
    for (let i = 0; i < len; i++) yield intervalAt(chunk + i * INTERVAL_MS, i, parts, layout, imp, exp, q, method);
  }
}

function intervalAt(
  startMs: number,
  i: number,
  parts: readonly Participant[],
  layout: CommunityLayout,
  imp: Float64Array,
  exp: Float64Array,
  q: Int8Array,
  method: AllocationMethod,
): CommunityInterval {
  const consumption = new Array<number | null>(layout.consumers.length).fill(null);
  let production = 0, charge = 0, discharge = 0, gridImport = 0, gridExport = 0;
  let gridOk = layout.grid.length > 0;
  let worst = P_EMPTY(parts.length);
  const missing: string[] = [];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const k = p * CHUNK_INTERVALS + i;
    const code = q[k]!;
    if (code < 0 || code === 3) {
      missing.push(part.key);
      worst = 3;
      if (part.kind === Kind.Grid) gridOk = false;
      continue;
    }
    if (code > worst) worst = code;
    const im = imp[k]!, ex = exp[k]!;
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
    quality: QUALITY_BY_CODE[worst]!,
    missing,
  };
}

/** A community without any meter has nothing measured: missing. */
function P_EMPTY(participants: number): number {
  return participants === 0 ? 3 : 0;
}
