import type { CommunityDefinition } from "../community/types";
import { recentSessions, sessionEnergyByUnit } from "../store/charger-session-repo";
import type { Store } from "../store/store";
import { localDateOf, startOfLocalDay } from "../time/local-date";
import { idLabel, payerAt } from "./attribution";
import type { MachineState, SessionSnapshot } from "./session-machine";
import { SessionPayload, sessionPayload } from "./session-message";
import type { PayerRef } from "./types";
import type { ChargeMode, SessionFlag, SessionStatus } from "../model/charging-session";

/** One past or open session, for a list. */
export interface SessionSummary {
  sessionId: number;
  status: SessionStatus;
  startedMs: number;
  endedMs: number | null;
  userId: string | null;
  idLabel: string | null;
  unit: string | null;
  unitLabel: string | null;
  payer: PayerRef | null;
  energyKWh: number;
  byModeKWh: Record<ChargeMode, number>;
  flags: SessionFlag["flag"][];
}

/** Per unit: what its cars charged this month (by the quarter hours charged). */
export interface UnitCharging {
  unit: string | null;
  unitLabel: string | null;
  payer: PayerRef | null;
  sessions: number;
  energyKWh: number;
  byModeKWh: Record<ChargeMode, number>;
}

/** What a charger node answers to `status` (and after a mode switch): for dashboards. */
export interface ChargerOverview {
  charger: string;
  mode: ChargeMode;
  /** IEC 61851 as last seen: A no car, B connected, C charging; null before any reading. */
  carState: "A" | "B" | "C" | null;
  powerW: number | null;
  lastReadingMs: number | null;
  /** The open session, as in the session messages. */
  session: SessionPayload | null;
  recent: SessionSummary[];
  month: UnitCharging[];
}

const unitLabelOf = (def: CommunityDefinition | undefined, unit: string | null): string | null =>
  unit === null ? null : (def?.buildings.flatMap((b) => b.units).find((u) => u.id === unit)?.label ?? null);

/** The charger now, its latest sessions and this month's charging per unit, from the session machine's state and the store. */
export function chargerOverview(
  store: Store,
  communityId: string,
  charger: string,
  def: CommunityDefinition | undefined,
  now: { mode: ChargeMode; lastSeen: MachineState["lastSeen"]; open: SessionSnapshot | null },
  nowMs: number,
  opts: { recent?: number } = {},
): ChargerOverview {
  const seen = now.lastSeen;
  const zone = def?.timeZone ?? "Europe/Zurich";
  const monthStart = startOfLocalDay(`${localDateOf(nowMs, zone).slice(0, 7)}-01`, zone);
  const month = sessionEnergyByUnit(store, communityId, charger, monthStart, nowMs + 1).map((r): UnitCharging => ({
    unit: r.unitId,
    unitLabel: unitLabelOf(def, r.unitId),
    payer: payerAt(def, r.unitId, nowMs),
    sessions: r.sessions,
    energyKWh: (r.byMode.priority + r.byMode.normal) / 1000,
    byModeKWh: { priority: r.byMode.priority / 1000, normal: r.byMode.normal / 1000 },
  }));
  return {
    charger,
    mode: now.mode,
    carState: seen ? (!seen.connected ? "A" : seen.charging ? "C" : "B") : null,
    powerW: seen?.powerW ?? null,
    lastReadingMs: seen?.ts ?? null,
    session: now.open ? sessionPayload(now.open, charger, now.mode, def, nowMs) : null,
    recent: recentSessions(store, communityId, charger, opts.recent ?? 10).map((s) => ({
      sessionId: s.id,
      status: s.status,
      startedMs: s.startedMs,
      endedMs: s.endedMs,
      userId: s.userId,
      idLabel: idLabel(def, s.userId),
      unit: s.unitId,
      unitLabel: unitLabelOf(def, s.unitId),
      payer: payerAt(def, s.unitId, s.endedMs ?? nowMs),
      energyKWh: s.energyWh / 1000,
      byModeKWh: { priority: s.byMode.priority / 1000, normal: s.byMode.normal / 1000 },
      flags: s.flags.map((f) => f.flag),
    })),
    month,
  };
}
