import { latestCommunity } from "../store/community-repo";
import { sessionEnergyInRange } from "../store/charger-session-repo";
import { readIntervalMatrix, type IntervalMatrix } from "../store/interval-matrix";
import { listMeters } from "../store/meter-repo";
import { substitutesInRange } from "../store/substitute-repo";
import { unallocatedInRange } from "../store/unallocated-repo";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { parsePeriod, type BillingPeriod } from "../time/periods";
import type { ComputeInput } from "./compute";
import { BillingError } from "./layout";

/** Meters read per step when a progress hook listens: small enough for a status line that moves. */
const METERS_PER_STEP = 25;

/**
 * Everything a billing run reads, from the database alone, in one read
 * snapshot. `progress` hears after each step of meters (for the node's
 * status while a worker thread bills a large community).
 */
export function loadBillingInput(
  store: Store,
  communityId: string,
  period: string | BillingPeriod,
  progress?: (metersRead: number, meters: number) => void,
): ComputeInput {
  const rev = latestCommunity(store, communityId);
  if (!rev) throw new BillingError(`no community ${JSON.stringify(communityId)} in ${store.path}`);
  const def = rev.definition;
  const p = typeof period === "string" ? parsePeriod(period, def.timeZone) : period;
  const meters = listMeters(store, communityId);
  return store.read(() => ({
    def,
    revisionId: rev.id,
    period: p,
    meters,
    matrix: readMatrix(
      store,
      meters.map((m) => m.id),
      p,
      // A LEG member's unit meter feeds in too (its export direction, docs/decisions/0129).
      new Set(meters.filter((m) => m.role === "battery" || m.role === "grid" || (def.kind === "LEG" && m.role === "unit")).map((m) => m.id)),
      progress,
    ),
    ev: sessionEnergyInRange(store, communityId, p.startMs, p.endMs),
    unallocated: unallocatedInRange(store, communityId, p.startMs, p.endMs),
    substitutes: substitutesInRange(store, communityId, p.startMs, p.endMs),
  }));
}

function readMatrix(
  store: Store,
  ids: number[],
  p: BillingPeriod,
  exportFor: ReadonlySet<number>,
  progress?: (done: number, total: number) => void,
): IntervalMatrix {
  if (!progress) return readIntervalMatrix(store, ids, p.startMs, p.endMs, exportFor);
  // The same columns, read a step of meters at a time inside the caller's snapshot.
  const columns: IntervalMatrix["columns"] = new Map();
  let count = Math.max(0, Math.round((p.endMs - p.startMs) / INTERVAL_MS));
  for (let i = 0; i < ids.length; i += METERS_PER_STEP) {
    const part = readIntervalMatrix(store, ids.slice(i, i + METERS_PER_STEP), p.startMs, p.endMs, exportFor);
    count = part.count;
    for (const [id, col] of part.columns) columns.set(id, col);
    progress(Math.min(ids.length, i + METERS_PER_STEP), ids.length);
  }
  return { fromMs: p.startMs, toMs: p.endMs, count, columns };
}
