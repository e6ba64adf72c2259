import { drawPdf } from "./pdf-document";
import { SwissQRBill } from "swissqrbill/pdf";
import type { Data } from "swissqrbill/types";
import type { ExplainView, InvoiceView, EnergySource } from "./invoice-view";
import { BOLD, FONT, printable } from "./fonts";
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
  return drawPdf({ language: view.language, pdfTitle: view.pdfTitle, title: view.title, author: opts.author, date: opts.date, bufferPages: true }, (doc) =>
    layout(new Page(doc), view, qr, opts),
  );
}

function layout(p: Page, v: InvoiceView, qr: Data | null, opts: PdfOptions): void {
  if (v.explain) return compactLayout(p, v, v.explain, qr, opts);
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
  if (v.quality)
    rowsBlock(
      p,
      v.quality.title,
      v.quality.rows.map((r) => ({ label: r, amount: "" })),
      ensure,
    );
  if (v.payable && qr) {
    // The payment part takes the lower 105 mm of the last page; when the content reaches into it, a page of its own.
    if (p.y > QR_TOP - QR_GAP) newPage();
    p.doc.y = p.y * MM;
    new SwissQRBill(qr, { language: languageOf(v), scissors: true, fontName: FONT }).attachTo(p.doc, 0, QR_TOP * MM);
  }
  decoratePages(p, v);
}

/** Table columns of the compact layout (mm): a wider price column for "21.50 Rp./kWh". */
const CCOL = { pos: [20, 7], desc: [27, 68], qty: [95, 24], unit: [120, 12], price: [132, 34], amount: [168, 22] } as const;
/** Body text of the compact layout; small print not below 7.5 pt. */
const BODY = 8;
const SMALL = 7.5;
const HALF = 82;

/** A block of the explanation, measured before it is drawn so the page can be planned. */
interface Block {
  height: number;
  draw: (x: number, y: number) => void;
}

/**
 * Invoices with an explanation (snapshot.explain, decision 0108): the lines, totals and notes,
 * then the explanation in two columns; the payment part at the first page's bottom when all of
 * it fits above, otherwise the payment part alone on a last page.
 */
const colHeight = (bs: Block[]): number => bs.reduce((a, b) => a + b.height, 0);

function compactLayout(p: Page, v: InvoiceView, x: ExplainView, qr: Data | null, opts: PdfOptions): void {
  header(p, v, opts.logo, true);
  const newPage = (): void => {
    p.doc.addPage({ size: "A4", margin: 0 });
    p.text(`${v.title}${v.number ? ` ${v.number}` : ""}, ${v.recipient[0] ?? ""}`, LEFT, 12, { size: SMALL, color: GREY });
    p.rule(17);
    p.y = 22;
  };
  const ensure = (h: number): void => {
    if (p.y + h > CONTENT_BOTTOM) newPage();
  };
  compactLines(p, v, ensure);
  // The notes beside the totals, in the space left of them, when they fit there; else under them, full width.
  const NOTE_W = 100 - 4 - LEFT;
  const besideH = v.notes.reduce((a, n) => a + p.height(n, NOTE_W, BODY) + 0.3, 0);
  const totalsH = v.totals.length * 3.5 + 1.1 + 2 + 1;
  const y0 = p.y;
  if (besideH <= totalsH + 4 && p.y + Math.max(besideH, totalsH) <= CONTENT_BOTTOM) {
    let ny = y0;
    for (const n of v.notes) {
      p.text(n, LEFT, ny, { size: BODY, width: NOTE_W });
      ny += p.height(n, NOTE_W, BODY) + 0.3;
    }
    compactTotals(p, v, ensure);
    p.y = Math.max(p.y, ny + 1);
  } else {
    compactTotals(p, v, ensure);
    for (const n of v.notes) {
      const h = p.height(n, RIGHT - LEFT, BODY) + 0.3;
      ensure(h);
      p.text(n, LEFT, p.y, { size: BODY });
      p.y += h;
    }
  }
  for (const n of x.priceNotes) {
    const h = p.height(n, RIGHT - LEFT, SMALL) + 0.3;
    ensure(h);
    p.text(n, LEFT, p.y, { size: SMALL });
    p.y += h;
  }
  p.y += 1.5;
  const blocks: Block[] = [];
  if (v.energy) blocks.push(energyBlock(p, v.energy));
  if (x.readings) blocks.push(textBlock(p, x.readings.title, x.readings.rows));
  if (x.common) blocks.push(textBlock(p, x.common.title, [x.common.text]));
  if (x.windows) blocks.push(textBlock(p, x.windows.title, x.windows.rows));
  if (x.history) blocks.push(historyBlock(p, x.history));
  const ev = x.ev ? evBlocks(p, x.ev) : [];
  if (v.quality) blocks.push(textBlock(p, v.quality.title, v.quality.rows));
  // The comparison under both columns, full width: its title says what is compared and stays one line.
  const wide = v.comparison ? [rowsBlockCompact(p, v.comparison.title, v.comparison.rows, RIGHT - LEFT)] : [];
  // The split with the lowest taller column; the session chunks stay together, in order, as one unit of it.
  const { left, right } = balance([...blocks.map((b) => [b]), ...(ev.length ? [ev] : [])]);
  // Two columns where they fit; the payment part below them on page 1 only when everything fits above its 105 mm.
  const colsH = Math.max(colHeight(left), colHeight(right)) + colHeight(wide);
  const firstPage = p.doc.bufferedPageRange().count === 1;
  const onePage = firstPage && p.y + colsH <= QR_TOP - QR_GAP;
  if (p.y + colsH <= CONTENT_BOTTOM) {
    let yl = p.y;
    let yr = p.y;
    for (const b of left) {
      b.draw(LEFT, yl);
      yl += b.height;
    }
    for (const b of right) {
      b.draw(LEFT + HALF + 6, yr);
      yr += b.height;
    }
    p.y = Math.max(yl, yr);
    flowBlocks(p, wide, ensure);
  } else flowBlocks(p, [...blocks, ...ev, ...wide], ensure);
  if (v.payable && qr) {
    if (!onePage) newPage();
    p.doc.y = p.y * MM;
    new SwissQRBill(qr, { language: languageOf(v), scissors: true, fontName: FONT }).attachTo(p.doc, 0, QR_TOP * MM);
  }
  decoratePages(p, v);
}

/**
 * The split of the blocks into two columns with the lowest taller column, each column keeping reading
 * order (every split of a handful of blocks is tried: 2^n for n <= 12; beyond, one block after the other
 * into the shorter column).
 */
function balance(units: Block[][]): { left: Block[]; right: Block[] } {
  const h = units.map(colHeight);
  let best = -1;
  let bestH = Infinity;
  if (units.length <= 12) {
    for (let mask = 0; mask < 1 << units.length; mask++) {
      let l = 0;
      let r = 0;
      h.forEach((x, i) => (mask & (1 << i) ? (r += x) : (l += x)));
      // Ties: the left column is the longer one, as a reader expects.
      const score = Math.max(l, r) + (r > l ? 0.001 : 0);
      if (score < bestH) {
        bestH = score;
        best = mask;
      }
    }
  }
  const left: Block[] = [];
  const right: Block[] = [];
  units.forEach((u, i) => {
    if (best >= 0) (best & (1 << i) ? right : left).push(...u);
    else (colHeight(left) <= colHeight(right) ? left : right).push(...u);
  });
  return { left, right };
}

/** Blocks one under the other, each whole on a page, when the two columns do not fit the first page. */
function flowBlocks(p: Page, blocks: Block[], ensure: (h: number) => void): void {
  for (const b of blocks) {
    ensure(b.height);
    b.draw(LEFT, p.y);
    p.y += b.height;
  }
}

function compactLines(p: Page, v: InvoiceView, ensure: (h: number) => void): void {
  const c = v.columns;
  const head = (): void => {
    const y = p.y;
    const o = { size: SMALL, bold: true };
    p.text(c.pos, CCOL.pos[0], y, { ...o, width: CCOL.pos[1] });
    p.text(c.description, CCOL.desc[0], y, { ...o, width: CCOL.desc[1] });
    p.text(c.quantity, CCOL.qty[0], y, { ...o, width: CCOL.qty[1], align: "right" });
    p.text(c.unit, CCOL.unit[0] + 1.5, y, { ...o, width: CCOL.unit[1] });
    p.text(c.unitPrice, CCOL.price[0], y, { ...o, width: CCOL.price[1], align: "right" });
    p.text(c.amount, CCOL.amount[0], y, { ...o, width: CCOL.amount[1], align: "right" });
    p.rule(y + 3.6, LEFT, RIGHT, "black", 0.6);
    p.y = y + 4.6;
  };
  ensure(4.6 + 4);
  head();
  for (const l of v.lines) {
    const h = Math.max(p.height(l.label, CCOL.desc[1], BODY), 3.4) + (l.detail ? p.height(l.detail, CCOL.desc[1], SMALL) : 0) + 0.1;
    const before = p.y;
    ensure(h);
    if (p.y !== before) head();
    const y = p.y;
    p.text(l.pos, CCOL.pos[0], y, { size: BODY, width: CCOL.pos[1] });
    const lh = p.text(l.label, CCOL.desc[0], y, { size: BODY, width: CCOL.desc[1] });
    if (l.detail) p.text(l.detail, CCOL.desc[0], y + lh, { size: SMALL, color: GREY, width: CCOL.desc[1] });
    p.text(l.quantity, CCOL.qty[0], y, { size: BODY, width: CCOL.qty[1], align: "right" });
    p.text(l.unit, CCOL.unit[0] + 1.5, y, { size: BODY, width: CCOL.unit[1] });
    p.text(l.unitPrice, CCOL.price[0], y, { size: BODY, width: CCOL.price[1], align: "right" });
    p.text(l.amount, CCOL.amount[0], y, { size: BODY, width: CCOL.amount[1], align: "right" });
    p.y = y + h;
  }
  p.rule(p.y, LEFT, RIGHT, "black", 0.6);
  p.y += 1.5;
}

function compactTotals(p: Page, v: InvoiceView, ensure: (h: number) => void): void {
  ensure(v.totals.length * 4 + 2);
  for (const t of v.totals) {
    const size = t.strong ? 9.5 : BODY;
    if (t.strong) {
      p.rule(p.y, 100, RIGHT, "black", 0.6);
      p.y += 1;
    }
    const color = t.info ? GREY : "black";
    p.text(t.label, 100, p.y, { size, bold: t.strong, color, width: 66 });
    p.text(t.amount, CCOL.amount[0], p.y, { size, bold: t.strong, color, width: CCOL.amount[1], align: "right" });
    p.y += t.strong ? 4.6 : 3.5;
  }
  if (v.totals.some((t) => t.strong)) p.rule(p.y - 0.8, 100, RIGHT, "black", 1.2);
  p.y += 2;
}

const TITLE_H = 4.6;
const ROW_H = 3.5;

function title(p: Page, s: string, x: number, y: number): number {
  return p.text(s, x, y, { size: 8.5, bold: true, width: HALF }) + 0.8;
}

function textBlock(p: Page, head: string, rows: string[]): Block {
  const heights = rows.map((r) => p.height(r, HALF, SMALL) + 0.5);
  const th = p.height(head, HALF, 8.5, true) + 0.8;
  return {
    height: th + heights.reduce((a, b) => a + b, 0) + 1.5,
    draw: (x, y) => {
      let yy = y + title(p, head, x, y);
      rows.forEach((r, i) => {
        p.text(r, x, yy, { size: SMALL, width: HALF });
        yy += heights[i]!;
      });
    },
  };
}

function historyBlock(p: Page, hx: NonNullable<ExplainView["history"]>): Block {
  const heights = hx.rows.map((r) => Math.max(p.height(r.label, 46, SMALL), ROW_H));
  const th = p.height(hx.title, HALF, 8.5, true) + 0.8;
  const noteH = hx.note ? p.height(hx.note, HALF, SMALL) + 0.5 : 0;
  return {
    height: th + heights.reduce((a, b) => a + b, 0) + noteH + 1.5,
    draw: (x, y) => {
      let yy = y + title(p, hx.title, x, y);
      hx.rows.forEach((r, i) => {
        p.text(r.label, x, yy, { size: SMALL, width: 46 });
        p.text(r.kWh, x + 46, yy, { size: SMALL, width: 22, align: "right" });
        p.text(r.share, x + 68, yy, { size: SMALL, width: 14, align: "right" });
        yy += heights[i]!;
      });
      if (hx.note) p.text(hx.note, x, yy, { size: SMALL, color: GREY, width: HALF });
    },
  };
}

function energyBlock(p: Page, e: NonNullable<InvoiceView["energy"]>): Block {
  const split = e.split.map((s) => `${s.label}: ${s.kwh} kWh`).join(" | ");
  const splitH = p.height(split, HALF, SMALL) + 0.5;
  return {
    height: TITLE_H + e.rows.length * ROW_H + splitH + (e.selfSufficiency ? ROW_H : 0) + 1.5,
    draw: (x, y) => {
      let yy = y + title(p, e.title, x, y);
      for (const r of e.rows) {
        const bold = r === e.rows.find((z) => z.share === "100.0 %");
        p.text(r.label, x, yy, { size: SMALL, bold, width: 40 });
        p.text(`${r.kwh} kWh`, x + 40, yy, { size: SMALL, bold, width: 26, align: "right" });
        p.text(r.share, x + 66, yy, { size: SMALL, bold, width: 16, align: "right" });
        yy += ROW_H;
      }
      p.text(split, x, yy, { size: SMALL, color: GREY, width: HALF });
      yy += splitH;
      if (e.selfSufficiency) p.text(`${e.selfSufficiency.label}: ${e.selfSufficiency.value}`, x, yy, { size: BODY, bold: true, width: HALF });
    },
  };
}

/** Sessions in chunks of at most EV_ROWS rows, so that no block is taller than a page; each chunk has the column heads. */
const EV_ROWS = 40;

function evBlocks(p: Page, ev: NonNullable<ExplainView["ev"]>): Block[] {
  const cols = [
    [0, 17, "left"],
    [17, 11, "left"],
    [28, 16, "right"],
    [46, 18, "left"],
    [64, 18, "left"],
  ] as const;
  const noteH = p.height(ev.note, HALF, SMALL) + 0.5;
  const row = (cells: readonly string[], x: number, y: number, bold = false): void =>
    cells.forEach((c, i) => p.text(c, x + cols[i]![0], y, { size: SMALL, bold, width: cols[i]![1], align: cols[i]![2] }));
  const chunks: string[][][] = [];
  for (let i = 0; i < ev.rows.length; i += EV_ROWS) chunks.push(ev.rows.slice(i, i + EV_ROWS));
  return chunks.map((rows, k) => {
    const first = k === 0;
    const last = k === chunks.length - 1;
    return {
      height: (first ? TITLE_H : 0) + (rows.length + 1) * ROW_H + (last ? noteH : 0) + 1.5,
      draw: (x: number, y: number) => {
        let yy = first ? y + title(p, ev.title, x, y) : y;
        row(ev.columns, x, yy, true);
        yy += ROW_H;
        for (const r of rows) {
          row(r, x, yy);
          yy += ROW_H;
        }
        if (last) p.text(ev.note, x, yy, { size: SMALL, color: GREY, width: HALF });
      },
    };
  });
}

function rowsBlockCompact(p: Page, head: string, rows: { label: string; amount: string }[], width: number): Block {
  const labelW = Math.min(width - 18, 120);
  const heights = rows.map((r) => p.height(r.label, labelW, SMALL) + 0.5);
  const th = p.height(head, width, 8.5, true) + 0.8;
  return {
    height: th + heights.reduce((a, b) => a + b, 0) + 1.5,
    draw: (x, y) => {
      let yy = y + p.text(head, x, y, { size: 8.5, bold: true, width }) + 0.8;
      rows.forEach((r, i) => {
        p.text(r.label, x, yy, { size: SMALL, width: labelW });
        if (r.amount) p.text(r.amount, x + width - 18, yy, { size: SMALL, width: 18, align: "right" });
        yy += heights[i]!;
      });
    },
  };
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
      if (w > 0)
        p.doc
          .rect(x * MM, p.y * MM, w * MM, 6 * MM)
          .fillColor(COLORS[part.source])
          .fill();
      x += w;
    }
    p.doc
      .rect(LEFT * MM, p.y * MM, width * MM, 6 * MM)
      .lineWidth(0.4)
      .strokeColor(GREY)
      .stroke();
    p.y += 8;
    let lx = LEFT;
    for (const part of e.chart.parts) {
      p.doc
        .rect(lx * MM, (p.y + 0.4) * MM, 2.6 * MM, 2.6 * MM)
        .fillColor(COLORS[part.source])
        .fill();
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
