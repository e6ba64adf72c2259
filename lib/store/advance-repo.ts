import type { AdvanceRhythm, InvoiceSnapshot } from "../model/invoice";
import { audit } from "./audit-repo";
import { getInvoice, type InvoiceRecord, takeNumber } from "./invoice-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * Advance payments (Akonto): which tenancy pays which fixed amount in which
 * rhythm in a year, and the advance invoices and annual statements, which are
 * invoices (kind 'invoice', marked in their snapshot) so that numbers,
 * references, payments, open items and reminders are those of every invoice
 * (docs/decisions/0123).
 */

export interface AdvancePlan {
  communityId: string;
  tenancyId: string;
  year: number;
  rhythm: AdvanceRhythm;
  /** Per advance, text with 2 decimals. */
  amount: string;
  setMs: number;
  setBy: string;
}

interface PlanRow {
  community_id: string;
  tenancy_id: string;
  year: number;
  rhythm: AdvanceRhythm;
  amount: string;
  set_ms: number;
  set_by: string;
}

function toPlan(r: PlanRow): AdvancePlan {
  return { communityId: r.community_id, tenancyId: r.tenancy_id, year: r.year, rhythm: r.rhythm, amount: r.amount, setMs: r.set_ms, setBy: r.set_by };
}

export function saveAdvancePlan(handle: Store, p: Omit<AdvancePlan, "setMs">, nowMs = Date.now()): AdvancePlan {
  const store = sqlite(handle);
  return store.write(() => {
    const before = getAdvancePlan(store, p.communityId, p.tenancyId, p.year);
    store
      .stmt(
        `INSERT INTO advance_plans (community_id, tenancy_id, year, rhythm, amount, set_ms, set_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (community_id, tenancy_id, year) DO UPDATE SET rhythm = excluded.rhythm, amount = excluded.amount, set_ms = excluded.set_ms, set_by = excluded.set_by`,
      )
      .run(p.communityId, p.tenancyId, p.year, p.rhythm, p.amount, nowMs, p.setBy);
    audit(store, {
      communityId: p.communityId,
      actor: p.setBy,
      action: "advances.set",
      entity: "tenancy",
      entityId: p.tenancyId,
      details: { year: p.year, rhythm: p.rhythm, amount: p.amount, ...(before ? { before: { rhythm: before.rhythm, amount: before.amount } } : {}) },
      tsMs: nowMs,
    });
    return getAdvancePlan(store, p.communityId, p.tenancyId, p.year)!;
  });
}

export function getAdvancePlan(handle: Store, communityId: string, tenancyId: string, year: number): AdvancePlan | undefined {
  const r = sqlite(handle)
    .stmt<PlanRow>("SELECT * FROM advance_plans WHERE community_id = ? AND tenancy_id = ? AND year = ?")
    .get(communityId, tenancyId, year);
  return r && toPlan(r);
}

export function listAdvancePlans(handle: Store, communityId: string, year?: number): AdvancePlan[] {
  return sqlite(handle)
    .stmt<PlanRow>("SELECT * FROM advance_plans WHERE community_id = ? AND (? IS NULL OR year = ?) ORDER BY year, tenancy_id")
    .all(communityId, year ?? null, year ?? null)
    .map(toPlan);
}

/** The plans of a tenancy for the years that [from, to] touches: a tenancy with one is billed by advances those years. */
export function advancePlansTouching(handle: Store, communityId: string, tenancyId: string, from: string, to: string): AdvancePlan[] {
  const store = sqlite(handle);
  // A store held at an older schema (a migration test bills at version 6) has no plans, so nothing is on advances.
  if (!store.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'advance_plans'").get()) return [];
  return store
    .stmt<PlanRow>("SELECT * FROM advance_plans WHERE community_id = ? AND tenancy_id = ? AND year BETWEEN ? AND ? ORDER BY year")
    .all(communityId, tenancyId, Number(from.slice(0, 4)), Number(to.slice(0, 4)))
    .map(toPlan);
}

/** The advance invoices of a tenancy and year (any status), oldest first. */
export function advanceInvoices(handle: Store, communityId: string, tenancyId: string, year: number): InvoiceRecord[] {
  const ids = sqlite(handle)
    .stmt<{ id: number }>(
      `SELECT id FROM invoices WHERE community_id = ? AND tenancy_key = ? AND kind = 'invoice'
         AND json_extract(snapshot, '$.advance.year') = ? ORDER BY period_from, id`,
    )
    .all(communityId, tenancyId, year);
  return ids.map((r) => getInvoice(handle, r.id)!);
}

/** The live (issued or paid) statement of a tenancy and year, if any. */
export function liveStatement(handle: Store, communityId: string, tenancyId: string, year: number): InvoiceRecord | undefined {
  const r = sqlite(handle)
    .stmt<{ id: number }>(
      `SELECT id FROM invoices WHERE community_id = ? AND tenancy_key = ? AND kind = 'invoice' AND status IN ('issued','paid')
         AND json_extract(snapshot, '$.statement.year') = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(communityId, tenancyId, year);
  return r && getInvoice(handle, r.id);
}

/** Periodic (ordinary) invoices, drafts included, of a tenancy overlapping [from, to]: neither an advance nor a statement. */
export function periodicInvoicesOverlapping(handle: Store, communityId: string, tenancyId: string, from: string, to: string): InvoiceRecord[] {
  const ids = sqlite(handle)
    .stmt<{ id: number }>(
      `SELECT id FROM invoices WHERE community_id = ? AND tenancy_key = ? AND kind = 'invoice' AND status IN ('draft','issued','paid')
         AND period_from <= ? AND period_to >= ?
         AND json_extract(snapshot, '$.advance') IS NULL AND json_extract(snapshot, '$.statement') IS NULL ORDER BY id`,
    )
    .all(communityId, tenancyId, to, from);
  return ids.map((r) => getInvoice(handle, r.id)!);
}

/**
 * Issues a document (advance invoice or statement) directly, without a draft:
 * the number is taken inside the caller's transaction and `finalize` may
 * throw (the document cannot be rendered or paid), which rolls the savepoint
 * back and gives the number back, so the sequence stays gapless.
 */
export function insertIssuedDocument(
  handle: Store,
  draft: InvoiceSnapshot,
  finalize: (number: string) => InvoiceSnapshot,
  year: number,
  actor: string,
  nowMs = Date.now(),
): InvoiceRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const number = takeNumber(store, draft.communityId, year);
    const s = finalize(number);
    const info = store
      .stmt(
        `INSERT INTO invoices (community_id, number, kind, status, tenancy_key, unit_id, period_from, period_to, currency, total, reference, snapshot, created_ms, issued_ms)
         VALUES (?, ?, 'invoice', 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.communityId,
        number,
        s.tenancyKey,
        s.unit.id,
        s.period.from,
        s.period.to,
        s.currency,
        s.totals.total,
        s.reference ?? null,
        JSON.stringify(s),
        nowMs,
        nowMs,
      );
    const id = Number(info.lastInsertRowid);
    const ins = store.stmt(
      "INSERT INTO invoice_lines (invoice_id, pos, kind, label, quantity, unit, unit_price, amount, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const l of s.lines) ins.run(id, l.pos, l.kind, `${l.kind} ${l.from}..${l.to}`, l.quantity, l.unit, l.unitPrice, l.amount, l.vatRate);
    audit(store, {
      communityId: s.communityId,
      actor,
      action: s.statement ? "statement.issued" : "advance.issued",
      entity: "invoice",
      entityId: String(id),
      details: { number, tenancy: s.tenancyKey, period: s.period.label, total: s.totals.total },
      tsMs: nowMs,
    });
    return getInvoice(store, id)!;
  });
}
