import { endianness } from "node:os";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";
import { INTERVAL_MS } from "../time/interval";

/**
 * Sealed days (docs/decisions/0149): a meter's complete UTC day, copied from
 * its 96 rows in `intervals` into two blobs of table `interval_days`, so that
 * a read of a long period (a billing year) decodes a few thousand blobs
 * instead of walking millions of rows. The rows stay the source: the
 * triggers of migration 16 drop a day's copy with every write to one of its
 * rows, so a copy exists only while it equals them.
 */
export const DAY_MS = 86_400_000;
export const SLOTS_PER_DAY = DAY_MS / INTERVAL_MS;
const BLOB_BYTES = SLOTS_PER_DAY * 4;
/** Days read and sealed per write transaction: about a millisecond of the write lock each. */
const DAYS_PER_WRITE = 31;

/** The rowid of a meter's day in interval_days, as migration 16 defines it: a meter's days are one range. */
export function dayKey(meterId: number, dayMs: number): number {
  return meterId * 65536 + Math.floor(dayMs / DAY_MS);
}
/** The key leaves 16 bits for the day: days from 1 January 2149 on are not sealed (they are read from their rows). */
const LAST_DAY_MS = 65536 * DAY_MS;

/** Start of the UTC day holding `ms` (ms >= 0), as migration 16's triggers compute it. */
export function utcDayStart(ms: number): number {
  return ms - (ms % DAY_MS);
}

/**
 * The limit zev-aggregate's daily job and `zev seal` seal before: days that
 * ended at least six hours ago, so that a reading of a day's end sent late is
 * in (one later still drops the seal, and the next run seals the day again).
 */
export function sealLimitMs(nowMs: number): number {
  return nowMs - 6 * 3_600_000;
}

export interface SealResult {
  /** Days sealed by this call. */
  sealed: number;
  /** Days left as rows: not all 96 rows stored, a quarter hour missing, or a negative value (which reads report). */
  incomplete: number;
}

type DayRow = [number, number | null, number | null];

function encode(values: Int32Array): Buffer {
  const out = Buffer.allocUnsafe(BLOB_BYTES);
  for (let i = 0; i < SLOTS_PER_DAY; i++) out.writeInt32LE(values[i]!, i * 4);
  return out;
}

/**
 * Seals the complete days before `beforeMs` of a community's meters that are
 * not sealed yet. Each day is read and written in the same write transaction,
 * so no other write can fall between the read of its rows and its copy.
 */
export function sealIntervalDays(handle: Store, communityId: string, beforeMs: number): SealResult {
  const store = sqlite(handle);
  const meters = store.stmt("SELECT id FROM meters WHERE community_id = ? ORDER BY id").pluck(true).all(communityId) as number[];
  const first = store.stmt("SELECT MIN(start_ms) FROM intervals WHERE meter_id = ?").pluck(true);
  const sealedDays = store.stmt("SELECT day_ms FROM interval_days WHERE id >= ? AND id < ?").pluck(true);
  const rows = store.stmt("SELECT start_ms, import_wh, export_wh FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?").raw(true);
  const insert = store.stmt("INSERT OR REPLACE INTO interval_days (id, meter_id, day_ms, import_wh, export_wh) VALUES (?, ?, ?, ?, ?)");
  const end = Math.min(utcDayStart(Math.max(0, beforeMs)), LAST_DAY_MS);
  const result: SealResult = { sealed: 0, incomplete: 0 };
  const imp = new Int32Array(SLOTS_PER_DAY);
  const exp = new Int32Array(SLOTS_PER_DAY);
  for (const meterId of meters) {
    const firstMs = first.get(meterId) as number | null;
    if (firstMs === null || firstMs < 0) continue;
    const start = utcDayStart(firstMs);
    const done = new Set(sealedDays.all(dayKey(meterId, start), dayKey(meterId, end)) as number[]);
    const todo: number[] = [];
    for (let day = start; day < end; day += DAY_MS) if (!done.has(day)) todo.push(day);
    for (let k = 0; k < todo.length; k += DAYS_PER_WRITE) {
      store.write(() => {
        for (const day of todo.slice(k, k + DAYS_PER_WRITE)) {
          const dayRows = rows.all(meterId, day, day + DAY_MS) as DayRow[];
          let complete = dayRows.length === SLOTS_PER_DAY;
          let anyExport = false;
          for (const [startMs, i, e] of complete ? dayRows : []) {
            if (i === null || i < 0 || (e ?? 0) < 0) {
              complete = false;
              break;
            }
            const slot = (startMs - day) / INTERVAL_MS;
            imp[slot] = i;
            exp[slot] = e ?? 0;
            if (e) anyExport = true;
          }
          if (!complete) {
            result.incomplete++;
            continue;
          }
          insert.run(dayKey(meterId, day), meterId, day, encode(imp), anyExport ? encode(exp) : null);
          result.sealed++;
        }
      });
    }
  }
  return result;
}

/** A sealed day: [day start, import blob, export blob or null]. */
export type SealedDay = [number, Buffer, Buffer | null];

/** Per connection: whether its schema has interval_days (a database opened read-only is not migrated). */
const hasTable = new WeakMap<object, boolean>();

function sealedDaysExist(store: ReturnType<typeof sqlite>): boolean {
  let has = hasTable.get(store);
  if (has === undefined) {
    has = store.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'interval_days'").pluck(true).get() !== undefined;
    hasTable.set(store, has);
  }
  return has;
}

/**
 * A meter's sealed days with fromMs <= day < toMs, in order; none in a
 * database of a schema before migration 16 (opened read-only, as `zev export`
 * opens it, before Node-RED migrated it): its rows are read instead.
 */
export function readSealedDays(handle: Store, meterId: number, fromMs: number, toMs: number): SealedDay[] {
  const to = Math.min(toMs, LAST_DAY_MS);
  const store = sqlite(handle);
  if (fromMs >= to || !sealedDaysExist(store)) return [];
  return store
    .stmt("SELECT day_ms, import_wh, export_wh FROM interval_days WHERE id >= ? AND id < ? ORDER BY id")
    .raw(true)
    .all(dayKey(meterId, Math.max(0, fromMs) + DAY_MS - 1), dayKey(meterId, to + DAY_MS - 1)) as SealedDay[];
}

// The blobs are little-endian, as every machine Node-RED runs on is; a copy of the bytes is then the decode.
const LITTLE_ENDIAN = endianness() === "LE";
const scratch = new Int32Array(SLOTS_PER_DAY);
const scratchBytes = new Uint8Array(scratch.buffer);

/** Writes a sealed blob's 96 values into `out` from index `at`. */
export function decodeDayInto(blob: Buffer, out: Int32Array, at: number): void {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < SLOTS_PER_DAY; i++) out[at + i] = blob.readInt32LE(i * 4);
    return;
  }
  // A Buffer from SQLite may start at any byte of its memory: copied through an aligned scratch array.
  scratchBytes.set(blob);
  out.set(scratch, at);
}

/** How many sealed days a meter has (tests and the storage bench). */
export function sealedDayCount(handle: Store, meterId: number): number {
  return sqlite(handle)
    .stmt("SELECT COUNT(*) FROM interval_days WHERE id >= ? AND id < ?")
    .pluck(true)
    .get(dayKey(meterId, 0), dayKey(meterId + 1, 0)) as number;
}
