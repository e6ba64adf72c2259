import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export interface PruneResult {
  intervals: number;
  gaps: number;
  events: number;
}

/**
 * Deletes one community's interval data older than `beforeMs` (retention,
 * default 10 years: docs/aggregation.md). Raw readings are never stored, so
 * there is nothing else to prune. One transaction.
 */
export function pruneIntervalData(handle: Store, communityId: string, beforeMs: number): PruneResult {
  const store = sqlite(handle);
  const meters = "SELECT id FROM meters WHERE community_id = ?";
  return store.write(() => ({
    intervals: store.stmt(`DELETE FROM intervals WHERE meter_id IN (${meters}) AND start_ms < ?`).run(communityId, beforeMs).changes,
    gaps: store.stmt(`DELETE FROM unallocated_energy WHERE meter_id IN (${meters}) AND to_ms <= ?`).run(communityId, beforeMs).changes,
    events: store.stmt(`DELETE FROM meter_events WHERE meter_id IN (${meters}) AND ts_ms < ?`).run(communityId, beforeMs).changes,
  }));
}
