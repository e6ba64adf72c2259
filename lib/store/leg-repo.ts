import type { ProducerStatement } from "../model/leg";
import type { Quality } from "../model/quality";
import { audit } from "./audit-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * A LEG's own tables (migration 16, docs/decisions/0131, 0132): numbered
 * producer statements, and the operator's per-member split of draw into a
 * local share and a residual (SDAT-CH E66 values), kept apart from the
 * metered intervals.
 */

export interface ProducerStatementRecord {
  id: number;
  communityId: string;
  tenancyKey: string;
  number: string;
  statementDate: string;
  total: string;
  snapshot: ProducerStatement;
  createdMs: number;
  createdBy: string;
}

interface StatementRow {
  id: number;
  community_id: string;
  tenancy_key: string;
  number: string;
  statement_date: string;
  total: string;
  snapshot: string;
  created_ms: number;
  created_by: string;
}

const fromRow = (r: StatementRow): ProducerStatementRecord => ({
  id: r.id,
  communityId: r.community_id,
  tenancyKey: r.tenancy_key,
  number: r.number,
  statementDate: r.statement_date,
  total: r.total,
  snapshot: JSON.parse(r.snapshot) as ProducerStatement,
  createdMs: r.created_ms,
  createdBy: r.created_by,
});

/** The statement already recorded for this producer and period, if any. */
export function findProducerStatement(handle: Store, communityId: string, tenancyKey: string, from: string, to: string): ProducerStatementRecord | undefined {
  const r = sqlite(handle)
    .stmt<StatementRow>("SELECT * FROM leg_statements WHERE community_id = ? AND tenancy_key = ? AND period_from = ? AND period_to = ?")
    .get(communityId, tenancyKey, from, to);
  return r ? fromRow(r) : undefined;
}

export function listProducerStatements(handle: Store, communityId: string, range?: { from: string; to: string }): ProducerStatementRecord[] {
  const store = sqlite(handle);
  const rows = range
    ? store
        .stmt<StatementRow>("SELECT * FROM leg_statements WHERE community_id = ? AND period_from <= ? AND period_to >= ? ORDER BY id")
        .all(communityId, range.to, range.from)
    : store.stmt<StatementRow>("SELECT * FROM leg_statements WHERE community_id = ? ORDER BY id").all(communityId);
  return rows.map(fromRow);
}

/**
 * Numbers and stores a statement ("G2026-0001": statements are never
 * deleted, so counting gives gapless numbers per year) and audits it. Runs
 * inside the caller's write transaction.
 */
export function insertProducerStatement(
  handle: Store,
  s: ProducerStatement,
  statementDate: string,
  actor: string,
  nowMs = Date.now(),
): ProducerStatementRecord {
  const store = sqlite(handle);
  const prefix = `G${statementDate.slice(0, 4)}-`;
  const n = store.stmt<{ n: number }>("SELECT COUNT(*) AS n FROM leg_statements WHERE community_id = ? AND number LIKE ? || '%'").get(s.communityId, prefix)!.n;
  const number = `${prefix}${String(n + 1).padStart(4, "0")}`;
  const frozen: ProducerStatement = { ...s, number, statementDate };
  const info = store
    .stmt(
      `INSERT INTO leg_statements (community_id, tenancy_key, period_from, period_to, number, statement_date, currency, total, snapshot, created_ms, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(s.communityId, s.tenancyKey, s.period.from, s.period.to, number, statementDate, s.currency, s.total, JSON.stringify(frozen), nowMs, actor);
  const id = Number(info.lastInsertRowid);
  audit(store, {
    communityId: s.communityId,
    actor,
    action: "leg.statement.issued",
    entity: "leg_statement",
    entityId: String(id),
    details: { number, tenancy: s.tenancyKey, total: s.total },
    tsMs: nowMs,
  });
  return {
    id,
    communityId: s.communityId,
    tenancyKey: s.tenancyKey,
    number,
    statementDate,
    total: s.total,
    snapshot: frozen,
    createdMs: nowMs,
    createdBy: actor,
  };
}

export interface OperatorSplitRow {
  meterId: number;
  startMs: number;
  share: "local" | "residual";
  wh: number;
  quality: Quality;
}

export interface OperatorSplitWrite {
  stored: number;
  replaced: number;
  kept: number;
}

const RANK: Record<Quality, number> = { measured: 3, interpolated: 2, estimated: 1, missing: 0 };

/**
 * Stores the operator's split values by the import's rule (decision 0080): a
 * value that is not a true measurement never overwrites a true one; a later
 * value of the same or a better quality replaces the earlier one.
 */
export function upsertOperatorSplit(
  handle: Store,
  rows: readonly OperatorSplitRow[],
  documentId: string | null,
  nowMs = Date.now(),
  dryRun = false,
): OperatorSplitWrite {
  const store = sqlite(handle);
  const get = store.stmt<{ wh: number; quality: Quality }>("SELECT wh, quality FROM leg_operator_split WHERE meter_id = ? AND start_ms = ? AND share = ?");
  const put = store.stmt(
    "INSERT OR REPLACE INTO leg_operator_split (meter_id, start_ms, share, wh, quality, document_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const out: OperatorSplitWrite = { stored: 0, replaced: 0, kept: 0 };
  for (const r of rows) {
    const old = get.get(r.meterId, r.startMs, r.share);
    if (old && (RANK[old.quality] > RANK[r.quality] || (old.wh === r.wh && old.quality === r.quality))) {
      out.kept++;
      continue;
    }
    if (!dryRun) put.run(r.meterId, r.startMs, r.share, r.wh, r.quality, documentId, nowMs);
    if (old) out.replaced++;
    else out.stored++;
  }
  return out;
}

/** The split values of some meters in [fromMs, toMs), ordered by meter and time. */
export function operatorSplitInRange(handle: Store, meterIds: readonly number[], fromMs: number, toMs: number): OperatorSplitRow[] {
  const store = sqlite(handle);
  const q = store.stmt<{ meter_id: number; start_ms: number; share: "local" | "residual"; wh: number; quality: Quality }>(
    "SELECT meter_id, start_ms, share, wh, quality FROM leg_operator_split WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms",
  );
  const out: OperatorSplitRow[] = [];
  for (const id of meterIds)
    for (const r of q.all(id, fromMs, toMs)) out.push({ meterId: r.meter_id, startMs: r.start_ms, share: r.share, wh: r.wh, quality: r.quality });
  return out;
}
