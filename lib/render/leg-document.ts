import { drawPdf } from "./pdf-document";
import type { ProducerStatement } from "../model/leg";
import { safeFileName } from "../util/safe-file-name";
import { producerStatementView } from "./leg-view";
import { GREY, header, LEFT, Page, RIGHT } from "./pdf-page";

/*
 * A LEG producer's statement (docs/decisions/0131) as a letter in the
 * producer's language, from the statement alone: no payment part, the LEG
 * pays. The document date is the statement date (a draft: the period's last
 * day), so rendering it again gives the same bytes.
 */

export function producerStatementFileName(s: ProducerStatement): string {
  return `${safeFileName(s.number ?? "draft", "producer", `unit-${s.unit.id}`, s.producer.name)}.pdf`;
}

export async function renderProducerStatement(s: ProducerStatement, opts: { logo?: Buffer } = {}): Promise<{ filename: string; buffer: Buffer }> {
  const view = producerStatementView(s);
  const date = new Date(`${s.statementDate ?? s.period.to}T12:00:00Z`);
  const buffer = await drawPdf({ language: view.language, pdfTitle: view.pdfTitle, title: view.title, author: s.payer.name, date }, (doc) => {
    const p = new Page(doc);
    header(p, view, opts.logo);
    if (view.watermark) p.text(view.watermark, LEFT, 78, { size: 9, bold: true, color: GREY });
    p.y += p.text(view.intro, LEFT, p.y, { size: 9.5 }) + 4;
    const col = { desc: LEFT, qty: 110, price: 140, amount: 160 };
    const head = (x: number, w: number, s: string, right = true): number =>
      p.text(s, x, p.y, { size: 8.5, bold: true, width: w, align: right ? "right" : "left" });
    head(col.desc, 88, view.columns.description, false);
    head(col.qty, 28, view.columns.quantity);
    head(col.price, 18, view.columns.unitPrice);
    head(col.amount, RIGHT - col.amount, view.columns.amount);
    p.y += 5;
    p.rule(p.y - 1);
    for (const l of view.lines) {
      const h = p.text(l.description, col.desc, p.y, { size: 9, width: 88 });
      p.text(l.quantity, col.qty, p.y, { size: 9, width: 28, align: "right" });
      p.text(l.unitPrice, col.price, p.y, { size: 9, width: 18, align: "right" });
      p.text(l.amount, col.amount, p.y, { size: 9, width: RIGHT - col.amount, align: "right" });
      p.y += h + 1.5;
    }
    p.y += 3;
    for (const row of view.rows) {
      if (row.strong) p.rule(p.y - 1, 100, RIGHT, "black", 0.6);
      const h = p.text(row.label, 100, p.y, { size: row.strong ? 10 : 9, bold: row.strong, width: 60 });
      p.text(row.amount, 160, p.y, { size: row.strong ? 10 : 9, bold: row.strong, width: RIGHT - 160, align: "right" });
      p.y += Math.max(h, row.strong ? 6 : 4.8) + 0.5;
    }
    p.y += 4;
    for (const n of view.notes) p.y += p.text(n, LEFT, p.y, { size: 9 }) + 1.5;
  });
  return { filename: producerStatementFileName(s), buffer };
}
