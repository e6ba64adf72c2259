import { audit } from "../../store/audit-repo";
import { communityExists } from "../../store/community-repo";
import { getMeter, upsertMeter } from "../../store/meter-repo";
import type { MeterRecord } from "../../model/meter";
import type { Store } from "../../store/store";

/**
 * The meter with this key, created with role "other" when data arrives for
 * a meter nobody configured: the data is kept, takes no part in the split,
 * and the audit log tells the admin to give the meter its role
 * (docs/aggregation.md "Unknown meters").
 */
export function ensureMeter(
  store: Store,
  communityId: string,
  key: string,
  actor: string,
  nowMs: number,
  via: string,
): { meter: MeterRecord; registered: boolean } {
  const existing = getMeter(store, communityId, key);
  if (existing) return { meter: existing, registered: false };
  if (!communityExists(store, communityId)) {
    throw new Error(`community ${communityId} is not in ${store.path}; deploy or import the community first`);
  }
  return store.write(() => {
    const meter = upsertMeter(store, communityId, { id: key, role: "other", label: `registered by ${via}` }, actor, nowMs);
    audit(store, {
      communityId,
      actor,
      action: "meter.unknown-registered",
      entity: "meter",
      entityId: key,
      details: { role: "other", via, hint: "give this meter its role (unit, common, production, grid, battery, charger) in the community configuration" },
      tsMs: nowMs,
    });
    return { meter, registered: true };
  });
}
