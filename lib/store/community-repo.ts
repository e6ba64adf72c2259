import { allUnits, CommunityDefinition } from "../community/types";
import { assertValidCommunity } from "../community/validate";
import { canonicalJson, sha256 } from "../util/canonical-json";
import { audit } from "./audit-repo";
import { upsertMeter } from "./meter-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export interface CommunityRevision {
  id: number;
  communityId: string;
  createdMs: number;
  source: string;
  hash: string;
  definition: CommunityDefinition;
}

export interface SaveResult {
  revision: CommunityRevision;
  /** False when the stored latest revision already had this content. */
  changed: boolean;
  changes: DefinitionChanges;
}

export interface DefinitionChanges {
  unitsAdded: string[];
  unitsRemoved: string[];
  tenanciesAdded: string[];
  tenanciesRemoved: string[];
  tenanciesChanged: string[];
  otherFieldsChanged: string[];
}

interface RevisionRow {
  id: number;
  community_id: string;
  created_ms: number;
  source: string;
  hash: string;
  definition: string;
}

function toRevision(r: RevisionRow): CommunityRevision {
  return {
    id: r.id,
    communityId: r.community_id,
    createdMs: r.created_ms,
    source: r.source,
    hash: r.hash,
    definition: JSON.parse(r.definition) as CommunityDefinition,
  };
}

export function diffDefinitions(before: CommunityDefinition | undefined, after: CommunityDefinition): DefinitionChanges {
  const unitsBefore = new Set(before ? allUnits(before).map((u) => u.id) : []);
  const unitsAfter = new Set(allUnits(after).map((u) => u.id));
  const tBefore = new Map((before?.tenancies ?? []).map((t) => [t.id, canonicalJson(t)]));
  const tAfter = new Map(after.tenancies.map((t) => [t.id, canonicalJson(t)]));
  const others = (["name", "kind", "currency", "timeZone", "creditor", "owner", "meters"] as const).filter(
    (k) => canonicalJson(before?.[k] ?? null) !== canonicalJson(after[k] ?? null),
  );
  return {
    unitsAdded: [...unitsAfter].filter((u) => !unitsBefore.has(u)),
    unitsRemoved: [...unitsBefore].filter((u) => !unitsAfter.has(u)),
    tenanciesAdded: [...tAfter.keys()].filter((t) => !tBefore.has(t)),
    tenanciesRemoved: [...tBefore.keys()].filter((t) => !tAfter.has(t)),
    tenanciesChanged: [...tAfter.keys()].filter((t) => tBefore.has(t) && tBefore.get(t) !== tAfter.get(t)),
    otherFieldsChanged: before ? [...others] : [],
  };
}

/**
 * Stores a validated definition as a new revision when its content differs
 * from the latest one; earlier revisions are kept forever. Meters named in
 * the definition are created or updated. One transaction.
 */
export function saveCommunity(handle: Store, def: CommunityDefinition, opts: { source: string; actor: string; nowMs?: number }): SaveResult {
  const store = sqlite(handle);
  assertValidCommunity(def);
  const now = opts.nowMs ?? Date.now();
  const text = canonicalJson(def);
  const hash = sha256(text);
  return store.write(() => {
    const latest = latestCommunity(store, def.id);
    if (latest && latest.hash === hash) {
      return { revision: latest, changed: false, changes: diffDefinitions(latest.definition, def) };
    }
    store
      .stmt(
        "INSERT INTO communities (id, name, created_ms, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_ms = excluded.updated_ms",
      )
      .run(def.id, def.name, now, now);
    const info = store
      .stmt("INSERT INTO community_revisions (community_id, created_ms, source, hash, definition) VALUES (?, ?, ?, ?, ?)")
      .run(def.id, now, opts.source, hash, text);
    for (const m of def.meters ?? []) upsertMeter(store, def.id, m, opts.actor, now);
    const changes = diffDefinitions(latest?.definition, def);
    audit(store, {
      communityId: def.id,
      actor: opts.actor,
      action: latest ? "community.revised" : "community.created",
      entity: "community_revision",
      entityId: String(info.lastInsertRowid),
      details: { source: opts.source, ...changes },
      tsMs: now,
    });
    return { revision: revisionById(store, Number(info.lastInsertRowid))!, changed: true, changes };
  });
}

export function revisionById(handle: Store, id: number): CommunityRevision | undefined {
  const store = sqlite(handle);
  const r = store.stmt<RevisionRow>("SELECT * FROM community_revisions WHERE id = ?").get(id);
  return r && toRevision(r);
}

export function latestCommunity(handle: Store, communityId: string): CommunityRevision | undefined {
  const store = sqlite(handle);
  const r = store.stmt<RevisionRow>("SELECT * FROM community_revisions WHERE community_id = ? ORDER BY id DESC LIMIT 1").get(communityId);
  return r && toRevision(r);
}

/** The definition that was in force at instant `atMs` (the latest revision stored by then). */
export function communityAt(handle: Store, communityId: string, atMs: number): CommunityRevision | undefined {
  const store = sqlite(handle);
  const r = store
    .stmt<RevisionRow>("SELECT * FROM community_revisions WHERE community_id = ? AND created_ms <= ? ORDER BY id DESC LIMIT 1")
    .get(communityId, atMs);
  return r && toRevision(r);
}

export function communityRevisions(handle: Store, communityId: string): Omit<CommunityRevision, "definition">[] {
  const store = sqlite(handle);
  return store
    .stmt<Omit<RevisionRow, "definition">>("SELECT id, community_id, created_ms, source, hash FROM community_revisions WHERE community_id = ? ORDER BY id")
    .all(communityId)
    .map((r) => ({ id: r.id, communityId: r.community_id, createdMs: r.created_ms, source: r.source, hash: r.hash }));
}

export function listCommunities(handle: Store): { id: string; name: string; updatedMs: number }[] {
  const store = sqlite(handle);
  return store
    .stmt<{ id: string; name: string; updated_ms: number }>("SELECT id, name, updated_ms FROM communities ORDER BY id")
    .all()
    .map((r) => ({ id: r.id, name: r.name, updatedMs: r.updated_ms }));
}

/** The community has a row of its own (deployed or imported), so data may be stored for it. */
export function communityExists(handle: Store, communityId: string): boolean {
  const store = sqlite(handle);
  return store.stmt("SELECT 1 FROM communities WHERE id = ?").get(communityId) !== undefined;
}
