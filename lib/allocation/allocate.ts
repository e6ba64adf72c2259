import { splitEqualCapped, splitProportionalInto } from "./split";

/**
 * The per-interval split of solar, battery and grid energy among consumers
 * (docs/architecture.md "Allocation"). Pure and exact: inputs are integer Wh as stored,
 * outputs integer mWh whose parts add up exactly (docs/decisions/0002).
 * Billing, dashboard and exports all call this, so they cannot disagree.
 */
export type AllocationMethod = "proportional" | "equal";
export const ALLOCATION_METHODS: readonly AllocationMethod[] = ["proportional", "equal"];

export interface IntervalInput {
  /** Consumption C_i per consumer (units, common areas, chargers), Wh, in a fixed order. */
  consumptionWh: readonly number[];
  /** Solar production P, Wh. */
  productionWh: number;
  /** Battery charge Bc and discharge Bd, Wh (0 without a battery). */
  batteryChargeWh?: number;
  batteryDischargeWh?: number;
}

export interface IntervalAllocation {
  /** Per consumer, same order as the input, mWh: solar + battery + grid = consumption. */
  consumptionMWh: number[];
  solarMWh: number[];
  batteryMWh: number[];
  gridMWh: number[];
  /** Totals, mWh. */
  totalConsumptionMWh: number;
  productionMWh: number;
  /** Solar left after charging the battery: Ls = max(0, P - Bc). */
  solarAvailableMWh: number;
  /** Solar used by the consumers: S = min(Ls, C). */
  selfConsumedMWh: number;
  /** Solar into the battery: min(P, Bc). */
  solarToBatteryMWh: number;
  /** Battery discharge used by the consumers: min(Bd, C - S). */
  batteryUsedMWh: number;
  /** Battery discharge beyond the consumers' need (it leaves the building). */
  batteryExportMWh: number;
  /** Battery charged from the grid: max(0, Bc - P). */
  gridToBatteryMWh: number;
  /** Solar fed into the grid: Ls - S. */
  solarExportMWh: number;
  /** Computed grid import: sum(grid_i) + grid to battery. */
  gridImportMWh: number;
  /** Computed grid export: solar export + battery export. */
  gridExportMWh: number;
}

const nonNegativeInt = (v: number | undefined, what: string): number => {
  const x = v ?? 0;
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer number of Wh, got ${v}`);
  return x;
};

export function allocateInterval(input: IntervalInput, method: AllocationMethod = "proportional"): IntervalAllocation {
  const n = input.consumptionWh.length;
  const buffers: AllocationBuffers = {
    need: new Array<number>(n),
    solar: new Array<number>(n),
    battery: new Array<number>(n),
    grid: new Array<number>(n),
    wh: new Array<number>(n),
    scratch: new Array<number>(n),
  };
  const t = allocateIntervalInto(input.consumptionWh, n, input.productionWh, input.batteryChargeWh ?? 0, input.batteryDischargeWh ?? 0, method, buffers);
  return {
    consumptionMWh: buffers.need as number[],
    solarMWh: buffers.solar as number[],
    batteryMWh: buffers.battery as number[],
    gridMWh: buffers.grid as number[],
    ...t,
  };
}

/** Per-consumer results of allocateIntervalInto, mWh, n entries each (at least): plain arrays or reused typed buffers. */
export interface AllocationBuffers {
  need: number[] | Float64Array;
  solar: number[] | Float64Array;
  battery: number[] | Float64Array;
  grid: number[] | Float64Array;
  /** The consumption in Wh (the split's weights) and scratch space of the split. */
  wh: number[] | Float64Array;
  scratch: number[] | Float64Array;
}

export type IntervalTotals = Omit<IntervalAllocation, "consumptionMWh" | "solarMWh" | "batteryMWh" | "gridMWh">;

/** Fresh typed buffers for allocateIntervalInto, for `n` consumers. */
export function allocationBuffers(n: number): AllocationBuffers {
  return {
    need: new Float64Array(n),
    solar: new Float64Array(n),
    battery: new Float64Array(n),
    grid: new Float64Array(n),
    wh: new Float64Array(n),
    scratch: new Float64Array(n),
  };
}

/**
 * The one implementation of the split (allocateInterval wraps it): consumers
 * consumptionWh[0..n), the per-consumer mWh written into `out`, the totals
 * returned. A billing run calls it per interval with the same buffers, so the
 * loop over a year allocates nothing per consumer.
 */
export function allocateIntervalInto(
  consumptionWh: ArrayLike<number>,
  n: number,
  productionWh: number,
  batteryChargeWh: number,
  batteryDischargeWh: number,
  method: AllocationMethod,
  out: AllocationBuffers,
): IntervalTotals {
  const { need, solar, battery, grid, wh } = out;
  let C = 0;
  for (let i = 0; i < n; i++) {
    const c = consumptionWh[i] ?? 0;
    // The message is built only when it is needed: this runs for every consumer and interval of a run.
    if (!Number.isSafeInteger(c) || c < 0) nonNegativeInt(c, `consumption of consumer ${i}`);
    wh[i] = c;
    need[i] = c * 1000;
    C += need[i]!;
  }
  const P = nonNegativeInt(productionWh, "production") * 1000;
  const Bc = nonNegativeInt(batteryChargeWh, "battery charge") * 1000;
  const Bd = nonNegativeInt(batteryDischargeWh, "battery discharge") * 1000;

  const Ls = Math.max(0, P - Bc);
  const S = Math.min(Ls, C);
  // Proportional splits work on Wh weights: an mWh amount times a Wh weight stays far below 2^53.
  if (method === "equal") copyInto(splitEqualCapped(S, sliceOf(need, n)), solar, n);
  else splitProportionalInto(S, wh, n, solar, out.scratch);
  // The residual needs go into `grid` first; the battery's share then comes off them.
  for (let i = 0; i < n; i++) grid[i] = need[i]! - solar[i]!;
  const Bu = Math.min(Bd, C - S);
  // Splitting over the residual needs (not C_i) keeps every battery share within what solar left open.
  if (method === "equal") copyInto(splitEqualCapped(Bu, sliceOf(grid, n)), battery, n);
  else splitProportionalInto(Bu, grid, n, battery, out.scratch);
  let gridSum = 0;
  for (let i = 0; i < n; i++) {
    grid[i] = grid[i]! - battery[i]!;
    gridSum += grid[i]!;
  }
  const gridToBattery = Math.max(0, Bc - P);
  return {
    totalConsumptionMWh: C,
    productionMWh: P,
    solarAvailableMWh: Ls,
    selfConsumedMWh: S,
    solarToBatteryMWh: Math.min(P, Bc),
    batteryUsedMWh: Bu,
    batteryExportMWh: Bd - Bu,
    gridToBatteryMWh: gridToBattery,
    solarExportMWh: Ls - S,
    gridImportMWh: gridSum + gridToBattery,
    gridExportMWh: Ls - S + (Bd - Bu),
  };
}

function sliceOf(xs: ArrayLike<number>, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = xs[i]!;
  return out;
}

function copyInto(from: readonly number[], to: number[] | Float64Array, n: number): void {
  for (let i = 0; i < n; i++) to[i] = from[i]!;
}
