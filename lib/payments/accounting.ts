import type { PaymentRecord } from "../store/payment-repo";
import { COUNTING_STATES } from "../store/payment-repo";
import type { InvoiceRecord } from "../store/invoice-repo";
import { compareLocalDates, daysBetween, localDateOf, type LocalDate } from "../time/local-date";
import { CodedError } from "../util/coded-error";
import { Decimal } from "../util/money";
import { invoicePayment, type PaymentStatus } from "./status";

/*
 * The receivables side for the community's bookkeeping: what is open on a
 * given day, and a double-entry journal of invoices, credit notes and
 * payments that accounting programs import (docs/payments.md "Accounting").
 * Both read the issued documents as frozen (their snapshots) and the
 * payments as booked; nothing here writes.
 */

/** The day a payment counts from: its booking date, else (manual without a date) the day it was entered. */
export function paymentDate(p: PaymentRecord, zone: string): LocalDate {
  return (p.bookingDate as LocalDate | null) ?? localDateOf(p.createdMs, zone);
}

/** The day a document was issued: its invoice date, else the day it got its number. */
export function documentDate(r: InvoiceRecord, zone: string): LocalDate | null {
  if (r.snapshot.invoiceDate) return r.snapshot.invoiceDate;
  return r.issuedMs === null ? null : localDateOf(r.issuedMs, zone);
}

/** What openItems and the journal need of a reminder (lib/store/reminder-repo.ts ReminderRecord). */
export interface ReminderFee {
  invoiceId: number;
  number: string;
  reminderDate: string;
  fee: string;
  currency: string;
}

export interface OpenItem {
  invoice: InvoiceRecord;
  invoiceDate: LocalDate;
  dueDate: LocalDate | null;
  /** Text with two decimals. */
  total: string;
  /** The fees of the reminders sent by then, owed on top of the total. */
  reminderFees: string;
  paid: string;
  /** total + reminderFees - paid; negative when overpaid (the community owes the tenant). */
  open: string;
  paymentStatus: PaymentStatus;
  /** Days past the due date on the day asked for; 0 when not yet due. */
  daysOverdue: number;
}

/**
 * Invoices issued on or before `asOf` with an amount still open (or overpaid)
 * on that day, counting the payments booked by then. A cancelled invoice owes
 * nothing once its credit note exists, so neither appears; but on a day
 * before the cancellation the invoice was open and is listed.
 */
export function openItems(
  invoices: readonly InvoiceRecord[],
  payments: readonly PaymentRecord[],
  asOf: LocalDate,
  zone: string,
  reminders: readonly ReminderFee[] = [],
): OpenItem[] {
  const feesBy = new Map<number, Decimal>();
  for (const m of reminders)
    if (compareLocalDates(m.reminderDate as LocalDate, asOf) <= 0) feesBy.set(m.invoiceId, (feesBy.get(m.invoiceId) ?? new Decimal(0)).plus(m.fee));
  const cutoffs = new Map<number, LocalDate>();
  for (const r of invoices) if (r.kind === "credit-note" && r.cancelsInvoiceId !== null) cutoffs.set(r.cancelsInvoiceId, documentDate(r, zone) ?? asOf);
  const paidBy = new Map<number, Decimal>();
  for (const p of payments) {
    if (p.invoiceId === null || !COUNTING_STATES.includes(p.state)) continue;
    if (compareLocalDates(paymentDate(p, zone), asOf) > 0) continue;
    paidBy.set(p.invoiceId, (paidBy.get(p.invoiceId) ?? new Decimal(0)).plus(p.amount));
  }
  const items: OpenItem[] = [];
  for (const r of invoices) {
    if (r.kind !== "invoice" || r.status === "draft") continue;
    const invoiceDate = documentDate(r, zone);
    if (!invoiceDate || compareLocalDates(invoiceDate, asOf) > 0) continue;
    const cancelledOn = cutoffs.get(r.id);
    if (cancelledOn && compareLocalDates(cancelledOn, asOf) <= 0) continue;
    const paid = paidBy.get(r.id) ?? new Decimal(0);
    const fees = feesBy.get(r.id) ?? new Decimal(0);
    const p = invoicePayment(fees.plus(r.total), paid);
    if (p.paymentStatus === "paid") continue;
    const dueDate = r.snapshot.dueDate ?? null;
    const daysOverdue = dueDate && compareLocalDates(asOf, dueDate) > 0 ? daysBetween(dueDate, asOf) : 0;
    items.push({
      invoice: r,
      invoiceDate,
      dueDate,
      total: new Decimal(r.total).toFixed(2),
      reminderFees: fees.toFixed(2),
      paid: p.paidAmount,
      open: p.openAmount,
      paymentStatus: p.paymentStatus,
      daysOverdue,
    });
  }
  return items.sort((a, b) => compareLocalDates(a.invoiceDate, b.invoiceDate) || (a.invoice.number ?? "").localeCompare(b.invoice.number ?? ""));
}

/** The accounts of the journal: numbers of the Swiss SME chart of accounts (KMU-Kontenrahmen) by default. */
export interface JournalAccounts {
  bank: string;
  receivables: string;
  revenue: string;
  vat: string;
}

export const DEFAULT_JOURNAL_ACCOUNTS: JournalAccounts = Object.freeze({ bank: "1020", receivables: "1100", revenue: "3200", vat: "2200" });

export interface JournalEntry {
  date: LocalDate;
  /** The document: invoice or credit note number; for a payment the invoice it pays. */
  document: string;
  text: string;
  debit: string;
  credit: string;
  /** Positive text with two decimals. */
  amount: string;
  currency: string;
  /** The VAT rate in percent of a revenue or VAT line (e.g. "8.1"), else null. */
  vatRate: string | null;
  kind: "invoice" | "credit-note" | "reminder" | "payment";
}

/** An issued document whose parts do not add up to its total: never booked half. */
export class JournalError extends CodedError {
  constructor(number: string, detail: string) {
    super("journal.unbalanced", { number, detail }, `invoice ${number}: ${detail}; the journal is not written`);
    this.name = "JournalError";
  }
}

function entry(e: Omit<JournalEntry, "amount" | "debit" | "credit">, amount: Decimal, debit: string, credit: string): JournalEntry | null {
  if (amount.isZero()) return null;
  // A negative amount (a credit note, a negative rounding) is the same booking the other way round.
  return amount.gt(0) ? { ...e, amount: amount.toFixed(2), debit, credit } : { ...e, amount: amount.neg().toFixed(2), debit: credit, credit: debit };
}

/** The bookings of one issued invoice or credit note: revenue net and VAT per rate, the cash rounding; together its total. */
export function documentEntries(r: InvoiceRecord, date: LocalDate, a: JournalAccounts): JournalEntry[] {
  const s = r.snapshot;
  const number = r.number ?? String(r.id);
  const kind = r.kind === "credit-note" ? "credit-note" : "invoice";
  const who = s.recipient.name;
  const out: (JournalEntry | null)[] = [];
  let sum = new Decimal(0);
  let netWithRate = new Decimal(0);
  for (const v of s.totals.vat) {
    const net = new Decimal(v.net);
    const vat = new Decimal(v.vat);
    const percent = new Decimal(v.rate).mul(100).toString();
    netWithRate = netWithRate.plus(net);
    sum = sum.plus(net).plus(vat);
    out.push(
      entry(
        { date, document: number, text: `${number} ${who} ${s.period.label}`, currency: r.currency, vatRate: percent, kind },
        net,
        a.receivables,
        a.revenue,
      ),
    );
    out.push(entry({ date, document: number, text: `${number} VAT ${percent} %`, currency: r.currency, vatRate: percent, kind }, vat, a.receivables, a.vat));
  }
  // Lines without VAT (a community not registered for VAT): revenue without a rate.
  const untaxed = new Decimal(s.totals.net).minus(netWithRate);
  sum = sum.plus(untaxed);
  out.push(
    entry({ date, document: number, text: `${number} ${who} ${s.period.label}`, currency: r.currency, vatRate: null, kind }, untaxed, a.receivables, a.revenue),
  );
  const rounding = new Decimal(s.totals.rounding);
  sum = sum.plus(rounding);
  out.push(entry({ date, document: number, text: `${number} rounding`, currency: r.currency, vatRate: null, kind }, rounding, a.receivables, a.revenue));
  if (!sum.eq(r.total))
    throw new JournalError(number, `its net, VAT and rounding add up to ${sum.toFixed(2)}, its total is ${new Decimal(r.total).toFixed(2)}`);
  return out.filter((e): e is JournalEntry => e !== null);
}

/**
 * The journal of the days from..to (inclusive): each invoice and credit note
 * on its invoice date, each payment booked to an invoice on its booking day.
 * Payments not (yet) booked to an invoice are not in it: they are booked once
 * assigned (zev payments list shows them).
 */
export function journal(
  invoices: readonly InvoiceRecord[],
  payments: readonly PaymentRecord[],
  from: LocalDate,
  to: LocalDate,
  zone: string,
  accounts: JournalAccounts = DEFAULT_JOURNAL_ACCOUNTS,
  reminders: readonly ReminderFee[] = [],
): JournalEntry[] {
  const inRange = (d: LocalDate): boolean => compareLocalDates(d, from) >= 0 && compareLocalDates(d, to) <= 0;
  const byId = new Map(invoices.map((r) => [r.id, r]));
  const out: JournalEntry[] = [];
  for (const r of invoices) {
    if (r.status === "draft" || r.number === null) continue;
    const date = documentDate(r, zone);
    if (date && inRange(date)) out.push(...documentEntries(r, date, accounts));
  }
  // A reminder's fee is owed from its date on: receivables to revenue, without VAT (a fee for late payment is not
  // consideration for a supply, MWSTG Art. 18 para. 2).
  for (const m of reminders) {
    if (!inRange(m.reminderDate as LocalDate)) continue;
    const document = byId.get(m.invoiceId)?.number ?? String(m.invoiceId);
    const e = entry(
      {
        date: m.reminderDate as LocalDate,
        document: m.number,
        text: `${m.number} reminder fee ${document}`,
        currency: m.currency,
        vatRate: null,
        kind: "reminder",
      },
      new Decimal(m.fee),
      accounts.receivables,
      accounts.revenue,
    );
    if (e) out.push(e);
  }
  for (const p of payments) {
    if (p.invoiceId === null || !COUNTING_STATES.includes(p.state)) continue;
    const date = paymentDate(p, zone);
    if (!inRange(date)) continue;
    const inv = byId.get(p.invoiceId);
    const document = inv?.number ?? p.invoiceNumber ?? String(p.invoiceId);
    const how = p.source === "manual" ? (p.note ?? "manual") : (p.debtorName ?? p.reference ?? "bank");
    const e = entry(
      { date, document, text: `payment ${document} ${how}`, currency: p.currency, vatRate: null, kind: "payment" },
      new Decimal(p.amount),
      accounts.bank,
      accounts.receivables,
    );
    if (e) out.push(e);
  }
  const order = { invoice: 0, "credit-note": 1, reminder: 2, payment: 3 } as const;
  return out.sort((x, y) => compareLocalDates(x.date, y.date) || order[x.kind] - order[y.kind] || x.document.localeCompare(y.document));
}
