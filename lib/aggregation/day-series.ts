import type { AllocationMethod } from "../allocation/allocate";
import type { Quality } from "../model/quality";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { addDays, isLocalDate, LocalDate, localDateOf, startOfLocalDay } from "../time/local-date";
import { intervalsOfLayout, layoutOf } from "./community-intervals";
import { intervalSummary } from "./interval-summary";

/** One quarter hour of a day chart: where the consumers' energy came from, and where the production went. */
export interface SeriesPoint {
  startMs: number;
  productionKWh: number;
  consumptionKWh: number;
  /** Consumers' energy from solar, battery and grid (they add up to consumptionKWh). */
  solarKWh: number;
  batteryKWh: number;
  gridKWh: number;
  /** Solar and battery energy that left the building. */
  exportKWh: number;
  /** The solar part of the export. */
  solarExportKWh: number;
  /** Energy into the battery (0 without one). */
  batteryChargeKWh: number;
  /** The part of the production that went into the battery (production = solarKWh + this + solarExportKWh). */
  solarToBatteryKWh: number;
  quality: Quality;
}

export interface DaySeries {
  community: string;
  date: LocalDate;
  fromMs: number;
  toMs: number;
  /** Quarter hours up to `untilMs` (a day in progress ends at the last closed one). */
  points: SeriesPoint[];
  totals: {
    productionKWh: number;
    consumptionKWh: number;
    solarKWh: number;
    batteryKWh: number;
    gridKWh: number;
    exportKWh: number;
    selfSufficiency: number | null;
  };
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The 15-minute series of one local day (92, 96 or 100 quarter hours), split
 * as the interval summaries split it (lib/allocation through
 * communityIntervals): the dashboard's day chart, from stored data only.
 */
export function daySeries(
  store: Store,
  communityId: string,
  date: LocalDate,
  zone: string,
  opts: { method?: AllocationMethod; untilMs?: number } = {},
): DaySeries {
  if (!isLocalDate(date)) throw new RangeError(`a day is written YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const fromMs = startOfLocalDay(date, zone);
  const toMs = startOfLocalDay(addDays(date, 1), zone);
  const until = Math.min(toMs, Math.max(fromMs, Math.floor((opts.untilMs ?? Date.now()) / INTERVAL_MS) * INTERVAL_MS));
  const layout = layoutOf(store, communityId);
  const points: SeriesPoint[] = [];
  const t = { productionKWh: 0, consumptionKWh: 0, solarKWh: 0, batteryKWh: 0, gridKWh: 0, exportKWh: 0 };
  if (until > fromMs) {
    for (const ci of intervalsOfLayout(store, layout, fromMs, until, opts.method ?? "proportional")) {
      const s = intervalSummary(ci, layout);
      const p: SeriesPoint = {
        startMs: s.startMs,
        productionKWh: s.productionKWh,
        consumptionKWh: s.consumptionKWh,
        solarKWh: s.solarKWh,
        batteryKWh: s.batteryKWh,
        gridKWh: s.gridKWh,
        exportKWh: s.exportKWh,
        batteryChargeKWh: s.battery?.chargeKWh ?? 0,
        solarExportKWh: ci.allocation.solarExportMWh / 1e6,
        solarToBatteryKWh: (ci.allocation.productionMWh - ci.allocation.selfConsumedMWh - ci.allocation.solarExportMWh) / 1e6,
        quality: s.quality,
      };
      points.push(p);
      for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += p[k];
    }
  }
  const totals = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, r6(v)])) as typeof t;
  return {
    community: communityId,
    date,
    fromMs,
    toMs,
    points,
    totals: { ...totals, selfSufficiency: totals.consumptionKWh > 0 ? (totals.solarKWh + totals.batteryKWh) / totals.consumptionKWh : null },
  };
}

/** "today", "yesterday", a date, or nothing (= today) -> the local date meant. */
export function dayOf(spec: unknown, nowMs: number, zone: string): LocalDate {
  const text = typeof spec === "string" ? spec.trim() : "";
  if (!text || text === "today") return localDateOf(nowMs, zone);
  if (text === "yesterday") return addDays(localDateOf(nowMs, zone), -1);
  if (!isLocalDate(text)) throw new RangeError(`a day is "today", "yesterday" or written YYYY-MM-DD, got ${JSON.stringify(spec)}`);
  return text;
}
