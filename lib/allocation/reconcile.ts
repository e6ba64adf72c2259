import type { IntervalAllocation } from "./allocate";

/**
 * Measured grid-connection energy against the computed split. A positive
 * `unmeteredMWh` is energy the grid meter saw that no consumer meter
 * accounts for (line losses, unmetered loads, meter tolerance); it is
 * reported, never silently folded into anyone's share.
 */
export interface Reconciliation {
  measuredImportMWh: number;
  measuredExportMWh: number;
  computedImportMWh: number;
  computedExportMWh: number;
  importDiffMWh: number;
  exportDiffMWh: number;
  /** Net difference: (measured import - computed import) - (measured export - computed export). */
  unmeteredMWh: number;
}

export function reconcile(a: IntervalAllocation, grid: { importWh: number; exportWh: number }): Reconciliation {
  const measuredImportMWh = grid.importWh * 1000;
  const measuredExportMWh = grid.exportWh * 1000;
  const importDiffMWh = measuredImportMWh - a.gridImportMWh;
  const exportDiffMWh = measuredExportMWh - a.gridExportMWh;
  return {
    measuredImportMWh,
    measuredExportMWh,
    computedImportMWh: a.gridImportMWh,
    computedExportMWh: a.gridExportMWh,
    importDiffMWh,
    exportDiffMWh,
    unmeteredMWh: importDiffMWh - exportDiffMWh,
  };
}

/** Share of consumption covered locally (solar + battery), 0..1; null without consumption. */
export function selfSufficiency(a: Pick<IntervalAllocation, "selfConsumedMWh" | "batteryUsedMWh" | "totalConsumptionMWh">): number | null {
  return a.totalConsumptionMWh > 0 ? (a.selfConsumedMWh + a.batteryUsedMWh) / a.totalConsumptionMWh : null;
}

/** Share of production used in the building (consumers + battery), 0..1; null without production. */
export function selfConsumptionRate(a: Pick<IntervalAllocation, "selfConsumedMWh" | "solarToBatteryMWh" | "productionMWh">): number | null {
  return a.productionMWh > 0 ? (a.selfConsumedMWh + a.solarToBatteryMWh) / a.productionMWh : null;
}
