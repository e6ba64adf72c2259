import { audit } from "./audit-repo";
import type { InvoiceRecord } from "./invoice-repo";
import { getInvoice } from "./invoice-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * The tenant portal's links (migration 8, docs/portal.md): one row per link,
 * holding only the SHA-256 of its token. Creating and revoking a link is
 * audited in the same transaction as the row it changes.
 */

export interface PortalTokenRecord {
  id: number;
  tokenHash: string;
  communityId: string;
  tenancyId: string;
  createdMs: number;
  createdBy: string;
  expiresMs: number;
  revokedMs: number | null;
  revokedBy: string | null;
  lastUsedMs: number | null;
}

interface Row {
  id: number;
  token_hash: string;
  community_id: string;
  tenancy_id: string;
  created_ms: number;
  created_by: string;
  expires_ms: number;
  revoked_ms: number | null;
  revoked_by: string | null;
  last_used_ms: number | null;
}

function toRecord(r: Row): PortalTokenRecord {
  return {
    id: r.id,
    tokenHash: r.token_hash,
    communityId: r.community_id,
    tenancyId: r.tenancy_id,
    createdMs: r.created_ms,
    createdBy: r.created_by,
    expiresMs: r.expires_ms,
    revokedMs: r.revoked_ms,
    revokedBy: r.revoked_by,
    lastUsedMs: r.last_used_ms,
  };
}

export interface NewPortalToken {
  tokenHash: string;
  communityId: string;
  tenancyId: string;
  expiresMs: number;
  actor: string;
}

export function insertPortalToken(handle: Store, t: NewPortalToken, nowMs = Date.now()): PortalTokenRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const info = store
      .stmt("INSERT INTO portal_tokens (token_hash, community_id, tenancy_id, created_ms, created_by, expires_ms) VALUES (?, ?, ?, ?, ?, ?)")
      .run(t.tokenHash, t.communityId, t.tenancyId, nowMs, t.actor, t.expiresMs);
    const id = Number(info.lastInsertRowid);
    audit(store, {
      communityId: t.communityId,
      actor: t.actor,
      action: "portal.link-created",
      entity: "tenancy",
      entityId: t.tenancyId,
      details: { token: id, expiresMs: t.expiresMs },
      tsMs: nowMs,
    });
    return getPortalToken(store, id)!;
  });
}

export function getPortalToken(handle: Store, id: number): PortalTokenRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<Row>("SELECT * FROM portal_tokens WHERE id = ?").get(id);
  return r && toRecord(r);
}

export function portalTokenByHash(handle: Store, tokenHash: string): PortalTokenRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<Row>("SELECT * FROM portal_tokens WHERE token_hash = ?").get(tokenHash);
  return r && toRecord(r);
}

/** Oldest first; with `tenancyId`, that tenancy's links only. */
export function listPortalTokens(handle: Store, communityId: string, tenancyId?: string): PortalTokenRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<Row>("SELECT * FROM portal_tokens WHERE community_id = ? AND (? IS NULL OR tenancy_id = ?) ORDER BY id")
    .all(communityId, tenancyId ?? null, tenancyId ?? null)
    .map(toRecord);
}

/** Revokes the links that are not revoked yet; returns the ids revoked now (empty when there was nothing to revoke). */
export function revokePortalTokens(
  handle: Store,
  sel: { communityId: string; tenancyId?: string; tokenId?: number },
  actor: string,
  nowMs = Date.now(),
): number[] {
  const store = sqlite(handle);
  return store.write(() => {
    const ids = store
      .stmt<{ id: number; tenancy_id: string }>(
        "SELECT id, tenancy_id FROM portal_tokens WHERE community_id = ? AND revoked_ms IS NULL AND (? IS NULL OR tenancy_id = ?) AND (? IS NULL OR id = ?) ORDER BY id",
      )
      .all(sel.communityId, sel.tenancyId ?? null, sel.tenancyId ?? null, sel.tokenId ?? null, sel.tokenId ?? null);
    for (const r of ids) {
      store.stmt("UPDATE portal_tokens SET revoked_ms = ?, revoked_by = ? WHERE id = ?").run(nowMs, actor, r.id);
      audit(store, {
        communityId: sel.communityId,
        actor,
        action: "portal.link-revoked",
        entity: "tenancy",
        entityId: r.tenancy_id,
        details: { token: r.id },
        tsMs: nowMs,
      });
    }
    return ids.map((r) => r.id);
  });
}

export function touchPortalToken(handle: Store, id: number, nowMs: number): void {
  const store = sqlite(handle);
  store.stmt("UPDATE portal_tokens SET last_used_ms = ? WHERE id = ?").run(nowMs, id);
}

/**
 * The issued documents of one tenancy (invoices, credit notes, cancelled
 * invoices), never drafts: what the tenant may see. The tenancy key is the
 * tenancy id for tenants (lib/billing/occupancy.ts).
 */
export function documentsOfTenancy(handle: Store, communityId: string, tenancyId: string): InvoiceRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<{ id: number }>(
      "SELECT id FROM invoices WHERE community_id = ? AND tenancy_key = ? AND status IN ('issued','paid','cancelled') AND number IS NOT NULL ORDER BY period_from DESC, id DESC",
    )
    .all(communityId, tenancyId)
    .map((r) => getInvoice(store, r.id)!);
}

export interface UnitSession {
  id: number;
  chargerKey: string;
  userId: string | null;
  startedMs: number;
  endedMs: number | null;
  status: string;
  priorityWh: number;
  normalWh: number;
}

/** Charging sessions attributed to `unitId` that started in [fromMs, toMs), newest first, with their energy per mode. */
export function sessionsOfUnit(handle: Store, communityId: string, unitId: string, fromMs: number, toMs: number, limit = 200): UnitSession[] {
  const store = sqlite(handle);
  return store
    .stmt<{
      id: number;
      charger_key: string;
      user_id: string | null;
      started_ms: number;
      ended_ms: number | null;
      status: string;
      priority_wh: number | null;
      normal_wh: number | null;
    }>(
      `SELECT s.id, s.charger_key, s.user_id, s.started_ms, s.ended_ms, s.status,
              (SELECT SUM(energy_wh) FROM charger_session_intervals i WHERE i.session_id = s.id AND i.mode = 'priority') AS priority_wh,
              (SELECT SUM(energy_wh) FROM charger_session_intervals i WHERE i.session_id = s.id AND i.mode = 'normal') AS normal_wh
         FROM charger_sessions s
        WHERE s.community_id = ? AND s.unit_id = ? AND s.started_ms >= ? AND s.started_ms < ?
        ORDER BY s.started_ms DESC LIMIT ?`,
    )
    .all(communityId, unitId, fromMs, toMs, limit)
    .map((r) => ({
      id: r.id,
      chargerKey: r.charger_key,
      userId: r.user_id,
      startedMs: r.started_ms,
      endedMs: r.ended_ms,
      status: r.status,
      priorityWh: r.priority_wh ?? 0,
      normalWh: r.normal_wh ?? 0,
    }));
}
