import { parseFlag } from "../devices/values";
import { EARLIEST_READING_MS } from "../readings/reading";
import type { ChargerObservation } from "./types";

/**
 * A charger reading wired in as a message (source "msg"), e.g. from MQTT:
 *
 *   msg.payload = { connected: true, charging: true, importKWh: 1234.567,
 *                   powerW: 7400, userId: "04A1B2C3", mode: "priority", ts: 1767225600000 }
 *
 * `connected` is required; `importKWh` is the charger's lifetime counter
 * (kWh, as in the reading message); `rfid` is accepted for `userId`; `mode`
 * goes through the node's mode mapping; `ts` (epoch ms) defaults to now.
 */
export type MsgObservation = Omit<ChargerObservation, "mode"> & { modeValue?: unknown };

const KNOWN = new Set(["connected", "charging", "importKWh", "powerW", "userId", "rfid", "mode", "ts", "meter"]);

export function observationFromPayload(payload: unknown, nowMs: number): { ok: true; obs: MsgObservation } | { ok: false; error: string } {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload))
    return { ok: false, error: "payload must be an object with at least connected" };
  const p = payload as Record<string, unknown>;
  const unknown = Object.keys(p).filter((k) => !KNOWN.has(k));
  if (unknown.length) return { ok: false, error: `unknown field ${unknown[0]} (use connected, charging, importKWh, powerW, userId, mode, ts)` };
  const connected = parseFlag(p.connected);
  if (connected === null) return { ok: false, error: `connected ${JSON.stringify(p.connected)} must be true/false or 1/0` };
  const obs: MsgObservation = { ts: nowMs, connected };
  if (p.ts !== undefined) {
    if (typeof p.ts !== "number" || !Number.isInteger(p.ts) || p.ts < EARLIEST_READING_MS || p.ts > nowMs + 300_000)
      return { ok: false, error: `ts ${JSON.stringify(p.ts)} must be epoch ms, not in the future` };
    obs.ts = p.ts;
  }
  if (p.charging !== undefined) {
    const c = parseFlag(p.charging);
    if (c === null) return { ok: false, error: `charging ${JSON.stringify(p.charging)} must be true/false or 1/0` };
    obs.charging = c;
  }
  if (p.importKWh !== undefined) {
    if (typeof p.importKWh !== "number" || !Number.isFinite(p.importKWh) || p.importKWh < 0)
      return { ok: false, error: `importKWh ${JSON.stringify(p.importKWh)} must be a counter in kWh (0 or more)` };
    obs.counterWh = Math.round(p.importKWh * 1000);
  }
  if (p.powerW !== undefined) {
    if (typeof p.powerW !== "number" || !Number.isFinite(p.powerW)) return { ok: false, error: `powerW ${JSON.stringify(p.powerW)} must be a number` };
    obs.powerW = p.powerW;
  }
  const id = p.userId ?? p.rfid;
  if (id !== undefined && id !== null) {
    if (typeof id !== "string" && typeof id !== "number") return { ok: false, error: "userId must be text" };
    obs.userId = String(id).trim().slice(0, 64) || null;
  }
  if (p.mode !== undefined) obs.modeValue = p.mode;
  return { ok: true, obs };
}
