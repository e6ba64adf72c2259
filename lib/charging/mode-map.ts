import { isChargeMode, type ChargeMode } from "../model/charging-session";

/**
 * Which device value means which charging mode: the Loxone Wallbox block's
 * mode output M, or a `mode` field of a wired reading. Written by the
 * integrator as text, e.g. "1=normal; 2=priority" (pairs separated by ; , or
 * line breaks, value and mode by = or :). The words "priority" and "normal"
 * always mean themselves.
 */
export type ModeMap = ReadonlyMap<string, ChargeMode>;

export function parseModeMap(text: string | undefined): { ok: true; map: ModeMap } | { ok: false; error: string } {
  const map = new Map<string, ChargeMode>();
  for (const part of (text ?? "")
    .split(/[;,\r\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(.+?)\s*[=:]\s*(\S+)$/.exec(part);
    if (!m) return { ok: false, error: `"${part}" is not written value=mode` };
    const mode = m[2]!.toLowerCase();
    if (!isChargeMode(mode)) return { ok: false, error: `"${m[2]}" is not a mode (priority or normal)` };
    const key = valueKey(m[1]!);
    if (map.has(key) && map.get(key) !== mode) return { ok: false, error: `value ${m[1]} is mapped twice` };
    map.set(key, mode);
  }
  return { ok: true, map };
}

/** The mode a device value stands for; undefined = no value given, null = a value the map does not know. */
export function mapMode(map: ModeMap, raw: unknown): ChargeMode | null | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") return null;
  const key = valueKey(String(raw));
  if (isChargeMode(key)) return key;
  return map.get(key) ?? null;
}

/** "1", "1.0" and " 1 " are the same device value; text compares without regard to case. */
function valueKey(v: string): string {
  const t = v.trim();
  const n = Number(t);
  return t !== "" && Number.isFinite(n) ? String(n) : t.toLowerCase();
}
