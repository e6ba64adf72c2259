import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildExport, EXPORT_KINDS, ExportError, parseExportRequest } from "../../lib/render/export";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { swissCount } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";

export const EXPORT_USAGE = `zev export --db <file.sqlite> --community <id> --kind ${EXPORT_KINDS.join("|")} --period <2026-11|2026-Q4|2026|from..to>
           [--format csv|xlsx] [--meter <id>] [--out <file>]
      CSV (UTF-8 with BOM, ";") or XLSX of the invoices, their lines, the 15-minute data
      per meter with quality, or the allocation per unit; --out defaults to ./<file name>`;

export async function exportCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      kind: { type: "string" },
      period: { type: "string" },
      format: { type: "string" },
      meter: { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  if (!values.community) throw new UsageError("--community <id> is required");
  let req;
  try {
    req = parseExportRequest(values.community, {
      kind: values.kind,
      format: values.format ?? (values.out?.toLowerCase().endsWith(".xlsx") ? "xlsx" : "csv"),
      period: values.period,
      meter: values.meter,
    });
  } catch (e) {
    if (e instanceof ExportError) throw new UsageError(e.message);
    throw e;
  }
  const store = SqliteStore.open(values.db, { readonly: true });
  try {
    const file = await buildExport(store, req);
    const out = resolve(values.out ?? file.filename);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, file.buffer);
    io.out(`${swissCount(file.rows)} row(s) written to ${out}\n`);
    return 0;
  } finally {
    store.close();
  }
}
