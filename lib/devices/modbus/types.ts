/** Register data types a meter profile can use. */
export type RegisterType = "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float32" | "float64";
export const REGISTER_TYPES: readonly RegisterType[] = ["int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"];

/**
 * Order of the 16-bit words of a multi-register value. "msw" = most
 * significant word first (big-endian, ABCD); "lsw" = least significant word
 * first (word-swapped, CDAB; Carlo Gavazzi, Weidmüller). Bytes within a word
 * are always big-endian, as Modbus defines.
 */
export type WordOrder = "msw" | "lsw";
export const WORD_ORDERS: readonly WordOrder[] = ["msw", "lsw"];

/** 3 = read holding registers, 4 = read input registers. */
export type ReadFunction = 3 | 4;

export type RegisterUnit = "W" | "kW" | "Wh" | "kWh";

/**
 * How a vendor manual numbers registers, so the editor and docs can show the
 * number the integrator finds in the manual next to the wire address:
 *  - "wire": the 0-based address sent in the request (Janitza, Siemens offsets)
 *  - "one": 1-based register number, wire + 1 (Schneider, SunSpec 40001-based)
 *  - "modicon": 30001 + wire for input registers, 40001 + wire for holding (Eastron)
 *  - "hex": the wire address in hexadecimal (ABB, Carlo Gavazzi)
 */
export type Numbering = "wire" | "one" | "modicon" | "hex";
export const NUMBERINGS: readonly Numbering[] = ["wire", "one", "modicon", "hex"];

export interface RegisterDef {
  fc: ReadFunction;
  /** Wire address (0-based, as sent in the request). */
  address: number;
  type: RegisterType;
  order: WordOrder;
  /** Raw value x scale = value in `unit`. */
  scale: number;
  unit: RegisterUnit;
  /**
   * The step the device counts in, in `unit`, where it is coarser than the
   * register type gives (an integer register: its scale; a float register:
   * its ulp at the value; see registerResolution in decode.ts).
   */
  resolution?: number;
  /** Raw register contents (hex of all words, e.g. "ffffffffffffffff") that mean "not available". */
  na?: readonly string[];
}

export interface MeterProfile {
  id: string;
  label: string;
  numbering: Numbering;
  importKWh: RegisterDef;
  exportKWh?: RegisterDef;
  powerW?: RegisterDef;
  defaultUnitId: number;
  /** Key of a note in the editor's catalog (zev-meter-in.profileNotes.<note>). */
  note?: string;
  /** An alias's table: the id of the built-in profile whose registers it reads (lib/devices/modbus/profiles.ts ALIASES). */
  sameAs?: string;
}
