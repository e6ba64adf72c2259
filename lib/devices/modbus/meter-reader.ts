import type { ValueInput } from "../../readings/meter-input/meter-ingest";
import { FIELDS, type Field } from "../../readings/meter-input/rejection";
import { ModbusError, type ModbusConnection } from "./connection";
import { decodeValue, registerCount, registerResolution, wordsHex } from "./decode";
import type { MeterProfile, ReadFunction, RegisterDef } from "./types";

export interface ReadBlock {
  fc: ReadFunction;
  address: number;
  count: number;
  fields: { field: Field; offset: number; def: RegisterDef }[];
}

/** At most this many registers in one request (Eastron: 30 parameters = 60 registers). */
export const MAX_BLOCK_REGISTERS = 60;

/**
 * The requests needed for a profile: fields whose registers follow each
 * other directly (same function code, no gap) are read in one request; gaps
 * are never bridged, as some meters refuse reads across undefined registers.
 */
export function planReads(profile: MeterProfile): ReadBlock[] {
  const regs = FIELDS.flatMap((field) => {
    const def = profile[field];
    return def ? [{ field, def }] : [];
  }).sort((a, b) => a.def.fc - b.def.fc || a.def.address - b.def.address);
  const blocks: ReadBlock[] = [];
  for (const { field, def } of regs) {
    const n = registerCount(def.type);
    const last = blocks[blocks.length - 1];
    if (last && last.fc === def.fc && last.address + last.count === def.address && last.count + n <= MAX_BLOCK_REGISTERS) {
      last.fields.push({ field, offset: last.count, def });
      last.count += n;
    } else {
      blocks.push({ fc: def.fc, address: def.address, count: n, fields: [{ field, offset: 0, def }] });
    }
  }
  return blocks;
}

export interface ModbusReadResult {
  values: ValueInput[];
  /** Register contents per field, hex, for messages. */
  raw: string;
  /** Blocks the device refused (exception) while others answered. */
  partialErrors: ModbusError[];
}

/**
 * Reads one meter. A Modbus exception on one block (e.g. a register this
 * variant lacks) leaves the other fields readable; any other failure
 * (connection, timeout, paused unit) ends the poll with that error.
 */
export async function readMeter(conn: ModbusConnection, unitId: number, profile: MeterProfile, blocks = planReads(profile)): Promise<ModbusReadResult> {
  const values: ValueInput[] = [];
  const raw: string[] = [];
  const partialErrors: ModbusError[] = [];
  for (const block of blocks) {
    let words: number[];
    try {
      words = await conn.read(unitId, block.fc, block.address, block.count);
    } catch (e) {
      if (e instanceof ModbusError && e.kind === "exception") {
        partialErrors.push(e);
        continue;
      }
      throw e;
    }
    for (const { field, offset, def } of block.fields) {
      const slice = words.slice(offset, offset + registerCount(def.type));
      raw.push(`${field}=${wordsHex(slice)}`);
      const decoded = decodeValue(slice, def);
      if (decoded.ok) values.push({ field, raw: decoded.value, defaultUnit: decoded.unit, resolution: registerResolution(def, decoded.value) });
      else values.push({ field, raw: `0x${decoded.raw}`, problem: decoded.reason });
    }
  }
  if (values.length === 0 && partialErrors.length > 0) throw partialErrors[0]!;
  return { values, raw: raw.join(" "), partialErrors };
}
