import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/** What zev-aggregate remembers per community besides the meters' counter state. */
export interface AggregateState {
  /** End of the last interval whose summary was sent (epoch ms); null before the first. */
  summarizedThroughMs: number | null;
  /** When the last scheduled backup ran. */
  lastBackupMs?: number | null;
  /** When retention last pruned old rows. */
  lastPruneMs?: number | null;
}

export function loadAggregateState(handle: Store, communityId: string): AggregateState {
  const store = sqlite(handle);
  const row = store.stmt<{ state: string }>("SELECT state FROM aggregate_state WHERE community_id = ?").get(communityId);
  return row ? (JSON.parse(row.state) as AggregateState) : { summarizedThroughMs: null };
}

export function saveAggregateState(handle: Store, communityId: string, s: AggregateState, nowMs = Date.now()): void {
  const store = sqlite(handle);
  store
    .stmt(
      "INSERT INTO aggregate_state (community_id, state, updated_ms) VALUES (?, ?, ?) ON CONFLICT (community_id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms",
    )
    .run(communityId, JSON.stringify(s), nowMs);
}
