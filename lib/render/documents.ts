import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { threadId } from "node:worker_threads";
import type { InvoiceSnapshot } from "../model/invoice";
import { safeFileName } from "../util/safe-file-name";

/*
 * An invoice's PDF from its snapshot alone (docs/documents.md): validate,
 * draw, and only then write. Issued invoices are frozen, and the document
 * date is the invoice date, so rendering one again gives the same bytes.
 *
 * The renderers (pdfkit, fontkit, swissqrbill: about 20 MiB) load at the
 * first render, not with this module: the nodes and the portal import it on
 * Node-RED's main thread, where most processes never draw a PDF
 * (docs/decisions/0143).
 */

/* eslint-disable @typescript-eslint/no-require-imports */

export interface InvoiceDocumentSource {
  id: number;
  snapshot: InvoiceSnapshot;
}

export interface DocumentOptions {
  /** PNG or JPEG for the letterhead (not part of the snapshot: keep the file to re-render identically). */
  logo?: Buffer;
}

export interface InvoiceDocument {
  filename: string;
  buffer: Buffer;
}

export interface WrittenDocument extends InvoiceDocument {
  /** Absolute path, or null for a draft (drafts are never written to disk). */
  path: string | null;
}

/** "2026-0001_unit-1_Anna_Meier.pdf": made only from safe characters, whatever the data holds. */
export function documentFileName(src: InvoiceDocumentSource): string {
  const s = src.snapshot;
  const kind = s.cancels ? ["credit-note"] : s.statement ? ["statement"] : s.advance ? ["advance"] : [];
  const parts = [s.number ?? `draft-${src.id}`, ...kind, `unit-${s.unit.id}`, s.recipient.name];
  return `${safeFileName(...parts)}.pdf`;
}

/** The folder used when none is configured: <userDir>/zev/invoices/<community>. */
export function defaultDocumentsFolder(userDir: string, communityId: string): string {
  return join(userDir, "zev", "invoices", safeFileName(communityId));
}

/** The document's fixed date: the invoice date (drafts: the period's last day), at noon UTC so it is that day everywhere in Europe. */
function documentDate(s: InvoiceSnapshot): Date {
  return new Date(`${s.invoiceDate ?? s.period.to}T12:00:00Z`);
}

/** Renders the PDF in memory. Throws QrBillDataError (naming the field) before drawing when the payment part's data is invalid. */
export async function renderInvoiceDocument(src: InvoiceDocumentSource, opts: DocumentOptions = {}): Promise<InvoiceDocument> {
  const { renderAdvanceDocumentPdf } = require("./advance-document") as typeof import("./advance-document");
  const { invoiceView } = require("./invoice-view") as typeof import("./invoice-view");
  const { renderInvoicePdf } = require("./pdf-invoice") as typeof import("./pdf-invoice");
  const { qrBillData } = require("./qr-bill-data") as typeof import("./qr-bill-data");
  // Advance invoices and annual statements (and a statement's credit note) have their own layout (lib/render/advance-document.ts);
  // an advance's credit note is an ordinary one.
  if (src.snapshot.statement || (src.snapshot.advance && !src.snapshot.cancels))
    return { filename: documentFileName(src), buffer: await renderAdvanceDocumentPdf(src.snapshot, opts.logo ? { logo: opts.logo } : {}) };
  const view = invoiceView(src.snapshot);
  const qr = view.payable ? qrBillData(src.snapshot) : null;
  const buffer = await renderInvoicePdf(view, qr, {
    date: documentDate(src.snapshot),
    author: src.snapshot.creditor.name,
    ...(opts.logo ? { logo: opts.logo } : {}),
  });
  return { filename: documentFileName(src), buffer };
}

/**
 * Renders and writes an issued invoice or credit note into `folder`
 * (created if needed); a draft is rendered (with its watermark) but not
 * written, so no unnumbered invoice lies next to the real ones. The file
 * appears atomically (temp file + rename).
 */
export async function writeInvoiceDocument(src: InvoiceDocumentSource, folder: string, opts: DocumentOptions = {}): Promise<WrittenDocument> {
  const doc = await renderInvoiceDocument(src, opts);
  if (!src.snapshot.number) return { ...doc, path: null };
  const dir = resolve(folder);
  const path = join(dir, doc.filename);
  // safeFileName cannot produce a separator; this states the promise where it matters.
  if (dirname(path) !== dir) throw new Error(`refusing to write ${JSON.stringify(doc.filename)} outside ${dir}`);
  mkdirSync(dir, { recursive: true });
  // Per thread: two job workers of one process may write the same invoice's file at once.
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmp, doc.buffer);
  renameSync(tmp, path);
  return { ...doc, path };
}

export type DocumentOutcome = { ok: true; document: WrittenDocument } | { ok: false; error: Error };

/**
 * Documents for several invoices, one by one: a problem with one (say, a
 * recipient without a street) does not keep the others from being written.
 */
export async function writeInvoiceDocuments(records: readonly InvoiceDocumentSource[], folder: string, opts: DocumentOptions = {}): Promise<DocumentOutcome[]> {
  const out: DocumentOutcome[] = [];
  for (const r of records) {
    try {
      out.push({ ok: true, document: await writeInvoiceDocument(r, folder, opts) });
    } catch (e) {
      out.push({ ok: false, error: e as Error });
    }
  }
  return out;
}
