import { Decimal } from "../util/money";
import { audit } from "./audit-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

export interface NewReminder {
  communityId: string;
  invoiceId: number;
  level: number;
  /** The community's last level: the final notice. */
  final: boolean;
  /** YYYY-MM-DD: the reminder's date. */
  reminderDate: string;
  /** YYYY-MM-DD: the new date by which to pay. */
  dueDate: string;
  currency: string;
  /** This reminder's fee, text with 2 decimals. */
  fee: string;
  /** Owed on the invoice before this reminder (total + earlier fees - paid). */
  openAmount: string;
  /** openAmount + fee: the amount of the reminder's QR bill. */
  amountDue: string;
  createdBy: string;
}

export interface ReminderRecord extends NewReminder {
  id: number;
  number: string;
  createdMs: number;
}

interface ReminderRow {
  id: number;
  community_id: string;
  invoice_id: number;
  level: number;
  final: number;
  number: string;
  reminder_date: string;
  due_date: string;
  currency: string;
  fee: string;
  open_amount: string;
  amount_due: string;
  created_ms: number;
  created_by: string;
}

const toRecord = (r: ReminderRow): ReminderRecord => ({
  id: r.id,
  communityId: r.community_id,
  invoiceId: r.invoice_id,
  level: r.level,
  final: r.final === 1,
  number: r.number,
  reminderDate: r.reminder_date,
  dueDate: r.due_date,
  currency: r.currency,
  fee: r.fee,
  openAmount: r.open_amount,
  amountDue: r.amount_due,
  createdMs: r.created_ms,
  createdBy: r.created_by,
});

export function listReminders(handle: Store, communityId: string): ReminderRecord[] {
  const store = sqlite(handle);
  return store.stmt<ReminderRow>("SELECT * FROM reminders WHERE community_id = ? ORDER BY id").all(communityId).map(toRecord);
}

export function getReminder(handle: Store, id: number): ReminderRecord | undefined {
  const store = sqlite(handle);
  const r = store.stmt<ReminderRow>("SELECT * FROM reminders WHERE id = ?").get(id);
  return r ? toRecord(r) : undefined;
}

/** The fees of an invoice's reminders: owed on top of its total. */
export function reminderFees(handle: Store, invoiceId: number): string {
  const store = sqlite(handle);
  return store
    .stmt<{ fee: string }>("SELECT fee FROM reminders WHERE invoice_id = ?")
    .all(invoiceId)
    .reduce((a, r) => a.plus(r.fee), new Decimal(0))
    .toFixed(2);
}

/** Reminder fees per invoice of a community (invoices without reminders are absent). */
export function reminderFeesByInvoice(handle: Store, communityId: string): Map<number, string> {
  const store = sqlite(handle);
  const sums = new Map<number, Decimal>();
  for (const r of store.stmt<{ invoice_id: number; fee: string }>("SELECT invoice_id, fee FROM reminders WHERE community_id = ?").all(communityId))
    sums.set(r.invoice_id, (sums.get(r.invoice_id) ?? new Decimal(0)).plus(r.fee));
  return new Map([...sums].map(([k, v]) => [k, v.toFixed(2)]));
}

/**
 * Stores a reminder with the next number of its year ("M2026-0001": reminders
 * are never deleted, so counting gives gapless numbers) and audits it. Runs
 * inside the caller's write transaction.
 */
export function insertReminder(handle: Store, r: NewReminder, nowMs = Date.now()): ReminderRecord {
  const store = sqlite(handle);
  const prefix = `M${r.reminderDate.slice(0, 4)}-`;
  const n = store.stmt<{ n: number }>("SELECT COUNT(*) AS n FROM reminders WHERE community_id = ? AND number LIKE ? || '%'").get(r.communityId, prefix)!.n;
  const number = `${prefix}${String(n + 1).padStart(4, "0")}`;
  const info = store
    .stmt(
      `INSERT INTO reminders (community_id, invoice_id, level, final, number, reminder_date, due_date, currency, fee, open_amount, amount_due, created_ms, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.communityId,
      r.invoiceId,
      r.level,
      r.final ? 1 : 0,
      number,
      r.reminderDate,
      r.dueDate,
      r.currency,
      r.fee,
      r.openAmount,
      r.amountDue,
      nowMs,
      r.createdBy,
    );
  const id = Number(info.lastInsertRowid);
  audit(store, {
    communityId: r.communityId,
    actor: r.createdBy,
    action: "reminder.sent",
    entity: "invoice",
    entityId: String(r.invoiceId),
    details: { reminder: number, level: r.level, fee: r.fee, amountDue: r.amountDue },
    tsMs: nowMs,
  });
  return getReminder(store, id)!;
}
