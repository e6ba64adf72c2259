import { openItems } from "../../lib/payments/accounting";
import { assignPayment, invoiceViews, paymentViews, type InvoiceView, type PaymentView } from "../../lib/payments/match";
import { runReminders, type RefusedReminder } from "../../lib/payments/reminder-run";
import type { DocumentOutcome } from "../../lib/render/documents";
import { getInvoice, listInvoices } from "../../lib/store/invoice-repo";
import { listPayments } from "../../lib/store/payment-repo";
import { listReminders, type ReminderRecord } from "../../lib/store/reminder-repo";
import type { Store } from "../../lib/store/store";
import { isLocalDate, localDateOf, type LocalDate } from "../../lib/time/local-date";

/*
 * The zev-billing commands of the money side that the dashboard's Payments
 * page uses (issue 14): the payments with their match, assigning an
 * unmatched one by hand, the open items, and a reminder run. The node only
 * routes to these; each calls what `zev payments` / `zev reminders` call.
 */

export const PAYMENT_COMMANDS = ["payments-list", "payment-assign", "open-items", "reminders-run"] as const;
export type PaymentCommandName = (typeof PAYMENT_COMMANDS)[number];

export type PaymentCommand =
  | { action: "payments-list" }
  | { action: "payment-assign"; payment: number; invoice: string; note?: string }
  | { action: "open-items"; date?: LocalDate }
  | { action: "reminders-run"; date?: LocalDate; dryRun: boolean };

export function isPaymentCommand(v: unknown): v is PaymentCommandName {
  return typeof v === "string" && (PAYMENT_COMMANDS as readonly string[]).includes(v);
}

const dateOf = (v: unknown, what: string): LocalDate | undefined => {
  if (v === undefined || v === null || v === "") return undefined;
  if (!isLocalDate(v)) throw new Error(`${what} must be written YYYY-MM-DD, got ${JSON.stringify(v)}`);
  return v;
};

/** msg.payload of one of PAYMENT_COMMANDS -> the command; throws saying what is wrong. */
export function parsePaymentCommand(name: PaymentCommandName, payload: unknown): PaymentCommand {
  const p = payload && typeof payload === "object" && !Array.isArray(payload) && !Buffer.isBuffer(payload) ? (payload as Record<string, unknown>) : {};
  switch (name) {
    case "payments-list":
      return { action: name };
    case "payment-assign": {
      const payment = Number(p.payment);
      if (!Number.isSafeInteger(payment) || payment <= 0)
        throw new Error(`payload.payment must be a payment id (a positive whole number), got ${JSON.stringify(p.payment)}`);
      const invoice = typeof p.invoice === "number" ? String(p.invoice) : typeof p.invoice === "string" ? p.invoice.trim() : "";
      if (!invoice) throw new Error("payload.invoice must name the invoice (its id or its number)");
      const note = typeof p.note === "string" && p.note.trim() ? p.note.trim() : undefined;
      return { action: name, payment, invoice, ...(note ? { note } : {}) };
    }
    case "open-items": {
      const date = dateOf(p.date, "payload.date");
      return { action: name, ...(date ? { date } : {}) };
    }
    case "reminders-run": {
      const date = dateOf(p.date, "payload.date");
      return { action: name, dryRun: p.dryRun === true, ...(date ? { date } : {}) };
    }
  }
}

/**
 * Who pressed the button, for the audit log: msg.user, else the logged-in
 * user Dashboard 2 puts in msg._client.user (with a user plugin), else
 * "dashboard" for a message from a dashboard (Dashboard 2's msg._client,
 * Dashboard 1's msg.socketid); undefined for a message from a flow.
 */
export function requestUser(msg: { user?: unknown; _client?: unknown; socketid?: unknown }): string | undefined {
  if (typeof msg.user === "string" && msg.user.trim()) return msg.user.trim();
  const client = msg._client && typeof msg._client === "object" ? (msg._client as { user?: unknown }) : undefined;
  const u = client?.user;
  if (typeof u === "string" && u.trim()) return u.trim();
  if (u && typeof u === "object") {
    const o = u as Record<string, unknown>;
    for (const k of ["username", "name", "email", "userId"]) if (typeof o[k] === "string" && (o[k] as string).trim()) return (o[k] as string).trim();
  }
  return client || typeof msg.socketid === "string" ? "dashboard" : undefined;
}

export interface OpenItemView {
  id: number;
  number: string | null;
  recipient: string;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  total: string;
  reminderFees: string;
  paid: string;
  open: string;
  paymentStatus: string;
  daysOverdue: number;
}

export interface ReminderMade {
  number: string;
  level: number;
  final: boolean;
  invoice: string | null;
  recipient: string;
  amountDue: string;
  fee: string;
  currency: string;
  dueDate: string;
  /** Where its PDF was written; null when it could not be (documentError says why). */
  file: string | null;
  documentError?: string;
}

export interface PaymentCommandResult {
  summary: unknown;
  /** The reminder PDFs as messages for output 1 (like the invoice messages). */
  documents: { topic: string; payload: ReminderRecord; document?: { filename: string; path: string; buffer: Buffer }; documentError?: string }[];
  /** Documents that could not be made (the reminders are recorded). */
  errors: string[];
  /** The node's status after the command: a key under zev-billing.status and its values. */
  status?: { key: string; params: Record<string, string | number>; warn: boolean };
}

export interface PaymentContext {
  store: Store;
  communityId: string;
  zone: string;
  actor: string;
  render: boolean;
  /** Draws and writes the reminders' PDFs, one outcome per number in order: zev-billing's job worker (decision 0148). */
  drawReminders: (numbers: string[]) => Promise<DocumentOutcome[]>;
}

export async function runPaymentCommand(c: PaymentContext, cmd: PaymentCommand): Promise<PaymentCommandResult> {
  const { store, communityId } = c;
  const none = { documents: [], errors: [] };
  switch (cmd.action) {
    case "payments-list": {
      // the payments as `zev payments list --json`, the invoices as `zev invoice list --json` (their payment status)
      const payments: PaymentView[] = paymentViews(store, communityId);
      const invoices: InvoiceView[] = invoiceViews(store, communityId);
      return { summary: { payments, invoices }, ...none };
    }
    case "payment-assign": {
      const p = assignPayment(store, { communityId, paymentId: cmd.payment, invoice: cmd.invoice, actor: c.actor, ...(cmd.note ? { note: cmd.note } : {}) });
      const invoice = invoiceViews(store, communityId).find((i) => i.id === p.invoiceId) ?? null;
      return {
        summary: { payment: paymentViews(store, communityId).find((v) => v.id === p.id) ?? null, invoice, actor: c.actor },
        ...none,
        status: { key: "assigned", params: { payment: p.id, invoice: p.invoiceNumber ?? String(p.invoiceId) }, warn: false },
      };
    }
    case "open-items": {
      const date = cmd.date ?? (localDateOf(Date.now(), c.zone) as LocalDate);
      const items = openItems(listInvoices(store, communityId), listPayments(store, communityId), date, c.zone, listReminders(store, communityId));
      const rows: OpenItemView[] = items.map((i) => ({
        id: i.invoice.id,
        number: i.invoice.number,
        recipient: i.invoice.snapshot.recipient.name,
        invoiceDate: i.invoiceDate,
        dueDate: i.dueDate,
        currency: i.invoice.currency,
        total: i.total,
        reminderFees: i.reminderFees,
        paid: i.paid,
        open: i.open,
        paymentStatus: i.paymentStatus,
        daysOverdue: i.daysOverdue,
      }));
      return { summary: { date, items: rows }, ...none };
    }
    case "reminders-run": {
      const date = cmd.date ?? (localDateOf(Date.now(), c.zone) as LocalDate);
      const res = runReminders(store, { communityId, date, actor: c.actor, dryRun: cmd.dryRun });
      const refused: RefusedReminder[] = res.refused;
      if (cmd.dryRun) {
        const due = res.due.map((d) => ({
          level: d.level,
          final: d.final,
          invoice: d.invoice.number,
          recipient: d.invoice.snapshot.recipient.name,
          amountDue: d.amountDue,
          fee: d.fee,
          currency: d.invoice.currency,
          dueDate: d.dueDate,
        }));
        return { summary: { date, dryRun: true, due, sent: [], refused }, ...none };
      }
      const documents: PaymentCommandResult["documents"] = [];
      const errors: string[] = [];
      const sent: ReminderMade[] = [];
      const numbers = res.sent.map((r) => r.number);
      // the same bytes as `zev reminders run` writes (and `zev reminders render` again)
      const drawn = c.render && numbers.length ? await c.drawReminders(numbers) : [];
      res.sent.forEach((r, i) => {
        const invoice = getInvoice(store, r.invoiceId);
        const made: ReminderMade = {
          number: r.number,
          level: r.level,
          final: r.final,
          invoice: invoice?.number ?? null,
          recipient: invoice?.snapshot.recipient.name ?? "",
          amountDue: r.amountDue,
          fee: r.fee,
          currency: r.currency,
          dueDate: r.dueDate,
          file: null,
        };
        const msg: PaymentCommandResult["documents"][number] = { topic: `reminder/${r.number}`, payload: r };
        const d = drawn[i];
        if (d?.ok && d.document.path) {
          made.file = d.document.path;
          msg.document = { filename: d.document.filename, path: d.document.path, buffer: d.document.buffer };
        } else if (d && !d.ok) {
          made.documentError = d.error.message;
          msg.documentError = made.documentError;
          errors.push(`reminder ${r.number}: no PDF: ${made.documentError}; write it with zev reminders render --number ${r.number}`);
        }
        sent.push(made);
        documents.push(msg);
      });
      return {
        summary: { date, dryRun: false, due: [], sent, refused },
        documents,
        errors,
        status: { key: "reminders", params: { date, sent: sent.length, refused: refused.length }, warn: refused.length > 0 || errors.length > 0 },
      };
    }
  }
}
