import { Q_ESTIMATED, Q_INTERPOLATED, Q_MEASURED, Q_MISSING, QUALITY_CODE, type Quality } from "../model/quality";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";
import { INTERVAL_MS } from "../time/interval";
import { storedNegativeIntervalError } from "./negative-intervals";
import { DAY_MS, decodeDayInto, readSealedDays, SLOTS_PER_DAY } from "./interval-days";

export interface MeterColumn {
  meterId: number;
  /** Wh per interval; 0 where absent or missing (see quality). */
  importWh: Int32Array;
  exportWh: Int32Array;
  /** lib/model/quality.ts's codes; Q_ABSENT (0) where no row is stored. */
  quality: Uint8Array;
}

/**
 * Interval energy of several meters over [fromMs, toMs) as columns indexed
 * by interval number ((start - fromMs) / 15 min): the layout billing,
 * exports and the dashboard read.
 */
export interface IntervalMatrix {
  fromMs: number;
  toMs: number;
  count: number;
  columns: Map<number, MeterColumn>;
}

/** Parses "12,0,345" into `out`; returns how many numbers it read (stops at out.length). */
function parseCsvInts(text: string | null, out: Int32Array): number {
  if (text === null || text === "") return 0;
  let n = 0;
  let v = 0;
  let neg = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 44) {
      if (n < out.length) out[n] = neg ? -v : v;
      n++;
      v = 0;
      neg = false;
    } else if (c === 45) neg = true;
    else v = v * 10 + (c - 48);
  }
  if (n < out.length) out[n] = neg ? -v : v;
  return n + 1;
}

function negativeIn(store: Store, meterId: number, fromMs: number, values: Int32Array, field: "import" | "export"): Error {
  const i = values.findIndex((v) => v < 0);
  return storedNegativeIntervalError(store, meterId, fromMs + i * INTERVAL_MS, field, values[i]!);
}

/**
 * Reads each meter's column. Sealed days (lib/store/interval-days.ts) are
 * decoded from their blobs; what lies between them (the period's partial
 * days at either end, days not sealed yet) is read from the rows. There the
 * fast path asks SQLite for the segment as one ordered comma list (per-row
 * materialisation in JavaScript costs far more than SQLite's scan); it
 * applies when every interval has a row with energy, which is the normal
 * case. Otherwise, for the qualities that are not "measured", and for an
 * export direction stored in some intervals only, rows are read one by one.
 */
export function readIntervalMatrix(
  handle: Store,
  meterIds: readonly number[],
  fromMs: number,
  toMs: number,
  exportFor: ReadonlySet<number> = new Set(meterIds),
): IntervalMatrix {
  const store = sqlite(handle);
  const count = Math.max(0, Math.round((toMs - fromMs) / INTERVAL_MS));
  // The ordered subquery runs as a co-routine over the primary key: ordered without a sort step.
  const dense = store
    .stmt(
      "SELECT count(*), group_concat(import_wh) FROM (SELECT import_wh FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms)",
    )
    .raw(true);
  // A meter whose export counts reads both directions in the same scan (group_concat skips NULLs: an export stored in
  // some intervals only gives a shorter list, which the count check below catches).
  const denseBoth = store
    .stmt(
      "SELECT count(*), group_concat(import_wh), group_concat(export_wh) FROM (SELECT import_wh, export_wh FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms)",
    )
    .raw(true);
  const exportRows = store
    .stmt("SELECT start_ms, export_wh FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? AND export_wh IS NOT NULL")
    .raw(true);
  const rows = store.stmt("SELECT start_ms, import_wh, export_wh, quality FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?").raw(true);
  const notMeasured = store
    .stmt(
      "SELECT start_ms, quality FROM intervals INDEXED BY intervals_not_measured WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? AND quality <> 'measured'",
    )
    .raw(true);

  /** Rows of [segFrom, segTo) into the column from index `at`; returns whether any slot took the "measured" default. */
  const readRows = (col: MeterColumn, withExport: boolean, segFrom: number, segTo: number): boolean => {
    const at = (segFrom - fromMs) / INTERVAL_MS;
    const n = (segTo - segFrom) / INTERVAL_MS;
    const imp = col.importWh.subarray(at, at + n);
    const [rowCount, list, exp] = (withExport ? denseBoth : dense).get(col.meterId, segFrom, segTo) as [number, string | null, (string | null)?];
    const fast = rowCount === n && parseCsvInts(list, imp) === n;
    // A negative value (only in a database older versions wrote and not yet migrated) is named, not allocated.
    if (fast && list!.includes("-")) throw negativeIn(store, col.meterId, segFrom, imp, "import");
    if (fast) {
      col.quality.fill(Q_MEASURED, at, at + n);
      if (withExport && exp !== undefined) {
        const ex = col.exportWh.subarray(at, at + n);
        if (parseCsvInts(exp, ex) === n) {
          if (exp!.includes("-")) throw negativeIn(store, col.meterId, segFrom, ex, "export");
        } else {
          ex.fill(0);
          // Export known in some intervals only (e.g. a load profile of the import direction, then readings of both): each keeps its own.
          if (exp !== null)
            for (const [start, e] of exportRows.all(col.meterId, segFrom, segTo) as [number, number][]) {
              if (e < 0) throw storedNegativeIntervalError(store, col.meterId, start, "export", e);
              col.exportWh[(start - fromMs) / INTERVAL_MS] = e;
            }
        }
      }
      return true;
    }
    imp.fill(0);
    for (const row of rows.all(col.meterId, segFrom, segTo) as [number, number | null, number | null, Quality][]) {
      const i = (row[0] - fromMs) / INTERVAL_MS;
      if ((row[1] ?? 0) < 0) throw storedNegativeIntervalError(store, col.meterId, row[0], "import", row[1]!);
      if ((row[2] ?? 0) < 0 && withExport) throw storedNegativeIntervalError(store, col.meterId, row[0], "export", row[2]!);
      col.importWh[i] = row[1] ?? 0;
      // Export only where it counts, as on the fast path and in sealed days: one column whatever way it was read.
      if (withExport) col.exportWh[i] = row[2] ?? 0;
      col.quality[i] = QUALITY_CODE[row[3]];
    }
    return false;
  };

  // Sealed days are whole UTC days; a period on interval boundaries may start or end inside one.
  const firstDay = Math.max(0, Math.ceil(fromMs / DAY_MS) * DAY_MS);
  const endDay = Math.floor(toMs / DAY_MS) * DAY_MS;
  const columns = new Map<number, MeterColumn>();
  store.read(() => {
    for (const meterId of meterIds) {
      const col: MeterColumn = { meterId, importWh: new Int32Array(count), exportWh: new Int32Array(count), quality: new Uint8Array(count) };
      const withExport = exportFor.has(meterId);
      let measuredDefault = false;
      let cursor = fromMs;
      for (const [dayMs, importWh, exportWh] of firstDay < endDay ? readSealedDays(store, meterId, firstDay, endDay) : []) {
        // The rows before this day; the day itself sets the "measured" default below either way.
        if (dayMs > cursor) readRows(col, withExport, cursor, dayMs);
        const at = (dayMs - fromMs) / INTERVAL_MS;
        decodeDayInto(importWh, col.importWh, at);
        if (withExport && exportWh !== null) decodeDayInto(exportWh, col.exportWh, at);
        col.quality.fill(Q_MEASURED, at, at + SLOTS_PER_DAY);
        measuredDefault = true;
        cursor = dayMs + DAY_MS;
      }
      if (cursor < toMs) measuredDefault = readRows(col, withExport, cursor, toMs) || measuredDefault;
      // The qualities that are not "measured" come from their partial index, for sealed days and fast segments alike
      // (a segment read row by row already holds them: the same rows, the same codes).
      if (measuredDefault)
        for (const [start, q] of notMeasured.all(meterId, fromMs, toMs) as [number, Quality][]) col.quality[(start - fromMs) / INTERVAL_MS] = QUALITY_CODE[q];
      columns.set(meterId, col);
    }
  });
  return { fromMs, toMs, count, columns };
}

/** The meters of `meterIds` without a single stored interval in [fromMs, toMs): one primary-key probe each. */
export function metersWithoutIntervals(handle: Store, meterIds: readonly number[], fromMs: number, toMs: number): number[] {
  const store = sqlite(handle);
  const probe = store.stmt("SELECT 1 FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? LIMIT 1").pluck(true);
  return store.read(() => meterIds.filter((id) => probe.get(id, fromMs, toMs) === undefined));
}

export interface QualityCounts {
  measured: number;
  interpolated: number;
  estimated: number;
  missing: number;
  /** Intervals with no row at all: missing as well, reported apart. */
  absent: number;
  total: number;
}

export function qualityCounts(col: MeterColumn, from = 0, to = col.quality.length): QualityCounts {
  // One tally per code value, then read out: no branch per interval (a year of many meters is counted per run).
  const tally = new Int32Array(256);
  const q = col.quality;
  for (let i = from; i < to; i++) tally[q[i]!]!++;
  const measured = tally[Q_MEASURED]!;
  const interpolated = tally[Q_INTERPOLATED]!;
  const estimated = tally[Q_ESTIMATED]!;
  const missing = tally[Q_MISSING]!;
  // Anything else (no row, or a code out of range) counts as absent, as before.
  return { measured, interpolated, estimated, missing, absent: to - from - measured - interpolated - estimated - missing, total: to - from };
}
