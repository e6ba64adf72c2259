import { BOLD, FONT, printable } from "./fonts";

/*
 * The letter both documents share, invoice and reminder: A4 portrait,
 * positions in millimetres from the top left (converted to points). The
 * recipient sits in the right window of a Swiss C5/C6 window envelope
 * (SN 010130); the QR bill takes the last page's lower 105 mm as SIX requires.
 */

export const MM = 72 / 25.4;
export const PAGE_W = 210;
export const PAGE_H = 297;
export const LEFT = 20;
export const RIGHT = 190;
export const CONTENT_BOTTOM = 282;
/** The payment part's top edge, and a little air above it. */
export const QR_TOP = PAGE_H - 105;
export const QR_GAP = 4;

export const GREY = "#555555";
export const LIGHT = "#999999";

export class Page {
  y = 0;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  text(
    s: string,
    xMm: number,
    yMm: number,
    o: { size?: number; bold?: boolean; color?: string; width?: number; align?: "left" | "right" | "center" } = {},
  ): number {
    const { doc } = this;
    doc
      .font(o.bold ? BOLD : FONT)
      .fontSize(o.size ?? 9)
      .fillColor(o.color ?? "black");
    const opts = { width: (o.width ?? RIGHT - xMm) * MM, align: o.align ?? "left", lineGap: 0.5 } as const;
    const t = printable(s);
    doc.text(t, xMm * MM, yMm * MM, opts);
    return doc.heightOfString(t, opts) / MM;
  }

  height(s: string, widthMm: number, size: number, bold = false): number {
    this.doc.font(bold ? BOLD : FONT).fontSize(size);
    return this.doc.heightOfString(printable(s), { width: widthMm * MM, lineGap: 0.5 }) / MM;
  }

  rule(yMm: number, x1 = LEFT, x2 = RIGHT, color = LIGHT, width = 0.5): void {
    this.doc
      .moveTo(x1 * MM, yMm * MM)
      .lineTo(x2 * MM, yMm * MM)
      .lineWidth(width)
      .strokeColor(color)
      .undash()
      .stroke();
  }
}

/** What the letterhead shows: sender, window address, title and the facts beside it. */
export interface LetterHead {
  creditor: { name: string; address: string[]; ids: string[]; contact: string[] };
  senderLine: string;
  recipient: string[];
  title: string;
  number: string | null;
  meta: { label: string; value: string }[];
}

/** `compact`: the facts in two columns at 8 pt, so that an ordinary invoice fits one page with its payment part (decision 0108). */
export function header(p: Page, v: LetterHead, logo: Buffer | undefined, compact = false): void {
  const c = v.creditor;
  let y = 15;
  y += p.text(c.name, LEFT, y, { size: 12, bold: true, width: 90 });
  for (const line of [...c.address, ...c.ids, ...c.contact]) y += p.text(line, LEFT, y, { size: 8.5, color: GREY, width: 90 });
  if (logo) p.doc.image(logo, 140 * MM, 15 * MM, { fit: [50 * MM, 18 * MM], align: "right" });

  senderLine(p, v.senderLine, 118, 46, 72);
  p.rule(49, 118, 190, LIGHT, 0.3);
  let ry = 51;
  v.recipient.forEach((line, i) => (ry += p.text(line, 118, ry, { size: 10, bold: i === 0, width: 72 })));

  if (compact) {
    // The title right under the window address (at least 4 mm below its last line): room for the explanation.
    const top = Math.max(76, ry + 4);
    p.text(v.number ? `${v.title} ${v.number}` : v.title, LEFT, top, { size: 16, bold: true });
    compactMeta(p, v.meta, top + 9);
    return;
  }
  p.text(v.number ? `${v.title} ${v.number}` : v.title, LEFT, 84, { size: 16, bold: true });
  let my = 94;
  for (const m of v.meta) {
    const h = Math.max(p.height(m.label, 45, 8.5), p.height(m.value, 105, 8.5));
    p.text(m.label, LEFT, my, { size: 8.5, color: GREY, width: 45 });
    p.text(m.value, LEFT + 45, my, { size: 8.5, width: 105 });
    my += h + 0.8;
  }
  p.y = my + 5;
}

function compactMeta(p: Page, meta: LetterHead["meta"], top: number): void {
  const half = Math.ceil(meta.length / 2);
  let bottom = top;
  [meta.slice(0, half), meta.slice(half)].forEach((col, c) => {
    const x = LEFT + c * 87;
    let y = top;
    for (const m of col) {
      const h = Math.max(p.height(m.label, 30, 8), p.height(m.value, 55, 8));
      p.text(m.label, x, y, { size: 8, color: GREY, width: 30 });
      p.text(m.value, x + 30, y, { size: 8, width: 55 });
      y += h + 0.4;
    }
    bottom = Math.max(bottom, y);
  });
  p.y = bottom + 2.5;
}

/** The small sender line above the window address: one line, made smaller (down to 5 pt) and then shortened to fit. */
function senderLine(p: Page, text: string, xMm: number, yMm: number, widthMm: number): void {
  const { doc } = p;
  let t = printable(text);
  let size = 6.5;
  const fits = (): boolean => doc.font(FONT).fontSize(size).widthOfString(t) <= widthMm * MM;
  while (!fits() && size > 5) size -= 0.25;
  while (!fits() && t.length > 1) t = `${t.slice(0, -2).trimEnd()}…`;
  doc.fillColor(GREY).text(t, xMm * MM, yMm * MM, { width: widthMm * MM, lineBreak: false });
}
