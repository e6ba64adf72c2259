import { formatAge, formatKWh, formatW, type AgeUnit } from "../readings/meter-input/meter-status";
import type { SessionSnapshot } from "./session-machine";
import type { ChargeMode } from "../model/charging-session";

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
  /** When the lifetime counter was last taken (clock time): the age the status shows while it is not. */
  lastCounterAt?: number;
  /**
   * The counter of the last reading was not taken: absent from it (a failed
   * register, a value refused) or held as a possible new counter
   * (lib/readings/counter-break.ts) with `count` of `needed` readings.
   */
  counterIssue?: { kind: "missing" } | { kind: "confirming"; valueKWh: number; count: number; needed: number };
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
  /** The counter is not being taken: missing from the readings (red) or being confirmed as a new counter (yellow), with its age. */
  counter?: { kind: "missing" | "confirming"; age?: { n: number; unit: AgeUnit }; value?: string; count?: number; needed?: number };
}

/**
 * The status: a configuration problem first, then a device that does not
 * answer (red, with the open session's energy so far), then what the car
 * does. An open session with an unknown id is yellow, so it gets noticed.
 */
export function chargerStatus(
  s: ChargerStatusState,
  open: SessionSnapshot | null,
  seen: { connected: boolean; charging: boolean; powerW: number | null } | null,
  mode: ChargeMode,
  now: number = Date.now(),
): ChargerStatusView {
  const v = chargerStatusOnly(s, open, seen, mode);
  const ci = s.counterIssue;
  // Never green while the counter is not taken: the session energy is not growing with what the car draws.
  if (!ci || v.kind === "problem" || v.kind === "error" || v.kind === "waiting" || v.kind === "no-counter") return v;
  const age = s.lastCounterAt !== undefined ? formatAge(now - s.lastCounterAt) : undefined;
  const counter =
    ci.kind === "missing"
      ? { kind: ci.kind, ...(age ? { age } : {}) }
      : { kind: ci.kind, ...(age ? { age } : {}), value: formatKWh(ci.valueKWh), count: ci.count, needed: ci.needed };
  return { ...v, fill: ci.kind === "missing" ? "red" : "yellow", shape: "ring", counter };
}

function chargerStatusOnly(
  s: ChargerStatusState,
  open: SessionSnapshot | null,
  seen: { connected: boolean; charging: boolean; powerW: number | null } | null,
  mode: ChargeMode,
): ChargerStatusView {
  const session = open ? { sessionKWh: formatKWh(open.energyWh / 1000) } : {};
  if (s.problem) return { fill: "red", shape: "ring", kind: "problem", mode, message: s.problem };
  if (s.lastError && s.lastError.at >= (s.lastReadingAt ?? -Infinity))
    return { fill: "red", shape: "ring", kind: "error", mode, message: s.lastError.message, ...session };
  if (!seen) return { fill: "grey", shape: "ring", kind: "waiting", mode };
  if (s.noCounter) return { fill: "yellow", shape: "ring", kind: "no-counter", mode };
  const who = open ? (open.unitId !== null ? { unit: open.unitId } : open.userId !== null ? { unknownId: open.userId } : {}) : {};
  const warn = s.controlError ? { message: s.controlError } : {};
  const fill = who.unknownId !== undefined || s.controlError ? "yellow" : seen.charging ? "green" : "blue";
  if (!seen.connected) return { fill: s.controlError ? "yellow" : "grey", shape: "dot", kind: "idle", mode, ...warn };
  if (seen.charging)
    return { fill, shape: "dot", kind: "charging", mode, ...session, ...who, ...warn, ...(seen.powerW !== null ? { power: formatW(seen.powerW) } : {}) };
  return { fill, shape: "dot", kind: "connected", mode, ...session, ...who, ...warn };
}
