import type { NodeDef } from "node-red";
import { DEFAULT_CONTROL, type CurrentControlOptions } from "../../lib/charging/current-control";
import { parseModeMap, type ModeMap } from "../../lib/charging/mode-map";
import { isChargeMode, type ChargeMode } from "../../lib/model/charging-session";
import { WALLBOX_FIELDS, WALLBOX_OUTPUTS, type WallboxField } from "../../lib/devices/loxone/wallbox";
import { AC_SMART } from "../../lib/devices/weidmueller/registers";
import { problem, type Problem } from "../../lib/util/issue";

export type ChargerSource = "modbus" | "loxone-udp" | "loxone-http" | "msg";
export const CHARGER_SOURCES: readonly ChargerSource[] = ["modbus", "loxone-udp", "loxone-http", "msg"];

type NameField = "nConnected" | "nCharging" | "nPower" | "nMode" | "nTotal" | "nSession" | "nUserId";

/** Editor field per Wallbox output name (Loxone UDP command names or HTTP output names). */
export const NAME_FIELDS: Readonly<Record<WallboxField, NameField>> = {
  connected: "nConnected",
  charging: "nCharging",
  power: "nPower",
  mode: "nMode",
  total: "nTotal",
  session: "nSession",
  userId: "nUserId",
};

/** The editor's configuration of a zev-charger-weidmueller node, as Node-RED stores it in the flow. */
export interface ChargerConfig extends NodeDef, Partial<Record<NameField, string>> {
  community?: string;
  meterId?: string;
  source?: string;
  defaultMode?: string;
  modeMap?: string;
  maxPowerKW?: string | number;
  /** Seconds without a reading after which a gap is an outage; empty = automatic. */
  outageS?: string | number;
  /** Alerts (docs/alerts.md): device-silent after this many minutes without an answer (0 = no alerts; default 15). */
  alertDelayMinutes?: string | number;
  /** Advanced, not in the editor: how often that is checked, in seconds (default 60). */
  alertCheckSeconds?: string | number;
  modbus?: string;
  mbUnitId?: string | number;
  mbInterval?: string | number;
  control?: boolean;
  maxCurrentA?: string | number;
  phases?: string | number;
  udpPort?: string;
  miniserver?: string;
  lxBlock?: string;
  lxInterval?: string | number;
}

/** The configuration checked and with its defaults: what the runtime works with. */
export interface ChargerSettings {
  meterId: string;
  source: ChargerSource;
  defaultMode: ChargeMode;
  modes: ModeMap;
  maxPowerW: number;
  outageMs: number;
  intervalMs: number;
  unitId: number;
  /** Output names per field: Loxone UDP command names or HTTP /all output names. */
  names: Record<WallboxField, string>;
  lxBlock: string;
  control: CurrentControlOptions | null;
}

const num = (v: unknown, fallback: number): number => {
  const n = Number(v);
  return v === undefined || v === null || v === "" || !Number.isFinite(n) || n <= 0 ? fallback : n;
};

export function parseChargerConfig(c: ChargerConfig): { settings: ChargerSettings } | { problem: Problem } {
  const meterId = String(c.meterId ?? "").trim();
  const source = (c.source || "modbus") as ChargerSource;
  if (!CHARGER_SOURCES.includes(source)) return { problem: problem("source", { source }) };
  const modes = parseModeMap(c.modeMap);
  if (!modes.ok) return { problem: problem("modeMap", { error: modes.error }) };
  const intervalMs = num(source === "modbus" ? c.mbInterval : c.lxInterval, 10) * 1000;
  const unitId = c.mbUnitId === undefined || c.mbUnitId === "" ? AC_SMART.defaultUnitId : Number(c.mbUnitId);
  if (source === "modbus" && (!Number.isInteger(unitId) || unitId < 0 || unitId > 255)) return { problem: problem("unitId", { unit: String(c.mbUnitId) }) };
  if (source === "loxone-http" && !String(c.lxBlock ?? "").trim()) return { problem: problem("noBlock") };
  const names = {} as Record<WallboxField, string>;
  for (const f of WALLBOX_FIELDS) {
    const given = String(c[NAME_FIELDS[f]] ?? "").trim();
    // UDP command names are the integrator's: by default "<meter id>-<output>", e.g. "wb-1-Vc:<v>".
    names[f] = given || (source === "loxone-udp" ? `${meterId}-${WALLBOX_OUTPUTS[f].output}` : WALLBOX_OUTPUTS[f].output);
  }
  const control =
    source === "modbus" && c.control === true
      ? { ...DEFAULT_CONTROL, maxCurrentA: num(c.maxCurrentA, DEFAULT_CONTROL.maxCurrentA), phases: (String(c.phases) === "1" ? 1 : 3) as 1 | 3 }
      : null;
  if (control && control.maxCurrentA < control.minCurrentA) return { problem: problem("maxCurrent", { amps: String(control.maxCurrentA) }) };
  return {
    settings: {
      meterId,
      source,
      defaultMode: isChargeMode(c.defaultMode) ? c.defaultMode : "normal",
      modes: modes.map,
      maxPowerW: num(c.maxPowerKW, 22) * 1000,
      // A wired source may send rarely; a polled one is late after three missed polls (at least a minute).
      outageMs: num(c.outageS, 0) * 1000 || (source === "msg" ? 15 * 60_000 : Math.max(60_000, 3 * intervalMs)),
      intervalMs,
      unitId,
      names,
      lxBlock: String(c.lxBlock ?? "").trim(),
      control,
    },
  };
}
