import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export interface PruneResult {
  intervals: number;
  /** The grid operator's values (SDAT deliveries and a LEG's split per member) of the same quarter hours. */
  operatorValues: number;
  gaps: number;
  events: number;
}

/** The time a write transaction of retention covers for one meter: about 3,000 rows, a few ms of the write lock. */
const SLICE_MS = 31 * 86_400_000;

/**
 * The tables that hold a value per meter and quarter hour, keyed by (meter_id, start_ms, ...): what retention
 * deletes month by month. The operator's tables come with migrations 6 and 13; a file of an older schema lacks them.
 */
const PER_QUARTER_HOUR: readonly { table: string; counts: "intervals" | "operatorValues" }[] = [
  { table: "intervals", counts: "intervals" },
  { table: "operator_deliveries", counts: "operatorValues" },
  { table: "leg_operator_split", counts: "operatorValues" },
];

/**
 * Deletes one community's interval data older than `beforeMs` (retention,
 * default 10 years: docs/aggregation.md): the rows, the operator's values of
 * the same quarter hours, the gaps and the meter events. Raw readings are
 * never stored. A transaction per table, meter and month of its rows, so that
 * a retention lowered by years never holds the write lock for long (the
 * ingest's commits wait for none of it); a stop halfway leaves the rest for
 * the next run, which deletes the same rows.
 */
export function pruneIntervalData(handle: Store, communityId: string, beforeMs: number): PruneResult {
  const store = sqlite(handle);
  const meters = store.stmt("SELECT id FROM meters WHERE community_id = ? ORDER BY id").pluck(true).all(communityId) as number[];
  const present = new Set(store.stmt("SELECT name FROM sqlite_master WHERE type = 'table'").pluck(true).all() as string[]);
  const tables = PER_QUARTER_HOUR.filter((t) => present.has(t.table)).map((t) => ({
    counts: t.counts,
    // The first row at or after a time: empty stretches (a meter installed late, a long gap) cost no transaction.
    next: store.stmt(`SELECT MIN(start_ms) FROM ${t.table} WHERE meter_id = ? AND start_ms >= ?`).pluck(true),
    deleteSlice: store.stmt(`DELETE FROM ${t.table} WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?`),
  }));
  const deleteGaps = store.stmt("DELETE FROM unallocated_energy WHERE meter_id = ? AND to_ms <= ?");
  const deleteEvents = store.stmt("DELETE FROM meter_events WHERE meter_id = ? AND ts_ms < ?");
  const out: PruneResult = { intervals: 0, operatorValues: 0, gaps: 0, events: 0 };
  for (const id of meters) {
    for (const t of tables) {
      for (let from = t.next.get(id, -Number.MAX_SAFE_INTEGER) as number | null; from !== null && from < beforeMs;) {
        const to = Math.min(beforeMs, from + SLICE_MS);
        out[t.counts] += store.write(() => t.deleteSlice.run(id, from, to).changes);
        from = t.next.get(id, to) as number | null;
      }
    }
    store.write(() => {
      out.gaps += deleteGaps.run(id, beforeMs).changes;
      out.events += deleteEvents.run(id, beforeMs).changes;
    });
  }
  return out;
}
