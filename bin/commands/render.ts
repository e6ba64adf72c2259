import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { writeInvoiceDocument } from "../../lib/render/documents";
import { getInvoice, listInvoices, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { parsePeriod } from "../../lib/time/periods";
import { CommandIO, UsageError } from "./io";

export const RENDER_USAGE = `zev render --db <file.sqlite> --id <invoice id> [--id <id> ...] --out <folder> [--logo <png|jpg>]
  zev render --db <file.sqlite> --community <id> --period <2026-11|...> --out <folder> [--logo <png|jpg>]
      the invoice PDF(s) with the Swiss QR bill, from the issued invoice's frozen snapshot
      (the same bytes every time); drafts are rendered with a watermark`;

export async function renderCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string" },
      id: { type: "string", multiple: true },
      community: { type: "string" },
      period: { type: "string" },
      out: { type: "string" },
      logo: { type: "string" },
    },
  });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  if (!values.out) throw new UsageError("--out <folder> is required");
  if (!values.id?.length && !(values.community && values.period))
    throw new UsageError("name the invoices: --id <n> (repeatable), or --community <id> --period <p>");
  const logo = values.logo ? readFileSync(values.logo) : undefined;
  const store = SqliteStore.open(values.db, { readonly: true });
  try {
    let records: InvoiceRecord[];
    if (values.id?.length) {
      records = values.id.map((text) => {
        const id = Number(text);
        if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`--id must be an invoice id, got ${JSON.stringify(text)}`);
        const rec = getInvoice(store, id);
        if (!rec) throw new Error(`no invoice ${id} in ${store.path}`);
        return rec;
      });
    } else {
      const p = parsePeriod(values.period!);
      records = listInvoices(store, values.community!, { from: p.from, to: p.to });
    }
    let failed = 0;
    for (const rec of records) {
      try {
        const doc = await writeInvoiceDocument(rec, values.out, logo ? { logo } : {});
        if (doc.path) io.out(`${rec.number}: ${doc.path}\n`);
        else io.out(`draft #${rec.id}: not written (drafts are only rendered in memory; issue it first)\n`);
      } catch (e) {
        failed++;
        io.err(`${rec.number ?? `draft #${rec.id}`}: ${(e as Error).message}\n`);
      }
    }
    if (!records.length) io.out("no invoices\n");
    return failed ? 1 : 0;
  } finally {
    store.close();
  }
}
