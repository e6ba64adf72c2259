import PDFDocument from "pdfkit";
import { registerInvoiceFonts } from "./fonts";

/** What each of our documents says about itself in the PDF's metadata. */
export interface PdfMeta {
  language: string;
  /** The PDF's Title; `title`, the heading, is its Subject. */
  pdfTitle: string;
  title: string;
  author: string;
  /** The document's own date, never the clock's: two renders of the same record are byte-identical. */
  date: Date;
  /** Pages kept until the end, to be numbered (bufferedPageRange). */
  bufferPages?: boolean;
}

/**
 * An A4 page set in the embedded fonts only (fonts.ts: no built-in font), drawn by `draw`, as one buffer. A throw in
 * `draw` rejects once the document is ended, so that no pdfkit stream stays open.
 */
export function drawPdf(meta: PdfMeta, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    font: null as unknown as string,
    size: "A4",
    margin: 0,
    autoFirstPage: true,
    bufferPages: meta.bufferPages ?? false,
    lang: meta.language,
    info: {
      Title: meta.pdfTitle,
      Author: meta.author,
      Subject: meta.title,
      Creator: "node-red-contrib-zev",
      Producer: "node-red-contrib-zev (pdfkit)",
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  registerInvoiceFonts(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  try {
    draw(doc);
    doc.end();
  } catch (e) {
    doc.end();
    return done.then(() => Promise.reject(e));
  }
  return done;
}
