import type { ChargeMode, IntervalEnergy, SessionFields, SessionFlag, SessionStatus } from "../model/charging-session";
import { audit } from "./audit-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

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

export function sessionEnergyInRange(handle: Store, communityId: string, fromMs: number, toMs: number): SessionIntervalEnergy[] {
  const store = sqlite(handle);
  return store
    .stmt<{ session_id: number; charger_key: string; user_id: string | null; unit_id: string | null; start_ms: number; mode: ChargeMode; energy_wh: number }>(
      `SELECT i.session_id, s.charger_key, s.user_id, s.unit_id, i.start_ms, i.mode, i.energy_wh
         FROM charger_session_intervals i JOIN charger_sessions s ON s.id = i.session_id
        WHERE s.community_id = ? AND i.start_ms >= ? AND i.start_ms < ?
        ORDER BY i.start_ms, i.session_id, i.mode`,
    )
    .all(communityId, fromMs, toMs)
    .map((r) => ({
      sessionId: r.session_id,
      chargerKey: r.charger_key,
      userId: r.user_id,
      unitId: r.unit_id,
      startMs: r.start_ms,
      mode: r.mode,
      energyWh: r.energy_wh,
    }));
}

/** One row of charger_sessions as the charger node writes it. */
export type SessionRow = SessionFields;

export interface SessionRecord extends SessionRow {
  id: number;
  communityId: string;
  chargerKey: string;
  updatedMs: number;
}

interface Row {
  id: number;
  community_id: string;
  charger_key: string;
  user_id: string | null;
  unit_id: string | null;
  started_ms: number;
  ended_ms: number | null;
  start_counter_wh: number | null;
  end_counter_wh: number | null;
  energy_wh: number | null;
  status: SessionStatus;
  flags: string;
  updated_ms: number;
}

function toRecord(r: Row): SessionRecord {
  return {
    id: r.id,
    communityId: r.community_id,
    chargerKey: r.charger_key,
    status: r.status,
    startedMs: r.started_ms,
    endedMs: r.ended_ms,
    userId: r.user_id,
    unitId: r.unit_id,
    startCounterWh: r.start_counter_wh,
    endCounterWh: r.end_counter_wh,
    energyWh: r.energy_wh ?? 0,
    flags: JSON.parse(r.flags) as SessionFlag[],
    updatedMs: r.updated_ms,
  };
}

/* The writers below are meant to run inside one store.write() per step (lib/charging/charger-sessions.ts). */

export function insertSession(handle: Store, communityId: string, chargerKey: string, s: SessionRow, nowMs: number): number {
  const store = sqlite(handle);
  const r = store
    .stmt(
      `INSERT INTO charger_sessions (community_id, charger_key, user_id, unit_id, started_ms, ended_ms, start_counter_wh, end_counter_wh, energy_wh, status, flags, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      communityId,
      chargerKey,
      s.userId,
      s.unitId,
      s.startedMs,
      s.endedMs,
      s.startCounterWh,
      s.endCounterWh,
      s.energyWh,
      s.status,
      JSON.stringify(s.flags),
      nowMs,
    );
  return Number(r.lastInsertRowid);
}

export function updateSession(handle: Store, id: number, s: SessionRow, nowMs: number): void {
  const store = sqlite(handle);
  const r = store
    .stmt(
      `UPDATE charger_sessions SET user_id = ?, unit_id = ?, ended_ms = ?, start_counter_wh = ?, end_counter_wh = ?, energy_wh = ?, status = ?, flags = ?, updated_ms = ?
        WHERE id = ?`,
    )
    .run(s.userId, s.unitId, s.endedMs, s.startCounterWh, s.endCounterWh, s.energyWh, s.status, JSON.stringify(s.flags), nowMs, id);
  if (r.changes !== 1) throw new Error(`charging session ${id} does not exist`);
}

/** Adds energy deltas to a session's interval rows (one row per interval and mode). */
export function addSessionEnergy(handle: Store, sessionId: number, rows: readonly IntervalEnergy[]): void {
  const store = sqlite(handle);
  const stmt = store.stmt(
    `INSERT INTO charger_session_intervals (session_id, start_ms, mode, energy_wh) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, start_ms, mode) DO UPDATE SET energy_wh = energy_wh + excluded.energy_wh`,
  );
  for (const r of rows) if (r.energyWh !== 0) stmt.run(sessionId, r.startMs, r.mode, r.energyWh);
}

export function getSession(handle: Store, id: number): SessionRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<Row>("SELECT * FROM charger_sessions WHERE id = ?").get(id);
  return r && toRecord(r);
}

/** Sessions of one charger, oldest first. */
export function sessionsOfCharger(handle: Store, communityId: string, chargerKey: string): SessionRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<Row>("SELECT * FROM charger_sessions WHERE community_id = ? AND charger_key = ? ORDER BY started_ms, id")
    .all(communityId, chargerKey)
    .map(toRecord);
}

export function sessionIntervals(handle: Store, sessionId: number): IntervalEnergy[] {
  const store = sqlite(handle);
  return store
    .stmt<{ start_ms: number; mode: ChargeMode; energy_wh: number }>(
      "SELECT start_ms, mode, energy_wh FROM charger_session_intervals WHERE session_id = ? ORDER BY start_ms, mode",
    )
    .all(sessionId)
    .map((r) => ({ startMs: r.start_ms, mode: r.mode, energyWh: r.energy_wh }));
}

export function loadChargerState(handle: Store, communityId: string, chargerKey: string): unknown {
  const store = sqlite(handle);
  const r = store.stmt<{ state: string }>("SELECT state FROM charger_state WHERE community_id = ? AND charger_key = ?").get(communityId, chargerKey);
  return r ? (JSON.parse(r.state) as unknown) : undefined;
}

export function saveChargerState(handle: Store, communityId: string, chargerKey: string, state: unknown, nowMs: number): void {
  const store = sqlite(handle);
  store
    .stmt(
      `INSERT INTO charger_state (community_id, charger_key, state, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (community_id, charger_key) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms`,
    )
    .run(communityId, chargerKey, JSON.stringify(state), nowMs);
}

/**
 * Ended sessions kept without a unit whose id the community now maps: they get
 * the unit (its occupant pays from then on in billing) and the flag
 * "attributed-later"; each is written to the audit log. Returns the ids.
 * Open sessions belong to their charger's state machine, which does the same
 * for them (session-machine.ts reattribute), so they are left alone here.
 */
export function attributeLater(handle: Store, communityId: string, unitFor: (userId: string) => string | null, actor: string, nowMs: number): number[] {
  const store = sqlite(handle);
  return store.write(() => {
    const done: number[] = [];
    const rows = store
      .stmt<Row>("SELECT * FROM charger_sessions WHERE community_id = ? AND unit_id IS NULL AND user_id IS NOT NULL AND status <> 'open'")
      .all(communityId);
    for (const r of rows) {
      const unit = unitFor(r.user_id!);
      if (unit === null) continue;
      const flags = [...(JSON.parse(r.flags) as SessionFlag[]), { flag: "attributed-later", atMs: nowMs, unit } satisfies SessionFlag];
      store.stmt("UPDATE charger_sessions SET unit_id = ?, flags = ?, updated_ms = ? WHERE id = ?").run(unit, JSON.stringify(flags), nowMs, r.id);
      audit(store, {
        communityId,
        actor,
        action: "charging-session.attributed",
        entity: "charging-session",
        entityId: String(r.id),
        details: { userId: r.user_id, unit },
        tsMs: nowMs,
      });
      done.push(r.id);
    }
    return done;
  });
}

/** One session attributed later, with its energy inside the range asked for. */
export interface LateAttribution {
  sessionId: number;
  chargerKey: string;
  userId: string;
  unit: string;
  startedMs: number;
  /** Energy of the session in [fromMs, toMs), Wh. */
  energyWh: number;
}

/**
 * attributeLater for the ended sessions that charged in [fromMs, toMs) (a
 * billing period), with what changed: the billing run uses it so that an id
 * mapped after the sessions is billed on the next run (docs/decisions/0068).
 * Call inside a write transaction.
 */
export function attributeLaterInRange(
  handle: Store,
  communityId: string,
  unitFor: (userId: string) => string | null,
  actor: string,
  nowMs: number,
  fromMs: number,
  toMs: number,
): LateAttribution[] {
  const store = sqlite(handle);
  const done: LateAttribution[] = [];
  const rows = store
    .stmt<Row & { wh: number }>(
      `SELECT s.*, SUM(i.energy_wh) AS wh FROM charger_sessions s JOIN charger_session_intervals i ON i.session_id = s.id
        WHERE s.community_id = ? AND s.unit_id IS NULL AND s.user_id IS NOT NULL AND s.status <> 'open' AND i.start_ms >= ? AND i.start_ms < ?
        GROUP BY s.id ORDER BY s.started_ms, s.id`,
    )
    .all(communityId, fromMs, toMs);
  for (const r of rows) {
    const unit = unitFor(r.user_id!);
    if (unit === null) continue;
    const flags = [...(JSON.parse(r.flags) as SessionFlag[]), { flag: "attributed-later", atMs: nowMs, unit } satisfies SessionFlag];
    store.stmt("UPDATE charger_sessions SET unit_id = ?, flags = ?, updated_ms = ? WHERE id = ?").run(unit, JSON.stringify(flags), nowMs, r.id);
    audit(store, {
      communityId,
      actor,
      action: "charging-session.attributed",
      entity: "charging-session",
      entityId: String(r.id),
      details: { userId: r.user_id, unit },
      tsMs: nowMs,
    });
    done.push({ sessionId: r.id, chargerKey: r.charger_key, userId: r.user_id!, unit, startedMs: r.started_ms, energyWh: r.wh });
  }
  return done;
}

/** The latest sessions of a charger, newest first, with their energy per mode (Wh). */
export function recentSessions(
  handle: Store,
  communityId: string,
  chargerKey: string,
  limit: number,
): (SessionRecord & { byMode: Record<ChargeMode, number> })[] {
  const store = sqlite(handle);
  const rows = store
    .stmt<Row>("SELECT * FROM charger_sessions WHERE community_id = ? AND charger_key = ? ORDER BY started_ms DESC, id DESC LIMIT ?")
    .all(communityId, chargerKey, limit)
    .map(toRecord);
  const byMode = new Map<number, Record<ChargeMode, number>>(rows.map((r) => [r.id, { priority: 0, normal: 0 }]));
  if (rows.length) {
    const sums = store
      .stmt<{ session_id: number; mode: ChargeMode; wh: number }>(
        `SELECT session_id, mode, SUM(energy_wh) AS wh FROM charger_session_intervals WHERE session_id IN (${rows.map((r) => r.id).join(",")}) GROUP BY session_id, mode`,
      )
      .all();
    for (const s of sums) byMode.get(s.session_id)![s.mode] = s.wh;
  }
  return rows.map((r) => ({ ...r, byMode: byMode.get(r.id)! }));
}

/** Sessions and energy (Wh) per unit and mode of a charger in [fromMs, toMs), by the quarter hours charged; unit null = not attributed. */
export function sessionEnergyByUnit(
  handle: Store,
  communityId: string,
  chargerKey: string,
  fromMs: number,
  toMs: number,
): { unitId: string | null; sessions: number; byMode: Record<ChargeMode, number> }[] {
  const store = sqlite(handle);
  const rows = store
    .stmt<{ unit_id: string | null; mode: ChargeMode; session_id: number; wh: number }>(
      `SELECT s.unit_id, i.mode, i.session_id, SUM(i.energy_wh) AS wh
         FROM charger_session_intervals i JOIN charger_sessions s ON s.id = i.session_id
        WHERE s.community_id = ? AND s.charger_key = ? AND i.start_ms >= ? AND i.start_ms < ?
        GROUP BY s.unit_id, i.mode, i.session_id ORDER BY s.unit_id`,
    )
    .all(communityId, chargerKey, fromMs, toMs);
  const out = new Map<string, { unitId: string | null; ids: Set<number>; byMode: Record<ChargeMode, number> }>();
  for (const r of rows) {
    const u = out.get(r.unit_id ?? "") ?? { unitId: r.unit_id, ids: new Set<number>(), byMode: { priority: 0, normal: 0 } };
    u.ids.add(r.session_id);
    u.byMode[r.mode] += r.wh;
    out.set(r.unit_id ?? "", u);
  }
  return [...out.values()].map((u) => ({ unitId: u.unitId, sessions: u.ids.size, byMode: u.byMode }));
}
