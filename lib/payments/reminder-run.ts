import { paymentPartProblems } from "../billing/issuable";
import { latestCommunity } from "../store/community-repo";
import { listInvoices } from "../store/invoice-repo";
import { listPayments } from "../store/payment-repo";
import { insertReminder, listReminders, type ReminderRecord } from "../store/reminder-repo";
import type { Store } from "../store/store";
import type { LocalDate } from "../time/local-date";
import { CodedError } from "../util/coded-error";
import { openItems } from "./accounting";
import { DEFAULT_REMINDER_LEVELS, dueReminders, type DueReminder } from "./reminders";

export interface ReminderRunOptions {
  communityId: string;
  /** The reminders' date: the open items of this day are reminded. */
  date: LocalDate;
  actor: string;
  /** Shows what would be sent; records nothing. */
  dryRun?: boolean;
  nowMs?: number;
}

export interface RefusedReminder {
  invoiceNumber: string;
  level: number;
  /** Why no QR bill can be printed for it: the fields to fix in the community's creditor data. */
  problems: string[];
}

export interface ReminderRunResult {
  due: DueReminder[];
  /** Recorded (numbered) reminders; empty on a dry run. */
  sent: ReminderRecord[];
  refused: RefusedReminder[];
}

export class ReminderError extends CodedError {}

/**
 * Records the reminders due on a day, each with the next reminder number, in
 * one transaction. Payments should be imported first: a payment booked later
 * than the reminder's date does not stop it. A reminder whose QR bill could
 * not be printed (the creditor's account changed into something invalid) is
 * refused before it gets a number.
 */
export function runReminders(store: Store, o: ReminderRunOptions): ReminderRunResult {
  const run = (): ReminderRunResult => {
    const community = latestCommunity(store, o.communityId);
    if (!community)
      throw new ReminderError(
        "reminders.noCommunity",
        { community: o.communityId },
        "no community __community__ in the database; import the community first (zev community import)",
      );
    const def = community.definition;
    const levels = def.reminders ?? DEFAULT_REMINDER_LEVELS;
    const reminders = listReminders(store, o.communityId);
    const items = openItems(listInvoices(store, o.communityId), listPayments(store, o.communityId), o.date, def.timeZone, reminders);
    const candidates = dueReminders(items, reminders, levels, o.date);
    const due: DueReminder[] = [];
    const refused: RefusedReminder[] = [];
    for (const d of candidates) {
      const problems = paymentPartProblems(d.invoice.snapshot).map((p) => `${p.path}: ${p.message}`);
      if (problems.length) refused.push({ invoiceNumber: d.invoice.number ?? String(d.invoice.id), level: d.level, problems });
      else due.push(d);
    }
    if (o.dryRun) return { due, sent: [], refused };
    const sent = due.map((d) =>
      insertReminder(
        store,
        {
          communityId: o.communityId,
          invoiceId: d.invoice.id,
          level: d.level,
          final: d.final,
          reminderDate: o.date,
          dueDate: d.dueDate,
          currency: d.invoice.currency,
          fee: d.fee,
          openAmount: d.openAmount,
          amountDue: d.amountDue,
          createdBy: o.actor,
        },
        o.nowMs,
      ),
    );
    return { due, sent, refused };
  };
  return o.dryRun ? store.read(run) : store.write(run);
}
