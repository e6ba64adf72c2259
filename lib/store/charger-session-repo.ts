import type { SqliteStore } from "./sqlite-store";

export type ChargeMode = "priority" | "normal";

/** Energy of one charging session in one interval and mode, with the unit it was attributed to. */
export interface SessionIntervalEnergy {
  sessionId: number;
  chargerKey: string;
  userId: string | null;
  /** null when the user id (RFID) maps to no unit: kept and reported, never billed to anyone at random. */
  unitId: string | null;
  startMs: number;
  mode: ChargeMode;
  energyWh: number;
}

export function sessionEnergyInRange(store: SqliteStore, communityId: string, fromMs: number, toMs: number): SessionIntervalEnergy[] {
  return store
    .stmt<{ session_id: number; charger_key: string; user_id: string | null; unit_id: string | null; start_ms: number; mode: ChargeMode; energy_wh: number }>(
      `SELECT i.session_id, s.charger_key, s.user_id, s.unit_id, i.start_ms, i.mode, i.energy_wh
         FROM charger_session_intervals i JOIN charger_sessions s ON s.id = i.session_id
        WHERE s.community_id = ? AND i.start_ms >= ? AND i.start_ms < ?
        ORDER BY i.start_ms, i.session_id, i.mode`,
    )
    .all(communityId, fromMs, toMs)
    .map((r) => ({ sessionId: r.session_id, chargerKey: r.charger_key, userId: r.user_id, unitId: r.unit_id, startMs: r.start_ms, mode: r.mode, energyWh: r.energy_wh }));
}
