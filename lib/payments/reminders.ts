import type { ReminderLevel } from "../community/types";
import type { InvoiceRecord } from "../store/invoice-repo";
import { addDays, compareLocalDates, type LocalDate } from "../time/local-date";
import { Decimal } from "../util/money";
import type { OpenItem } from "./accounting";

/*
 * Which unpaid invoices get which reminder on a given day
 * (docs/payments.md "Reminders"). Levels go one at a time: level n+1 only
 * once level n was sent and the date it asked for has passed, and only when
 * the invoice is the level's days past its original due date. After the last
 * level (the final notice) nothing more is sent: what follows is the debt
 * collection (Betreibung), outside this suite.
 */

/** Without levels in the community file: a friendly reminder, a reminder, a final notice; no fees (a fee is owed only where the tenancy agreement provides one). */
export const DEFAULT_REMINDER_LEVELS: readonly ReminderLevel[] = Object.freeze([
  { afterDays: 10, fee: "0.00" },
  { afterDays: 30, fee: "0.00" },
  { afterDays: 60, fee: "0.00" },
]);

/** Days a reminder gives to pay. */
export const REMINDER_PAYMENT_DAYS = 10;

export interface SentReminder {
  invoiceId: number;
  level: number;
  dueDate: string;
}

export interface DueReminder {
  invoice: InvoiceRecord;
  level: number;
  final: boolean;
  fee: string;
  /** Owed before this reminder: total + earlier fees - paid. */
  openAmount: string;
  /** openAmount + fee. */
  amountDue: string;
  dueDate: LocalDate;
}

/**
 * The reminders due on `date` for the open items of that day. Only invoices
 * with something left to pay (open or partly paid) are reminded: a paid or
 * overpaid one never is.
 */
export function dueReminders(items: readonly OpenItem[], sent: readonly SentReminder[], levels: readonly ReminderLevel[], date: LocalDate): DueReminder[] {
  const last = new Map<number, SentReminder>();
  for (const r of sent) if ((last.get(r.invoiceId)?.level ?? 0) < r.level) last.set(r.invoiceId, r);
  const out: DueReminder[] = [];
  for (const item of items) {
    if (item.paymentStatus !== "open" && item.paymentStatus !== "partial") continue;
    if (!new Decimal(item.open).gt(0)) continue;
    const prev = last.get(item.invoice.id);
    const level = (prev?.level ?? 0) + 1;
    const spec = levels[level - 1];
    if (!spec) continue;
    if (item.daysOverdue < spec.afterDays) continue;
    // The previous reminder's own date to pay must have passed before the next one goes out.
    if (prev && compareLocalDates(date, prev.dueDate as LocalDate) <= 0) continue;
    const fee = new Decimal(spec.fee);
    out.push({
      invoice: item.invoice,
      level,
      final: level === levels.length,
      fee: fee.toFixed(2),
      openAmount: item.open,
      amountDue: fee.plus(item.open).toFixed(2),
      dueDate: addDays(date, REMINDER_PAYMENT_DAYS),
    });
  }
  return out;
}
