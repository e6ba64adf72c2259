import type { MeterProfile } from "./types";

/**
 * Built-in Modbus register tables: one row per table, wire addresses
 * (0-based, as sent in the request), type, word order, scale and unit. Facts
 * from the vendors' register lists (see docs/meters.md, which shows the same
 * table with the manuals' numbering); verify against the device where you
 * can. Adding a meter = adding a row; a model that reads exactly like one
 * here is an alias below, not a copied row.
 */
const TABLES: readonly MeterProfile[] = [
  {
    id: "eastron-sdm630",
    label: "Eastron SDM630",
    numbering: "modicon",
    defaultUnitId: 1,
    powerW: { fc: 4, address: 52, type: "float32", order: "msw", scale: 1, unit: "W" },
    importKWh: { fc: 4, address: 72, type: "float32", order: "msw", scale: 1, unit: "kWh" },
    exportKWh: { fc: 4, address: 74, type: "float32", order: "msw", scale: 1, unit: "kWh" },
    note: "eastron",
  },
  {
    id: "abb-b23",
    label: "ABB B23 / B24",
    numbering: "hex",
    defaultUnitId: 1,
    powerW: { fc: 3, address: 23316, type: "int32", order: "msw", scale: 0.01, unit: "W", na: ["7fffffff"] },
    importKWh: { fc: 3, address: 20480, type: "uint64", order: "msw", scale: 0.01, unit: "kWh", na: ["ffffffffffffffff"] },
    exportKWh: { fc: 3, address: 20484, type: "uint64", order: "msw", scale: 0.01, unit: "kWh", na: ["ffffffffffffffff"] },
    note: "abb",
  },
  {
    id: "carlo-gavazzi-em24",
    label: "Carlo Gavazzi EM24-E1",
    numbering: "hex",
    defaultUnitId: 1,
    powerW: { fc: 4, address: 40, type: "int32", order: "lsw", scale: 0.1, unit: "W" },
    importKWh: { fc: 4, address: 52, type: "int32", order: "lsw", scale: 0.1, unit: "kWh" },
    exportKWh: { fc: 4, address: 78, type: "int32", order: "lsw", scale: 0.1, unit: "kWh" },
    note: "lswFirst",
  },
  {
    id: "janitza-umg",
    label: "Janitza UMG (604, 96RM, 509, ...)",
    numbering: "wire",
    defaultUnitId: 1,
    powerW: { fc: 3, address: 19026, type: "float32", order: "msw", scale: 1, unit: "W" },
    importKWh: { fc: 3, address: 19068, type: "float32", order: "msw", scale: 1, unit: "Wh" },
    exportKWh: { fc: 3, address: 19076, type: "float32", order: "msw", scale: 1, unit: "Wh" },
  },
  {
    id: "schneider-iem3000",
    label: "Schneider Electric iEM3000 series",
    numbering: "one",
    defaultUnitId: 1,
    powerW: { fc: 3, address: 3059, type: "float32", order: "msw", scale: 1, unit: "kW", na: ["ffc00000"] },
    importKWh: { fc: 3, address: 3203, type: "int64", order: "msw", scale: 1, unit: "Wh", na: ["8000000000000000"] },
    exportKWh: { fc: 3, address: 3207, type: "int64", order: "msw", scale: 1, unit: "Wh", na: ["8000000000000000"] },
    note: "registerNumbers",
  },
  {
    id: "siemens-pac2200",
    label: "Siemens SENTRON PAC2200",
    numbering: "wire",
    defaultUnitId: 1,
    powerW: { fc: 4, address: 65, type: "float32", order: "msw", scale: 1, unit: "W" },
    importKWh: { fc: 4, address: 801, type: "float64", order: "msw", scale: 1, unit: "Wh" },
    exportKWh: { fc: 4, address: 809, type: "float64", order: "msw", scale: 1, unit: "Wh" },
    note: "offsets",
  },
  {
    id: "sunspec-213",
    label: "SunSpec float meter (model 213, e.g. Fronius Smart Meter)",
    numbering: "one",
    defaultUnitId: 240,
    powerW: { fc: 3, address: 40097, type: "float32", order: "msw", scale: 1, unit: "W" },
    importKWh: { fc: 3, address: 40137, type: "float32", order: "msw", scale: 1, unit: "Wh" },
    exportKWh: { fc: 3, address: 40129, type: "float32", order: "msw", scale: 1, unit: "Wh" },
    note: "sunspec",
  },
];

/** A model sold under its own name with the register table of another (`of`, a table id above). */
export interface ProfileAlias {
  id: string;
  label: string;
  of: string;
}

/** Models that read exactly like a table above (decision 0094): the same registers, defaults and note, their own id and label. */
export const ALIASES: readonly ProfileAlias[] = [
  { id: "eastron-sdm72", label: "Eastron SDM72D-M / SDM72D-M-2", of: "eastron-sdm630" },
  { id: "carlo-gavazzi-em340", label: "Carlo Gavazzi EM340", of: "carlo-gavazzi-em24" },
];

/**
 * Every model the editor lists and docs/meters.md shows, in that order:
 * each table, followed by the models that read like it.
 */
export const PROFILES: readonly MeterProfile[] = TABLES.flatMap((t) => [
  t,
  ...ALIASES.filter((a) => a.of === t.id).map((a): MeterProfile => ({ ...t, id: a.id, label: a.label, sameAs: t.id })),
]);

export function findProfile(id: string): MeterProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
