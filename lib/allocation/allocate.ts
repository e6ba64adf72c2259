import { splitEqualCapped, splitProportional } from "./split";

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
  const need = new Array<number>(n);
  let C = 0;
  for (let i = 0; i < n; i++) {
    need[i] = nonNegativeInt(input.consumptionWh[i], `consumption of consumer ${i}`) * 1000;
    C += need[i]!;
  }
  const P = nonNegativeInt(input.productionWh, "production") * 1000;
  const Bc = nonNegativeInt(input.batteryChargeWh, "battery charge") * 1000;
  const Bd = nonNegativeInt(input.batteryDischargeWh, "battery discharge") * 1000;

  const Ls = Math.max(0, P - Bc);
  const S = Math.min(Ls, C);
  // Proportional splits work on Wh weights: an mWh amount times a Wh weight stays far below 2^53.
  const weightsWh = input.consumptionWh;
  const solar = method === "equal" ? splitEqualCapped(S, need) : splitProportional(S, weightsWh);
  const residual = need.map((c, i) => c - solar[i]!);
  const Bu = Math.min(Bd, C - S);
  // Splitting over the residual needs (not C_i) keeps every battery share within what solar left open.
  const battery = method === "equal" ? splitEqualCapped(Bu, residual) : splitProportional(Bu, residual);
  const grid = residual.map((r, i) => r - battery[i]!);
  const gridToBattery = Math.max(0, Bc - P);
  let gridSum = 0;
  for (const g of grid) gridSum += g;
  return {
    consumptionMWh: need,
    solarMWh: solar,
    batteryMWh: battery,
    gridMWh: grid,
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
