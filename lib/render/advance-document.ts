import { drawPdf } from "./pdf-document";
import { SwissQRBill } from "swissqrbill/pdf";
import type { Data } from "swissqrbill/types";
import { formatReference } from "swissqrbill/utils";
import type { InvoiceSnapshot } from "../model/invoice";
import { negateTotals } from "../billing/totals";
import { Decimal } from "../util/money";
import { FONT } from "./fonts";
import { formatAmount, formatDate, formatDateRange, formatVatRate } from "./format";
import { invoiceTexts } from "./i18n";
import { advanceTexts } from "./i18n/advance-texts";
import { invoiceView, isPayable, type ViewLine } from "./invoice-view";
import { CONTENT_BOTTOM, GREY, header, LEFT, MM, Page, QR_GAP, QR_TOP, RIGHT, type LetterHead } from "./pdf-page";
import { qrBillData } from "./qr-bill-data";

/*
 * The documents of advance payments (docs/payments.md "Advance payments and
 * the annual statement"): the advance invoice, a letter with one line and a
 * QR bill; and the annual statement, with the year's lines as the engine
 * billed them, the advances of the year (paid and deducted, or not), and the
 * balance: payable with a QR bill, or a credit without one. Both from the
 * frozen snapshot alone, in the tenant's language.
 */

export interface AdvanceDocumentView extends LetterHead {
  language: string;
  intro: string;
  /** The statement's year lines (empty on an advance invoice). */
  lines: ViewLine[];
  columns: { pos: string; description: string; quantity: string; price: string; amount: string };
  linesTitle: string | null;
  /** Sums of the lines; the last one is bold. */
  sums: { label: string; amount: string; strong?: boolean; info?: boolean }[];
  advancesTitle: string | null;
  advanceColumns: { number: string; date: string; period: string; amount: string; state: string; deducted: string };
  advances: { number: string; date: string; period: string; amount: string; state: string; deducted: string }[];
  balance: { label: string; amount: string; strong?: boolean; info?: boolean }[];
  notes: string[];
  payable: boolean;
  page: (n: number, of: number) => string;
  pdfTitle: string;
}

function periodText(s: InvoiceSnapshot): string {
  return formatDateRange(s.period.from, s.period.to);
}

export function advanceDocumentView(s: InvoiceSnapshot): AdvanceDocumentView {
  const t = advanceTexts(s.language);
  // A credit note cancelling a statement carries its lines and totals negated, its statement facts as issued.
  const sign = s.cancels ? -1 : 1;
  const yearTotals = s.statement ? (s.cancels ? negateTotals(s.statement.yearTotals) : s.statement.yearTotals) : s.totals;
  const letter = invoiceView(s.statement ? { ...s, totals: yearTotals } : s);
  const payable = isPayable(s);
  const meta: LetterHead["meta"] = [
    ...(s.invoiceDate ? [{ label: t.meta.date, value: formatDate(s.invoiceDate) }] : []),
    { label: t.meta.period, value: periodText(s) },
    { label: t.meta.unit, value: [s.unit.label, s.unit.building].filter(Boolean).join(", ") },
    ...(payable && s.dueDate ? [{ label: t.meta.due, value: formatDate(s.dueDate) }] : []),
    ...(payable && s.reference ? [{ label: t.meta.reference, value: formatReference(s.reference) }] : []),
  ];
  const base = {
    language: s.language,
    creditor: letter.creditor,
    senderLine: letter.senderLine,
    recipient: letter.recipient,
    number: s.number ?? null,
    meta,
    columns: t.columns,
    advanceColumns: t.advanceColumns,
    payable,
    page: t.page,
  };
  if (!s.statement) {
    const line = s.lines[0]!;
    const sums: AdvanceDocumentView["sums"] = [{ label: line.label ?? t.advanceTitle, amount: formatAmount(line.amount) }];
    for (const v of s.totals.vat) sums.push({ label: t.advanceVat(formatVatRate(v.rate)), amount: formatAmount(v.vat), info: true });
    if (!s.totals.vat.length) sums.push({ label: t.advanceNoVat, amount: "", info: true });
    sums.push({ label: t.total(s.currency), amount: formatAmount(s.totals.total), strong: true });
    return {
      ...base,
      title: t.advanceTitle,
      intro: t.advanceIntro(s.advance?.period.includes("Q") ? `${s.advance.period} (${periodText(s)})` : periodText(s)),
      lines: [],
      linesTitle: null,
      sums,
      advancesTitle: null,
      advances: [],
      balance: [],
      notes: s.dueDate && payable ? [t.payBy(formatDate(s.dueDate))] : [],
      pdfTitle: `${t.advanceTitle} ${s.number ?? ""}, ${s.recipient.name}, ${s.period.label}`,
    };
  }
  const st = s.statement;
  const balance = new Decimal(s.totals.total);
  const title = s.cancels ? t.cancelTitle(st.year) : balance.isNegative() ? t.creditTitle(st.year) : t.statementTitle(st.year);
  const sums = letter.totals.map((r, i, all) => (i === all.length - 1 ? { label: t.yearTotal(s.currency), amount: r.amount, strong: true } : r));
  const rows: AdvanceDocumentView["balance"] = [{ label: t.deducted, amount: formatAmount(new Decimal(st.deducted).neg().mul(sign)) }];
  if (!new Decimal(s.totals.rounding).minus(yearTotals.rounding).isZero()) rows.push({ label: t.rounding, amount: formatAmount(s.totals.rounding) });
  rows.push(
    s.cancels
      ? { label: t.settled(s.currency), amount: formatAmount(balance), strong: true }
      : {
          label: balance.gt(0) ? t.payable(s.currency) : balance.lt(0) ? t.credit(s.currency) : t.settled(s.currency),
          amount: formatAmount(balance.abs()),
          strong: true,
        },
  );
  for (const v of s.totals.vat) rows.push({ label: t.balanceVat(formatVatRate(v.rate)), amount: formatAmount(v.vat), info: true });
  const notes: string[] = [];
  if (st.advances.some((a) => a.state === "unpaid") && !s.cancels) notes.push(t.unpaidNote);
  if (payable && s.dueDate) notes.push(t.payableNote(formatDate(s.dueDate)));
  if (balance.lt(0) && !s.cancels) notes.push(t.creditNote);
  return {
    ...base,
    title,
    intro: s.cancels ? t.cancelIntro(s.cancels.number) : t.statementIntro(formatDate(s.period.from), formatDate(s.period.to)),
    lines: letter.lines,
    linesTitle: t.linesTitle,
    sums,
    advancesTitle: t.advancesTitle,
    advances: st.advances.map((a) => ({
      number: a.number,
      date: formatDate(a.invoiceDate),
      period: formatDateRange(a.from, a.to),
      amount: formatAmount(a.amount),
      state: a.state === "paid" ? t.paid : t.unpaid(a.creditNote ?? ""),
      deducted: formatAmount(a.deducted),
    })),
    balance: rows,
    notes: st.advances.length ? notes : [t.noAdvances, ...notes],
    pdfTitle: `${title} ${s.number ?? ""}, ${s.recipient.name}`,
  };
}

/** The QR bill of a payable advance invoice or statement (the balance); null for a credit. Throws QrBillDataError naming the field. */
export function advanceQrData(s: InvoiceSnapshot): Data | null {
  return isPayable(s) ? qrBillData(s) : null;
}

const COL = { pos: [LEFT, 10], desc: [LEFT + 10, 78], qty: [108, 26], price: [134, 24], amount: [158, RIGHT - 158] } as const;
const ACOL = { number: [LEFT, 21], date: [LEFT + 21, 19], period: [LEFT + 40, 38], amount: [98, 20], state: [122, 50], deducted: [172, RIGHT - 172] } as const;

function room(p: Page, h: number): void {
  if (p.y + h <= CONTENT_BOTTOM) return;
  p.doc.addPage({ size: "A4", margin: 0 });
  p.y = 20;
}

function sumRows(p: Page, rows: AdvanceDocumentView["sums"]): void {
  for (const r of rows) {
    room(p, 6);
    if (r.strong) p.rule(p.y - 1, 100, RIGHT, "black", 0.6);
    const size = r.strong ? 10 : 9;
    p.text(r.label, 100, p.y, { size, bold: r.strong, width: 60, color: r.info ? GREY : "black" });
    p.text(r.amount, 160, p.y, { size, bold: r.strong, width: RIGHT - 160, align: "right", color: r.info ? GREY : "black" });
    p.y += Math.max(p.height(r.label, 60, size, r.strong), 4.2) + (r.strong ? 1.5 : 0.6);
  }
}

function draw(p: Page, v: AdvanceDocumentView, logo: Buffer | undefined): void {
  header(p, v, logo);
  p.y += p.text(v.intro, LEFT, p.y, { size: 9.5 }) + 4;
  if (v.linesTitle) {
    p.y += p.text(v.linesTitle, LEFT, p.y, { size: 10, bold: true }) + 1;
    const c = v.columns;
    p.text(c.pos, COL.pos[0], p.y, { size: 8, color: GREY, width: COL.pos[1] });
    p.text(c.description, COL.desc[0], p.y, { size: 8, color: GREY, width: COL.desc[1] });
    p.text(c.quantity, COL.qty[0], p.y, { size: 8, color: GREY, width: COL.qty[1], align: "right" });
    p.text(c.price, COL.price[0], p.y, { size: 8, color: GREY, width: COL.price[1], align: "right" });
    p.text(c.amount, COL.amount[0], p.y, { size: 8, color: GREY, width: COL.amount[1], align: "right" });
    p.y += 4;
    p.rule(p.y - 0.5);
    for (const l of v.lines) {
      const label = l.detail ? `${l.label}\n${l.detail}` : l.label;
      const h = p.height(label, COL.desc[1], 8.5);
      room(p, h + 1);
      p.text(l.pos, COL.pos[0], p.y, { size: 8.5, width: COL.pos[1] });
      p.text(label, COL.desc[0], p.y, { size: 8.5, width: COL.desc[1] });
      p.text(`${l.quantity} ${l.unit}`, COL.qty[0], p.y, { size: 8.5, width: COL.qty[1], align: "right" });
      p.text(l.unitPrice, COL.price[0], p.y, { size: 8.5, width: COL.price[1], align: "right" });
      p.text(l.amount, COL.amount[0], p.y, { size: 8.5, width: COL.amount[1], align: "right" });
      p.y += h + 1;
    }
    p.rule(p.y);
    p.y += 2;
  }
  sumRows(p, v.sums);
  if (v.advancesTitle) {
    p.y += 4;
    room(p, 14);
    p.y += p.text(v.advancesTitle, LEFT, p.y, { size: 10, bold: true }) + 1;
    const c = v.advanceColumns;
    for (const [k, col] of Object.entries(ACOL) as [keyof typeof ACOL, readonly [number, number]][])
      p.text(c[k], col[0], p.y, { size: 8, color: GREY, width: col[1], align: k === "amount" || k === "deducted" ? "right" : "left" });
    p.y += 4;
    p.rule(p.y - 0.5);
    for (const a of v.advances) {
      const h = Math.max(p.height(a.state, ACOL.state[1], 8), p.height(a.period, ACOL.period[1], 8));
      room(p, h + 1);
      for (const [k, col] of Object.entries(ACOL) as [keyof typeof ACOL, readonly [number, number]][])
        p.text(a[k], col[0], p.y, { size: 8, width: col[1], align: k === "amount" || k === "deducted" ? "right" : "left" });
      p.y += h + 0.8;
    }
    p.rule(p.y);
    p.y += 3;
    sumRows(p, v.balance);
  }
  p.y += 3;
  for (const n of v.notes) {
    const h = p.height(n, RIGHT - LEFT, 9);
    room(p, h);
    p.y += p.text(n, LEFT, p.y, { size: 9 }) + 1.5;
  }
}

export async function renderAdvanceDocumentPdf(s: InvoiceSnapshot, opts: { logo?: Buffer } = {}): Promise<Buffer> {
  const v = advanceDocumentView(s);
  const qr = advanceQrData(s);
  const date = new Date(`${s.invoiceDate ?? s.period.to}T12:00:00Z`);
  return drawPdf({ language: v.language, pdfTitle: v.pdfTitle, title: v.title, author: s.creditor.name, date, bufferPages: true }, (doc) => {
    const p = new Page(doc);
    draw(p, v, opts.logo);
    if (qr) {
      if (p.y > QR_TOP - QR_GAP) doc.addPage({ size: "A4", margin: 0 });
      new SwissQRBill(qr, { language: invoiceTexts(v.language).qrLanguage, scissors: true, fontName: FONT }).attachTo(doc, 0, QR_TOP * MM);
    }
    const range = doc.bufferedPageRange();
    if (range.count > 1)
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        p.text(v.page(i + 1, range.count), 140, 8, { size: 7.5, color: GREY, width: 50, align: "right" });
      }
  });
}
