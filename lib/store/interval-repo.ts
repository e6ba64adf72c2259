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

/*
 * Rows are written one meter at a time, up to ROWS_PER_STATEMENT of a meter's consecutive rows per statement.
 * The triggers on intervals (docs/decisions/0149) make every statement that writes a row one that SQLite may have
 * to undo halfway (a trigger's write, the foreign key, the CHECKs), so each opens a statement journal and copies
 * into it every page it touches; and each builds the CHECK's IN list afresh. One statement for a meter's rows,
 * which lie on the same page, pays that once for all of them (decision 0155); rows of different meters in one
 * statement would touch a page each and spill the journal to a file.
 */
const ROWS_PER_STATEMENT = 16;

function writeRows(store: SqliteStore, rows: readonly IntervalEnergy[], nowMs: number): void {
  const columns = upsertColumns(store);
  const width = columns.length;
  for (const meterRows of byMeter(rows)) {
    for (let from = 0; from < meterRows.length; from += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, meterRows.length - from);
      const args: unknown[] = new Array(n * width);
      for (let i = 0; i < n; i++) {
        const r = meterRows[from + i]!;
        const at = i * width;
        args[at] = r.meterId;
        args[at + 1] = r.startMs;
        args[at + 2] = r.importWh;
        args[at + 3] = r.exportWh;
        args[at + 4] = r.quality;
        args[at + 5] = nowMs;
        if (width === 7) args[at + 6] = r.counterWh ?? null;
      }
      store.stmt(upsertSql(columns, n)).run(args);
    }
  }
}

/** The rows grouped by meter, each meter's rows in the order given (a later row for the same interval wins). */
function byMeter(rows: readonly IntervalEnergy[]): Iterable<readonly IntervalEnergy[]> {
  let one = true;
  for (let i = 1; i < rows.length && one; i++) one = rows[i]!.meterId === rows[0]!.meterId;
  if (one) return rows.length === 0 ? [] : [rows];
  const groups = new Map<number, IntervalEnergy[]>();
  for (const r of rows) {
    const g = groups.get(r.meterId);
    if (g === undefined) groups.set(r.meterId, [r]);
    else g.push(r);
  }
  return groups.values();
}

const COLUMNS = ["meter_id", "start_ms", "import_wh", "export_wh", "quality", "updated_ms", "counter_wh"] as const;
// A store opened on an older schema on purpose (migration tests build one) has no counter column yet (migration 14).
const COLUMNS_BEFORE_COUNTER = COLUMNS.slice(0, 6);
type Columns = typeof COLUMNS | typeof COLUMNS_BEFORE_COUNTER;

/** counter_wh is replaced too: a row rewritten from operator data has no counter, and must not keep an old one. */
function upsertColumns(store: SqliteStore): Columns {
  try {
    store.stmt(upsertSql(COLUMNS, 1));
    return COLUMNS;
  } catch (e) {
    if (!/no column named counter_wh/.test((e as Error).message)) throw e;
    return COLUMNS_BEFORE_COUNTER;
  }
}

const upsertTexts = new Map<Columns, string[]>();

/** The upsert of `n` rows; the text is made once per row count, the statement prepared once per connection (store.stmt). */
function upsertSql(columns: Columns, n: number): string {
  let texts = upsertTexts.get(columns);
  if (texts === undefined) upsertTexts.set(columns, (texts = []));
  let sql = texts[n];
  if (sql === undefined) {
    const row = `(${columns.map(() => "?").join(", ")})`;
    const set = columns
      .slice(2)
      .map((c) => `${c} = excluded.${c}`)
      .join(", ");
    sql = texts[n] = `INSERT INTO intervals (${columns.join(", ")}) VALUES ${Array.from({ length: n }, () => row).join(", ")}
  ON CONFLICT (meter_id, start_ms) DO UPDATE SET ${set}`;
  }
  return sql;
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
