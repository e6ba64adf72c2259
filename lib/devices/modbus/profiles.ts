import type { MeterProfile } from "./types";

/**
 * Built-in Modbus meter profiles: one table row per meter model, wire
 * addresses (0-based, as sent in the request), type, word order, scale and
 * unit. Facts from the vendors' register lists (see docs/meters.md, which
 * shows the same table with the manuals' numbering); verify against the
 * device where you can. Adding a meter = adding a row.
 */
export const PROFILES: readonly MeterProfile[] = [
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
    id: "eastron-sdm72",
    label: "Eastron SDM72D-M / SDM72D-M-2",
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
    id: "carlo-gavazzi-em340",
    label: "Carlo Gavazzi EM340",
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

export function findProfile(id: string): MeterProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
