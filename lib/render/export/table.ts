/**
 * One export table, format-neutral: CSV writes it as text, XLSX as typed
 * cells. Decimal values stay text (exact, as stored); the column type says
 * how a spreadsheet should see them.
 */
export type ColumnType = "text" | "integer" | "decimal" | "date" | "boolean";

export interface ExportColumn {
  key: string;
  type: ColumnType;
  /** Decimal places for decimals (kWh 3, amounts 2, shares 4); used for the XLSX number format. */
  places?: number;
  /** Text we generate ourselves (UTC offsets like "+01:00"): never taken for a formula, so written as it is. */
  generated?: boolean;
}

/** null = empty cell. Decimals are decimal text ("12.350"), dates YYYY-MM-DD, integers numbers. */
export type Cell = string | number | boolean | null;

export interface ExportTable {
  /** Sheet name in XLSX (at most 31 characters, no []:*?/\). */
  name: string;
  columns: ExportColumn[];
  rows: Cell[][];
}

export const col = (key: string, type: ColumnType = "text", places?: number): ExportColumn => ({ key, type, ...(places !== undefined ? { places } : {}) });
export const kwhCol = (key: string): ExportColumn => col(key, "decimal", 3);
export const amountCol = (key: string): ExportColumn => col(key, "decimal", 2);
