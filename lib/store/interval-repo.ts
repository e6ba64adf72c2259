import { codedError } from "../util/coded-error";
import type { IntervalEnergy } from "../model/interval-energy";
import type { Quality } from "../model/quality";
import { sqlite, SqliteStore, StoreError } from "./sqlite-store";
import type { Store } from "./store";

/**
 * Writes interval rows in one transaction. The key is (meter, interval
 * start): writing the same interval again replaces it, never duplicates it.
 */
export function upsertIntervals(handle: Store, rows: readonly IntervalEnergy[], nowMs = Date.now()): void {
  const store = sqlite(handle);
  refuseNegative(rows);
  store.write(() => writeRows(store, rows, nowMs));
}

/**
 * upsertIntervals for a caller that holds the write transaction already
 * (store.write) and lets a throw roll all of it back: no savepoint of its
 * own. A nested store.write is a SAVEPOINT, and SQLite copies every page a
 * savepoint's statements touch into a sub-journal; for the ingest flush's
 * rows that doubled their cost (decision 0139).
 */
export function upsertIntervalsInWrite(handle: Store, rows: readonly IntervalEnergy[], nowMs: number): void {
  const store = sqlite(handle);
  if (!store.db.inTransaction) throw new StoreError("upsertIntervalsInWrite runs inside store.write");
  refuseNegative(rows);
  writeRows(store, rows, nowMs);
}

/** The schema's CHECK refuses it too; this says which meter and interval, before anything is written. */
function refuseNegative(rows: readonly IntervalEnergy[]): void {
  for (const r of rows) {
    if (r.importWh !== null && r.importWh < 0) throw negativeRefused(r, "import", r.importWh);
    if (r.exportWh !== null && r.exportWh < 0) throw negativeRefused(r, "export", r.exportWh);
  }
}

function writeRows(store: SqliteStore, rows: readonly IntervalEnergy[], nowMs: number): void {
  const { stmt, withCounter } = upsertStatement(store);
  if (withCounter) for (const r of rows) stmt.run(r.meterId, r.startMs, r.importWh, r.exportWh, r.quality, nowMs, r.counterWh ?? null);
  else for (const r of rows) stmt.run(r.meterId, r.startMs, r.importWh, r.exportWh, r.quality, nowMs);
}

const UPSERT = `INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms, counter_wh) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (meter_id, start_ms) DO UPDATE SET import_wh = excluded.import_wh, export_wh = excluded.export_wh,
    quality = excluded.quality, updated_ms = excluded.updated_ms, counter_wh = excluded.counter_wh`;
// A store opened on an older schema on purpose (migration tests build one) has no counter column yet (migration 14).
const UPSERT_BEFORE_COUNTER = `INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (meter_id, start_ms) DO UPDATE SET import_wh = excluded.import_wh, export_wh = excluded.export_wh,
    quality = excluded.quality, updated_ms = excluded.updated_ms`;

/** counter_wh is replaced too: a row rewritten from operator data has no counter, and must not keep an old one. */
function upsertStatement(store: ReturnType<typeof sqlite>): { stmt: ReturnType<ReturnType<typeof sqlite>["stmt"]>; withCounter: boolean } {
  try {
    return { stmt: store.stmt(UPSERT), withCounter: true };
  } catch (e) {
    if (!/no column named counter_wh/.test((e as Error).message)) throw e;
    return { stmt: store.stmt(UPSERT_BEFORE_COUNTER), withCounter: false };
  }
}

function negativeRefused(r: IntervalEnergy, field: "import" | "export", valueWh: number): Error {
  return codedError("negative-interval-refused", { meter: `#${r.meterId}`, start: new Date(r.startMs).toISOString(), field, valueWh });
}

interface IntervalRow {
  meter_id: number;
  start_ms: number;
  import_wh: number | null;
  export_wh: number | null;
  quality: Quality;
}

/** Rows of one meter with fromMs <= start < toMs, in time order. */
export function meterIntervals(handle: Store, meterId: number, fromMs: number, toMs: number): IntervalEnergy[] {
  const store = sqlite(handle);
  return store
    .stmt<IntervalRow>(
      "SELECT meter_id, start_ms, import_wh, export_wh, quality FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms",
    )
    .all(meterId, fromMs, toMs)
    .map((r) => ({ meterId: r.meter_id, startMs: r.start_ms, importWh: r.import_wh, exportWh: r.export_wh, quality: r.quality }));
}

export function countIntervals(handle: Store, meterId: number): number {
  const store = sqlite(handle);
  return store.stmt<{ n: number }>("SELECT COUNT(*) AS n FROM intervals WHERE meter_id = ?").get(meterId)!.n;
}

/** How many interval rows of one quality a meter has in a range (rows only: intervals without a row are not counted here). */
export interface QualityRowCount {
  meterId: number;
  quality: Quality;
  rows: number;
}

/** Interval rows per meter and quality of a community, `fromMs` inclusive, `toMs` exclusive: one grouped query on the primary key. */
export function qualityRowCounts(handle: Store, communityId: string, fromMs: number, toMs: number): QualityRowCount[] {
  const store = sqlite(handle);
  return store
    .stmt<{ meter_id: number; quality: Quality; n: number }>(
      `SELECT meter_id, quality, COUNT(*) AS n FROM intervals
       WHERE meter_id IN (SELECT id FROM meters WHERE community_id = ?) AND start_ms >= ? AND start_ms < ? GROUP BY meter_id, quality`,
    )
    .all(communityId, fromMs, toMs)
    .map((r) => ({ meterId: r.meter_id, quality: r.quality, rows: r.n }));
}
