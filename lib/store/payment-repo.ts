import { Decimal } from "../util/money";
import { reminderFees } from "./reminder-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * Payments (migration 7): one row per bank transaction (source camt) or per
 * manual entry (cash, other channels, the old "paid" marking). Only states
 * matched, assigned and manual count towards an invoice's paid amount;
 * flagged payments name the invoice they were meant for without paying it.
 */

export type PaymentSource = "camt" | "manual";
export type PaymentState = "matched" | "assigned" | "manual" | "unmatched" | "flagged";
export type PaymentFlag = "cancelled-invoice" | "foreign-account" | "currency" | "not-payable";

/** States whose amount counts towards the invoice. */
export const COUNTING_STATES: readonly PaymentState[] = ["matched", "assigned", "manual"];

export interface NewPayment {
  communityId: string;
  source: PaymentSource;
  bankKey: string | null;
  amount: string;
  currency: string;
  bookingDate: string | null;
  valueDate: string | null;
  referenceType: "QRR" | "SCOR" | "ISR" | null;
  reference: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  accountIban: string | null;
  invoiceId: number | null;
  state: PaymentState;
  flag: PaymentFlag | null;
  note: string | null;
  fileName: string | null;
  messageId: string | null;
  entryRef: string | null;
  /** The booking's key (account + entry AcctSvcrRef); null for manual payments or where the bank sent none. */
  entryKey?: string | null;
  /** A booking reported without its transactions (one payment of the entry's amount). */
  summary?: boolean;
  txRef: string | null;
  endToEndId: string | null;
  createdBy: string;
}

export interface PaymentRecord extends NewPayment {
  id: number;
  createdMs: number;
  assignedMs: number | null;
  assignedBy: string | null;
  /** The invoice's number, when the payment names one. */
  invoiceNumber: string | null;
}

interface PaymentRow {
  id: number;
  community_id: string;
  source: PaymentSource;
  bank_key: string | null;
  amount: string;
  currency: string;
  booking_date: string | null;
  value_date: string | null;
  reference_type: "QRR" | "SCOR" | "ISR" | null;
  reference: string | null;
  debtor_name: string | null;
  debtor_iban: string | null;
  account_iban: string | null;
  invoice_id: number | null;
  state: PaymentState;
  flag: PaymentFlag | null;
  note: string | null;
  file_name: string | null;
  message_id: string | null;
  entry_ref: string | null;
  entry_key: string | null;
  summary: number;
  tx_ref: string | null;
  end_to_end_id: string | null;
  created_ms: number;
  created_by: string;
  assigned_ms: number | null;
  assigned_by: string | null;
  invoice_number: string | null;
}

function toRecord(r: PaymentRow): PaymentRecord {
  return {
    id: r.id,
    communityId: r.community_id,
    source: r.source,
    bankKey: r.bank_key,
    amount: r.amount,
    currency: r.currency,
    bookingDate: r.booking_date,
    valueDate: r.value_date,
    referenceType: r.reference_type,
    reference: r.reference,
    debtorName: r.debtor_name,
    debtorIban: r.debtor_iban,
    accountIban: r.account_iban,
    invoiceId: r.invoice_id,
    state: r.state,
    flag: r.flag,
    note: r.note,
    fileName: r.file_name,
    messageId: r.message_id,
    entryRef: r.entry_ref,
    entryKey: r.entry_key,
    summary: r.summary === 1,
    txRef: r.tx_ref,
    endToEndId: r.end_to_end_id,
    createdMs: r.created_ms,
    createdBy: r.created_by,
    assignedMs: r.assigned_ms,
    assignedBy: r.assigned_by,
    invoiceNumber: r.invoice_number,
  };
}

const SELECT = "SELECT p.*, i.number AS invoice_number FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id";

export function insertPayment(handle: Store, p: NewPayment, nowMs = Date.now()): number {
  const store = sqlite(handle);
  const info = store
    .stmt(
      `INSERT INTO payments (community_id, source, bank_key, amount, currency, booking_date, value_date, reference_type, reference, debtor_name, debtor_iban,
         account_iban, invoice_id, state, flag, note, file_name, message_id, entry_ref, entry_key, summary, tx_ref, end_to_end_id, created_ms, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      p.communityId,
      p.source,
      p.bankKey,
      p.amount,
      p.currency,
      p.bookingDate,
      p.valueDate,
      p.referenceType,
      p.reference,
      p.debtorName,
      p.debtorIban,
      p.accountIban,
      p.invoiceId,
      p.state,
      p.flag,
      p.note,
      p.fileName,
      p.messageId,
      p.entryRef,
      p.entryKey ?? null,
      p.summary ? 1 : 0,
      p.txRef,
      p.endToEndId,
      nowMs,
      p.createdBy,
    );
  return Number(info.lastInsertRowid);
}

export function bankKeyExists(handle: Store, communityId: string, bankKey: string): boolean {
  const store = sqlite(handle);
  return store.stmt("SELECT 1 FROM payments WHERE community_id = ? AND bank_key = ?").get(communityId, bankKey) !== undefined;
}

export function getPayment(handle: Store, id: number): PaymentRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<PaymentRow>(`${SELECT} WHERE p.id = ?`).get(id);
  return r && toRecord(r);
}

export function listPayments(handle: Store, communityId: string, f: { invoiceId?: number; state?: PaymentState } = {}): PaymentRecord[] {
  const store = sqlite(handle);
  return store
    .stmt<PaymentRow>(`${SELECT} WHERE p.community_id = ? AND (? IS NULL OR p.invoice_id = ?) AND (? IS NULL OR p.state = ?) ORDER BY p.id`)
    .all(communityId, f.invoiceId ?? null, f.invoiceId ?? null, f.state ?? null, f.state ?? null)
    .map(toRecord);
}

/** The invoice (kind invoice, issued, paid or cancelled) of the community that carries this payment reference. */
export function invoiceIdByReference(handle: Store, communityId: string, reference: string): number | undefined {
  const store = sqlite(handle);
  const r = store
    .stmt<{ id: number }>(
      "SELECT id FROM invoices WHERE community_id = ? AND reference = ? AND kind = 'invoice' AND status IN ('issued','paid','cancelled') ORDER BY id LIMIT 1",
    )
    .get(communityId, reference);
  return r?.id;
}

/** Whether a credit note cancels this invoice. */
export function hasCreditNote(handle: Store, invoiceId: number): boolean {
  const store = sqlite(handle);
  return store.stmt("SELECT 1 FROM invoices WHERE cancels_invoice_id = ? AND kind = 'credit-note'").get(invoiceId) !== undefined;
}

/** Sum of the counting payments per invoice of a community, as exact decimal text. */
export function paidAmounts(handle: Store, communityId: string): Map<number, string> {
  const store = sqlite(handle);
  const sums = new Map<number, Decimal>();
  const rows = store
    .stmt<{ invoice_id: number; amount: string }>(
      `SELECT invoice_id, amount FROM payments WHERE community_id = ? AND invoice_id IS NOT NULL AND state IN ('matched','assigned','manual')`,
    )
    .all(communityId);
  for (const r of rows) sums.set(r.invoice_id, (sums.get(r.invoice_id) ?? new Decimal(0)).plus(r.amount));
  return new Map([...sums].map(([k, v]) => [k, v.toFixed(2)]));
}

export function paidAmount(handle: Store, invoiceId: number): string {
  const store = sqlite(handle);
  const rows = store.stmt<{ amount: string }>("SELECT amount FROM payments WHERE invoice_id = ? AND state IN ('matched','assigned','manual')").all(invoiceId);
  return rows.reduce((a, r) => a.plus(r.amount), new Decimal(0)).toFixed(2);
}

/** Names the invoice of an unmatched or flagged payment by hand; the caller audits and checks. */
export function setPaymentInvoice(handle: Store, id: number, invoiceId: number, actor: string, note: string | null, nowMs = Date.now()): void {
  const store = sqlite(handle);
  store
    .stmt("UPDATE payments SET invoice_id = ?, state = 'assigned', flag = NULL, note = COALESCE(?, note), assigned_ms = ?, assigned_by = ? WHERE id = ?")
    .run(invoiceId, note, nowMs, actor, id);
}

/** An issued invoice whose payments reach its total and its reminder fees becomes paid (the status the lists filter by). */
export function markInvoicePaidIfCovered(handle: Store, invoiceId: number, nowMs = Date.now()): boolean {
  const store = sqlite(handle);
  const inv = store.stmt<{ status: string; kind: string; total: string }>("SELECT status, kind, total FROM invoices WHERE id = ?").get(invoiceId);
  if (!inv || inv.kind !== "invoice" || inv.status !== "issued") return false;
  if (new Decimal(paidAmount(store, invoiceId)).lt(new Decimal(inv.total).plus(reminderFees(store, invoiceId)))) return false;
  store.stmt("UPDATE invoices SET status = 'paid', paid_ms = ? WHERE id = ?").run(nowMs, invoiceId);
  return true;
}

/** The payments already stored for a booking (account + entry AcctSvcrRef). */
export function paymentsOfEntry(handle: Store, communityId: string, entryKey: string): PaymentRecord[] {
  const store = sqlite(handle);
  return store.stmt<PaymentRow>(`${SELECT} WHERE p.community_id = ? AND p.entry_key = ? ORDER BY p.id`).all(communityId, entryKey).map(toRecord);
}

/** Removes an unmatched summary payment that its booking's transaction details replace; the caller audits. */
export function deleteSummaryPayment(handle: Store, id: number): void {
  const store = sqlite(handle);
  store.stmt("DELETE FROM payments WHERE id = ? AND summary = 1 AND state = 'unmatched' AND assigned_ms IS NULL").run(id);
}
