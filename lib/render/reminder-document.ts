import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { threadId } from "node:worker_threads";
import { drawPdf } from "./pdf-document";
import { SwissQRBill } from "swissqrbill/pdf";
import type { Data } from "swissqrbill/types";
import { formatReference } from "swissqrbill/utils";
import type { InvoiceRecord } from "../store/invoice-repo";
import type { ReminderRecord } from "../store/reminder-repo";
import type { LocalDate } from "../time/local-date";
import { Decimal } from "../util/money";
import { safeFileName } from "../util/safe-file-name";
import { FONT } from "./fonts";
import { formatAmount, formatDate } from "./format";
import { invoiceTexts } from "./i18n";
import { reminderTexts } from "./i18n/reminder-texts";
import { invoiceView } from "./invoice-view";
import { header, LEFT, MM, Page, QR_GAP, QR_TOP, RIGHT, type LetterHead } from "./pdf-page";
import { qrBillData } from "./qr-bill-data";

/*
 * A payment reminder as a letter with a QR bill for the amount open (with
 * its fee), in the tenant's language, from the reminder as recorded and the
 * invoice's frozen snapshot: rendering it again gives the same bytes. The QR
 * bill carries the invoice's reference, so the payment books to the invoice.
 */

export interface ReminderDocumentSource {
  reminder: ReminderRecord;
  invoice: InvoiceRecord;
  /** The fees of the invoice's earlier reminders (levels below this one). */
  earlierFees: string;
}

export interface ReminderView extends LetterHead {
  language: string;
  intro: string;
  rows: { label: string; amount: string; strong?: boolean }[];
  notes: string[];
  pdfTitle: string;
}

export function reminderView(src: ReminderDocumentSource): ReminderView {
  const s = src.invoice.snapshot;
  const r = src.reminder;
  const t = reminderTexts(s.language);
  const letter = invoiceView(s);
  const title = t.title(r.level, r.final);
  const number = s.number ?? String(src.invoice.id);
  const total = new Decimal(src.invoice.total);
  const earlier = new Decimal(src.earlierFees);
  // open = total + earlier fees - paid, so paid is what the reminder's open amount leaves out.
  const paid = total.plus(earlier).minus(r.openAmount);
  const rows: ReminderView["rows"] = [{ label: t.rows.total, amount: formatAmount(total) }];
  if (!earlier.isZero()) rows.push({ label: t.rows.fees, amount: formatAmount(earlier) });
  if (!paid.isZero()) rows.push({ label: t.rows.paid, amount: `-${formatAmount(paid)}` });
  if (!new Decimal(r.fee).isZero()) rows.push({ label: t.rows.feeThis, amount: formatAmount(r.fee) });
  rows.push({ label: t.rows.due(r.currency), amount: formatAmount(r.amountDue), strong: true });
  const meta = [
    { label: t.meta.number, value: r.number },
    { label: t.meta.date, value: formatDate(r.reminderDate as LocalDate) },
    { label: t.meta.invoice, value: number },
    ...(s.invoiceDate ? [{ label: t.meta.invoiceDate, value: formatDate(s.invoiceDate) }] : []),
    ...(s.dueDate ? [{ label: t.meta.originalDue, value: formatDate(s.dueDate) }] : []),
    ...(s.reference ? [{ label: t.meta.reference, value: formatReference(s.reference) }] : []),
  ];
  const notes = [t.payBy(formatDate(r.dueDate as LocalDate)), t.crossed];
  if (r.final) notes.push(t.finalNote);
  const contact = [s.creditor.email, s.creditor.phone].filter((x): x is string => Boolean(x && x.trim()));
  if (contact.length) notes.push(t.questions(contact.join(", ")));
  return {
    language: s.language,
    creditor: letter.creditor,
    senderLine: letter.senderLine,
    recipient: letter.recipient,
    title,
    number: null,
    meta,
    intro: t.intro(number, s.invoiceDate ? formatDate(s.invoiceDate) : "-"),
    rows,
    notes,
    pdfTitle: `${title} ${r.number}, ${s.recipient.name}, ${number}`,
  };
}

/** The QR bill of the reminder: the invoice's, for the amount due now. Throws QrBillDataError naming the field. */
export function reminderQrData(src: ReminderDocumentSource): Data {
  // The invoice's Swico line states its payment conditions (30 days from the invoice date): wrong on a reminder, so
  // the payment part names the reminder and the invoice in words instead.
  const { additionalInformation: _swico, ...data } = qrBillData(src.invoice.snapshot);
  const invoice = src.invoice.number ?? String(src.invoice.id);
  return { ...data, amount: Number(new Decimal(src.reminder.amountDue).toFixed(2)), message: `${src.reminder.number} / ${invoice}` };
}

export function reminderFileName(src: ReminderDocumentSource): string {
  return `${safeFileName(src.reminder.number, src.invoice.number ?? String(src.invoice.id), src.invoice.snapshot.recipient.name)}.pdf`;
}

export async function renderReminderDocument(src: ReminderDocumentSource, opts: { logo?: Buffer } = {}): Promise<{ filename: string; buffer: Buffer }> {
  const view = reminderView(src);
  const qr = reminderQrData(src);
  const date = new Date(`${src.reminder.reminderDate}T12:00:00Z`);
  const buffer = await drawPdf(
    { language: view.language, pdfTitle: view.pdfTitle, title: view.title, author: src.invoice.snapshot.creditor.name, date },
    (doc) => {
      const p = new Page(doc);
      header(p, view, opts.logo);
      p.y += p.text(view.intro, LEFT, p.y, { size: 9.5 }) + 5;
      for (const row of view.rows) {
        if (row.strong) p.rule(p.y - 1, 100, RIGHT, "black", 0.6);
        p.text(row.label, 100, p.y, { size: row.strong ? 10 : 9, bold: row.strong, width: 60 });
        p.text(row.amount, 160, p.y, { size: row.strong ? 10 : 9, bold: row.strong, width: RIGHT - 160, align: "right" });
        p.y += row.strong ? 6 : 4.8;
      }
      p.y += 4;
      for (const n of view.notes) p.y += p.text(n, LEFT, p.y, { size: 9 }) + 1.5;
      // One page: the letter is short; should a very long address push it down, the QR bill gets a page of its own.
      if (p.y > QR_TOP - QR_GAP) doc.addPage({ size: "A4", margin: 0 });
      new SwissQRBill(qr, { language: invoiceTexts(view.language).qrLanguage, scissors: true, fontName: FONT }).attachTo(doc, 0, QR_TOP * MM);
    },
  );
  return { filename: reminderFileName(src), buffer };
}

/** Renders and writes the reminder into `folder` (created if needed), atomically; its name, path and bytes. */
export async function writeReminderFile(
  src: ReminderDocumentSource,
  folder: string,
  opts: { logo?: Buffer } = {},
): Promise<{ filename: string; path: string; buffer: Buffer }> {
  const { filename, buffer } = await renderReminderDocument(src, opts);
  const dir = resolve(folder);
  const path = join(dir, filename);
  if (dirname(path) !== dir) throw new Error(`refusing to write ${JSON.stringify(filename)} outside ${dir}`);
  mkdirSync(dir, { recursive: true });
  // Per thread: a job worker and the CLI or another worker of one process may write the same reminder at once.
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmp, buffer);
  renameSync(tmp, path);
  return { filename, path, buffer };
}

/** Renders and writes the reminder into `folder` (created if needed), atomically; its path. */
export async function writeReminderDocument(src: ReminderDocumentSource, folder: string, opts: { logo?: Buffer } = {}): Promise<string> {
  return (await writeReminderFile(src, folder, opts)).path;
}
