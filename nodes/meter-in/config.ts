import type { NodeDef } from "node-red";
import type { CustomProfileInput } from "../../lib/devices/modbus/custom-profile";

export type SourceType = "loxone-udp" | "loxone-http" | "http-push" | "modbus" | "msg";
export const SOURCE_TYPES: readonly SourceType[] = ["loxone-udp", "loxone-http", "http-push", "modbus", "msg"];

/** The editor's configuration of a zev-meter-in node, as Node-RED stores it in the flow. */
export interface MeterInConfig extends NodeDef {
  /** Optional zev-community config node id: the meter is registered there on deploy. */
  community?: string;
  meterId: string;
  role?: string;
  unit?: string;
  invert?: boolean;
  /** Plausibility limit in kW (counters rising faster, or power beyond it, are rejected). */
  maxPowerKW?: string | number;
  source: SourceType;

  /** loxone-udp: zev-udp-port config node and the text names per field. */
  udpPort?: string;
  udpImport?: string;
  udpExport?: string;
  udpPower?: string;

  /** loxone-http: zev-loxone-miniserver config node, mode, names, poll interval in s. */
  miniserver?: string;
  lxMode?: "state" | "all";
  lxBlock?: string;
  lxImport?: string;
  lxExport?: string;
  lxPower?: string;
  lxPowerUnit?: "W" | "kW";
  lxInterval?: string | number;

  /** modbus: zev-modbus-connection config node, unit id, profile id or "custom", poll interval in s. */
  modbus?: string;
  mbUnitId?: string | number;
  mbProfile?: string;
  mbCustom?: CustomProfileInput;
  mbInterval?: string | number;

  /** Alerts (docs/alerts.md): device-silent after this many minutes without a usable value (0 = no alerts; default 15). */
  alertDelayMinutes?: string | number;
  /** Advanced, not in the editor: how often that is checked, in seconds (default 60). */
  alertCheckSeconds?: string | number;

  /** http-push: the push port (own listener, decision 0070); empty = the route on Node-RED's own HTTP. */
  pushPort?: string | number;
}

export interface MeterInCredentials {
  /** HTTP push: the bearer token a device must send. */
  token?: string;
}
