import { fieldForKey, isMetaKey } from "../../readings/meter-input/fields";
import type { Field } from "../../readings/meter-input/rejection";

/**
 * What an integrator types into a Loxone Virtual Output command, as it
 * arrives in one UDP packet:
 *
 *   unit-3:<v.3>                      name:value
 *   unit-3=<v.3>                      name=value
 *   unit-3:<v.3>;unit-3-p:<v>         several pairs, separated by ; & or line breaks
 *   {"meter":"unit-3","importKWh":<v.3>,"powerW":<v>}     one meter, named fields
 *   {"unit-3":<v.3>,"unit-3-p":<v>}   JSON object of name: value pairs
 *   [ ...objects as above ]           several JSON objects
 *
 * The name is everything before the last ':' or '=' of a pair (a meter id
 * may itself contain ':'). Values are checked later by the meter they belong
 * to; here only the packet's shape is judged.
 */
export type UdpItem =
  | { kind: "pair"; name: string; raw: string | number }
  | { kind: "meter"; name: string; values: { field: Field; raw: unknown }[]; ts?: unknown; serial?: unknown };

export type UdpParseResult = { ok: true; items: UdpItem[] } | { ok: false; reason: "malformed" | "too-large"; detail: string };

export const MAX_PACKET_BYTES = 8192;
export const MAX_ITEMS = 100;
const MAX_NAME = 64;

const decoder = new TextDecoder("utf-8", { fatal: true });
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function parseUdpPacket(data: Buffer, maxBytes = MAX_PACKET_BYTES): UdpParseResult {
  if (data.length > maxBytes) return { ok: false, reason: "too-large", detail: `${data.length} bytes, at most ${maxBytes}` };
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    return malformed("not UTF-8 text");
  }
  // Some senders terminate with NUL or a line break.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000\s]+$/, "").replace(/^\s+/, "");
  if (text.length === 0) return malformed("empty packet");
  if (CONTROL.test(text)) return malformed("control characters in the packet");
  if (text.startsWith("{") || text.startsWith("[")) return parseJson(text);
  return parseText(text);
}

function parseText(text: string): UdpParseResult {
  const parts = text
    .split(/[;&\r\n]+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length > MAX_ITEMS) return malformed(`more than ${MAX_ITEMS} values in one packet`);
  const items: UdpItem[] = [];
  for (const part of parts) {
    const cut = Math.max(part.lastIndexOf(":"), part.lastIndexOf("="));
    if (cut < 0) return malformed(`"${short(part)}" has no ':' or '=' between name and value`);
    const name = part.slice(0, cut).trim();
    const raw = part.slice(cut + 1).trim();
    const nameProblem = checkName(name);
    if (nameProblem) return malformed(nameProblem);
    items.push({ kind: "pair", name, raw });
  }
  return { ok: true, items };
}

function parseJson(text: string): UdpParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return malformed(`invalid JSON: ${(e as Error).message.slice(0, 80)}`);
  }
  const objects = Array.isArray(doc) ? doc : [doc];
  if (objects.length === 0) return malformed("empty JSON array");
  const items: UdpItem[] = [];
  for (const obj of objects) {
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return malformed("JSON must be an object or an array of objects");
    const rec = obj as Record<string, unknown>;
    if ("meter" in rec) {
      const item = meterItem(rec);
      if (typeof item === "string") return malformed(item);
      items.push(item);
    } else {
      const keys = Object.keys(rec);
      if (keys.length === 0) return malformed("empty JSON object");
      for (const key of keys) {
        const raw = rec[key];
        const nameProblem = checkName(key);
        if (nameProblem) return malformed(nameProblem);
        if (typeof raw !== "number" && typeof raw !== "string") return malformed(`value of "${short(key)}" must be a number or text`);
        items.push({ kind: "pair", name: key, raw });
      }
    }
    if (items.length > MAX_ITEMS) return malformed(`more than ${MAX_ITEMS} values in one packet`);
  }
  return { ok: true, items };
}

function meterItem(rec: Record<string, unknown>): UdpItem | string {
  const name = rec.meter;
  if (typeof name !== "string") return '"meter" must be text';
  const nameProblem = checkName(name);
  if (nameProblem) return nameProblem;
  const values: { field: Field; raw: unknown }[] = [];
  for (const [key, raw] of Object.entries(rec)) {
    const field = fieldForKey(key);
    if (field) {
      if (values.some((v) => v.field === field)) return `${field} given twice`;
      values.push({ field, raw });
    } else if (!isMetaKey(key)) return `unknown field "${short(key)}" (use importKWh, exportKWh, powerW, ts, serial)`;
  }
  if (values.length === 0) return `no importKWh, exportKWh or powerW for meter "${short(name)}"`;
  return { kind: "meter", name, values, ts: rec.ts, serial: rec.serial };
}

function checkName(name: string): string | null {
  if (name.length === 0) return "empty name";
  if (name.length > MAX_NAME) return `name longer than ${MAX_NAME} characters`;
  if (CONTROL.test(name)) return "control characters in a name";
  return null;
}

function malformed(detail: string): UdpParseResult {
  return { ok: false, reason: "malformed", detail };
}

function short(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)}…` : s;
}
