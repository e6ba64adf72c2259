import { allocateIntervalInto, allocationBuffers, type AllocationMethod } from "../allocation/allocate";
import { splitRoles } from "../allocation/layout";
import { splitProportional } from "../allocation/split";
import type { MeterRecord } from "../model/meter";
import type { IntervalMatrix } from "../store/interval-matrix";
import type { SessionIntervalEnergy } from "../store/charger-session-repo";
import { INTERVAL_MS } from "../time/interval";

/**
 * Energy per (occupancy, price segment, category) in mWh, accumulated
 * interval by interval from lib/allocation. Flat Float64Array: every value is
 * an integer far below 2^53, so the sums are exact.
 */
export const CAT = {
  ownSolar: 0,
  ownBattery: 1,
  ownGridHt: 2,
  ownGridNt: 3,
  commonSolar: 4,
  commonBattery: 5,
  commonGridHt: 6,
  commonGridNt: 7,
  evNormal: 8,
  evPriority: 9,
  /** Household energy (own + common) by the standard product's bands, for the comparison. */
  stdHt: 10,
  stdNt: 11,
  /** Internally supplied energy (solar + battery) by the standard product's bands, for the Art. 16 check. */
  internalStdHt: 12,
  internalStdNt: 13,
  /** EV charging by the standard product's bands: shown apart from the household comparison. */
  evStdHt: 14,
  evStdNt: 15,
} as const;
export const NCAT = 16;

export interface LedgerLayout {
  /** Interval starts are fromMs + i * 15 min; dayOfInterval maps i to a day index. */
  dayOfInterval: Int32Array;
  days: number;
  units: readonly string[];
  /** Occupancy index per unit and day: occ[u * days + d]. */
  occ: Int32Array;
  /** Segment index per unit and day. */
  seg: Int32Array;
  occupancyCount: number;
  segmentCount: number;
  /** HT(1)/NT(0) per interval for each segment's grid schedule (all 1 for a single grid price). */
  gridHt: readonly Uint8Array[];
  /** HT(1)/NT(0) per interval for each segment's standard product. */
  stdHt: readonly Uint8Array[];
  /** Common-area key weights per unit (non-negative integers). */
  commonWeights: readonly number[];
}

/** One consumer meter's split over the whole period, mWh: solar + battery + grid = consumption. */
export interface ConsumerTotals {
  meterId: number;
  role: "unit" | "common" | "charger";
  /** Index into layout.units for unit meters, -1 otherwise. */
  unit: number;
  solar: number;
  battery: number;
  grid: number;
}

export interface LedgerResult {
  values: Float64Array;
  /** Per consumer meter, for the allocation export (lib/render/export/allocation.ts). */
  consumers: ConsumerTotals[];
  /** EV energy whose user id maps to no unit: reported, not billed. */
  unattributedEv: SessionIntervalEnergy[];
  /** Charger meters' consumption in the split vs the sessions' energy, Wh. */
  chargerMeterWh: number;
  sessionsWh: number;
  /** Community totals over the period, mWh. */
  totals: { consumption: number; production: number; selfConsumed: number; batteryUsed: number; gridImport: number; gridExport: number; commonArea: number };
}

export function ledgerIndex(layout: LedgerLayout, occ: number, seg: number, cat: number): number {
  return (occ * layout.segmentCount + seg) * NCAT + cat;
}

interface RoleColumns {
  consumers: { meterId: number; col: Int32Array; role: "unit" | "common" | "charger"; unit: number }[];
  production: Int32Array[];
  batteries: { charge: Int32Array; discharge: Int32Array }[];
}

/** The matrix columns of the split's participants, consumers in the order lib/allocation/layout.ts gives them. */
function roleColumns(matrix: IntervalMatrix, meters: readonly MeterRecord[], unitIndex: Map<string, number>): RoleColumns {
  const out: RoleColumns = { consumers: [], production: [], batteries: [] };
  const roles = splitRoles(meters, new Set(unitIndex.keys()));
  for (const c of roles.consumers) {
    const col = matrix.columns.get(c.meterId);
    if (col) out.consumers.push({ meterId: c.meterId, col: col.importWh, role: c.role, unit: c.role === "unit" ? unitIndex.get(c.unit!)! : -1 });
  }
  for (const m of roles.production) {
    const col = matrix.columns.get(m.id);
    if (col) out.production.push(col.importWh);
  }
  for (const m of roles.batteries) {
    const col = matrix.columns.get(m.id);
    if (col) out.batteries.push({ charge: col.importWh, discharge: col.exportWh });
  }
  return out;
}

export function accumulateLedger(
  layout: LedgerLayout,
  matrix: IntervalMatrix,
  meters: readonly MeterRecord[],
  ev: readonly SessionIntervalEnergy[],
  method: AllocationMethod,
): LedgerResult {
  const L = new Float64Array(layout.occupancyCount * layout.segmentCount * NCAT);
  const unitIndex = new Map(layout.units.map((u, i) => [u, i]));
  const { consumers, production, batteries } = roleColumns(matrix, meters, unitIndex);
  const D = layout.days;
  const n = consumers.length;
  // Per consumer solar, battery, grid over the period: the same split billing uses, for exports.
  const perConsumer = new Float64Array(n * 3);
  // Common-area energy is shared out per day (the key is constant within a day): [day][kind]
  const COMMON_KINDS = 2 + 2 * layout.segmentCount + 4;
  const commonDay = new Float64Array(D * COMMON_KINDS);
  const totals = { consumption: 0, production: 0, selfConsumed: 0, batteryUsed: 0, gridImport: 0, gridExport: 0, commonArea: 0 };
  let chargerMeterWh = 0;

  // The hot loop of a run (intervals x consumers): typed buffers reused across intervals, each unit's
  // ledger offset computed once per day (occupancy and segment change by the day), no allocation per consumer.
  const buf = allocationBuffers(n);
  const row = new Int32Array(n);
  const cols = consumers.map((c) => c.col);
  const kind = new Uint8Array(n);
  const unitOf = new Int32Array(n);
  consumers.forEach((c, k) => {
    kind[k] = c.role === "unit" ? 0 : c.role === "common" ? 1 : 2;
    unitOf[k] = c.unit;
  });
  const base = new Int32Array(n);
  const segOf = new Int32Array(n);
  const S = layout.segmentCount;
  // Each segment's bands in this interval, looked up once per interval instead of once per consumer.
  const gridHtNow = new Uint8Array(S);
  const stdHtNow = new Uint8Array(S);
  const gridHtOf = layout.gridHt;
  const stdHtOf = layout.stdHt;
  const dayOfInterval = layout.dayOfInterval;
  const P_COUNT = production.length;
  const B_COUNT = batteries.length;
  let day = -1;
  for (let i = 0; i < matrix.count; i++) {
    const d = dayOfInterval[i]!;
    if (d !== day) {
      day = d;
      for (let k = 0; k < n; k++) {
        if (kind[k] !== 0) continue;
        const u = unitOf[k]!;
        const seg = layout.seg[u * D + d]!;
        segOf[k] = seg;
        base[k] = (layout.occ[u * D + d]! * S + seg) * NCAT;
      }
    }
    for (let k = 0; k < n; k++) row[k] = cols[k]![i]!;
    let P = 0;
    for (let j = 0; j < P_COUNT; j++) P += production[j]![i]!;
    let Bc = 0;
    let Bd = 0;
    for (let j = 0; j < B_COUNT; j++) {
      Bc += batteries[j]!.charge[i]!;
      Bd += batteries[j]!.discharge[i]!;
    }
    for (let s = 0; s < S; s++) {
      gridHtNow[s] = gridHtOf[s]![i]!;
      stdHtNow[s] = stdHtOf[s]![i]!;
    }
    const a = allocateIntervalInto(row, n, P, Bc, Bd, method, buf);
    totals.consumption += a.totalConsumptionMWh;
    totals.production += a.productionMWh;
    totals.selfConsumed += a.selfConsumedMWh;
    totals.batteryUsed += a.batteryUsedMWh;
    totals.gridImport += a.gridImportMWh;
    totals.gridExport += a.gridExportMWh;
    const solarOf = buf.solar;
    const batteryOf = buf.battery;
    const gridOf = buf.grid;
    const commonRow = d * COMMON_KINDS;
    const commonStdHt = stdHtNow[0] === 1;
    for (let k = 0; k < n; k++) {
      const solar = solarOf[k]!;
      const battery = batteryOf[k]!;
      const grid = gridOf[k]!;
      perConsumer[k * 3] += solar;
      perConsumer[k * 3 + 1] += battery;
      perConsumer[k * 3 + 2] += grid;
      const role = kind[k]!;
      if (role === 0) {
        const seg = segOf[k]!;
        const at = base[k]!;
        L[at + CAT.ownSolar] += solar;
        L[at + CAT.ownBattery] += battery;
        L[at + (gridHtNow[seg] ? CAT.ownGridHt : CAT.ownGridNt)] += grid;
        const stdHt = stdHtNow[seg] === 1;
        L[at + (stdHt ? CAT.stdHt : CAT.stdNt)] += solar + battery + grid;
        L[at + (stdHt ? CAT.internalStdHt : CAT.internalStdNt)] += solar + battery;
      } else if (role === 1) {
        commonDay[commonRow] += solar;
        commonDay[commonRow + 1] += battery;
        for (let s = 0; s < S; s++) {
          commonDay[commonRow + 2 + 2 * s + (gridHtNow[s] ? 0 : 1)] += grid;
        }
        // Standard-product bands per segment would multiply kinds; the first segment's bands stand for all (documented).
        const tail = commonRow + 2 + 2 * S;
        commonDay[tail + (commonStdHt ? 0 : 1)] += solar + battery + grid;
        commonDay[tail + (commonStdHt ? 2 : 3)] += solar + battery;
        totals.commonArea += solar + battery + grid;
      } else {
        chargerMeterWh += row[k]!;
      }
    }
  }

  // Share the common area out per day by the key; each unit's share goes to whoever occupies it that day.
  const weights = layout.commonWeights;
  for (let d = 0; d < D; d++) {
    const row = d * COMMON_KINDS;
    const addShare = (amount: number, pick: (seg: number) => number): void => {
      if (amount === 0) return;
      const parts = splitProportional(amount, weights);
      for (let u = 0; u < parts.length; u++) {
        if (parts[u] === 0) continue;
        const seg = layout.seg[u * D + d]!;
        L[(layout.occ[u * D + d]! * layout.segmentCount + seg) * NCAT + pick(seg)] += parts[u]!;
      }
    };
    addShare(commonDay[row]!, () => CAT.commonSolar);
    addShare(commonDay[row + 1]!, () => CAT.commonBattery);
    // Grid: one split of the day's common grid energy, then each unit's part into HT/NT by its own
    // segment's schedule, so the parts add up exactly to the common total.
    const gridTotal = commonDay[row + 2]! + commonDay[row + 3]!;
    if (gridTotal > 0) {
      const parts = splitProportional(gridTotal, weights);
      for (let u = 0; u < parts.length; u++) {
        if (parts[u] === 0) continue;
        const seg = layout.seg[u * D + d]!;
        const [ht, nt] = splitProportional(parts[u]!, [commonDay[row + 2 + 2 * seg]!, commonDay[row + 3 + 2 * seg]!]) as [number, number];
        const base = (layout.occ[u * D + d]! * layout.segmentCount + seg) * NCAT;
        L[base + CAT.commonGridHt] += ht;
        L[base + CAT.commonGridNt] += nt;
      }
    }
    const tail = row + 2 + 2 * layout.segmentCount;
    addShare(commonDay[tail]!, () => CAT.stdHt);
    addShare(commonDay[tail + 1]!, () => CAT.stdNt);
    addShare(commonDay[tail + 2]!, () => CAT.internalStdHt);
    addShare(commonDay[tail + 3]!, () => CAT.internalStdNt);
  }

  const unattributedEv: SessionIntervalEnergy[] = [];
  let sessionsWh = 0;
  for (const e of ev) {
    sessionsWh += e.energyWh;
    const u = e.unitId === null ? undefined : unitIndex.get(e.unitId);
    const i = (e.startMs - matrix.fromMs) / INTERVAL_MS;
    if (u === undefined || i < 0 || i >= matrix.count) {
      unattributedEv.push(e);
      continue;
    }
    const d = layout.dayOfInterval[i]!;
    const seg = layout.seg[u * D + d]!;
    const base = (layout.occ[u * D + d]! * layout.segmentCount + seg) * NCAT;
    const mwh = e.energyWh * 1000;
    L[base + (e.mode === "priority" ? CAT.evPriority : CAT.evNormal)] += mwh;
    L[base + (layout.stdHt[seg]![i] ? CAT.evStdHt : CAT.evStdNt)] += mwh;
  }
  const consumerTotals = consumers.map((c, k) => ({
    meterId: c.meterId,
    role: c.role,
    unit: c.unit,
    solar: perConsumer[k * 3]!,
    battery: perConsumer[k * 3 + 1]!,
    grid: perConsumer[k * 3 + 2]!,
  }));
  return { values: L, consumers: consumerTotals, unattributedEv, chargerMeterWh, sessionsWh, totals };
}
