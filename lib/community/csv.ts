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
 * No roster, load profile or session export has a line this long: csv-parse refuses it at once, instead of
 * spending seconds on one huge field (a 30 MB file without a line break took 10 s per delimiter tried).
 */
const MAX_RECORD_CHARS = 1 << 20;

const OPTIONS = { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS } as const;
/** Operators' exports put stray quotes inside fields; a roster (readCsv) is ours and stays strict. */
const EXPORT_OPTIONS = { ...OPTIONS, relax_quotes: true } as const;

/**
 * Reads a CSV file whose header is one of its first `searchLines` records
 * (operators put metadata lines above it): the likely delimiter first, then
 * the others, until `findLayout` recognises a header. Each delimiter is tried
 * on the file's first lines only; the whole file is read once, under the
 * delimiter whose header was found (a file without one costs a few lines, not
 * three readings of all of it).
 */
export function findCsvTable<L>(text: string, findLayout: (record: string[]) => L | null, searchLines: number): CsvTable<L> {
  let lastError: Error | null = null;
  /** The whole file's error under a delimiter whose header was found: what a caller reports. */
  let fileError: Error | null = null;
  let headRecords = 0;
  const guess = detectDelimiter(text);
  for (const delimiter of [guess, ...([";", ",", "\t"] as const).filter((d) => d !== guess)]) {
    let head: string[][];
    try {
      // Lines, not records: a few blank lines above the header are skipped as before.
      head = parse(text, { ...EXPORT_OPTIONS, delimiter, to_line: searchLines * 4 }) as string[][];
    } catch (e) {
      lastError = e as Error;
      continue;
    }
    headRecords = Math.max(headRecords, head.length);
    let layout: L | null = null;
    let headerAt = -1;
    for (let i = 0; i < Math.min(head.length, searchLines) && !layout; i++) {
      layout = findLayout(head[i]!);
      if (layout) headerAt = i;
    }
    if (!layout) continue;
    try {
      return { records: parse(text, { ...EXPORT_OPTIONS, delimiter }) as string[][], layout, headerAt, lastError: null };
    } catch (e) {
      fileError ??= e as Error;
    }
  }
  return { records: [], layout: null, headerAt: -1, lastError: fileError ?? (headRecords === 0 ? lastError : null) };
}

/** A file's first line for a message: quoted, at most 200 characters, and how long it really is when longer. */
export function firstLineExcerpt(text: string): string {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return first.length > 200 ? `${JSON.stringify(first.slice(0, 200))}… (${first.length} characters)` : JSON.stringify(first);
}

/**
 * Reads a CSV file with a header line into rows keyed by lower-cased header
 * names. Throws with the file name and line on malformed CSV.
 */
export function readCsv(text: string, fileName: string, required: readonly string[]): CsvRow[] {
  let records: string[][];
  try {
    records = parse(text, { ...OPTIONS, delimiter: detectDelimiter(text) }) as string[][];
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
