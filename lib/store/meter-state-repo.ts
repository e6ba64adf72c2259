import type { MeterCounterState } from "../model/meter-counter";
import { columnsOf, decodeMeterState, encodeMeterState, type MeterStateColumns } from "./meter-state-encoding";
import { sqlite, type SqliteStore } from "./sqlite-store";
import type { Store } from "./store";

/*
 * The interval builder's per-meter state: the plain columns hold the serial
 * and the last reading (also for people looking at the database with
 * sqlite3), the JSON column the rest (lib/store/meter-state-encoding.ts).
 */

/*
 * A state is written at every commit of every meter that took a reading, and nearly always over its own row: an
 * UPDATE by key, and the INSERT only where it touched no row. An upsert (INSERT ... ON CONFLICT DO UPDATE) tries
 * the insert first and costs a third more per write.
 */
const UPDATE = `UPDATE meter_state SET serial = ?, last_ms = ?, last_import_wh = ?, last_export_wh = ?, state = ?,
  updated_ms = MAX(?, updated_ms + 1) WHERE meter_id = ?`;
const INSERT = `INSERT INTO meter_state (serial, last_ms, last_import_wh, last_export_wh, state, updated_ms, meter_id) VALUES (?, ?, ?, ?, ?, ?, ?)`;

export function loadMeterState(handle: Store, meterId: number): MeterCounterState | null {
  const store = sqlite(handle);
  const row = store
    .stmt<MeterStateColumns & { state: string | null }>("SELECT serial, last_ms, last_import_wh, last_export_wh, state FROM meter_state WHERE meter_id = ?")
    .get(meterId);
  if (!row || row.state === null) return null;
  return decodeMeterState(row.state, row, meterId);
}

/** When the state was last written (ms), by whichever process: a change since it was read means another writer. */
export function meterStateWrittenMs(handle: Store, meterId: number): number | null {
  const store = sqlite(handle);
  return store.stmt<{ updated_ms: number }>("SELECT updated_ms FROM meter_state WHERE meter_id = ?").get(meterId)?.updated_ms ?? null;
}

/** meterStateWrittenMs of several meters in one query (a flush asks it for every meter it writes); null where none. */
export function meterStatesWrittenMs(handle: Store, meterIds: readonly number[]): Map<number, number | null> {
  const store = sqlite(handle);
  const out = new Map<number, number | null>(meterIds.map((id) => [id, null]));
  if (meterIds.length === 0) return out;
  const rows = store
    .stmt<[number, number]>("SELECT meter_id, updated_ms FROM meter_state WHERE meter_id IN (SELECT value FROM json_each(?))")
    .raw(true)
    .all(JSON.stringify(meterIds)) as unknown as [number, number][];
  for (const [id, ms] of rows) out.set(id, ms);
  return out;
}

/**
 * Call inside the transaction that writes the rows this state led to. The stamp is the write's time, made strictly
 * greater than the stored one (a write in the same millisecond as the last, or under a clock set back, still changes
 * it): a reader that finds the stamp it wrote knows nobody wrote since. nextStateStampMs tells it beforehand.
 */
export function saveMeterState(handle: Store, meterId: number, s: MeterCounterState, nowMs: number): void {
  const store = sqlite(handle);
  const c = columnsOf(s);
  const args = [c.serial, c.last_ms, c.last_import_wh, c.last_export_wh, encodeMeterState(s), nowMs, meterId] as const;
  if (store.stmt(UPDATE).run(...args).changes === 0) store.stmt(INSERT).run(...args);
  stateWrites.set(store, (stateWrites.get(store) ?? 0) + 1);
}

/** The stamp saveMeterState writes at `nowMs` over a stored stamp (null: no state stored yet). */
export function nextStateStampMs(storedMs: number | null, nowMs: number): number {
  return storedMs === null ? nowMs : Math.max(nowMs, storedMs + 1);
}

/** saveMeterState calls per connection (this module is the only writer of meter_state). */
const stateWrites = new WeakMap<SqliteStore, number>();

/**
 * Where the meter states stand, as one connection can tell without reading them: `dataVersion` (PRAGMA
 * data_version) changes whenever another connection commits anything, `writes` counts this connection's
 * saveMeterState calls. Two equal marks taken inside write transactions mean no state was written in
 * between but by the one who took them (decision 0139).
 */
export interface StateWriteMark {
  dataVersion: number;
  writes: number;
}

export function meterStateWriteMark(handle: Store): StateWriteMark {
  const store = sqlite(handle);
  return { dataVersion: store.stmt<number>("PRAGMA data_version").pluck(true).get() as number, writes: stateWrites.get(store) ?? 0 };
}

/** The last reading the interval builder accepted for a meter, as the plain columns mirror it (Wh). */
export interface LastReading {
  meterId: number;
  lastMs: number | null;
  lastImportWh: number | null;
}

/** The last accepted reading of every meter of the community that has a state. */
export function lastReadings(handle: Store, communityId: string): LastReading[] {
  const store = sqlite(handle);
  return store
    .stmt<{ meter_id: number; last_ms: number | null; last_import_wh: number | null }>(
      "SELECT meter_id, last_ms, last_import_wh FROM meter_state WHERE meter_id IN (SELECT id FROM meters WHERE community_id = ?)",
    )
    .all(communityId)
    .map((r) => ({ meterId: r.meter_id, lastMs: r.last_ms, lastImportWh: r.last_import_wh }));
}
