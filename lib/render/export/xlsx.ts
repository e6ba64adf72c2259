import ExcelJS from "exceljs";
import { PassThrough } from "node:stream";
import type { ExportTable } from "./table";

/*
 * XLSX with typed cells: decimals as numbers with a fixed number of places
 * (the value is the stored decimal, which a double holds exactly to far more
 * digits than kWh or CHF need), dates as real dates shown dd.mm.yyyy.
 * Written with exceljs's streaming writer: a year of 15-minute data for
 * dozens of meters stays fast and small in memory.
 */

function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31) || "Sheet";
  let n = base;
  for (let i = 2; used.has(n.toLowerCase()); i++) n = `${base.slice(0, 28)}~${i}`;
  used.add(n.toLowerCase());
  return n;
}

export async function toXlsx(tables: readonly ExportTable[], created: Date): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "node-red-contrib-zev";
  wb.created = created;
  wb.modified = created;
  const used = new Set<string>();
  for (const t of tables) {
    const ws = wb.addWorksheet(sheetName(t.name, used), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = t.columns.map((c) => ({
      header: c.key,
      key: c.key,
      width: Math.max(10, c.key.length + 2),
      ...(c.type === "decimal"
        ? { style: { numFmt: c.places ? `0.${"0".repeat(c.places)}` : "0.########" } }
        : c.type === "date"
          ? { style: { numFmt: "dd.mm.yyyy" } }
          : {}),
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const row of t.rows) {
      ws.addRow(
        row.map((v, i) => {
          if (v === null) return null;
          const type = t.columns[i]!.type;
          if (type === "decimal" && typeof v === "string" && v !== "" && !Number.isNaN(Number(v))) return Number(v);
          if (type === "date" && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
          return v;
        }),
      ).commit();
    }
    ws.commit();
  }
  await wb.commit();
  await finished;
  return Buffer.concat(chunks);
}
