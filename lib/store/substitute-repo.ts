import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/** A gap filled with substitute values (lib/aggregation/substitute-run.ts, migration 10). */
export interface SubstituteRecord {
  meterId: number;
  fromMs: number;
  toMs: number;
  method: "profile" | "linear";
  referenceWeeks: number;
  scaledToCounter: boolean;
  importWh: number;
  exportWh: number | null;
  /** The gap's unallocated energy before it was filled; null: none was known. */
  unallocatedImportWh: number | null;
  unallocatedExportWh: number | null;
  createdMs: number;
  createdBy: string;
}

interface Row {
  meter_id: number;
  from_ms: number;
  to_ms: number;
  method: "profile" | "linear";
  reference_weeks: number;
  scaled_to_counter: number;
  import_wh: number;
  export_wh: number | null;
  unallocated_import_wh: number | null;
  unallocated_export_wh: number | null;
  created_ms: number;
  created_by: string;
}

/** Call inside a write transaction. */
export function insertSubstitute(handle: Store, r: SubstituteRecord): void {
  sqlite(handle)
    .stmt(
      `INSERT INTO substitutes (meter_id, from_ms, to_ms, method, reference_weeks, scaled_to_counter, import_wh, export_wh,
         unallocated_import_wh, unallocated_export_wh, created_ms, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.meterId,
      r.fromMs,
      r.toMs,
      r.method,
      r.referenceWeeks,
      r.scaledToCounter ? 1 : 0,
      r.importWh,
      r.exportWh,
      r.unallocatedImportWh,
      r.unallocatedExportWh,
      r.createdMs,
      r.createdBy,
    );
}

/** Substitutes of one community's meters that overlap [fromMs, toMs), by meter and time. */
export function substitutesInRange(handle: Store, communityId: string, fromMs: number, toMs: number): SubstituteRecord[] {
  const store = sqlite(handle);
  // A database of an older schema opened read-only (zev export, zev check) has no substitutes: none were formed.
  if (!store.stmt<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'substitutes'").get()!.n) return [];
  return store
    .stmt<Row>(
      `SELECT s.* FROM substitutes s JOIN meters m ON m.id = s.meter_id
       WHERE m.community_id = ? AND s.from_ms < ? AND s.to_ms > ? ORDER BY s.meter_id, s.from_ms, s.id`,
    )
    .all(communityId, toMs, fromMs)
    .map((r) => ({
      meterId: r.meter_id,
      fromMs: r.from_ms,
      toMs: r.to_ms,
      method: r.method,
      referenceWeeks: r.reference_weeks,
      scaledToCounter: r.scaled_to_counter === 1,
      importWh: r.import_wh,
      exportWh: r.export_wh,
      unallocatedImportWh: r.unallocated_import_wh,
      unallocatedExportWh: r.unallocated_export_wh,
      createdMs: r.created_ms,
      createdBy: r.created_by,
    }));
}

/** Start of a meter's first stored interval, or null when it has none: a meter is not substituted before it existed. */
export function firstIntervalMs(handle: Store, meterId: number): number | null {
  const r = sqlite(handle).stmt<{ t: number | null }>("SELECT MIN(start_ms) AS t FROM intervals WHERE meter_id = ?").get(meterId);
  return r?.t ?? null;
}
