import type { MeterDefinition } from "../community/types";
import type { MeterRecord, MeterRole } from "../model/meter";
import { audit } from "./audit-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

interface MeterRow {
  id: number;
  community_id: string;
  meter_key: string;
  role: MeterRole;
  unit_id: string | null;
  label: string | null;
}

function toRecord(r: MeterRow): MeterRecord {
  return { id: r.id, communityId: r.community_id, key: r.meter_key, role: r.role, unitId: r.unit_id, label: r.label };
}

export function getMeter(handle: Store, communityId: string, key: string): MeterRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<MeterRow>("SELECT * FROM meters WHERE community_id = ? AND meter_key = ?").get(communityId, key);
  return r && toRecord(r);
}

export function listMeters(handle: Store, communityId: string): MeterRecord[] {
  const store = sqlite(handle);
  return store.stmt<MeterRow>("SELECT * FROM meters WHERE community_id = ? ORDER BY meter_key").all(communityId).map(toRecord);
}

/**
 * Creates the meter or updates its role, unit and label; a change is written
 * to the audit log (a meter moving to another unit changes who pays).
 */
export function upsertMeter(handle: Store, communityId: string, def: MeterDefinition, actor: string, nowMs = Date.now()): MeterRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const before = getMeter(store, communityId, def.id);
    const unit = def.unit ?? null;
    const label = def.label ?? null;
    if (!before) {
      store
        .stmt("INSERT INTO meters (community_id, meter_key, role, unit_id, label, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(communityId, def.id, def.role, unit, label, nowMs, nowMs);
      audit(store, { communityId, actor, action: "meter.created", entity: "meter", entityId: def.id, details: { role: def.role, unit, label }, tsMs: nowMs });
    } else if (before.role !== def.role || before.unitId !== unit || before.label !== label) {
      store.stmt("UPDATE meters SET role = ?, unit_id = ?, label = ?, updated_ms = ? WHERE id = ?").run(def.role, unit, label, nowMs, before.id);
      audit(store, {
        communityId,
        actor,
        action: "meter.changed",
        entity: "meter",
        entityId: def.id,
        details: { before: { role: before.role, unit: before.unitId, label: before.label }, after: { role: def.role, unit, label } },
        tsMs: nowMs,
      });
    }
    return getMeter(store, communityId, def.id)!;
  });
}
