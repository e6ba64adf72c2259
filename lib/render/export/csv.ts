import type { Cell, ExportTable } from "./table";

/*
 * CSV as Swiss Excel opens it with a double click: UTF-8 with a byte order
 * mark (else umlauts break), ";" between fields (the list separator of the
 * de-CH, fr-CH and it-CH locales), "." as the decimal point, CRLF line ends.
 */

const BOM = "\ufeff";

/** Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe: names come from data. */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(value: Cell, text: boolean): string {
  if (value === null) return "";
  const s = typeof value === "string" && text ? defuse(value) : String(value);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(table: ExportTable): Buffer {
  const lines = [table.columns.map((c) => field(c.key, true)).join(";")];
  for (const row of table.rows) lines.push(row.map((v, i) => field(v, table.columns[i]!.type === "text" && !table.columns[i]!.generated)).join(";"));
  return Buffer.from(BOM + lines.join("\r\n") + "\r\n", "utf8");
}
