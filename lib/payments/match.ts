import { CodedError } from "../util/coded-error";
import { latestCommunity } from "../store/community-repo";
import { audit } from "../store/audit-repo";
import { getInvoice, getInvoiceByNumber, listInvoices, type InvoiceFilter, type InvoiceRecord } from "../store/invoice-repo";
import {
  bankKeyExists,
  getPayment,
  hasCreditNote,
  insertPayment,
  invoiceIdByReference,
  listPayments,
  markInvoicePaidIfCovered,
  paymentsOfEntry,
  deleteSummaryPayment,
  paidAmounts,
  setPaymentInvoice,
  type PaymentFlag,
  type PaymentRecord,
  type PaymentState,
} from "../store/payment-repo";
import type { Store } from "../store/store";
import { formatIban, normalizeIban } from "../util/iban";
import { reminderFeesByInvoice } from "../store/reminder-repo";
import { Decimal } from "../util/money";
import { parseCamt, type CamtPayment, type ReferenceType } from "./camt";
import { invoicePayment, type PaymentStatus } from "./status";

/*
 * Books the payments of a camt file against the community's issued invoices
 * (docs/payments.md): a QRR, SCOR or ISR reference names the invoice whose
 * stored reference it is. A payment is never booked silently where it may be
 * wrong: a cancelled invoice or another currency flags it, a file for another
 * account leaves every payment unmatched, an unknown reference is unmatched;
 * each can be assigned by hand (assignPayment), audited with who did it.
 */

/** A coded problem (code, params, English text): the nodes translate it as "<node>.problems.<code>". */
export class PaymentError extends CodedError {
  constructor(code: string, params: Record<string, string | number>, message: string) {
    // The English text is already filled in; CodedError leaves a text without placeholders as it is.
    super(code, params, message);
    this.name = "PaymentError";
  }
}

export interface ImportWarning {
  code: string;
  params: Record<string, string | number>;
  message: string;
}

export interface ImportedPayment {
  amount: string;
  currency: string;
  reference: string | null;
  referenceType: ReferenceType | null;
  debtorName: string | null;
  state: PaymentState;
  flag: PaymentFlag | null;
  invoice: { id: number; number: string | null } | null;
  duplicate: boolean;
}

export interface ImportReport {
  file: string;
  message: string;
  version: string;
  messageId: string | null;
  dryRun: boolean;
  entries: number;
  payments: number;
  matched: number;
  unmatched: number;
  flagged: number;
  duplicates: number;
  /** Bookings stored before without their transactions (a statement's batch total), now replaced by them. */
  replaced: number;
  skipped: { debit: number; notBooked: number; reversal: number };
  warnings: ImportWarning[];
  items: ImportedPayment[];
  /** Invoices that became fully paid by this import. */
  paidInvoices: string[];
}

export interface ImportOptions {
  communityId: string;
  fileName: string;
  actor: string;
  dryRun?: boolean;
  timeZone?: string;
  /** Further IBANs of the community's account (the account's IBAN where the creditor prints a QR-IBAN). */
  accounts?: string[];
  nowMs?: number;
}

/** The community's accounts: its creditor IBAN (or QR-IBAN), those its issued invoices name, and any given. */
export function communityAccounts(store: Store, communityId: string, extra: string[] = []): Set<string> {
  const rev = latestCommunity(store, communityId);
  if (!rev) throw new PaymentError("payments.noCommunity", { community: communityId }, `community ${JSON.stringify(communityId)} is not in the database`);
  const set = new Set<string>([normalizeIban(rev.definition.creditor.iban)]);
  for (const inv of listInvoices(store, communityId)) if (inv.snapshot.creditor?.iban) set.add(normalizeIban(inv.snapshot.creditor.iban));
  for (const a of extra) if (a.trim()) set.add(normalizeIban(a));
  return set;
}

function decide(
  store: Store,
  communityId: string,
  p: CamtPayment,
  ownAccount: boolean,
): { state: PaymentState; flag: PaymentFlag | null; invoice: InvoiceRecord | undefined } {
  if (!ownAccount) return { state: "unmatched", flag: "foreign-account", invoice: undefined };
  if (!p.reference || !p.referenceType) return { state: "unmatched", flag: null, invoice: undefined };
  const id = invoiceIdByReference(store, communityId, p.reference);
  const invoice = id === undefined ? undefined : getInvoice(store, id);
  if (!invoice) return { state: "unmatched", flag: null, invoice: undefined };
  if (invoice.status === "cancelled" || hasCreditNote(store, invoice.id)) return { state: "flagged", flag: "cancelled-invoice", invoice };
  if (invoice.currency !== p.currency) return { state: "flagged", flag: "currency", invoice };
  return { state: "matched", flag: null, invoice };
}

/** Imports one camt.053/.054 file; one transaction: a file that fails books nothing. */
export function importCamt(store: Store, xml: string, o: ImportOptions): ImportReport {
  const doc = parseCamt(xml, o.timeZone ? { timeZone: o.timeZone } : {});
  const nowMs = o.nowMs ?? Date.now();
  const run = (): ImportReport => {
    const accounts = communityAccounts(store, o.communityId, o.accounts);
    const report: ImportReport = {
      file: o.fileName,
      message: doc.message,
      version: doc.version,
      messageId: doc.messageId,
      dryRun: o.dryRun === true,
      entries: 0,
      payments: 0,
      matched: 0,
      unmatched: 0,
      flagged: 0,
      duplicates: 0,
      replaced: 0,
      skipped: { debit: 0, notBooked: 0, reversal: 0 },
      warnings: [],
      items: [],
      paidInvoices: [],
    };
    const seen = new Set<string>();
    const detailEntries = new Set<string>();
    const replacedEntries = new Set<string>();
    const touched = new Set<number>();
    for (const st of doc.statements) {
      report.entries += st.entries;
      for (const s of st.skipped) report.skipped[s.reason === "debit" ? "debit" : s.reason === "reversal" ? "reversal" : "notBooked"]++;
      report.warnings.push(...st.warnings);
      const own = st.accountIban !== null && accounts.has(st.accountIban);
      if (!own && st.payments.length) {
        const account = st.accountIban ? formatIban(st.accountIban) : "(none)";
        report.warnings.push({
          code: "payments.foreignAccount",
          params: { account },
          message: `the file is for account ${account}, not the community's (${[...accounts].map(formatIban).join(", ")}): its payments are imported unmatched and matched to no invoice`,
        });
      }
      for (const p of st.payments) {
        report.payments++;
        let duplicate = seen.has(p.key) || bankKeyExists(store, o.communityId, p.key);
        seen.add(p.key);
        if (!duplicate && p.entryKey) {
          // One booking reported twice: once as a batch total without its transactions (camt.053), once with them (camt.054).
          const known = paymentsOfEntry(store, o.communityId, p.entryKey);
          if (p.summary) duplicate = known.length > 0 || detailEntries.has(p.entryKey);
          else {
            detailEntries.add(p.entryKey);
            const summaries = known.filter((k) => k.summary);
            if (summaries.length && summaries.every((k) => k.state === "unmatched" && k.assignedMs === null)) {
              if (!replacedEntries.has(p.entryKey)) {
                replacedEntries.add(p.entryKey);
                report.replaced++;
                if (!report.dryRun) for (const k of summaries) deleteSummaryPayment(store, k.id);
              }
            } else if (summaries.length) {
              duplicate = true;
              report.warnings.push({
                code: "payments.summaryBooked",
                params: { entry: p.entryIndex, payment: summaries[0]!.id },
                message: `entry ${p.entryIndex}: its booking was imported before without transaction details and has been booked by hand (payment ${summaries[0]!.id}); its transactions are not booked again`,
              });
            }
          }
        }
        const d = decide(store, o.communityId, p, own);
        report.items.push({
          amount: p.amount,
          currency: p.currency,
          reference: p.reference,
          referenceType: p.referenceType,
          debtorName: p.debtorName,
          state: d.state,
          flag: d.flag,
          invoice: d.invoice ? { id: d.invoice.id, number: d.invoice.number } : null,
          duplicate,
        });
        if (duplicate) {
          report.duplicates++;
          continue;
        }
        if (d.state === "matched") report.matched++;
        else if (d.state === "flagged") report.flagged++;
        else report.unmatched++;
        if (report.dryRun) continue;
        insertPayment(
          store,
          {
            communityId: o.communityId,
            source: "camt",
            bankKey: p.key,
            amount: p.amount,
            currency: p.currency,
            bookingDate: p.bookingDate,
            valueDate: p.valueDate,
            referenceType: p.referenceType,
            reference: p.reference,
            debtorName: p.debtorName,
            debtorIban: p.debtorIban,
            accountIban: p.accountIban,
            invoiceId: d.invoice?.id ?? null,
            state: d.state,
            flag: d.flag,
            note: null,
            fileName: o.fileName,
            messageId: doc.messageId,
            entryRef: p.entryRef,
            entryKey: p.entryKey,
            summary: p.summary,
            txRef: p.txRef,
            endToEndId: p.endToEndId,
            createdBy: o.actor,
          },
          nowMs,
        );
        if (d.state === "matched" && d.invoice) touched.add(d.invoice.id);
      }
    }
    for (const id of touched) if (markInvoicePaidIfCovered(store, id, nowMs)) report.paidInvoices.push(getInvoice(store, id)!.number ?? `#${id}`);
    if (!report.dryRun) {
      const { items: _items, warnings, ...counts } = report;
      audit(store, {
        communityId: o.communityId,
        actor: o.actor,
        action: "payments.imported",
        entity: "camt",
        entityId: doc.messageId ?? o.fileName,
        details: { ...counts, warnings: warnings.map((w) => w.code) },
        tsMs: nowMs,
      });
    }
    return report;
  };
  return report(store, o.dryRun === true, run);
}

function report<T>(store: Store, dryRun: boolean, fn: () => T): T {
  return dryRun ? store.read(fn) : store.write(fn);
}

/** Resolves "--invoice 12" (an id) or "2026-0003" (a number) within the community. */
export function findInvoice(store: Store, communityId: string, idOrNumber: string): InvoiceRecord | undefined {
  const s = idOrNumber.trim();
  const byNumber = getInvoiceByNumber(store, communityId, s);
  if (byNumber) return byNumber;
  if (/^\d+$/.test(s)) {
    const r = getInvoice(store, Number(s));
    if (r && r.communityId === communityId) return r;
  }
  return undefined;
}

/** Assigns an unmatched (or flagged) payment to an issued invoice by hand; audited with the actor. */
export function assignPayment(
  store: Store,
  o: { communityId: string; paymentId: number; invoice: string; actor: string; note?: string; nowMs?: number },
): PaymentRecord {
  const nowMs = o.nowMs ?? Date.now();
  return store.write(() => {
    const p = getPayment(store, o.paymentId);
    if (!p || p.communityId !== o.communityId)
      throw new PaymentError("payments.noPayment", { id: o.paymentId }, `payment ${o.paymentId} does not exist in this community`);
    if (p.state !== "unmatched" && p.state !== "flagged") {
      throw new PaymentError(
        "payments.alreadyBooked",
        { id: p.id, invoice: p.invoiceNumber ?? "" },
        `payment ${p.id} is already booked to invoice ${p.invoiceNumber ?? p.invoiceId}: only unmatched or flagged payments are assigned by hand`,
      );
    }
    if (p.flag === "foreign-account") {
      throw new PaymentError(
        "payments.foreignAccount",
        { id: p.id, account: p.accountIban ?? "" },
        `payment ${p.id} was made to account ${p.accountIban ? formatIban(p.accountIban) : "(none)"}, not the community's: it is never booked to an invoice (add the account with --account if it is the community's, and import the file again)`,
      );
    }
    const inv = findInvoice(store, o.communityId, o.invoice);
    if (!inv) throw new PaymentError("payments.noInvoice", { invoice: o.invoice }, `invoice ${JSON.stringify(o.invoice)} does not exist in this community`);
    if (inv.kind !== "invoice" || (inv.status !== "issued" && inv.status !== "paid")) {
      throw new PaymentError(
        "payments.notPayable",
        { invoice: inv.number ?? `#${inv.id}`, status: `${inv.kind} ${inv.status}` },
        `invoice ${inv.number ?? `#${inv.id}`} is ${inv.kind} ${inv.status}: a payment is assigned to an issued invoice only`,
      );
    }
    if (inv.currency !== p.currency)
      throw new PaymentError(
        "payments.currency",
        { invoice: inv.number ?? "", currency: inv.currency, paid: p.currency },
        `invoice ${inv.number} is in ${inv.currency}, the payment in ${p.currency}`,
      );
    setPaymentInvoice(store, p.id, inv.id, o.actor, o.note?.trim() || null, nowMs);
    markInvoicePaidIfCovered(store, inv.id, nowMs);
    audit(store, {
      communityId: o.communityId,
      actor: o.actor,
      action: "payment.assigned",
      entity: "payment",
      entityId: String(p.id),
      details: { invoice: inv.number, invoiceId: inv.id, amount: p.amount, currency: p.currency, before: p.state, flag: p.flag, note: o.note ?? null },
      tsMs: nowMs,
    });
    return getPayment(store, p.id)!;
  });
}

/** A payment as the CLI (--json), the node and the dashboard show it. */
export interface PaymentView {
  id: number;
  amount: string;
  currency: string;
  bookingDate: string | null;
  valueDate: string | null;
  referenceType: ReferenceType | null;
  reference: string | null;
  debtorName: string | null;
  /** The invoice the payment is booked to (null when unmatched or flagged). */
  invoice: { id: number; number: string | null } | null;
  state: PaymentState;
  flag: PaymentFlag | null;
  /** For a flagged payment: the invoice it was meant for. */
  flaggedInvoice: { id: number; number: string | null } | null;
  source: "camt" | "manual";
  note: string | null;
  account: string | null;
  file: string | null;
}

export function paymentView(p: PaymentRecord): PaymentView {
  const ref = p.invoiceId !== null ? { id: p.invoiceId, number: p.invoiceNumber } : null;
  const counts = p.state === "matched" || p.state === "assigned" || p.state === "manual";
  return {
    id: p.id,
    amount: new Decimal(p.amount).toFixed(2),
    currency: p.currency,
    bookingDate: p.bookingDate,
    valueDate: p.valueDate,
    referenceType: p.referenceType,
    reference: p.reference,
    debtorName: p.debtorName,
    invoice: counts ? ref : null,
    state: p.state,
    flag: p.flag,
    flaggedInvoice: p.state === "flagged" ? ref : null,
    source: p.source,
    note: p.note,
    account: p.accountIban,
    file: p.fileName,
  };
}

export function paymentViews(store: Store, communityId: string): PaymentView[] {
  return listPayments(store, communityId).map(paymentView);
}

/** An invoice with its payment status, for `zev invoice list --json`, the node and the open-items list. */
export interface InvoiceView {
  id: number;
  number: string | null;
  kind: string;
  status: string;
  periodFrom: string;
  periodTo: string;
  recipient: string;
  currency: string;
  total: string;
  reference: string | null;
  /** The fees of the invoice's reminders, owed on top of its total ("0.00" without reminders). */
  reminderFees: string;
  /** null for drafts (nothing can be paid yet), credit notes and cancelled invoices (nothing is owed). */
  paymentStatus: PaymentStatus | null;
  paidAmount: string;
  openAmount: string;
}

export function invoiceViews(store: Store, communityId: string, filter: InvoiceFilter = {}): InvoiceView[] {
  const paid = paidAmounts(store, communityId);
  const fees = reminderFeesByInvoice(store, communityId);
  return listInvoices(store, communityId, filter).map((r) => {
    const sum = paid.get(r.id) ?? "0.00";
    const fee = fees.get(r.id) ?? "0.00";
    const base = {
      id: r.id,
      number: r.number,
      kind: r.kind,
      status: r.status,
      periodFrom: r.periodFrom,
      periodTo: r.periodTo,
      recipient: r.snapshot.recipient.name,
      currency: r.currency,
      total: new Decimal(r.total).toFixed(2),
      reference: r.reference,
      reminderFees: fee,
    };
    // Reminder fees are owed on top of the total (docs/payments.md "Reminders").
    if (r.kind === "invoice" && (r.status === "issued" || r.status === "paid")) return { ...base, ...invoicePayment(new Decimal(r.total).plus(fee), sum) };
    // A cancelled invoice owes nothing: what was paid on it is to be refunded or assigned again (negative open amount).
    return {
      ...base,
      paymentStatus: null,
      paidAmount: new Decimal(sum).toFixed(2),
      openAmount: r.status === "cancelled" ? new Decimal(0).minus(sum).toFixed(2) : "0.00",
    };
  });
}
