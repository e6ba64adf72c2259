import { journal, openItems, type JournalAccounts } from "../../payments/accounting";
import { listInvoices } from "../../store/invoice-repo";
import { listPayments } from "../../store/payment-repo";
import { listReminders } from "../../store/reminder-repo";
import type { Store } from "../../store/store";
import type { BillingPeriod } from "../../time/periods";
import { amountCol, col, type Cell, type ExportTable } from "./table";

/*
 * The receivables for the bookkeeping (docs/payments.md "Accounting"): the
 * open items on the period's last day, and the journal of the period's days.
 */

export function openItemsTable(store: Store, communityId: string, period: BillingPeriod): ExportTable {
  const items = openItems(listInvoices(store, communityId), listPayments(store, communityId), period.to, period.zone, listReminders(store, communityId));
  return {
    name: "open-items",
    columns: [
      col("as_of", "date"),
      col("number"),
      col("invoice_date", "date"),
      col("due_date", "date"),
      col("days_overdue", "integer"),
      col("tenancy"),
      col("recipient"),
      col("period_from", "date"),
      col("period_to", "date"),
      col("currency"),
      amountCol("total"),
      amountCol("reminder_fees"),
      amountCol("paid"),
      amountCol("open"),
      col("payment_status"),
      col("reference"),
    ],
    rows: items.map((i): Cell[] => [
      period.to,
      i.invoice.number,
      i.invoiceDate,
      i.dueDate,
      i.daysOverdue,
      i.invoice.tenancyKey,
      i.invoice.snapshot.recipient.name,
      i.invoice.periodFrom,
      i.invoice.periodTo,
      i.invoice.currency,
      i.total,
      i.reminderFees,
      i.paid,
      i.open,
      i.paymentStatus,
      i.invoice.reference,
    ]),
  };
}

export function journalTable(store: Store, communityId: string, period: BillingPeriod, accounts?: JournalAccounts): ExportTable {
  const entries = journal(
    listInvoices(store, communityId),
    listPayments(store, communityId),
    period.from,
    period.to,
    period.zone,
    accounts,
    listReminders(store, communityId),
  );
  return {
    name: "journal",
    // The column names of Banana Accounting's double-entry import; other programs map them (docs/payments.md).
    columns: [
      col("Date", "date"),
      col("Doc"),
      col("Description"),
      col("AccountDebit"),
      col("AccountCredit"),
      amountCol("Amount"),
      col("Currency"),
      col("VatRate", "decimal", 1),
      col("Kind"),
    ],
    rows: entries.map((e): Cell[] => [e.date, e.document, e.text, e.debit, e.credit, e.amount, e.currency, e.vatRate, e.kind]),
  };
}
