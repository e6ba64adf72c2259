import type { Quality } from "../model/quality";
import { INTERVAL_MS } from "../time/interval";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * The meter's own counter at an instant, from the intervals' counter_wh
 * (migration 17, decision 0133): the row ending at the instant holds it; the
 * row starting there gives it as its end counter minus its energy.
 */

/** One interval row beside a boundary, as far as a reading needs it. */
export interface CounterRow {
  importWh: number | null;
  quality: Quality;
  /** The raw counter at the row's end, Wh; null for operator data, load profiles and rows from before migration 17. */
  counterWh: number | null;
}

/** The rows on both sides of a boundary; null where the meter has no row. */
export interface BoundaryRows {
  before: CounterRow | null;
  after: CounterRow | null;
}

export function boundaryRows(handle: Store, meterId: number, atMs: number): BoundaryRows {
  const store = sqlite(handle);
  type Row = { start_ms: number; import_wh: number | null; quality: Quality; counter_wh: number | null };
  let stmt;
  try {
    stmt = store.stmt<Row>("SELECT start_ms, import_wh, quality, counter_wh FROM intervals WHERE meter_id = ? AND start_ms IN (?, ?)");
  } catch (e) {
    // A database of an older schema opened as it is (read-only, or a migration test): no counter was kept then.
    if (!/no such column: counter_wh/.test((e as Error).message)) throw e;
    stmt = store.stmt<Row>("SELECT start_ms, import_wh, quality, NULL AS counter_wh FROM intervals WHERE meter_id = ? AND start_ms IN (?, ?)");
  }
  const rows = stmt.all(meterId, atMs - INTERVAL_MS, atMs);
  const pick = (start: number): CounterRow | null => {
    const r = rows.find((x) => x.start_ms === start);
    return r ? { importWh: r.import_wh, quality: r.quality, counterWh: r.counter_wh } : null;
  };
  return { before: pick(atMs - INTERVAL_MS), after: pick(atMs) };
}

/** The energy of a meter's intervals with fromMs <= start < toMs (Wh; missing rows count nothing), and how many rows there are. */
export function meterEnergyWh(handle: Store, meterId: number, fromMs: number, toMs: number): { wh: number; rows: number } {
  const store = sqlite(handle);
  const r = store
    .stmt<{ wh: number | null; n: number }>("SELECT SUM(import_wh) AS wh, COUNT(*) AS n FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?")
    .get(meterId, fromMs, toMs)!;
  return { wh: r.wh ?? 0, rows: r.n };
}
