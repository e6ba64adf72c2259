import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export interface PruneResult {
  intervals: number;
  gaps: number;
  events: number;
}

/** The time a write transaction of retention covers for one meter: about 3,000 rows, a few ms of the write lock. */
const SLICE_MS = 31 * 86_400_000;

/**
 * Deletes one community's interval data older than `beforeMs` (retention,
 * default 10 years: docs/aggregation.md). Raw readings are never stored, so
 * there is nothing else to prune. A transaction per meter and month of its
 * rows, so that a retention lowered by years never holds the write lock for
 * long (the ingest's commits wait for none of it); a stop halfway leaves the
 * rest for the next run, which deletes the same rows.
 */
export function pruneIntervalData(handle: Store, communityId: string, beforeMs: number): PruneResult {
  const store = sqlite(handle);
  const meters = store.stmt("SELECT id FROM meters WHERE community_id = ? ORDER BY id").pluck(true).all(communityId) as number[];
  // The first row at or after a time: empty stretches (a meter installed late, a long gap) cost no transaction.
  const next = store.stmt("SELECT MIN(start_ms) FROM intervals WHERE meter_id = ? AND start_ms >= ?").pluck(true);
  const deleteSlice = store.stmt("DELETE FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?");
  const deleteGaps = store.stmt("DELETE FROM unallocated_energy WHERE meter_id = ? AND to_ms <= ?");
  const deleteEvents = store.stmt("DELETE FROM meter_events WHERE meter_id = ? AND ts_ms < ?");
  const out: PruneResult = { intervals: 0, gaps: 0, events: 0 };
  for (const id of meters) {
    for (let from = next.get(id, -Number.MAX_SAFE_INTEGER) as number | null; from !== null && from < beforeMs;) {
      const to = Math.min(beforeMs, from + SLICE_MS);
      out.intervals += store.write(() => deleteSlice.run(id, from, to).changes);
      from = next.get(id, to) as number | null;
    }
    store.write(() => {
      out.gaps += deleteGaps.run(id, beforeMs).changes;
      out.events += deleteEvents.run(id, beforeMs).changes;
    });
  }
  return out;
}
