import type { InvoiceSnapshot } from "../model/invoice";
import { canonicalJson, sha256 } from "../util/canonical-json";
import { Decimal } from "../util/money";
import { audit } from "./audit-repo";
import { insertPayment, paidAmount } from "./payment-repo";
import { reminderFees } from "./reminder-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export type InvoiceStatus = "draft" | "issued" | "paid" | "cancelled";
export type InvoiceKind = "invoice" | "credit-note";

export interface InvoiceRecord {
  id: number;
  communityId: string;
  number: string | null;
  kind: InvoiceKind;
  status: InvoiceStatus;
  tenancyKey: string;
  unitId: string | null;
  periodFrom: string;
  periodTo: string;
  currency: string;
  total: string;
  reference: string | null;
  cancelsInvoiceId: number | null;
  snapshot: InvoiceSnapshot;
  createdMs: number;
  issuedMs: number | null;
  paidMs: number | null;
  cancelledMs: number | null;
}

interface InvoiceRow {
  id: number;
  community_id: string;
  number: string | null;
  kind: InvoiceKind;
  status: InvoiceStatus;
  tenancy_key: string;
  unit_id: string | null;
  period_from: string;
  period_to: string;
  currency: string;
  total: string;
  reference: string | null;
  cancels_invoice_id: number | null;
  snapshot: string;
  created_ms: number;
  issued_ms: number | null;
  paid_ms: number | null;
  cancelled_ms: number | null;
}

function toRecord(r: InvoiceRow): InvoiceRecord {
  return {
    id: r.id,
    communityId: r.community_id,
    number: r.number,
    kind: r.kind,
    status: r.status,
    tenancyKey: r.tenancy_key,
    unitId: r.unit_id,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    currency: r.currency,
    total: r.total,
    reference: r.reference,
    cancelsInvoiceId: r.cancels_invoice_id,
    snapshot: JSON.parse(r.snapshot) as InvoiceSnapshot,
    createdMs: r.created_ms,
    issuedMs: r.issued_ms,
    paidMs: r.paid_ms,
    cancelledMs: r.cancelled_ms,
  };
}

export function getInvoice(handle: Store, id: number): InvoiceRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<InvoiceRow>("SELECT * FROM invoices WHERE id = ?").get(id);
  return r && toRecord(r);
}

export function getInvoiceByNumber(handle: Store, communityId: string, number: string): InvoiceRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<InvoiceRow>("SELECT * FROM invoices WHERE community_id = ? AND number = ?").get(communityId, number);
  return r && toRecord(r);
}

export interface InvoiceFilter {
  status?: InvoiceStatus;
  /** Invoices whose billing period overlaps [from, to] (local dates). */
  from?: string;
  to?: string;
}

export function listInvoices(handle: Store, communityId: string, f: InvoiceFilter = {}): InvoiceRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<InvoiceRow>(
      `SELECT * FROM invoices WHERE community_id = ? AND (? IS NULL OR status = ?)
         AND (? IS NULL OR period_to >= ?) AND (? IS NULL OR period_from <= ?) ORDER BY id`,
    )
    .all(communityId, f.status ?? null, f.status ?? null, f.from ?? null, f.from ?? null, f.to ?? null, f.to ?? null)
    .map(toRecord);
}

/** Live (draft, issued or paid) invoices of a tenancy whose period overlaps [from, to]. */
export function liveInvoicesOverlapping(handle: Store, communityId: string, tenancyKey: string, from: string, to: string): InvoiceRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<InvoiceRow>(
      `SELECT * FROM invoices WHERE community_id = ? AND tenancy_key = ? AND kind = 'invoice'
         AND status IN ('draft','issued','paid') AND period_from <= ? AND period_to >= ? ORDER BY id`,
    )
    .all(communityId, tenancyKey, to, from)
    .map(toRecord);
}

export function snapshotHash(s: InvoiceSnapshot): string {
  return sha256(canonicalJson(s));
}

function writeLines(handle: Store, invoiceId: number, s: InvoiceSnapshot): void {
  const store = sqlite(handle);
  store.stmt("DELETE FROM invoice_lines WHERE invoice_id = ?").run(invoiceId);
  const ins = store.stmt(
    "INSERT INTO invoice_lines (invoice_id, pos, kind, label, quantity, unit, unit_price, amount, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  for (const l of s.lines) ins.run(invoiceId, l.pos, l.kind, `${l.kind} ${l.from}..${l.to}`, l.quantity, l.unit, l.unitPrice, l.amount, l.vatRate);
}

/** Inserts a new draft. The unique index refuses a second live invoice for the same tenancy and period. */
export function insertDraft(handle: Store, s: InvoiceSnapshot, actor: string, nowMs = Date.now()): InvoiceRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const info = store
      .stmt(
        `INSERT INTO invoices (community_id, kind, status, tenancy_key, unit_id, period_from, period_to, currency, total, snapshot, created_ms)
         VALUES (?, 'invoice', 'draft', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.communityId, s.tenancyKey, s.unit.id, s.period.from, s.period.to, s.currency, s.totals.total, JSON.stringify(s), nowMs);
    const id = Number(info.lastInsertRowid);
    writeLines(store, id, s);
    audit(store, {
      communityId: s.communityId,
      actor,
      action: "invoice.draft",
      entity: "invoice",
      entityId: String(id),
      details: { tenancy: s.tenancyKey, period: s.period.label, total: s.totals.total },
      tsMs: nowMs,
    });
    return getInvoice(store, id)!;
  });
}

/** Replaces a draft's content (drafts are recomputed freely). Refuses anything but a draft. */
export function replaceDraft(handle: Store, id: number, s: InvoiceSnapshot, actor: string, nowMs = Date.now()): InvoiceRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const cur = getInvoice(store, id);
    if (!cur || cur.status !== "draft") throw new Error(`invoice ${id} is ${cur ? cur.status : "missing"}: only drafts can be recomputed`);
    store.stmt("UPDATE invoices SET total = ?, snapshot = ?, unit_id = ? WHERE id = ?").run(s.totals.total, JSON.stringify(s), s.unit.id, id);
    writeLines(store, id, s);
    audit(store, {
      communityId: s.communityId,
      actor,
      action: "invoice.recomputed",
      entity: "invoice",
      entityId: String(id),
      details: { before: cur.total, after: s.totals.total },
      tsMs: nowMs,
    });
    return getInvoice(store, id)!;
  });
}

export function deleteDraft(handle: Store, id: number, actor: string): void {
  const store = sqlite(handle);
  store.write(() => {
    const cur = getInvoice(store, id);
    if (!cur || cur.status !== "draft") throw new Error(`invoice ${id} is ${cur ? cur.status : "missing"}: only drafts can be deleted`);
    store.stmt("DELETE FROM invoice_lines WHERE invoice_id = ?").run(id);
    store.stmt("DELETE FROM invoices WHERE id = ?").run(id);
    audit(store, { communityId: cur.communityId, actor, action: "invoice.draft-deleted", entity: "invoice", entityId: String(id) });
  });
}

/**
 * The next number of the community's sequence for `year`, taken inside the
 * caller's write transaction (BEGIN IMMEDIATE), so two runs at once can never
 * share or skip a number.
 */
export function takeNumber(handle: Store, communityId: string, year: number): string {
  const store = sqlite(handle);
  const row = store.stmt<{ last_number: number }>("SELECT last_number FROM invoice_sequences WHERE community_id = ? AND year = ?").get(communityId, year);
  const next = (row?.last_number ?? 0) + 1;
  if (row) store.stmt("UPDATE invoice_sequences SET last_number = ? WHERE community_id = ? AND year = ?").run(next, communityId, year);
  else store.stmt("INSERT INTO invoice_sequences (community_id, year, last_number) VALUES (?, ?, ?)").run(communityId, year, next);
  return `${year}-${String(next).padStart(4, "0")}`;
}

/** Freezes a draft as issued with its number and final snapshot; one transaction. */
export function markIssued(
  handle: Store,
  id: number,
  finalize: (number: string) => InvoiceSnapshot,
  year: number,
  actor: string,
  nowMs = Date.now(),
): InvoiceRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const cur = getInvoice(store, id);
    if (!cur || cur.status !== "draft") throw new Error(`invoice ${id} is ${cur ? cur.status : "missing"}: only a draft can be issued`);
    const number = takeNumber(store, cur.communityId, year);
    const s = finalize(number);
    store
      .stmt("UPDATE invoices SET status = 'issued', number = ?, reference = ?, snapshot = ?, total = ?, issued_ms = ? WHERE id = ?")
      .run(number, s.reference ?? null, JSON.stringify(s), s.totals.total, nowMs, id);
    writeLines(store, id, s);
    audit(store, {
      communityId: cur.communityId,
      actor,
      action: "invoice.issued",
      entity: "invoice",
      entityId: String(id),
      details: { number, total: s.totals.total },
      tsMs: nowMs,
    });
    return getInvoice(store, id)!;
  });
}

/**
 * Marks an issued invoice paid by hand (cash, another channel): records a
 * manual payment of what is still open, with the note, so that the paid
 * amount stays the sum of the invoice's payments (lib/payments).
 */
export function markPaid(handle: Store, id: number, actor: string, nowMs = Date.now(), opts: { note?: string; date?: string } = {}): InvoiceRecord {
  const store = sqlite(handle);
  return store.write(() => {
    const cur = getInvoice(store, id);
    if (!cur || cur.status !== "issued" || cur.kind !== "invoice")
      throw new Error(`invoice ${id} is ${cur ? `${cur.kind} ${cur.status}` : "missing"}: only an issued invoice can be marked paid`);
    // What is owed: the total and the fees of its reminders, less what was paid.
    const open = new Decimal(cur.total).plus(reminderFees(store, id)).minus(paidAmount(store, id));
    let paymentId: number | null = null;
    if (open.gt(0)) {
      paymentId = insertPayment(
        store,
        {
          communityId: cur.communityId,
          source: "manual",
          bankKey: null,
          amount: open.toFixed(2),
          currency: cur.currency,
          bookingDate: opts.date ?? null,
          valueDate: opts.date ?? null,
          referenceType: null,
          reference: null,
          debtorName: null,
          debtorIban: null,
          accountIban: null,
          invoiceId: id,
          state: "manual",
          flag: null,
          note: opts.note?.trim() || "marked paid",
          fileName: null,
          messageId: null,
          entryRef: null,
          txRef: null,
          endToEndId: null,
          createdBy: actor,
        },
        nowMs,
      );
    }
    store.stmt("UPDATE invoices SET status = 'paid', paid_ms = ? WHERE id = ?").run(nowMs, id);
    audit(store, {
      communityId: cur.communityId,
      actor,
      action: "invoice.paid",
      entity: "invoice",
      entityId: String(id),
      tsMs: nowMs,
      ...(paymentId !== null ? { details: { payment: paymentId, amount: open.toFixed(2), note: opts.note?.trim() || "marked paid" } } : {}),
    });
    return getInvoice(store, id)!;
  });
}

/**
 * Cancels an issued (or paid) invoice with a credit note: the original becomes
 * cancelled, the credit note gets the next number and the negated amounts.
 */
export function cancelWithCreditNote(
  handle: Store,
  id: number,
  makeCredit: (original: InvoiceRecord, number: string) => InvoiceSnapshot,
  year: number,
  actor: string,
  reason: string,
  nowMs = Date.now(),
): { original: InvoiceRecord; creditNote: InvoiceRecord } {
  const store = sqlite(handle);
  return store.write(() => {
    const cur = getInvoice(store, id);
    if (!cur || cur.kind !== "invoice" || (cur.status !== "issued" && cur.status !== "paid")) {
      throw new Error(
        `invoice ${id} is ${cur ? `${cur.kind} ${cur.status}` : "missing"}: only an issued or paid invoice can be cancelled (a draft is simply recomputed or deleted)`,
      );
    }
    store.stmt("UPDATE invoices SET status = 'cancelled', cancelled_ms = ? WHERE id = ?").run(nowMs, id);
    const number = takeNumber(store, cur.communityId, year);
    const s = makeCredit(cur, number);
    const info = store
      .stmt(
        `INSERT INTO invoices (community_id, number, kind, status, tenancy_key, unit_id, period_from, period_to, currency, total, reference, cancels_invoice_id, snapshot, created_ms, issued_ms)
         VALUES (?, ?, 'credit-note', 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        cur.communityId,
        number,
        cur.tenancyKey,
        cur.unitId,
        cur.periodFrom,
        cur.periodTo,
        cur.currency,
        s.totals.total,
        s.reference ?? null,
        id,
        JSON.stringify(s),
        nowMs,
        nowMs,
      );
    const creditId = Number(info.lastInsertRowid);
    writeLines(store, creditId, s);
    audit(store, {
      communityId: cur.communityId,
      actor,
      action: "invoice.cancelled",
      entity: "invoice",
      entityId: String(id),
      details: { number: cur.number, creditNote: number, reason },
      tsMs: nowMs,
    });
    return { original: getInvoice(store, id)!, creditNote: getInvoice(store, creditId)! };
  });
}
