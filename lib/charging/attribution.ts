import { occupancies } from "../community/occupancy";
import type { CommunityDefinition } from "../community/types";
import { localDateOf } from "../time/local-date";
import { attributeLaterInRange, type LateAttribution } from "../store/charger-session-repo";
import type { Store } from "../store/store";
import type { PayerRef } from "./types";

/** The community's charging ids as a lookup: id (trimmed, any case) -> unit, null when unknown. */
export function unitResolver(def: Pick<CommunityDefinition, "chargingIds"> | undefined): (userId: string) => string | null {
  const map = new Map((def?.chargingIds ?? []).map((c) => [c.id.trim().toLowerCase(), c.unit]));
  return (userId) => map.get(userId.trim().toLowerCase()) ?? null;
}

/** Who pays for a unit at an instant (the tenant, or the owner while vacant), for session messages. */
export function payerAt(def: CommunityDefinition | undefined, unitId: string | null, ms: number): PayerRef | null {
  if (!def || unitId === null) return null;
  const day = localDateOf(ms, def.timeZone);
  const occ = occupancies(def, day, day).find((o) => o.unit === unitId);
  return occ ? { name: occ.party.name, kind: occ.kind } : null;
}

/** The label a charging id was given in the community (whose card it is). */
export function idLabel(def: Pick<CommunityDefinition, "chargingIds"> | undefined, userId: string | null): string | null {
  if (userId === null) return null;
  const key = userId.trim().toLowerCase();
  return def?.chargingIds?.find((c) => c.id.trim().toLowerCase() === key)?.label ?? null;
}

/**
 * Ended sessions in [fromMs, toMs) kept without a unit whose charging id the
 * community maps now: they get the unit (flag "attributed-later", audit log),
 * as the charger node does on deploy. The billing run calls this first, so an
 * id imported after the sessions is billed from the command line as well.
 */
export function attributeMappedSessions(
  store: Store,
  def: CommunityDefinition,
  fromMs: number,
  toMs: number,
  actor: string,
  nowMs = Date.now(),
): LateAttribution[] {
  return store.write(() => attributeLaterInRange(store, def.id, unitResolver(def), actor, nowMs, fromMs, toMs));
}
