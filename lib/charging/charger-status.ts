import { formatKWh, formatW } from "../readings/meter-status";
import type { SessionSnapshot } from "./session-machine";
import type { ChargeMode } from "./types";

/** What a charger node knows for its status. */
export interface ChargerStatusState {
  /** A configuration problem: the node does not run. */
  problem?: string;
  /** The last failed poll or socket error, and when. */
  lastError?: { kind: string; message: string; at: number };
  /** When the last reading was applied. */
  lastReadingAt?: number;
  /** The source reads no lifetime counter: no session energy can be measured. */
  noCounter?: boolean;
  /** The last write of the current limit failed. */
  controlError?: string;
}

export interface ChargerStatusView {
  fill: "green" | "yellow" | "red" | "grey" | "blue";
  shape: "dot" | "ring";
  kind: "problem" | "waiting" | "error" | "no-counter" | "idle" | "connected" | "charging";
  mode: ChargeMode;
  message?: string;
  /** Session energy so far, kWh text. */
  sessionKWh?: string;
  power?: string;
  /** Who pays: the unit, or the id nobody maps (shown so the admin can map it). */
  unit?: string;
  unknownId?: string;
}

/**
 * The status: a configuration problem first, then a device that does not
 * answer (red, with the open session's energy so far), then what the car
 * does. An open session with an unknown id is yellow, so it gets noticed.
 */
export function chargerStatus(s: ChargerStatusState, open: SessionSnapshot | null, seen: { connected: boolean; charging: boolean; powerW: number | null } | null, mode: ChargeMode): ChargerStatusView {
  const session = open ? { sessionKWh: formatKWh(open.energyWh / 1000) } : {};
  if (s.problem) return { fill: "red", shape: "ring", kind: "problem", mode, message: s.problem };
  if (s.lastError && s.lastError.at >= (s.lastReadingAt ?? -Infinity)) return { fill: "red", shape: "ring", kind: "error", mode, message: s.lastError.message, ...session };
  if (!seen) return { fill: "grey", shape: "ring", kind: "waiting", mode };
  if (s.noCounter) return { fill: "yellow", shape: "ring", kind: "no-counter", mode };
  const who = open ? (open.unitId !== null ? { unit: open.unitId } : open.userId !== null ? { unknownId: open.userId } : {}) : {};
  const warn = s.controlError ? { message: s.controlError } : {};
  const fill = who.unknownId !== undefined || s.controlError ? "yellow" : seen.charging ? "green" : "blue";
  if (!seen.connected) return { fill: s.controlError ? "yellow" : "grey", shape: "dot", kind: "idle", mode, ...warn };
  if (seen.charging) return { fill, shape: "dot", kind: "charging", mode, ...session, ...who, ...warn, ...(seen.powerW !== null ? { power: formatW(seen.powerW) } : {}) };
  return { fill, shape: "dot", kind: "connected", mode, ...session, ...who, ...warn };
}
