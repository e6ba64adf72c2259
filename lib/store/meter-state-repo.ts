import type { MeterCounterState } from "../readings/intervals/counter-state";
import type { SqliteStore } from "./sqlite-store";

/*
 * The interval builder's per-meter state. The JSON column is what the
 * builder reads back; the plain columns mirror the last reading for people
 * looking at the database with sqlite3.
 */

const UPSERT = `INSERT INTO meter_state (meter_id, serial, last_ms, last_import_wh, last_export_wh, state, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (meter_id) DO UPDATE SET serial = excluded.serial, last_ms = excluded.last_ms, last_import_wh = excluded.last_import_wh,
    last_export_wh = excluded.last_export_wh, state = excluded.state, updated_ms = excluded.updated_ms`;

export function loadMeterState(store: SqliteStore, meterId: number): MeterCounterState | null {
  const row = store.stmt<{ state: string | null }>("SELECT state FROM meter_state WHERE meter_id = ?").get(meterId);
  if (!row || row.state === null) return null;
  const s = JSON.parse(row.state) as MeterCounterState;
  if (s.v !== 1) throw new Error(`meter_state of meter ${meterId} has version ${String(s.v)}, which this version does not understand`);
  return s;
}

/** When the state was last written (ms), by whichever process: a change since it was read means another writer. */
export function meterStateWrittenMs(store: SqliteStore, meterId: number): number | null {
  return store.stmt<{ updated_ms: number }>("SELECT updated_ms FROM meter_state WHERE meter_id = ?").get(meterId)?.updated_ms ?? null;
}

/** Call inside the transaction that writes the rows this state led to. */
export function saveMeterState(store: SqliteStore, meterId: number, s: MeterCounterState, nowMs: number): void {
  store.stmt(UPSERT).run(meterId, s.serial, s.last?.ts ?? null, s.last?.imp ?? null, s.last?.exp ?? null, JSON.stringify(s), nowMs);
}
