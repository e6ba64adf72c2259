import type { IntervalEnergy } from "../../lib/model/interval-energy";
import { QUALITY_CODE, type Quality } from "../../lib/model/quality";
import type { MeterColumn } from "../../lib/store/interval-matrix";
import type { SqliteStore } from "../../lib/store/sqlite-store";

const Q = 900_000;

/**
 * A meter's column over [fromMs, toMs) read row by row with plain SQL: what readIntervalMatrix must give, sealed
 * days or not (export 0 where it does not count).
 */
export function rowByRowColumn(store: SqliteStore, meterId: number, fromMs: number, toMs: number, withExport = true): MeterColumn {
  const n = (toMs - fromMs) / Q;
  const col: MeterColumn = { meterId, importWh: new Int32Array(n), exportWh: new Int32Array(n), quality: new Uint8Array(n) };
  type Row = { start_ms: number; import_wh: number | null; export_wh: number | null; quality: Quality };
  for (const r of store.db
    .prepare("SELECT start_ms, import_wh, export_wh, quality FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?")
    .all(meterId, fromMs, toMs) as Row[]) {
    const i = (r.start_ms - fromMs) / Q;
    col.importWh[i] = r.import_wh ?? 0;
    if (withExport) col.exportWh[i] = r.export_wh ?? 0;
    col.quality[i] = QUALITY_CODE[r.quality];
  }
  return col;
}

/** Rows to write, added by meter key and quarter-hour index from t0; a row without import is missing unless told. */
export function intervalRows(
  ids: ReadonlyMap<string, number>,
  t0: number,
): { rows: IntervalEnergy[]; put(key: string, i: number, importWh: number | null, exportWh: number | null, quality?: Quality): void } {
  const rows: IntervalEnergy[] = [];
  return {
    rows,
    put: (key, i, importWh, exportWh, quality = importWh === null ? "missing" : "measured") => {
      rows.push({ meterId: ids.get(key)!, startMs: t0 + i * Q, importWh, exportWh, quality });
    },
  };
}
