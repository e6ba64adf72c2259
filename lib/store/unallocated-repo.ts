import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/**
 * Energy a meter counted across a run of missing intervals (a gap beyond
 * the gap limit): known in amount, unknown in time. Keyed by the run's
 * first interval, so that a growing run replaces its row.
 */
export interface UnallocatedEnergy {
  meterId: number;
  fromMs: number;
  toMs: number;
  importWh: number;
  exportWh: number | null;
  reason: "gap";
}

const UPSERT = `INSERT INTO unallocated_energy (meter_id, from_ms, to_ms, import_wh, export_wh, reason, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (meter_id, from_ms) DO UPDATE SET to_ms = excluded.to_ms, import_wh = excluded.import_wh, export_wh = excluded.export_wh,
    reason = excluded.reason, updated_ms = excluded.updated_ms`;

/** Call inside a write transaction. */
export function upsertUnallocated(handle: Store, u: UnallocatedEnergy, nowMs: number): void {
  const store = sqlite(handle);
  store.stmt(UPSERT).run(u.meterId, u.fromMs, u.toMs, u.importWh, u.exportWh, u.reason, nowMs);
}

interface Row {
  meter_id: number;
  from_ms: number;
  to_ms: number;
  import_wh: number;
  export_wh: number | null;
  reason: "gap";
}

/** Runs of one community's meters that overlap [fromMs, toMs). */
export function unallocatedInRange(handle: Store, communityId: string, fromMs: number, toMs: number): UnallocatedEnergy[] {
  const store = sqlite(handle);
  return store
    .stmt<Row>(
      `SELECT u.* FROM unallocated_energy u JOIN meters m ON m.id = u.meter_id
       WHERE m.community_id = ? AND u.from_ms < ? AND u.to_ms > ? ORDER BY u.meter_id, u.from_ms`,
    )
    .all(communityId, toMs, fromMs)
    .map((r) => ({ meterId: r.meter_id, fromMs: r.from_ms, toMs: r.to_ms, importWh: r.import_wh, exportWh: r.export_wh, reason: r.reason }));
}

/** Removes a run whose energy now lies in substitute intervals (lib/aggregation/substitute-run.ts); call inside a write transaction. */
export function deleteUnallocated(handle: Store, meterId: number, fromMs: number): void {
  sqlite(handle).stmt("DELETE FROM unallocated_energy WHERE meter_id = ? AND from_ms = ?").run(meterId, fromMs);
}
