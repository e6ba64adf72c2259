import { Decimal, type DecimalInput } from "../util/money";

export type PaymentStatus = "open" | "partial" | "paid" | "overpaid";

export interface InvoicePayment {
  paymentStatus: PaymentStatus;
  /** Text with two decimals. */
  paidAmount: string;
  /** total - paid, text with two decimals; negative when overpaid. */
  openAmount: string;
}

/** An invoice's payment status from its total and the sum of its (counting) payments. */
export function invoicePayment(total: DecimalInput, paid: DecimalInput): InvoicePayment {
  const t = new Decimal(total);
  const p = new Decimal(paid);
  const open = t.minus(p);
  // An invoice of 0.00 owes nothing: paid.
  const paymentStatus: PaymentStatus = open.isZero() ? "paid" : open.lt(0) ? "overpaid" : p.lte(0) ? "open" : "partial";
  return { paymentStatus, paidAmount: p.toFixed(2), openAmount: open.toFixed(2) };
}
