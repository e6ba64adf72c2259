import PDFDocument from "pdfkit";
import { SwissQRBill } from "swissqrbill/pdf";
import type { Data } from "swissqrbill/types";
import type { InvoiceView, EnergySource } from "./invoice-view";
import { BOLD, FONT, printable, registerInvoiceFonts } from "./fonts";
import { CONTENT_BOTTOM, GREY, header, LEFT, MM, Page, PAGE_H, PAGE_W, QR_GAP, QR_TOP, RIGHT } from "./pdf-page";

/*
 * Where things go on the page; what they say comes from invoice-view.ts. The
 * letter (page, letterhead, window address) is pdf-page.ts; the QR bill gets
 * a page of its own when the content reaches into its 105 mm.
 */

const COLORS: Record<EnergySource, string> = { solar: "#f2b705", battery: "#4c9a2a", grid: "#8c8c8c" };

/** Table columns (mm): pos, description, quantity (right), unit, price (right), amount (right). */
const COL = { pos: [20, 8], desc: [28, 74], qty: [102, 30], unit: [134, 16], price: [150, 18], amount: [168, 22] } as const;

export interface PdfOptions {
  /** PNG or JPEG shown top right, at most 50 x 18 mm. */
  logo?: Buffer;
  /** Fixed document date: makes two renders of the same snapshot byte-identical. */
  date: Date;
  author: string;
}

export function renderInvoicePdf(view: InvoiceView, qr: Data | null, opts: PdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    // No built-in font: every text is set in the embedded Liberation Sans (fonts.ts).
    font: null as unknown as string,
    size: "A4",
    margin: 0,
    bufferPages: true,
    autoFirstPage: true,
    lang: view.language,
    info: { Title: view.pdfTitle, Author: opts.author, Subject: view.title, Creator: "node-red-contrib-zev", Producer: "node-red-contrib-zev (pdfkit)", CreationDate: opts.date, ModDate: opts.date },
  });
  registerInvoiceFonts(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  try {
    layout(new Page(doc), view, qr, opts);
    doc.end();
  } catch (e) {
    doc.end();
    return done.then(() => Promise.reject(e));
  }
  return done;
}

function layout(p: Page, v: InvoiceView, qr: Data | null, opts: PdfOptions): void {
  header(p, v, opts.logo);
  const newPage = (): void => {
    p.doc.addPage({ size: "A4", margin: 0 });
    p.text(`${v.title}${v.number ? ` ${v.number}` : ""}, ${v.recipient[0] ?? ""}`, LEFT, 12, { size: 8, color: GREY });
    p.rule(17);
    p.y = 22;
  };
  const ensure = (h: number): void => {
    if (p.y + h > CONTENT_BOTTOM) newPage();
  };
  linesTable(p, v, ensure);
  totals(p, v, ensure);
  notes(p, v, ensure);
  if (v.energy) energy(p, v.energy, ensure);
  if (v.comparison) rowsBlock(p, v.comparison.title, v.comparison.rows, ensure);
  if (v.quality) rowsBlock(p, v.quality.title, v.quality.rows.map((r) => ({ label: r, amount: "" })), ensure);
  if (v.payable && qr) {
    // The payment part takes the lower 105 mm of the last page; when the content reaches into it, a page of its own.
    if (p.y > QR_TOP - QR_GAP) newPage();
    p.doc.y = p.y * MM;
    new SwissQRBill(qr, { language: languageOf(v), scissors: true, fontName: FONT }).attachTo(p.doc, 0, QR_TOP * MM);
  }
  decoratePages(p, v);
}

function languageOf(v: InvoiceView): "DE" | "FR" | "IT" | "EN" {
  const l = v.language.toUpperCase();
  return l === "FR" || l === "IT" || l === "EN" ? l : "DE";
}

function linesTable(p: Page, v: InvoiceView, ensure: (h: number) => void): void {
  const c = v.columns;
  const head = (): void => {
    const y = p.y;
    const o = { size: 8, bold: true };
    p.text(c.pos, COL.pos[0], y, { ...o, width: COL.pos[1] });
    p.text(c.description, COL.desc[0], y, { ...o, width: COL.desc[1] });
    p.text(c.quantity, COL.qty[0], y, { ...o, width: COL.qty[1], align: "right" });
    p.text(c.unit, COL.unit[0] + 1.5, y, { ...o, width: COL.unit[1] });
    p.text(c.unitPrice, COL.price[0], y, { ...o, width: COL.price[1], align: "right" });
    p.text(c.amount, COL.amount[0], y, { ...o, width: COL.amount[1], align: "right" });
    p.rule(y + 4.2, LEFT, RIGHT, "black", 0.6);
    p.y = y + 5.5;
  };
  ensure(5.5 + 5);
  head();
  for (const l of v.lines) {
    const h = Math.max(p.height(l.label, COL.desc[1], 8.5), 3.8) + (l.detail ? p.height(l.detail, COL.desc[1], 7) : 0) + 1.4;
    const before = p.y;
    ensure(h);
    if (p.y !== before) head();
    const y = p.y;
    p.text(l.pos, COL.pos[0], y, { size: 8.5, width: COL.pos[1] });
    const lh = p.text(l.label, COL.desc[0], y, { size: 8.5, width: COL.desc[1] });
    if (l.detail) p.text(l.detail, COL.desc[0], y + lh, { size: 7, color: GREY, width: COL.desc[1] });
    p.text(l.quantity, COL.qty[0], y, { size: 8.5, width: COL.qty[1], align: "right" });
    p.text(l.unit, COL.unit[0] + 1.5, y, { size: 8.5, width: COL.unit[1] });
    p.text(l.unitPrice, COL.price[0], y, { size: 8.5, width: COL.price[1], align: "right" });
    p.text(l.amount, COL.amount[0], y, { size: 8.5, width: COL.amount[1], align: "right" });
    p.y = y + h;
  }
  p.rule(p.y, LEFT, RIGHT, "black", 0.6);
  p.y += 2;
}

function totals(p: Page, v: InvoiceView, ensure: (h: number) => void): void {
  ensure(v.totals.length * 5 + 3);
  for (const t of v.totals) {
    const size = t.strong ? 10 : 8.5;
    if (t.strong) {
      p.rule(p.y, 100, RIGHT, "black", 0.6);
      p.y += 1.2;
    }
    const color = t.info ? GREY : "black";
    p.text(t.label, 100, p.y, { size, bold: t.strong, color, width: 66 });
    p.text(t.amount, COL.amount[0], p.y, { size, bold: t.strong, color, width: COL.amount[1], align: "right" });
    p.y += t.strong ? 5.5 : 4.4;
  }
  if (v.totals.some((t) => t.strong)) p.rule(p.y - 1, 100, RIGHT, "black", 1.2);
  p.y += 3;
}

function notes(p: Page, v: InvoiceView, ensure: (h: number) => void): void {
  for (const n of v.notes) {
    const h = p.height(n, RIGHT - LEFT, 8.5) + 1;
    ensure(h);
    p.text(n, LEFT, p.y, { size: 8.5 });
    p.y += h;
  }
  p.y += 3;
}

function energy(p: Page, e: NonNullable<InvoiceView["energy"]>, ensure: (h: number) => void): void {
  const chartH = e.chart ? 22 : 0;
  ensure(8 + e.rows.length * 4.4 + 10 + chartH);
  p.text(e.title, LEFT, p.y, { size: 10, bold: true });
  p.y += 6;
  for (const r of e.rows) {
    const bold = r === e.rows.find((x) => x.share === "100.0 %");
    p.text(r.label, LEFT, p.y, { size: 8.5, bold, width: 60 });
    p.text(`${r.kwh} kWh`, 80, p.y, { size: 8.5, bold, width: 35, align: "right" });
    p.text(r.share, 115, p.y, { size: 8.5, bold, width: 20, align: "right" });
    p.y += 4.4;
  }
  p.text(e.split.map((s) => `${s.label}: ${s.kwh} kWh`).join("   |   "), LEFT, p.y + 0.5, { size: 7.5, color: GREY });
  p.y += 5;
  if (e.selfSufficiency) {
    p.text(`${e.selfSufficiency.label}: ${e.selfSufficiency.value}`, LEFT, p.y, { size: 9, bold: true });
    p.y += 6;
  }
  if (e.chart) {
    p.text(e.chart.title, LEFT, p.y, { size: 7.5, color: GREY });
    p.y += 4;
    const width = 130;
    let x = LEFT;
    for (const part of e.chart.parts) {
      const w = width * part.share;
      if (w > 0) p.doc.rect(x * MM, p.y * MM, w * MM, 6 * MM).fillColor(COLORS[part.source]).fill();
      x += w;
    }
    p.doc.rect(LEFT * MM, p.y * MM, width * MM, 6 * MM).lineWidth(0.4).strokeColor(GREY).stroke();
    p.y += 8;
    let lx = LEFT;
    for (const part of e.chart.parts) {
      p.doc.rect(lx * MM, (p.y + 0.4) * MM, 2.6 * MM, 2.6 * MM).fillColor(COLORS[part.source]).fill();
      const label = `${part.label} ${part.text}`;
      p.text(label, lx + 3.8, p.y, { size: 7.5, width: 60 });
      p.doc.font(FONT).fontSize(7.5);
      lx += 3.8 + p.doc.widthOfString(printable(label)) / MM + 7;
    }
    p.y += 7;
  }
}

function rowsBlock(p: Page, title: string, rows: { label: string; amount: string }[], ensure: (h: number) => void): void {
  ensure(7 + rows.length * 4.4 + 3);
  p.text(title, LEFT, p.y, { size: 10, bold: true });
  p.y += 6;
  for (const r of rows) {
    const h = p.height(r.label, 120, 8.5);
    p.text(r.label, LEFT, p.y, { size: 8.5, width: 120 });
    if (r.amount) p.text(r.amount, COL.amount[0], p.y, { size: 8.5, width: COL.amount[1], align: "right" });
    p.y += h + 1;
  }
  p.y += 4;
}

/** Page numbers (top right: the bottom of the last page belongs to the QR bill) and the draft watermark. */
function decoratePages(p: Page, v: InvoiceView): void {
  const { doc } = p;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (range.count > 1) p.text(v.page(i + 1, range.count), 140, 8, { size: 7.5, color: GREY, width: 50, align: "right" });
    if (v.watermark) {
      doc.save();
      doc.rotate(-35, { origin: [(PAGE_W / 2) * MM, (PAGE_H / 2) * MM] });
      doc.font(BOLD).fontSize(96).fillColor("#c00000").fillOpacity(0.12);
      doc.text(printable(v.watermark), 0, (PAGE_H / 2 - 17) * MM, { width: PAGE_W * MM, align: "center", lineBreak: false });
      doc.restore();
    }
  }
}
