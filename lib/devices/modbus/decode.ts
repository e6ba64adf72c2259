import type { Numbering, ReadFunction, RegisterDef, RegisterType, WordOrder } from "./types";

export function registerCount(type: RegisterType): 1 | 2 | 4 {
  switch (type) {
    case "int16":
    case "uint16":
      return 1;
    case "int32":
    case "uint32":
    case "float32":
      return 2;
    default:
      return 4;
  }
}

/** The register words as a big-endian byte buffer (most significant word first). */
function toBuffer(words: readonly number[], order: WordOrder): Buffer {
  const ordered = order === "lsw" ? [...words].reverse() : words;
  const buf = Buffer.alloc(ordered.length * 2);
  ordered.forEach((w, i) => buf.writeUInt16BE(w & 0xffff, i * 2));
  return buf;
}

/** Decodes the words of one value. 64-bit integers beyond 2^53 lose precision (far beyond any counter). */
export function decodeRegisters(words: readonly number[], type: RegisterType, order: WordOrder): number {
  const n = registerCount(type);
  if (words.length !== n) throw new RangeError(`${type} needs ${n} registers, got ${words.length}`);
  const buf = toBuffer(words, order);
  switch (type) {
    case "int16":
      return buf.readInt16BE(0);
    case "uint16":
      return buf.readUInt16BE(0);
    case "int32":
      return buf.readInt32BE(0);
    case "uint32":
      return buf.readUInt32BE(0);
    case "int64":
      return Number(buf.readBigInt64BE(0));
    case "uint64":
      return Number(buf.readBigUInt64BE(0));
    case "float32":
      return buf.readFloatBE(0);
    case "float64":
      return buf.readDoubleBE(0);
  }
}

/** The inverse of decodeRegisters: the words a device sends for `value` (test servers, simulators). */
export function encodeRegisters(value: number, type: RegisterType, order: WordOrder): number[] {
  const n = registerCount(type);
  const buf = Buffer.alloc(n * 2);
  const int = Math.round(value);
  switch (type) {
    case "int16":
      buf.writeInt16BE(int, 0);
      break;
    case "uint16":
      buf.writeUInt16BE(int, 0);
      break;
    case "int32":
      buf.writeInt32BE(int, 0);
      break;
    case "uint32":
      buf.writeUInt32BE(int, 0);
      break;
    case "int64":
      buf.writeBigInt64BE(BigInt(int), 0);
      break;
    case "uint64":
      buf.writeBigUInt64BE(BigInt(int), 0);
      break;
    case "float32":
      buf.writeFloatBE(value, 0);
      break;
    case "float64":
      buf.writeDoubleBE(value, 0);
      break;
  }
  const words: number[] = [];
  for (let i = 0; i < n; i++) words.push(buf.readUInt16BE(i * 2));
  return order === "lsw" ? words.reverse() : words;
}

export function wordsHex(words: readonly number[]): string {
  return words.map((w) => (w & 0xffff).toString(16).padStart(4, "0")).join("");
}

export type DecodedValue = { ok: true; value: number; unit: RegisterDef["unit"] } | { ok: false; reason: "not-available" | "not-a-number"; raw: string };

/** Spacing of float32 values at the magnitude of x: 2^(exponent - 23) for normal numbers. */
export function float32Ulp(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (!Number.isFinite(a)) return NaN;
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

function float64Ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -1022) return Number.MIN_VALUE;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

/**
 * The step in which a register reads its value, in the register's unit
 * (docs/meters.md "Resolution"): the profile's `resolution` where it states
 * one; else an integer register counts in steps of its scale and a float
 * register in steps of its ulp at the value (a float32 counter in kWh at
 * 41 800 kWh: 2^-8 kWh = 3.9 Wh), times the scale.
 */
export function registerResolution(def: RegisterDef, value: number): number {
  if (def.resolution !== undefined) return def.resolution;
  const scale = Math.abs(def.scale);
  switch (def.type) {
    case "float32":
      return float32Ulp(value / def.scale) * scale;
    case "float64":
      return float64Ulp(value / def.scale) * scale;
    default:
      return scale;
  }
}

/** Decodes a register definition's words into a value in its unit (scale applied). */
export function decodeValue(words: readonly number[], def: RegisterDef): DecodedValue {
  const raw = wordsHex(words);
  if (def.na?.includes(raw)) return { ok: false, reason: "not-available", raw };
  const v = decodeRegisters(words, def.type, def.order) * def.scale;
  if (!Number.isFinite(v)) return { ok: false, reason: "not-a-number", raw };
  return { ok: true, value: v, unit: def.unit };
}

/** The register number as the vendor manual prints it. */
export function docAddress(address: number, fc: ReadFunction, numbering: Numbering): string {
  switch (numbering) {
    case "wire":
      return String(address);
    case "one":
      return String(address + 1);
    case "modicon":
      return String((fc === 4 ? 30001 : 40001) + address);
    case "hex":
      return `0x${address.toString(16).toUpperCase().padStart(4, "0")}`;
  }
}

/**
 * The wire address for a number read from a manual. For "modicon", a
 * number of the form 3xxxx/4xxxx (or 3xxxxx/4xxxxx) loses its prefix and the
 * one; returns null if the number does not fit the numbering.
 */
export function wireAddress(doc: string | number, fc: ReadFunction, numbering: Numbering): number | null {
  const text = String(doc).trim();
  let n: number;
  if (numbering === "hex") n = /^(0x)?[0-9a-f]{1,4}h?$/i.test(text) ? parseInt(text.replace(/^0x|h$/gi, ""), 16) : NaN;
  else n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n)) return null;
  let wire: number;
  switch (numbering) {
    case "wire":
    case "hex":
      wire = n;
      break;
    case "one":
      wire = n - 1;
      break;
    case "modicon": {
      const base = fc === 4 ? 30001 : 40001;
      const base6 = fc === 4 ? 300001 : 400001;
      wire = n >= base6 && n < base6 + 65536 ? n - base6 : n >= base && n < base + 10000 ? n - base : NaN;
      break;
    }
  }
  return Number.isInteger(wire) && wire >= 0 && wire <= 0xffff ? wire : null;
}

/**
 * Text in registers, two ASCII characters per word, high byte first (RFID
 * tag UIDs, state letters). NUL padding and surrounding spaces are dropped;
 * characters outside printable ASCII end the text (a register never written).
 */
export function decodeAscii(words: readonly number[]): string {
  let out = "";
  for (const w of words) {
    for (const b of [(w >> 8) & 0xff, w & 0xff]) {
      if (b === 0) continue;
      if (b < 0x20 || b > 0x7e) return out.trim();
      out += String.fromCharCode(b);
    }
  }
  return out.trim();
}

/** The inverse of decodeAscii, padded with NUL to `count` words (test servers, simulators). */
export function encodeAscii(text: string, count: number): number[] {
  const bytes = Buffer.alloc(count * 2);
  bytes.write(text.slice(0, count * 2), "latin1");
  const words: number[] = [];
  for (let i = 0; i < count; i++) words.push(bytes.readUInt16BE(i * 2));
  return words;
}
