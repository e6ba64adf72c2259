import { addDays, LocalDate } from "../time/local-date";
import type { InvoiceRecord } from "../store/invoice-repo";
import { Decimal, money } from "../util/money";
import { assertIssuable } from "./issuable";
import { negateTotals } from "./totals";
import { paymentReference } from "./reference";
import type { InvoiceSnapshot } from "../model/invoice";

/** The snapshot an issued invoice is frozen with: number, dates and payment reference added. */
export function finalizeSnapshot(draft: InvoiceSnapshot, number: string, invoiceDate: LocalDate): InvoiceSnapshot {
  return {
    ...draft,
    number,
    invoiceDate,
    dueDate: addDays(invoiceDate, draft.creditor.paymentTermDays ?? 30),
    reference: paymentReference(draft.creditor.iban, draft.communityId, number).reference,
  };
}

/**
 * The issued snapshot, checked: throws InvoiceNotIssuableError when the
 * invoice could not be rendered (a name the QR bill does not allow, a total
 * above 999'999'999.99, ...). Called inside markIssued's transaction, so a
 * refused invoice gives its number back: the sequence stays gapless.
 */
export function issuableSnapshot(draft: InvoiceSnapshot, number: string, invoiceDate: LocalDate): InvoiceSnapshot {
  return assertIssuable(finalizeSnapshot(draft, number, invoiceDate));
}

/** A credit note: the cancelled invoice's lines and totals negated, referring to it. */
export function creditNoteSnapshot(original: InvoiceRecord, number: string, date: LocalDate): InvoiceSnapshot {
  const s = original.snapshot;
  const neg = (x: string): string => money(new Decimal(x).neg());
  return {
    ...s,
    number,
    invoiceDate: date,
    dueDate: date,
    reference: paymentReference(s.creditor.iban, s.communityId, number).reference,
    lines: s.lines.map((l) => ({ ...l, quantity: l.unit === "kWh" ? new Decimal(l.quantity).neg().toFixed(3) : l.quantity, amount: neg(l.amount) })),
    totals: negateTotals(s.totals),
    comparison: null,
    comparisonDetail: null,
    art16: null,
    cancels: { id: original.id, number: original.number ?? "" },
  };
}
