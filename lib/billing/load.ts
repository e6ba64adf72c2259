import { latestCommunity } from "../store/community-repo";
import { sessionEnergyInRange } from "../store/charger-session-repo";
import { readIntervalMatrix } from "../store/interval-matrix";
import { listMeters } from "../store/meter-repo";
import { unallocatedInRange } from "../store/unallocated-repo";
import type { Store } from "../store/store";
import { parsePeriod, type BillingPeriod } from "../time/periods";
import type { ComputeInput } from "./compute";
import { BillingError } from "./layout";

/** Everything a billing run reads, from the database alone. */
export function loadBillingInput(store: Store, communityId: string, period: string | BillingPeriod): ComputeInput {
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
    matrix: readIntervalMatrix(
      store,
      meters.map((m) => m.id),
      p.startMs,
      p.endMs,
      new Set(meters.filter((m) => m.role === "battery" || m.role === "grid").map((m) => m.id)),
    ),
    ev: sessionEnergyInRange(store, communityId, p.startMs, p.endMs),
    unallocated: unallocatedInRange(store, communityId, p.startMs, p.endMs),
  }));
}
