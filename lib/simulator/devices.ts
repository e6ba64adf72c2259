import { findProfile } from "../devices/modbus/profiles";
import type { MeterProfile } from "../devices/modbus/types";
import type { MeterSnapshot } from "./engine";
import type { RegisterServer } from "./modbus-server";

/*
 * How the simulated meters are reached: as Modbus TCP meters (a unit id and
 * a profile of lib/devices/modbus/profiles.ts) or as Loxone Virtual Output
 * UDP packets. The demo flow and `zev simulate` print this table.
 */

export type MeterBinding =
  | { meter: string; via: "modbus"; unitId: number; profile: string }
  | { meter: string; via: "udp"; format: "pairs" | "json"; importName?: string; powerName?: string };

export interface DeviceLayout {
  meters: MeterBinding[];
  /** The Weidmüller AC SMART emulation, on the same Modbus server at its own unit id (as behind a gateway). */
  charger?: { meter: string; unitId: number };
}

export const SONNENHOF_DEVICES: DeviceLayout = {
  meters: [
    { meter: "unit-1", via: "modbus", unitId: 1, profile: "eastron-sdm630" },
    { meter: "unit-2", via: "modbus", unitId: 2, profile: "eastron-sdm630" },
    { meter: "unit-3", via: "udp", format: "pairs", importName: "unit-3", powerName: "unit-3-p" },
    { meter: "common", via: "modbus", unitId: 4, profile: "eastron-sdm630" },
    { meter: "grid", via: "modbus", unitId: 10, profile: "eastron-sdm630" },
    { meter: "battery", via: "modbus", unitId: 20, profile: "eastron-sdm630" },
    // The charger's own MID meter, also readable as an SDM630 (many installations have one in the sub-distribution).
    { meter: "charger-1", via: "modbus", unitId: 30, profile: "eastron-sdm630" },
    { meter: "pv", via: "modbus", unitId: 240, profile: "sunspec-213" },
  ],
  charger: { meter: "charger-1", unitId: 255 },
};

export function bindingProfile(b: Extract<MeterBinding, { via: "modbus" }>): MeterProfile {
  const p = findProfile(b.profile);
  if (!p) throw new RangeError(`unknown Modbus profile ${b.profile} for meter ${b.meter}`);
  return p;
}

/** Writes a meter's current values into its registers (and, for an SDM630, voltage and frequency as a real one shows). */
export function serveMeter(server: RegisterServer, b: Extract<MeterBinding, { via: "modbus" }>, s: MeterSnapshot): void {
  const profile = bindingProfile(b);
  server.serveProfile(b.unitId, profile, { importKWh: s.importKWh, exportKWh: s.exportKWh, powerW: s.powerW });
  if (profile.id === "eastron-sdm630") {
    server.setValue(b.unitId, { fc: 4, address: 0, type: "float32", order: "msw", scale: 1, unit: "W" }, 230.1);
    server.setValue(b.unitId, { fc: 4, address: 70, type: "float32", order: "msw", scale: 1, unit: "W" }, 50);
  }
}

/**
 * One Loxone Virtual Output packet per value, as a Miniserver sends them
 * (`unit-3-p:830`, `unit-3:1234.567`), or one JSON object for the meter.
 */
export function udpPackets(b: Extract<MeterBinding, { via: "udp" }>, s: MeterSnapshot): string[] {
  if (b.format === "json") return [JSON.stringify({ meter: b.meter, importKWh: s.importKWh, exportKWh: s.exportKWh, powerW: s.powerW })];
  // Power first: a counter packet emits the reading with the power known by then.
  const packets = b.powerName ? [`${b.powerName}:${Math.round(s.powerW)}`] : [];
  packets.push(`${b.importName ?? b.meter}:${s.importKWh.toFixed(3)}`);
  return packets;
}
