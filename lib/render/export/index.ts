import { latestCommunity } from "../../store/community-repo";
import type { Store } from "../../store/store";
import { DEFAULT_TIME_ZONE } from "../../time/local-date";
import { parsePeriod, type BillingPeriod } from "../../time/periods";
import { safeFileName } from "../../util/safe-file-name";
import { journalTable, openItemsTable } from "./accounting";
import { allocationTable } from "./allocation";
import { toCsv } from "./csv";
import { intervalTables } from "./intervals";
import { invoiceRecordsFor, invoicesTable, linesTable } from "./invoices";
import { producerStatementsTable } from "./producer-statements";
import type { ExportTable } from "./table";
import type { toXlsx as ToXlsx } from "./xlsx";

export type ExportKind = "invoices" | "lines" | "intervals" | "allocation" | "open-items" | "journal" | "producer-statements";
export const EXPORT_KINDS: readonly ExportKind[] = ["invoices", "lines", "intervals", "allocation", "open-items", "journal", "producer-statements"];
export type ExportFormat = "csv" | "xlsx";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "xlsx"];

export interface ExportRequest {
  communityId: string;
  kind: ExportKind;
  format: ExportFormat;
  /** 2026-11, 2026-Q4, 2026, 2026-11-01..2026-11-15, or a parsed period. */
  period: string | BillingPeriod;
  /** Intervals only: one meter instead of all. */
  meter?: string;
}

export interface ExportFile {
  filename: string;
  buffer: Buffer;
  /** Rows written (all tables). */
  rows: number;
}

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}

/** Checks an export request as it comes from a message or the command line; throws naming the bad field. */
export function parseExportRequest(communityId: string, p: { kind?: unknown; format?: unknown; period?: unknown; meter?: unknown }): ExportRequest {
  if (!EXPORT_KINDS.includes(p.kind as ExportKind))
    throw new ExportError(`export kind must be one of ${EXPORT_KINDS.join(", ")}, got ${JSON.stringify(p.kind)}`);
  const format = p.format ?? "csv";
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new ExportError(`export format must be csv or xlsx, got ${JSON.stringify(format)}`);
  if (typeof p.period !== "string" || !p.period.trim()) throw new ExportError("an export needs a period (2026-11, 2026-Q4, 2026, 2026-11-01..2026-11-15)");
  if (p.meter !== undefined && typeof p.meter !== "string") throw new ExportError("meter must be a meter id");
  return { communityId, kind: p.kind as ExportKind, format: format as ExportFormat, period: p.period.trim(), ...(p.meter ? { meter: p.meter } : {}) };
}

/**
 * The tables of an export. "invoices" in XLSX carries two sheets (invoices
 * and their lines); a CSV file holds one table, so lines are their own kind.
 */
export function exportTables(store: Store, req: Omit<ExportRequest, "format">, forXlsx = false): { period: BillingPeriod; tables: ExportTable[] } {
  const zone = latestCommunity(store, req.communityId)?.definition.timeZone;
  if (!zone) throw new ExportError(`no community ${JSON.stringify(req.communityId)} in ${store.path}`);
  const period = typeof req.period === "string" ? parsePeriod(req.period, zone ?? DEFAULT_TIME_ZONE) : req.period;
  switch (req.kind) {
    case "invoices": {
      const recs = invoiceRecordsFor(store, req.communityId, period);
      return { period, tables: forXlsx ? [invoicesTable(recs), linesTable(recs)] : [invoicesTable(recs)] };
    }
    case "lines":
      return { period, tables: [linesTable(invoiceRecordsFor(store, req.communityId, period))] };
    case "intervals":
      return { period, tables: intervalTables(store, req.communityId, period, req.meter) };
    case "allocation":
      return { period, tables: [allocationTable(store, req.communityId, period)] };
    case "open-items":
      return { period, tables: [openItemsTable(store, req.communityId, period)] };
    case "journal":
      return { period, tables: [journalTable(store, req.communityId, period)] };
    case "producer-statements":
      return { period, tables: [producerStatementsTable(store, req.communityId, period)] };
  }
}

/** One CSV table from tables with the same columns (interval data of several meters). */
function oneTable(tables: ExportTable[]): ExportTable {
  const first = tables[0];
  if (!first) return { name: "empty", columns: [], rows: [] };
  return { name: first.name, columns: first.columns, rows: tables.flatMap((t) => t.rows) };
}

/** exceljs on first use: it takes seconds to load on a Pi and tens of MB, and a CSV export or a node's request check need none of it. */
function xlsx(): typeof ToXlsx {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("./xlsx") as { toXlsx: typeof ToXlsx }).toXlsx;
}

/** Builds the export file: "zev_<community>_<kind>_<period>.csv|xlsx". */
export async function buildExport(store: Store, req: ExportRequest): Promise<ExportFile> {
  const { period, tables } = exportTables(store, req, req.format === "xlsx");
  const filename = `${safeFileName("zev", req.communityId, req.kind, ...(req.meter ? [req.meter] : []), period.label.replace("..", "_"))}.${req.format}`;
  const rows = tables.reduce((a, t) => a + t.rows.length, 0);
  // A fixed file date (the period's end) keeps an XLSX export of the same data identical.
  const buffer = req.format === "csv" ? toCsv(oneTable(tables)) : await xlsx()(tables, new Date(period.endMs));
  return { filename, buffer, rows };
}
