import { parse } from "csv-parse/sync";

export interface CsvRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  values: Record<string, string>;
}

/** Semicolon is what Swiss Excel writes; comma is accepted when the header uses it. */
export function detectDelimiter(text: string): ";" | "," | "\t" {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const counts = { ";": header.split(";").length, ",": header.split(",").length, "\t": header.split("\t").length };
  if (counts["\t"] > counts[";"] && counts["\t"] > counts[","]) return "\t";
  return counts[","] > counts[";"] ? "," : ";";
}

/** A CSV file's records and the header `findLayout` recognised in them (`layout` null: none found). */
export interface CsvTable<L> {
  records: string[][];
  layout: L | null;
  /** Index of the header record, -1 without one. */
  headerAt: number;
  /** The parser's last error, for a file that no delimiter could read. */
  lastError: Error | null;
}

/**
 * Reads a CSV file whose header is one of its first `searchLines` records
 * (operators put metadata lines above it): the likely delimiter first, then
 * the others, until `findLayout` recognises a header.
 */
export function findCsvTable<L>(text: string, findLayout: (record: string[]) => L | null, searchLines: number): CsvTable<L> {
  let records: string[][] = [];
  let layout: L | null = null;
  let headerAt = -1;
  let lastError: Error | null = null;
  const guess = detectDelimiter(text);
  for (const delimiter of [guess, ...([";", ",", "\t"] as const).filter((d) => d !== guess)]) {
    try {
      records = parse(text, { delimiter, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, relax_quotes: true }) as string[][];
    } catch (e) {
      lastError = e as Error;
      continue;
    }
    for (let i = 0; i < Math.min(records.length, searchLines) && !layout; i++) {
      layout = findLayout(records[i]!);
      if (layout) headerAt = i;
    }
    if (layout) break;
  }
  return { records, layout, headerAt, lastError };
}

/**
 * Reads a CSV file with a header line into rows keyed by lower-cased header
 * names. Throws with the file name and line on malformed CSV.
 */
export function readCsv(text: string, fileName: string, required: readonly string[]): CsvRow[] {
  let records: string[][];
  try {
    records = parse(text, { delimiter: detectDelimiter(text), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw new Error(`${fileName}: not readable as CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new Error(`${fileName}: empty file, expected a header line with ${required.join(", ")}`);
  const header = records[0]!.map((h) => h.trim().toLowerCase());
  const missing = required.filter((r) => !header.includes(r.toLowerCase()));
  if (missing.length) throw new Error(`${fileName}: header lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (found: ${header.join(", ")})`);
  return records.slice(1).map((rec, i) => {
    const values: Record<string, string> = {};
    header.forEach((h, j) => {
      values[h] = (rec[j] ?? "").trim();
    });
    return { line: i + 2, values };
  });
}
