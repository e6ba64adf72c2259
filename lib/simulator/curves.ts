import { DateTime } from "luxon";
import { noise } from "./random";

/*
 * Realistic-looking power curves for the demo and for integrators without
 * hardware. Deterministic in (meter, time): a restart of the simulator, or a
 * backfill of past weeks, gives the same values.
 */

export interface SolarPlant {
  /** Peak power on a clear summer noon, W. */
  peakW: number;
  /** Latitude-ish day length swing: daylight hours at the solstices. */
  zone: string;
}

/** Wall-clock parts of an instant in a zone: fractional hour, day of year, ISO weekday (1 = Monday). */
export interface LocalParts {
  hour: number;
  dayOfYear: number;
  weekday: number;
}

/*
 * Zone offsets only change on whole UTC hours (true for Europe/Zurich and
 * every zone the suite targets), so one luxon lookup per zone and UTC hour
 * is enough; the rest is integer arithmetic. A backfill of weeks evaluates
 * millions of instants: this keeps it a matter of seconds.
 */
const offsets = new Map<string, number>();
function offsetMs(ms: number, zone: string): number {
  const hour = Math.floor(ms / 3_600_000);
  const key = `${zone}|${hour}`;
  let off = offsets.get(key);
  if (off === undefined) {
    if (offsets.size > 50_000) offsets.clear();
    off = DateTime.fromMillis(hour * 3_600_000, { zone }).offset * 60_000;
    offsets.set(key, off);
  }
  return off;
}

export function localParts(ms: number, zone: string): LocalParts {
  const d = new Date(ms + offsetMs(ms, zone));
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  const dayMs = d.getTime() - startOfYear;
  return {
    hour: d.getUTCHours() + d.getUTCMinutes() / 60 + (d.getUTCSeconds() + d.getUTCMilliseconds() / 1000) / 3600,
    dayOfYear: Math.floor(dayMs / 86_400_000) + 1,
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/** Local fractional hour and day of year of an instant. */
function localTime(ms: number, zone: string): { hour: number; dayOfYear: number } {
  return localParts(ms, zone);
}

/**
 * PV output: a sine over the daylight hours (about 8.5 h in December, 16 h in
 * June for Switzerland), scaled by season, with clouds that change every few
 * minutes and whole overcast days.
 */
export function solarPowerW(ms: number, plant: SolarPlant): number {
  const { hour, dayOfYear } = localTime(ms, plant.zone);
  const season = Math.cos(((dayOfYear - 172) / 365) * 2 * Math.PI); // 1 at midsummer, -1 at midwinter
  const daylight = 12.25 + 3.75 * season;
  const noon = 13.25; // local solar noon under summer time, about right for Switzerland all year
  const sunrise = noon - daylight / 2;
  const x = (hour - sunrise) / daylight;
  if (x <= 0 || x >= 1) return 0;
  // 0.75: a real plant rarely reaches its rated peak (heat, inverter losses, orientation).
  const clear = 0.75 * Math.sin(Math.PI * x) ** 1.5 * (0.6 + 0.4 * season) * plant.peakW;
  const day = Math.floor(ms / 86400000);
  const overcast = noise("overcast", day) < 0.25 ? 0.25 : 1;
  const cloud = 0.7 + 0.3 * noise("cloud", Math.floor(ms / 300000));
  return Math.round(clear * overcast * cloud);
}

export interface Household {
  /** Standby and fridge, W. */
  baseW: number;
  /** Typical evening peak, W. */
  peakW: number;
  /** Varies the household's habits. */
  seed: string;
}

/** Household load: base load, morning and evening peaks, and appliances switching on for a while. */
export function householdPowerW(ms: number, h: Household, zone: string): number {
  const { hour } = localTime(ms, zone);
  const morning = Math.exp(-((hour - 7.25) ** 2) / 0.8);
  const noonBump = 0.35 * Math.exp(-((hour - 12.25) ** 2) / 1.2);
  const evening = Math.exp(-((hour - 19) ** 2) / 3);
  const slot = Math.floor(ms / 600000); // appliances run in 10-minute slots
  const appliance = noise(h.seed + ":appliance", slot) < 0.08 ? 1500 + 1000 * noise(h.seed + ":size", slot) : 0;
  // habits change by the minute; compressors and electronics flicker by the second
  const jitter = (0.85 + 0.3 * noise(h.seed, Math.floor(ms / 60000))) * (0.97 + 0.06 * noise(`${h.seed}:s`, Math.floor(ms / 4000)));
  return Math.round((h.baseW + h.peakW * (0.6 * morning + noonBump + evening)) * jitter + appliance);
}

/** Common areas (stairwell light, lift, heating pump): small, steady, a bit more at night. */
export function commonAreaPowerW(ms: number, zone: string): number {
  const { hour } = localTime(ms, zone);
  const night = hour < 6 || hour > 20 ? 120 : 60;
  return night + Math.round(40 * noise("common", Math.floor(ms / 300000)));
}

export interface ChargingPlan {
  /** RFID of the car's owner. */
  rfid: string;
  /** Local hours the car is plugged in, e.g. [18, 23] (to < from: past midnight). */
  plugIn: number;
  plugOut: number;
  /** Charging power while charging, W. */
  powerW: number;
  /** Energy the car takes per session, Wh (it stops charging when full). */
  sessionWh: number;
  /** Days of week (1..7) it charges. */
  days: number[];
  /** The charging mode its driver picks (the simulated history records its sessions in this mode). */
  mode?: "priority" | "normal";
}

export interface ChargerState {
  connected: boolean;
  charging: boolean;
  powerW: number;
  rfid: string | null;
}

/** Whether the car is plugged in and charging at `ms`, given the energy charged so far in this session. */
export function chargerState(ms: number, plan: ChargingPlan, sessionEnergyWh: number, zone: string): ChargerState {
  const lt = localParts(ms, zone);
  const hour = Math.floor(lt.hour * 60 + 1e-9) / 60;
  const overnight = plan.plugOut < plan.plugIn;
  const inWindow = overnight ? hour >= plan.plugIn || hour < plan.plugOut : hour >= plan.plugIn && hour < plan.plugOut;
  const startDay = overnight && hour < plan.plugOut ? ((lt.weekday + 5) % 7) + 1 : lt.weekday;
  const connected = inWindow && plan.days.includes(startDay);
  const charging = connected && sessionEnergyWh < plan.sessionWh;
  return { connected, charging, powerW: charging ? plan.powerW : 0, rfid: connected ? plan.rfid : null };
}
