import { selfConsumptionRate, selfSufficiency } from "../allocation/reconcile";
import type { Quality } from "../model/quality";
import { INTERVAL_MS } from "../time/interval";
import type { CommunityInterval } from "./community-intervals";
import type { CommunityLayout } from "../allocation/layout";

/** kWh with 6 decimals from integer mWh: exact enough to add up on a dashboard, still a plain number. */
const kwh = (mWh: number): number => Math.round(mWh) / 1e6;

export interface ConsumerSummary {
  meter: string;
  role: string;
  unit: string | null;
  label: string | null;
  consumptionKWh: number;
  solarKWh: number;
  batteryKWh: number;
  gridKWh: number;
  /** False when this meter's value is missing (it then counts as 0). */
  measured: boolean;
}

/** The payload of zev-aggregate's first output: one closed quarter hour of the community (docs/aggregation.md). */
export interface IntervalSummary {
  community: string;
  start: string;
  startMs: number;
  endMs: number;
  productionKWh: number;
  consumptionKWh: number;
  consumers: ConsumerSummary[];
  /** Solar used by the consumers. */
  solarKWh: number;
  /** Battery discharge used by the consumers. */
  batteryKWh: number;
  /** Consumers' energy from the grid. */
  gridKWh: number;
  exportKWh: number;
  battery: { chargeKWh: number; dischargeKWh: number } | null;
  /** Share of the production used in the building, 0..1; null without production. */
  selfConsumption: number | null;
  /** Share of the consumption covered by solar and battery, 0..1; null without consumption. */
  selfSufficiency: number | null;
  reconciliation: { measuredImportKWh: number; measuredExportKWh: number; computedImportKWh: number; computedExportKWh: number; unmeteredKWh: number } | null;
  quality: Quality;
  missing: string[];
}

export function intervalSummary(ci: CommunityInterval, layout: CommunityLayout): IntervalSummary {
  const a = ci.allocation;
  const r = ci.reconciliation;
  return {
    community: layout.communityId,
    start: new Date(ci.startMs).toISOString(),
    startMs: ci.startMs,
    endMs: ci.startMs + INTERVAL_MS,
    productionKWh: kwh(a.productionMWh),
    consumptionKWh: kwh(a.totalConsumptionMWh),
    consumers: layout.consumers.map((c, i) => ({
      meter: c.meter,
      role: c.role,
      unit: c.unit,
      label: c.label,
      consumptionKWh: kwh(a.consumptionMWh[i]!),
      solarKWh: kwh(a.solarMWh[i]!),
      batteryKWh: kwh(a.batteryMWh[i]!),
      gridKWh: kwh(a.gridMWh[i]!),
      measured: ci.consumptionWh[i] !== null,
    })),
    solarKWh: kwh(a.selfConsumedMWh),
    batteryKWh: kwh(a.batteryUsedMWh),
    gridKWh: kwh(a.gridImportMWh - a.gridToBatteryMWh),
    exportKWh: kwh(a.gridExportMWh),
    battery: layout.batteries.length ? { chargeKWh: ci.batteryChargeWh / 1000, dischargeKWh: ci.batteryDischargeWh / 1000 } : null,
    selfConsumption: selfConsumptionRate(a),
    selfSufficiency: selfSufficiency(a),
    reconciliation: r
      ? {
          measuredImportKWh: kwh(r.measuredImportMWh),
          measuredExportKWh: kwh(r.measuredExportMWh),
          computedImportKWh: kwh(r.computedImportMWh),
          computedExportKWh: kwh(r.computedExportMWh),
          unmeteredKWh: kwh(r.unmeteredMWh),
        }
      : null,
    quality: ci.quality,
    missing: ci.missing,
  };
}
