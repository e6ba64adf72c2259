import type { Field } from "../../readings/meter-input/rejection";
import { wireAddress } from "./decode";
import { NUMBERINGS, REGISTER_TYPES, WORD_ORDERS, type MeterProfile, type Numbering, type RegisterDef, type RegisterUnit } from "./types";

/** One register of a custom profile as the editor stores it (text fields). */
export interface CustomRegisterInput {
  fc?: string | number;
  /** As typed: a wire address or the manual's number, per `numbering`. */
  address?: string | number;
  type?: string;
  order?: string;
  scale?: string | number;
  unit?: string;
}

export interface CustomProfileInput {
  numbering?: string;
  importKWh?: CustomRegisterInput;
  exportKWh?: CustomRegisterInput;
  powerW?: CustomRegisterInput;
}

const COUNTER_UNITS: readonly RegisterUnit[] = ["Wh", "kWh"];
const POWER_UNITS: readonly RegisterUnit[] = ["W", "kW"];

/** Builds a profile from the editor's custom fields; an empty address leaves a field out (import is required). */
export function customProfile(input: CustomProfileInput): { profile: MeterProfile } | { errors: string[] } {
  const errors: string[] = [];
  const numbering = (input.numbering || "wire") as Numbering;
  if (!NUMBERINGS.includes(numbering)) errors.push(`numbering must be one of ${NUMBERINGS.join(", ")}`);
  const reg = (field: Field, r: CustomRegisterInput | undefined, required: boolean): RegisterDef | undefined => {
    if (!r || r.address === undefined || String(r.address).trim() === "") {
      if (required) errors.push(`${field}: address is required`);
      return undefined;
    }
    const fc = Number(r.fc ?? 3);
    if (fc !== 3 && fc !== 4) errors.push(`${field}: function code must be 3 or 4`);
    const address = wireAddress(r.address, fc === 4 ? 4 : 3, numbering);
    if (address === null) errors.push(`${field}: address ${String(r.address)} does not fit the numbering ${numbering}`);
    const type = (r.type ?? "float32") as RegisterDef["type"];
    if (!REGISTER_TYPES.includes(type)) errors.push(`${field}: type must be one of ${REGISTER_TYPES.join(", ")}`);
    const order = (r.order ?? "msw") as RegisterDef["order"];
    if (!WORD_ORDERS.includes(order)) errors.push(`${field}: word order must be msw or lsw`);
    const scale = r.scale === undefined || String(r.scale).trim() === "" ? 1 : Number(r.scale);
    if (!Number.isFinite(scale) || scale === 0) errors.push(`${field}: scale must be a non-zero number`);
    const units = field === "powerW" ? POWER_UNITS : COUNTER_UNITS;
    const unit = (r.unit || units[field === "powerW" ? 0 : 1]) as RegisterUnit;
    if (!units.includes(unit)) errors.push(`${field}: unit must be ${units.join(" or ")}`);
    return { fc: fc === 4 ? 4 : 3, address: address ?? 0, type, order, scale, unit };
  };
  const importKWh = reg("importKWh", input.importKWh, true);
  const exportKWh = reg("exportKWh", input.exportKWh, false);
  const powerW = reg("powerW", input.powerW, false);
  if (errors.length > 0 || !importKWh) return { errors };
  const profile: MeterProfile = { id: "custom", label: "Custom", numbering, defaultUnitId: 1, importKWh };
  if (exportKWh) profile.exportKWh = exportKWh;
  if (powerW) profile.powerW = powerW;
  return { profile };
}
