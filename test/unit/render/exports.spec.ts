import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { BillingRunReport } from "../../../lib/billing/run";
import { buildExport, parseExportRequest } from "../../../lib/render/export";
import { toCsv } from "../../../lib/render/export/csv";
import { kwhFromWh } from "../../../lib/render/export/intervals";
import { listInvoices } from "../../../lib/store/invoice-repo";
import { meterIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { parsePeriod } from "../../../lib/time/periods";
import { Decimal } from "../../../lib/util/money";
import { fillMeter } from "../../support/billing-fixture";
import { billedSonnenhof } from "../../support/render-fixture";

type Row = Record<string, string>;

function readCsv(buf: Buffer): Row[] {
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
  const text = buf.toString("utf8");
  assert.ok(text.includes("\r\n"), "CRLF line ends");
  return parse(text, { delimiter: ";", bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

async function readXlsx(buf: Buffer): Promise<Map<string, Record<string, unknown>[]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out = new Map<string, Record<string, unknown>[]>();
  wb.eachSheet((ws) => {
    const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, unknown>[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const values = row.values as unknown[];
      rows.push(Object.fromEntries(head.map((h, i) => [h, values[i + 1] ?? null])));
    });
    out.set(ws.name, rows);
  });
  return out;
}

const isoDate = (v: unknown): string | null => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? null : String(v));
const num = (v: string | null): number | null => (v === null || v === "" ? null : Number(v));

describe("CSV and XLSX exports re-read equal the store", () => {
  let dir = "";
  let store: SqliteStore;
  let report: BillingRunReport;

  before(function () {
    this.timeout(30000);
    dir = mkdtempSync(join(tmpdir(), "zev-export-"));
    ({ store, report } = billedSonnenhof(dir));
  });
  after(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("invoices and lines as CSV: semicolons, BOM, the stored figures", async () => {
    const inv = await buildExport(store, { communityId: "sonnenhof", kind: "invoices", format: "csv", period: "2026-11" });
    assert.equal(inv.filename, "zev_sonnenhof_invoices_2026-11.csv");
    assert.ok(inv.buffer.toString("utf8").split("\r\n")[0]!.startsWith("\ufeffid;number;kind;status;"));
    const rows = readCsv(inv.buffer);
    const stored = listInvoices(store, "sonnenhof");
    assert.equal(rows.length, stored.length);
    for (const r of stored) {
      const row = rows.find((x) => Number(x.id) === r.id)!;
      const t = r.snapshot.totals;
      assert.deepEqual(
        [
          row.number,
          row.status,
          row.kind,
          row.recipient,
          row.unit,
          row.period_from,
          row.period_to,
          row.invoice_date,
          row.due_date,
          row.lines_total,
          row.vat,
          row.rounding,
          row.total,
          row.reference,
          row.self_sufficiency,
        ],
        [
          r.number,
          r.status,
          r.kind,
          r.snapshot.recipient.name,
          r.unitId,
          r.periodFrom,
          r.periodTo,
          r.snapshot.invoiceDate,
          r.snapshot.dueDate,
          t.linesTotal,
          t.vatTotal,
          t.rounding,
          r.total,
          r.reference,
          r.snapshot.energy.selfSufficiency,
        ],
      );
    }
    const lines = readCsv((await buildExport(store, { communityId: "sonnenhof", kind: "lines", format: "csv", period: "2026-11" })).buffer);
    const dbLines = store.db
      .prepare("SELECT invoice_id, pos, kind, quantity, unit, unit_price, amount, vat_rate FROM invoice_lines ORDER BY invoice_id, pos")
      .all() as { invoice_id: number; pos: number; kind: string; quantity: string; unit: string; unit_price: string; amount: string; vat_rate: string }[];
    assert.equal(lines.length, dbLines.length);
    dbLines.forEach((l, i) => {
      const row = lines[i]!;
      assert.deepEqual(
        [Number(row.invoice_id), Number(row.pos), row.kind, row.unit_price, row.amount, row.vat_rate],
        [l.invoice_id, l.pos, l.kind, l.unit_price, l.amount, l.vat_rate],
      );
      if (l.unit === "kWh") assert.equal(row.kwh, l.quantity);
      else assert.equal(row.days ? `${row.days}/${row.days_in_month}` : row.months, l.quantity);
    });
    // Per invoice, the lines add up to the invoice's lines total.
    for (const r of stored) {
      const sum = lines.filter((l) => Number(l.invoice_id) === r.id).reduce((a, l) => a.plus(l.amount!), new Decimal(0));
      assert.equal(sum.toFixed(2), r.snapshot.totals.linesTotal);
    }
  });

  it("invoices as XLSX: an invoices and a lines sheet with numbers and dates", async () => {
    const file = await buildExport(store, { communityId: "sonnenhof", kind: "invoices", format: "xlsx", period: "2026-11" });
    assert.equal(file.filename, "zev_sonnenhof_invoices_2026-11.xlsx");
    const sheets = await readXlsx(file.buffer);
    assert.deepEqual([...sheets.keys()], ["invoices", "lines"]);
    const stored = listInvoices(store, "sonnenhof");
    for (const r of stored) {
      const row = sheets.get("invoices")!.find((x) => x.id === r.id)!;
      assert.equal(row.number, r.number);
      assert.equal(row.total, Number(r.total));
      assert.equal(row.vat, Number(r.snapshot.totals.vatTotal));
      assert.equal(isoDate(row.invoice_date), r.snapshot.invoiceDate);
      assert.equal(isoDate(row.period_to), r.periodTo);
      const lines = sheets.get("lines")!.filter((x) => x.invoice_id === r.id);
      assert.deepEqual(
        lines.map((l) => l.amount),
        r.snapshot.lines.map((l) => Number(l.amount)),
      );
      assert.deepEqual(
        lines.map((l) => l.kwh),
        r.snapshot.lines.map((l) => (l.unit === "kWh" ? Number(l.quantity) : null)),
      );
    }
    // The same export twice is the same file (a fixed workbook date).
    const again = await buildExport(store, { communityId: "sonnenhof", kind: "invoices", format: "xlsx", period: "2026-11" });
    assert.equal(again.buffer.length, file.buffer.length);
  });

  it("15-minute data per meter with quality flags, gaps and the DST night, in CSV and XLSX", async () => {
    // 25 October 2026: the clocks go back, 100 quarter hours. Some estimated values and a gap.
    const day = "2026-10-25..2026-10-25";
    fillMeter(store, "sonnenhof", "unit-1", day, (i) => (i >= 40 && i < 44 ? null : 100 + i), "measured");
    fillMeter(store, "sonnenhof", "unit-1", "2026-10-25..2026-10-25", (i) => (i >= 60 && i < 62 ? 77 : null), "estimated");
    fillMeter(
      store,
      "sonnenhof",
      "pv",
      day,
      (i) => (i % 3 === 0 ? 1234567 : 0),
      "measured",
      (i) => i,
    );
    const csv = await buildExport(store, { communityId: "sonnenhof", kind: "intervals", format: "csv", period: day, meter: "unit-1" });
    assert.equal(csv.filename, "zev_sonnenhof_intervals_unit-1_2026-10-25_2026-10-25.csv");
    const rows = readCsv(csv.buffer);
    assert.equal(rows.length, 100);
    const p = parsePeriod(day);
    const m = getMeter(store, "sonnenhof", "unit-1")!;
    const stored = new Map(meterIntervals(store, m.id, p.startMs, p.endMs).map((r) => [r.startMs, r]));
    rows.forEach((row, i) => {
      const t = p.startMs + i * 900000;
      assert.equal(row.start_utc, new Date(t).toISOString().replace(".000Z", "Z"));
      const s = stored.get(t);
      if (!s) assert.deepEqual([row.quality, row.import_kwh], ["missing", ""]);
      else assert.deepEqual([row.quality, row.import_kwh, row.export_kwh], [s.quality, kwhFromWh(s.importWh!), kwhFromWh(s.exportWh ?? 0)]);
    });
    assert.deepEqual(
      rows.filter((r) => r.start_local === "2026-10-25 02:00").map((r) => r.utc_offset),
      ["+02:00", "+01:00"],
    );
    assert.deepEqual(rows.filter((r) => r.quality === "estimated").length, 2);
    assert.deepEqual(rows.filter((r) => r.quality === "missing").length, 4);

    const xlsx = await readXlsx((await buildExport(store, { communityId: "sonnenhof", kind: "intervals", format: "xlsx", period: day })).buffer);
    assert.ok(xlsx.has("unit-1") && xlsx.has("pv") && xlsx.has("battery"), [...xlsx.keys()].join());
    const pv = xlsx.get("pv")!;
    const pvStored = meterIntervals(store, getMeter(store, "sonnenhof", "pv")!.id, p.startMs, p.endMs);
    assert.deepEqual(
      pv.map((r) => r.import_kwh),
      pvStored.map((r) => r.importWh! / 1000),
    );
    assert.deepEqual(
      pv.map((r) => r.export_kwh),
      pvStored.map((r) => r.exportWh! / 1000),
    );
    assert.equal(pv[3]!.import_kwh, 1234.567);
    assert.deepEqual(
      xlsx.get("unit-1")!.map((r) => r.quality),
      rows.map((r) => r.quality),
    );
  });

  it("the allocation per unit agrees with the invoices to the Wh and adds up to the community's totals", async () => {
    const rows = readCsv((await buildExport(store, { communityId: "sonnenhof", kind: "allocation", format: "csv", period: "2026-11" })).buffer);
    assert.deepEqual(
      rows.map((r) => `${r.type}:${r.id}`),
      ["unit:1", "unit:2", "unit:3", "unit:4", "charger:charger-1", "common:common", "total:sonnenhof"],
    );
    const k = (x: string | undefined): Decimal => new Decimal(x || "0");
    for (const r of rows)
      assert.ok(k(r.solar_kwh).plus(k(r.battery_kwh)).plus(k(r.grid_kwh)).eq(k(r.consumption_kwh)), `${r.id}: solar + battery + grid = consumption`);
    const sumOf = (col: string): Decimal => rows.filter((r) => r.type !== "total").reduce((a, r) => a.plus(k(r[col])), new Decimal(0));
    const total = rows.find((r) => r.type === "total")!;
    // Each row is rounded to whole Wh on its own: the sum of 7 rows may differ from the total by a few Wh.
    assert.ok(sumOf("consumption_kwh").minus(total.consumption_kwh!).abs().lte("0.007"));
    assert.ok(k(total.consumption_kwh).minus(report.totals.consumptionKWh).abs().lte("0.001"));
    assert.ok(
      k(total.solar_kwh).minus(report.totals.selfConsumedKWh).abs().lte("0.001"),
      "the solar all consumers used is the community's self-consumed solar",
    );
    assert.ok(k(total.battery_kwh).gt(0), "the battery covered part of the evenings");

    const WH = new Decimal("0.001");
    for (const key of ["t1", "t2", "t3"]) {
      const inv = report.records.find((r) => r.tenancyKey === key)!.snapshot;
      const row = rows.find((r) => r.type === "unit" && r.id === inv.unit.id)!;
      const q = (...kinds: string[]): Decimal => inv.lines.filter((l) => kinds.includes(l.kind)).reduce((a, l) => a.plus(l.quantity), new Decimal(0));
      const near = (a: Decimal, b: string | undefined, tol: Decimal, what: string): void =>
        assert.ok(a.minus(k(b)).abs().lte(tol), `${key} ${what}: invoice ${a.toFixed(3)} vs export ${b}`);
      near(q("solar"), row.solar_kwh, WH, "solar");
      near(q("battery"), row.battery_kwh, WH, "battery");
      near(q("grid", "grid-ht", "grid-nt"), row.grid_kwh, WH.mul(2), "grid");
      near(q("common-solar"), row.common_solar_kwh, WH, "common solar");
      near(q("common-battery"), row.common_battery_kwh, WH, "common battery");
      near(q("common-grid", "common-grid-ht", "common-grid-nt"), row.common_grid_kwh, WH.mul(2), "common grid");
      assert.equal(k(row.ev_kwh).toFixed(3), q("ev-normal", "ev-priority").toFixed(3));
      assert.equal(row.self_sufficiency, inv.energy.selfSufficiency, `${key} self-sufficiency`);
    }
    const xlsx = await readXlsx((await buildExport(store, { communityId: "sonnenhof", kind: "allocation", format: "xlsx", period: "2026-11" })).buffer);
    assert.deepEqual(
      xlsx.get("allocation")!.map((r) => r.consumption_kwh),
      rows.map((r) => num(r.consumption_kwh!)),
    );
  });

  it("checks requests and keeps formulas out of spreadsheets", () => {
    assert.throws(() => parseExportRequest("x", { kind: "meters", period: "2026-11" }), /export kind must be one of invoices, lines, intervals, allocation/);
    assert.throws(() => parseExportRequest("x", { kind: "invoices", format: "pdf", period: "2026-11" }), /csv or xlsx/);
    assert.throws(() => parseExportRequest("x", { kind: "invoices" }), /needs a period/);
    assert.deepEqual(parseExportRequest("x", { kind: "allocation", period: " 2026-Q4 " }), {
      communityId: "x",
      kind: "allocation",
      format: "csv",
      period: "2026-Q4",
    });
    const csv = toCsv({
      name: "t",
      columns: [
        { key: "name", type: "text" },
        { key: "amount", type: "decimal", places: 2 },
      ],
      rows: [
        ['=HYPERLINK("http://x")', "-12.50"],
        ["Meier; Anna", null],
      ],
    }).toString("utf8");
    assert.equal(csv, '\ufeffname;amount\r\n"\'=HYPERLINK(""http://x"")";-12.50\r\n"Meier; Anna";\r\n');
  });
});
