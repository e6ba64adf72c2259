import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export interface AuditEntry {
  communityId?: string | null;
  /** Who or what: "node:<id> (<name>)", "cli", "user:<name>". */
  actor: string;
  action: string;
  entity?: string;
  entityId?: string;
  details?: unknown;
  tsMs?: number;
}

export interface AuditRecord extends Required<Omit<AuditEntry, "details" | "communityId" | "entity" | "entityId">> {
  id: number;
  communityId: string | null;
  entity: string | null;
  entityId: string | null;
  details: unknown;
}

export function audit(handle: Store, e: AuditEntry): void {
  const store = sqlite(handle);
  store
    .stmt("INSERT INTO audit_log (ts_ms, community_id, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(
      e.tsMs ?? Date.now(),
      e.communityId ?? null,
      e.actor,
      e.action,
      e.entity ?? null,
      e.entityId ?? null,
      e.details === undefined ? null : JSON.stringify(e.details),
    );
}

interface AuditRow {
  id: number;
  ts_ms: number;
  community_id: string | null;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: string | null;
}

/** Newest first. */
export function auditLog(handle: Store, communityId: string, limit = 100): AuditRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<AuditRow>("SELECT * FROM audit_log WHERE community_id = ? ORDER BY id DESC LIMIT ?")
    .all(communityId, limit)
    .map((r) => ({
      id: r.id,
      tsMs: r.ts_ms,
      communityId: r.community_id,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      details: r.details === null ? null : (JSON.parse(r.details) as unknown),
    }));
}
