import type { MeterRole } from "../model/meter";

export interface MeterPower {
  meter: string;
  role: MeterRole;
  unit: string | null;
  /** Epoch ms of the power value. */
  ts: number;
  /** Positive in the meter's import direction (lib/readings/reading.ts). */
  powerW: number | null;
}

/** Current power flows of the community for the dashboard (zev-aggregate's second output). */
export interface LiveFlows {
  ts: number;
  productionW: number;
  consumptionW: number;
  /** Positive = charging, negative = discharging; null without a battery meter. */
  batteryW: number | null;
  /** Positive = drawing from the grid, negative = feeding in. Measured at the grid meter when it has a fresh value, else computed. */
  gridW: number;
  gridSource: "measured" | "computed";
  /** Solar covering the consumption right now, W. */
  selfConsumedW: number;
  /** Share of the consumption covered by solar and battery right now, 0..1; null without consumption. */
  selfSufficiency: number | null;
  /** Power of the EV chargers (role charger) now, W. */
  chargingW: number;
  /** Solar power left for the chargers: production minus every other consumer, W (negative = none). The charger node's "surplus". */
  surplusW: number;
  perMeter: { meter: string; role: MeterRole; unit: string | null; powerW: number }[];
  /** Meters whose power is older than the freshness limit or unknown. */
  stale: string[];
}

/**
 * Sums the latest power of each meter by role. Values older than `maxAgeMs`
 * are left out and listed as stale, so a silent meter does not freeze the
 * picture with its last value.
 */
export function liveFlows(meters: readonly MeterPower[], nowMs: number, maxAgeMs: number): LiveFlows {
  let production = 0,
    consumption = 0,
    battery = 0,
    grid = 0,
    charging = 0;
  let hasBattery = false,
    gridFresh = false;
  const perMeter: LiveFlows["perMeter"] = [];
  const stale: string[] = [];
  for (const m of meters) {
    if (m.role === "other") continue;
    if (m.powerW === null || nowMs - m.ts > maxAgeMs) {
      stale.push(m.meter);
      if (m.role === "battery") hasBattery = true;
      continue;
    }
    perMeter.push({ meter: m.meter, role: m.role, unit: m.unit, powerW: m.powerW });
    switch (m.role) {
      case "production":
        // Negative production power is the inverter's standby draw: a consumer.
        if (m.powerW >= 0) production += m.powerW;
        else consumption -= m.powerW;
        break;
      case "battery":
        hasBattery = true;
        battery += m.powerW;
        break;
      case "grid":
        gridFresh = true;
        grid += m.powerW;
        break;
      default:
        consumption += m.powerW;
        if (m.role === "charger") charging += m.powerW;
    }
  }
  const computedGrid = consumption + battery - production;
  const selfConsumedW = Math.min(Math.max(0, production - Math.max(0, battery)), consumption);
  return {
    ts: nowMs,
    productionW: production,
    consumptionW: consumption,
    batteryW: hasBattery ? battery : null,
    gridW: gridFresh ? grid : computedGrid,
    gridSource: gridFresh ? "measured" : "computed",
    selfConsumedW,
    chargingW: charging,
    surplusW: production - (consumption - charging),
    selfSufficiency: consumption > 0 ? selfSufficiency(consumption, selfConsumedW + (hasBattery ? Math.max(0, -battery) : 0), gridFresh ? grid : null) : null,
    perMeter,
    stale,
  };
}

/**
 * The share of the consumption covered on site. The meters are read at slightly different moments, so their sum can
 * show solar and battery covering everything while the grid meter measures an import: what it measures comes from
 * the grid, and the share stays below 100 % by it (a "100 %" beside "grid import 12 W" would contradict itself).
 */
function selfSufficiency(consumptionW: number, coveredW: number, measuredGridW: number | null): number {
  const byMeters = Math.min(1, coveredW / consumptionW);
  if (measuredGridW === null || measuredGridW <= 0) return byMeters;
  return Math.max(0, Math.min(byMeters, 1 - measuredGridW / consumptionW));
}
