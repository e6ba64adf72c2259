import type { Field } from "./rejection";

/**
 * Field names accepted in JSON from integrators (UDP JSON, HTTP push, msg),
 * case-insensitive: the names of the reading message and short forms.
 */
const ALIASES: Record<string, Field> = {
  importkwh: "importKWh",
  import: "importKWh",
  exportkwh: "exportKWh",
  export: "exportKWh",
  powerw: "powerW",
  power: "powerW",
};

export function fieldForKey(key: string): Field | undefined {
  return Object.prototype.hasOwnProperty.call(ALIASES, key.toLowerCase()) ? ALIASES[key.toLowerCase()] : undefined;
}

/** Keys with a meaning besides the fields. */
export const META_KEYS = ["meter", "ts", "serial", "resolutionKWh"] as const;

export function isMetaKey(key: string): boolean {
  return (META_KEYS as readonly string[]).includes(key);
}
