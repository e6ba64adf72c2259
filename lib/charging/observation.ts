import { mapMode, type ModeMap } from "./mode-map";
import type { ChargerObservation } from "./types";

/** What a charger source read at one moment, before the node's mapping (any source). */
export interface SourceReading {
  /** null = the device reports a fault and does not say; the last known value holds. */
  connected: boolean | null;
  charging?: boolean;
  counterWh?: number;
  powerW?: number;
  userId?: string | null;
  /** The device's raw mode value, mapped by the node's mode mapping. */
  modeValue?: unknown;
  /** Epoch ms given by the source (msg); absent = now. */
  ts?: number;
  /** The device's own count of the session's energy (Loxone Ccc), Wh: shown for comparison, never billed. */
  deviceSessionWh?: number;
}

/**
 * A source's reading as an observation for the session machine. A mode
 * value the mapping does not know is returned in `unmappedMode` (and changes
 * nothing), never guessed.
 */
export function toObservation(
  r: SourceReading,
  lastConnected: boolean | null,
  modes: ModeMap,
  nowMs: number,
): { obs: ChargerObservation; unmappedMode?: string } {
  const obs: ChargerObservation = { ts: r.ts ?? nowMs, connected: r.connected ?? lastConnected ?? false };
  if (r.charging !== undefined) obs.charging = r.charging;
  if (r.counterWh !== undefined) obs.counterWh = r.counterWh;
  if (r.powerW !== undefined) obs.powerW = r.powerW;
  if (r.userId !== undefined) obs.userId = r.userId;
  const mode = mapMode(modes, r.modeValue);
  if (mode) obs.mode = mode;
  return mode === null ? { obs, unmappedMode: String(r.modeValue).slice(0, 40) } : { obs };
}
