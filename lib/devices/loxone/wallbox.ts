import { parseNumberWithUnit, toFieldUnit } from "../../readings/meter-input/value-text";
import { parseFlag } from "../values";

/**
 * The Loxone Wallbox block's outputs a charger node reads (Loxone Config,
 * block "Wallbox"; docs/chargers.md). `output` is the block's output name, used as
 * is with HTTP /all and as the default suffix of the UDP command names.
 * Adding an output = adding a row.
 */
export type WallboxField = "connected" | "charging" | "power" | "mode" | "total" | "session" | "userId";

export type WallboxKind = "flag" | "power" | "counter" | "mode" | "text";

export const WALLBOX_OUTPUTS: Readonly<Record<WallboxField, { output: string; kind: WallboxKind; unit?: "kW" | "kWh"; required?: boolean }>> = {
  connected: { output: "Vc", kind: "flag", required: true },
  charging: { output: "Cac", kind: "flag" },
  power: { output: "Cp", kind: "power", unit: "kW" },
  mode: { output: "M", kind: "mode" },
  total: { output: "Mr", kind: "counter", unit: "kWh", required: true },
  session: { output: "Ccc", kind: "counter", unit: "kWh" },
  userId: { output: "Uid", kind: "text" },
};

export const WALLBOX_FIELDS = Object.keys(WALLBOX_OUTPUTS) as WallboxField[];

/** What the block's latest values say, in the charger's units; fields that did not read are absent. */
export interface WallboxValues {
  connected?: boolean;
  charging?: boolean;
  powerW?: number;
  /** Lifetime counter, whole Wh. */
  counterWh?: number;
  /** The block's own session energy, Wh: shown for comparison, never billed. */
  sessionWh?: number;
  /** Raw mode value, for the node's mode mapping. */
  mode?: string | number;
  /** null = the block reports no user. */
  userId?: string | null;
}

export interface WallboxProblem {
  field: WallboxField;
  value: string;
  detail: string;
}

/** Reads the block's raw values (numbers or text such as "11.0 kW", "1"); problems name the field and value. */
export function readWallbox(raw: Partial<Record<WallboxField, unknown>>): { values: WallboxValues; problems: WallboxProblem[] } {
  const values: WallboxValues = {};
  const problems: WallboxProblem[] = [];
  for (const field of WALLBOX_FIELDS) {
    const v = raw[field];
    if (v === undefined) continue;
    const spec = WALLBOX_OUTPUTS[field];
    const bad = (detail: string): void => void problems.push({ field, value: String(v).slice(0, 40), detail });
    switch (spec.kind) {
      case "flag": {
        const flag = parseFlag(v);
        if (flag === null) bad("expected 0 or 1");
        else if (field === "connected") values.connected = flag;
        else values.charging = flag;
        break;
      }
      case "power":
      case "counter": {
        const n = parseNumberWithUnit(v);
        if (!n) {
          bad("not a number");
          break;
        }
        const converted = toFieldUnit(spec.kind === "power" ? "powerW" : "importKWh", n.value, n.unit, spec.unit);
        if (converted === null) bad(`unit ${n.unit ?? ""} does not fit`);
        else if (spec.kind === "power") values.powerW = converted;
        else if (converted < 0) bad("negative counter");
        else if (field === "total") values.counterWh = Math.round(converted * 1000);
        else values.sessionWh = Math.round(converted * 1000);
        break;
      }
      case "mode":
        if (typeof v === "number" || typeof v === "string") values.mode = v;
        else bad("expected a number or text");
        break;
      case "text":
        if (typeof v === "number") values.userId = String(v);
        else if (typeof v === "string") values.userId = v.trim() === "" ? null : v.trim().slice(0, 64);
        else bad("expected text");
        break;
    }
  }
  return { values, problems };
}
