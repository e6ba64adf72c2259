import type { CommunityDefinition } from "../community/types";
import type { MeterRole } from "../model/meter";
import type { ChargingPlan, Household, SolarPlant } from "./curves";

/*
 * A simulated building: which meters it has and what drives each of them.
 * The demo and `zev simulate` use SONNENHOF_SITE (docs/examples/community/
 * sonnenhof.json plus a house battery); integrators can describe their own.
 */

export interface SimMeter {
  id: string;
  role: MeterRole;
  unit?: string;
  label: string;
}

export interface BatteryModel {
  meter: SimMeter;
  capacityWh: number;
  maxChargeW: number;
  maxDischargeW: number;
  /** Round-trip losses split evenly between charging and discharging. */
  efficiency: number;
  /** The battery never discharges below this. */
  reserveWh: number;
}

export interface ChargerModel {
  meter: SimMeter;
  /** Cars that come to this charger; the first plan whose car is plugged in wins. */
  plans: ChargingPlan[];
  phases: 1 | 3;
  voltageV: number;
  /** The charger's own limit when nobody controls it, A. */
  maxCurrentA: number;
  /** Which unit each car's RFID tag belongs to (the community's charging ids). */
  ids: { id: string; unit: string; label: string }[];
}

export interface SiteModel {
  zone: string;
  pv: { meter: SimMeter; plant: SolarPlant };
  households: { meter: SimMeter; household: Household }[];
  common?: { meter: SimMeter };
  battery?: BatteryModel;
  charger?: ChargerModel;
  /** The grid connection meter; `unmeteredW` is drawn besides the metered consumers (meters' own use, losses). */
  grid: { meter: SimMeter; unmeteredW: number };
  /**
   * Simulated faults in the history (backfill): "short" = the meter is silent
   * 40 minutes in the night about every third day (interpolated intervals);
   * "long" = 4 hours every 16th day (beyond a 3 h gap limit: missing).
   */
  outages?: { meter: string; kind: "short" | "long" }[];
  /** Counter values of the meters when the simulation starts from nothing, kWh. */
  initialKWh: Record<string, { importKWh: number; exportKWh: number }>;
}

const ZONE = "Europe/Zurich";

/** RFID tags of the demo's cars; the demo community maps them to units 1 and 3. */
export const SONNENHOF_RFIDS = { unit1: "04A1B2C3D4E5F6", unit3: "04F6E5D4C3B2A1" } as const;

export const SONNENHOF_SITE: SiteModel = {
  zone: ZONE,
  pv: { meter: { id: "pv", role: "production", label: "PV Dach" }, plant: { peakW: 24000, zone: ZONE } },
  households: [
    { meter: { id: "unit-1", role: "unit", unit: "1", label: "Wohnung 1" }, household: { baseW: 160, peakW: 1300, seed: "unit-1" } },
    { meter: { id: "unit-2", role: "unit", unit: "2", label: "Wohnung 2" }, household: { baseW: 210, peakW: 1700, seed: "unit-2" } },
    { meter: { id: "unit-3", role: "unit", unit: "3", label: "Wohnung 3" }, household: { baseW: 110, peakW: 900, seed: "unit-3" } },
  ],
  common: { meter: { id: "common", role: "common", label: "Allgemeinstrom" } },
  battery: {
    meter: { id: "battery", role: "battery", label: "Batterie" },
    capacityWh: 13_500,
    maxChargeW: 5000,
    maxDischargeW: 5000,
    efficiency: 0.92,
    reserveWh: 1350,
  },
  charger: {
    meter: { id: "charger-1", role: "charger", label: "Ladestation 1" },
    plans: [
      // Unit 1 charges on weekday evenings and overnight, unit 3 on weekend days in the sun.
      { rfid: SONNENHOF_RFIDS.unit1, plugIn: 18, plugOut: 7, powerW: 11_000, sessionWh: 16_000, days: [1, 2, 3, 4, 5], mode: "priority" },
      { rfid: SONNENHOF_RFIDS.unit3, plugIn: 10, plugOut: 16, powerW: 11_000, sessionWh: 22_000, days: [6, 7], mode: "normal" },
    ],
    phases: 3,
    voltageV: 230,
    maxCurrentA: 16,
    ids: [
      { id: SONNENHOF_RFIDS.unit1, unit: "1", label: "Auto Anna Meier" },
      { id: SONNENHOF_RFIDS.unit3, unit: "3", label: "Car Sam Taylor" },
    ],
  },
  grid: { meter: { id: "grid", role: "grid", label: "Netzanschluss" }, unmeteredW: 12 },
  outages: [
    { meter: "unit-3", kind: "short" },
    { meter: "common", kind: "long" },
  ],
  initialKWh: {
    pv: { importKWh: 41_250.5, exportKWh: 0 },
    "unit-1": { importKWh: 8_412.25, exportKWh: 0 },
    "unit-2": { importKWh: 12_030.75, exportKWh: 0 },
    "unit-3": { importKWh: 5_118.5, exportKWh: 0 },
    common: { importKWh: 2_840, exportKWh: 0 },
    battery: { importKWh: 3_615.25, exportKWh: 3_212.5 },
    "charger-1": { importKWh: 6_402, exportKWh: 0 },
    grid: { importKWh: 21_790.5, exportKWh: 27_345.25 },
  },
};

/** Every meter of a site, in a stable order. */
export function siteMeters(site: SiteModel): SimMeter[] {
  return [
    site.pv.meter,
    site.grid.meter,
    ...(site.common ? [site.common.meter] : []),
    ...site.households.map((h) => h.meter),
    ...(site.battery ? [site.battery.meter] : []),
    ...(site.charger ? [site.charger.meter] : []),
  ];
}

/**
 * The community with the site's meters (roles, units, labels) in its meter
 * list and the cars' RFID tags in its charging ids, replacing entries of the
 * same id.
 */
export function withSiteMeters(def: CommunityDefinition, site: SiteModel): CommunityDefinition {
  const sim = siteMeters(site).map((m) => ({ id: m.id, role: m.role, ...(m.unit ? { unit: m.unit } : {}), label: m.label }));
  const ids = site.charger?.ids ?? [];
  return {
    ...def,
    meters: [...(def.meters ?? []).filter((m) => !sim.some((s) => s.id === m.id)), ...sim],
    ...(ids.length ? { chargingIds: [...(def.chargingIds ?? []).filter((c) => !ids.some((i) => i.id === c.id)), ...ids] } : {}),
  };
}
