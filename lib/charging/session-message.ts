import type { CommunityDefinition } from "../community/types";
import { idLabel, payerAt } from "./attribution";
import type { SessionSnapshot } from "./session-machine";
import type { PayerRef } from "./types";
import type { ChargeMode, SessionFlag, SessionStatus } from "../model/charging-session";

/** msg.payload of the session messages (topic session/start, session/update, session/end). */
export interface SessionPayload {
  charger: string;
  sessionId: number | null;
  status: SessionStatus;
  startedMs: number;
  endedMs: number | null;
  /** RFID tag or user id as the charger reported it; null = none (yet). */
  userId: string | null;
  /** Whose card it is, from the community's charging ids. */
  idLabel: string | null;
  /** The unit that pays; null = unknown or no id (billed to nobody). */
  unit: string | null;
  unitLabel: string | null;
  /** Who pays for that unit now: the tenant, or the owner while vacant. */
  payer: PayerRef | null;
  energyWh: number;
  energyKWh: number;
  byMode: Record<ChargeMode, number>;
  /** The mode in force on the charger now. */
  mode: ChargeMode;
  startCounterWh: number | null;
  endCounterWh: number | null;
  flags: SessionFlag[];
  /** The device's own count of the open session (Loxone Ccc), for comparison; absent when the device gives none. */
  deviceSessionWh?: number;
}

export function sessionPayload(
  s: SessionSnapshot,
  charger: string,
  mode: ChargeMode,
  def: CommunityDefinition | undefined,
  nowMs: number,
  deviceSessionWh?: number,
): SessionPayload {
  const unitLabel = s.unitId === null ? null : (def?.buildings.flatMap((b) => b.units).find((u) => u.id === s.unitId)?.label ?? null);
  return {
    charger,
    sessionId: s.id,
    status: s.status,
    startedMs: s.startedMs,
    endedMs: s.endedMs,
    userId: s.userId,
    idLabel: idLabel(def, s.userId),
    unit: s.unitId,
    unitLabel,
    payer: payerAt(def, s.unitId, s.endedMs ?? nowMs),
    energyWh: s.energyWh,
    energyKWh: s.energyWh / 1000,
    byMode: { ...s.byMode },
    mode,
    startCounterWh: s.startCounterWh,
    endCounterWh: s.endCounterWh,
    flags: s.flags,
    ...(deviceSessionWh !== undefined && s.status === "open" ? { deviceSessionWh } : {}),
  };
}
