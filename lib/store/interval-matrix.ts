import type { Quality } from "./interval-repo";
import type { SqliteStore } from "./sqlite-store";
import { INTERVAL_MS } from "../time/interval";

/** Quality codes in the matrix; ABSENT = no row stored for that meter and interval. */
export const Q_ABSENT = 0;
export const Q_MEASURED = 1;
export const Q_INTERPOLATED = 2;
export const Q_ESTIMATED = 3;
export const Q_MISSING = 4;
const CODE: Record<Quality, number> = { measured: Q_MEASURED, interpolated: Q_INTERPOLATED, estimated: Q_ESTIMATED, missing: Q_MISSING };

export interface MeterColumn {
  meterId: number;
  /** Wh per interval; 0 where absent or missing (see quality). */
  importWh: Int32Array;
  exportWh: Int32Array;
  quality: Uint8Array;
}

/**
 * Interval energy of several meters over [fromMs, toMs) as columns indexed
 * by interval number ((start - fromMs) / 15 min). One sequential primary-key
 * range scan per meter: far faster than one ordered scan over all meters,
 * and the same layout billing, exports and the dashboard read.
 */
export interface IntervalMatrix {
  fromMs: number;
  toMs: number;
  count: number;
  columns: Map<number, MeterColumn>;
}

export function readIntervalMatrix(store: SqliteStore, meterIds: readonly number[], fromMs: number, toMs: number): IntervalMatrix {
  const count = Math.max(0, Math.round((toMs - fromMs) / INTERVAL_MS));
  const stmt = store.stmt("SELECT start_ms, import_wh, export_wh, quality FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?").raw(true);
  const columns = new Map<number, MeterColumn>();
  store.read(() => {
    for (const meterId of meterIds) {
      const col: MeterColumn = { meterId, importWh: new Int32Array(count), exportWh: new Int32Array(count), quality: new Uint8Array(count) };
      for (const row of stmt.iterate(meterId, fromMs, toMs) as IterableIterator<[number, number | null, number | null, Quality]>) {
        const i = (row[0] - fromMs) / INTERVAL_MS;
        col.importWh[i] = row[1] ?? 0;
        col.exportWh[i] = row[2] ?? 0;
        col.quality[i] = CODE[row[3]];
      }
      columns.set(meterId, col);
    }
  });
  return { fromMs, toMs, count, columns };
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
  const c: QualityCounts = { measured: 0, interpolated: 0, estimated: 0, missing: 0, absent: 0, total: to - from };
  for (let i = from; i < to; i++) {
    switch (col.quality[i]) {
      case Q_MEASURED: c.measured++; break;
      case Q_INTERPOLATED: c.interpolated++; break;
      case Q_ESTIMATED: c.estimated++; break;
      case Q_MISSING: c.missing++; break;
      default: c.absent++;
    }
  }
  return c;
}
