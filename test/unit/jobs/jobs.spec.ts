import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ExcelJS from "exceljs";
import { runBilling } from "../../../lib/billing/run";
import { runJob, type Job } from "../../../lib/jobs/jobs";
import { runReminders } from "../../../lib/payments/reminder-run";
import { JobBusyError, jobRunning, JobStoppedError, startJob } from "../../../lib/jobs/start-job";
import { verifyDatabaseFile } from "../../../lib/store/backup";
import { listInvoices } from "../../../lib/store/invoice-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { parsePeriod } from "../../../lib/time/periods";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { buildCamt } from "../../support/camt";
import { same, sdatXml } from "../../support/sdat";
import { useTmpDir } from "../../support/tmp";

/*
 * The nodes' heavy commands run as jobs in a worker thread (decision 0118).
 * Each job's result, and what it leaves in the database, must be the same
 * as the same job on the calling thread.
 */

const IBAN = "CH93 0076 2011 6238 5295 7";
const PV_POINT = "CH1001234567890000000000000000077";

/** A billed November (three issued invoices), its pv meter with a metering point for SDAT. */
function prepared(dir: string): string {
  const def = threeUnitCommunity();
  def.creditor = { ...def.creditor, iban: IBAN };
  def.meters = def.meters!.map((m) => (m.id === "pv" ? { ...m, meteringPoint: PV_POINT } : m));
  const store = openBillingStore(dir, def);
  fillConsumers(store, "drei", "2026-11");
  fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
  runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  const path = store.path;
  store.close();
  return path;
}

/** Columns that hold the wall clock of a write, not data. */
const CLOCK = new Set(["updated_ms", "created_ms", "issued_ms", "cancelled_ms", "assigned_ms", "applied_ms"]);

/** Every row of every table, the write clocks blanked (and the audit log's time). */
function dump(path: string): Record<string, unknown[]> {
  const store = SqliteStore.open(path);
  try {
    const out: Record<string, unknown[]> = {};
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const t of tables) {
      const rows = store.db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[];
      out[t] = rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, CLOCK.has(k) || (t === "audit_log" && k === "ts_ms") ? 0 : v]))).sort();
    }
    return out;
  } finally {
    store.close();
  }
}

async function cells(xlsx: Buffer): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => ({ name: ws.name, rows: ws.getSheetValues() }));
}

const clockless = (v: unknown): string =>
  JSON.stringify(v, (k, x: unknown) =>
    k === "createdMs" || k === "issuedMs" || k === "paidMs" || k === "cancelledMs" || k === "updatedMs"
      ? 0
      : x instanceof Uint8Array
        ? Buffer.from(x).toString("base64")
        : x,
  );

describe("jobs in a worker thread give what the same job gives on the calling thread", function () {
  this.timeout(120_000);
  const tmp = useTmpDir();
  let template = "";
  let templateDir = "";
  // useTmpDir's folder exists per test only: the shared template gets its own.
  before(() => {
    templateDir = mkdtempSync(join(tmpdir(), "zev-jobs-"));
    template = prepared(templateDir);
  });
  after(() => rmSync(templateDir, { recursive: true, force: true }));

  /** The job on two copies of one database: inline on the first, in its worker on the second. */
  async function both(job: (dir: string) => Job): Promise<{ inline: unknown; worker: unknown; a: string; b: string }> {
    const dir = tmp();
    const a = join(dir, "a.sqlite");
    const b = join(dir, "b.sqlite");
    copyFileSync(template, a);
    copyFileSync(template, b);
    const sa = SqliteStore.open(a);
    const inline = await runJob(sa, job(join(dir, "a")));
    sa.close();
    const sb = SqliteStore.open(b);
    try {
      const worker = await startJob(sb, job(join(dir, "b"))).result;
      return { inline, worker, a, b };
    } finally {
      sb.close();
    }
  }

  const sdat = sdatXml({ blocks: [{ point: PV_POINT, direction: "production", start: "2026-11-30T23:00:00Z", observations: same(8, "0.250") }] });

  it("import-sdat: the same report and the same rows", async () => {
    const r = await both(() => ({ kind: "import-sdat", communityId: "drei", xml: sdat, name: "msg.payload", actor: "test", dryRun: false }));
    assert.equal(clockless(r.worker), clockless(r.inline));
    assert.equal((r.worker as { series: { stored: number }[] }).series[0]!.stored, 8);
    assert.deepEqual(dump(r.b), dump(r.a));
  });

  it("import (a load profile from a file): the same report and the same rows", async () => {
    const file = join(tmp(), "profile.csv");
    writeFileSync(file, "Zeit;Messpunkt;Bezug\n2026-12-01 00:15;unit-1;0,5\n2026-12-01 00:30;unit-1;0,25\n2026-12-01 00:45;unit-2;1,25\n");
    const r = await both(() => ({
      kind: "import",
      communityId: "drei",
      file,
      fileName: "profile.csv",
      source: "file:profile.csv",
      timeZone: "Europe/Zurich",
      actor: "test",
    }));
    assert.equal(clockless(r.worker), clockless(r.inline));
    assert.equal((r.worker as { rows: number }).rows, 3);
    assert.deepEqual(dump(r.b), dump(r.a));
  });

  it("payments (camt.054): the same report and the same payments", async () => {
    const store = SqliteStore.open(template, { readonly: true });
    const inv = listInvoices(store, "drei")[0]!;
    store.close();
    const xml = buildCamt({
      iban: IBAN,
      entries: [{ amount: inv.total, bookingDate: "2026-12-05", txs: [{ ref: inv.reference!, refType: "QRR", debtor: "A", acctSvcrRef: "A-1" }] }],
    });
    const r = await both(() => ({
      kind: "payments",
      xml,
      options: { communityId: "drei", fileName: "camt.xml", actor: "test", nowMs: Date.UTC(2026, 11, 6) },
    }));
    assert.equal(clockless(r.worker), clockless(r.inline));
    assert.equal((r.worker as { matched: number }).matched, 1);
    assert.deepEqual(dump(r.b), dump(r.a));
  });

  for (const format of ["csv", "xlsx"] as const) {
    it(`export (invoices, ${format}): the same file (CSV bytes, XLSX cells), a Buffer again on this side`, async () => {
      const r = await both(() => ({ kind: "export", request: { communityId: "drei", kind: "invoices", format, period: parsePeriod("2026-11") } }));
      const w = r.worker as { buffer: Buffer; filename: string; rows: number };
      const i = r.inline as { buffer: Buffer; filename: string; rows: number };
      assert.ok(Buffer.isBuffer(w.buffer));
      assert.equal(w.filename, i.filename);
      assert.equal(w.rows, i.rows);
      assert.ok(w.rows >= 3);
      if (format === "csv") assert.ok(w.buffer.equals(i.buffer), "the files differ");
      // An XLSX file carries the time it was written: its sheets' cells must be the same.
      else assert.deepEqual(await cells(w.buffer), await cells(i.buffer));
    });
  }

  it("document: the same PDF bytes and the invoice it is of", async () => {
    const r = await both(() => ({ kind: "document", communityId: "drei", invoiceId: 1 }));
    const w = r.worker as { buffer: Buffer; filename: string; invoice: unknown };
    const i = r.inline as { buffer: Buffer; filename: string; invoice: unknown };
    assert.ok(Buffer.isBuffer(w.buffer));
    assert.equal(w.buffer.subarray(0, 5).toString(), "%PDF-");
    assert.deepEqual([w.filename, w.invoice], [i.filename, i.invoice]);
    assert.ok(w.buffer.equals(i.buffer), "the PDFs differ");
  });

  it("documents (a command's invoices): the same PDF bytes in order, issued ones written by the worker into the folder, an unknown id an error of its own; Buffers and Errors again on this side", async () => {
    const store = SqliteStore.open(template, { readonly: true });
    const ids = listInvoices(store, "drei").map((i) => i.id);
    store.close();
    const r = await both((dir) => ({ kind: "documents", communityId: "drei", invoiceIds: [...ids, 999], folder: dir, request: 1 }));
    type Out = { ok: true; document: { filename: string; path: string | null; buffer: Buffer } } | { ok: false; error: Error };
    const w = r.worker as Out[];
    const i = r.inline as Out[];
    assert.equal(w.length, ids.length + 1);
    const last = w.at(-1)!;
    assert.ok(!last.ok && last.error instanceof Error && last.error.message === "no invoice 999");
    for (const [k, o] of w.slice(0, -1).entries()) {
      const x = i[k]!;
      assert.ok(o.ok && x.ok);
      assert.ok(Buffer.isBuffer(o.document.buffer));
      assert.equal(o.document.filename, x.document.filename);
      assert.ok(o.document.buffer.equals(x.document.buffer), "the PDFs differ");
      assert.equal(o.document.path, join(tmp(), "b", o.document.filename));
      assert.ok(readFileSync(o.document.path!).equals(o.document.buffer), "the written file is the PDF");
    }
  });

  it("corrections (list): the same candidates", async () => {
    const r = await both(() => ({ kind: "corrections", communityId: "drei", apply: false, actor: "test" }));
    assert.equal(clockless(r.worker), clockless(r.inline));
  });

  it("backup: a verified copy with the same data, and the same rotation", async () => {
    const r = await both((dir) => ({ kind: "backup", communityId: "drei", folder: dir, keep: 2, nowMs: Date.UTC(2026, 11, 1, 3, 30) }));
    const w = r.worker as { file: string; removed: string[] };
    const i = r.inline as { file: string; removed: string[] };
    assert.match(w.file, /b\/b-20261201-033000Z\.sqlite$/);
    assert.deepEqual(w.removed, i.removed);
    verifyDatabaseFile(w.file);
    assert.deepEqual(dump(w.file), dump(i.file));
  });

  it("reminder-documents: the same PDF bytes in order, written by the worker into the folder, an unknown number an error of its own; Buffers and Errors again on this side", async () => {
    const r = await both((dir) => {
      // The reminders of one day, made on this copy before the job (the same numbers on both copies).
      const path = dir.endsWith("a") ? join(dirname(dir), "a.sqlite") : join(dirname(dir), "b.sqlite");
      const store = SqliteStore.open(path);
      try {
        runReminders(store, { communityId: "drei", date: "2027-01-15", actor: "test", dryRun: false });
      } finally {
        store.close();
      }
      return { kind: "reminder-documents", communityId: "drei", numbers: ["M2027-0001", "M9999-0001", "M2027-0002"], folder: dir, request: 1 };
    });
    type Out = { ok: true; document: { filename: string; path: string; buffer: Buffer } } | { ok: false; error: Error };
    const w = r.worker as Out[];
    const i = r.inline as Out[];
    assert.deepEqual(
      w.map((o) => o.ok),
      [true, false, true],
    );
    const bad = w[1] as { ok: false; error: Error };
    assert.ok(bad.error instanceof Error);
    assert.match(bad.error.message, /no reminder M9999-0001/);
    for (const k of [0, 2]) {
      const a = i[k] as Extract<Out, { ok: true }>;
      const b = w[k] as Extract<Out, { ok: true }>;
      assert.ok(Buffer.isBuffer(b.document.buffer));
      assert.equal(b.document.filename, a.document.filename);
      assert.ok(b.document.buffer.equals(a.document.buffer), "the PDFs differ");
      assert.ok(readFileSync(b.document.path).equals(b.document.buffer), "the written file is the PDF");
      assert.match(b.document.path, /\/b\/[^/]+\.pdf$/);
    }
  });

  it("prune (retention): the same rows deleted before the limit, the same counts, the rest kept", async () => {
    const limit = Date.UTC(2026, 10, 15, 23); // 16 November 2026, 00:00 in Zurich
    const r = await both(() => ({ kind: "prune", communityId: "drei", beforeMs: limit }));
    const w = r.worker as { intervals: number };
    assert.deepEqual(r.worker, r.inline);
    assert.ok(w.intervals > 0, "nothing pruned");
    assert.deepEqual(dump(r.b), dump(r.a));
    const store = SqliteStore.open(r.b, { readonly: true });
    try {
      const q = "SELECT COUNT(*) FROM intervals WHERE start_ms < ?";
      assert.equal(store.db.prepare(q).pluck().get(limit), 0);
      assert.ok((store.db.prepare("SELECT COUNT(*) FROM intervals WHERE start_ms >= ?").pluck().get(limit) as number) > 0, "kept rows gone");
    } finally {
      store.close();
    }
  });

  it("seal: the worker seals the same complete days as inline, none that is not over at the limit", async () => {
    const limit = Date.UTC(2026, 11, 1);
    const r = await both(() => ({ kind: "seal", communityId: "drei", beforeMs: limit }));
    const w = r.worker as { sealed: number };
    assert.deepEqual(r.worker, r.inline);
    assert.ok(w.sealed > 0, "nothing sealed");
    assert.deepEqual(dump(r.b), dump(r.a));
    const store = SqliteStore.open(r.b, { readonly: true });
    try {
      assert.equal(
        store.db.prepare("SELECT COUNT(*) FROM interval_days WHERE day_ms + 86400000 > ?").pluck().get(limit),
        0,
        "a day not over at the limit was sealed",
      );
    } finally {
      store.close();
    }
  });

  it("a failure in the worker arrives as the same error: a coded problem keeps its code and values", async () => {
    const r = await Promise.allSettled([
      (async () => {
        const s = SqliteStore.open(join(tmp(), "x.sqlite"));
        try {
          return await startJob(s, {
            kind: "import-sdat",
            communityId: "drei",
            xml: "<rsm:Broken xmlns:rsm='http://www.strom.ch'>",
            name: "msg.payload",
            actor: "t",
            dryRun: false,
          }).result;
        } finally {
          s.close();
        }
      })(),
    ]);
    const e = (r[0] as PromiseRejectedResult).reason as Error & { code?: string; params?: unknown };
    assert.equal(e.code, "sdat.malformed");
    assert.match(e.message, /msg\.payload: not well-formed XML/);
  });

  it("the same job while one runs is refused at once with job-busy; another kind or another export runs; the first completes", async () => {
    const dir = tmp();
    const db = join(dir, "c.sqlite");
    copyFileSync(template, db);
    const store = SqliteStore.open(db);
    try {
      const job: Job = { kind: "export", request: { communityId: "drei", kind: "lines", format: "xlsx", period: "2026-11" } };
      const first = startJob(store, job);
      assert.ok(jobRunning(db, job));
      assert.throws(
        () => startJob(store, job),
        (e: unknown) =>
          e instanceof JobBusyError &&
          e.code === "job-busy" &&
          e.message === "export is already running for community drei: this request was refused, send it again when it has finished",
      );
      const other = startJob(store, { kind: "export", request: { communityId: "drei", kind: "invoices", format: "csv", period: "2026-11" } });
      assert.ok((await first.result).rows > 0);
      assert.ok((await other.result).rows > 0);
      assert.ok(!jobRunning(db, job));
      assert.ok((await startJob(store, job).result).rows > 0, "refused after the first had finished");
    } finally {
      store.close();
    }
  });

  it("a job stopped before it finishes writes nothing and ends with job-stopped; the same job can start again and completes", async () => {
    const dir = tmp();
    const db = join(dir, "d.sqlite");
    copyFileSync(template, db);
    // A large SDAT document: a day of 96 values for a year of days' worth of blocks keeps the worker busy.
    const blocks = Array.from({ length: 60 }, (_, d) => ({
      point: PV_POINT,
      direction: "production" as const,
      start: new Date(Date.UTC(2026, 8, 1) + d * 86_400_000).toISOString().replace(".000", ""),
      observations: same(96, "0.125"),
    }));
    const xml = sdatXml({ blocks });
    const before = dump(db);
    const store = SqliteStore.open(db);
    try {
      const job: Job = { kind: "import-sdat", communityId: "drei", xml, name: "big.xml", actor: "t", dryRun: false };
      const h = startJob(store, job);
      await h.stop();
      await assert.rejects(h.result, (e: unknown) => e instanceof JobStoppedError && e.code === "job-stopped");
      assert.ok(!jobRunning(db, job));
      assert.deepEqual(dump(db), before);
      const again = await startJob(store, job).result;
      assert.equal(
        again.series.reduce((n, s) => n + s.stored, 0),
        60 * 96,
      );
    } finally {
      store.close();
    }
  });

  it("runs from the compiled dist/ files, as Node-RED loads them (npm run build first): an export and a document in one kept worker", () => {
    const dist = join(__dirname, "..", "..", "..", "dist", "lib");
    assert.ok(existsSync(join(dist, "jobs", "worker.js")), "dist/lib/jobs/worker.js is missing: run npm run build");
    const db = join(tmp(), "e.sqlite");
    copyFileSync(template, db);
    const script = `
      const { startJob } = require(${JSON.stringify(join(dist, "jobs", "start-job.js"))});
      const { SqliteStore } = require(${JSON.stringify(join(dist, "store", "sqlite-store.js"))});
      const store = SqliteStore.open(${JSON.stringify(db)});
      (async () => {
        const file = await startJob(store, { kind: "export", request: { communityId: "drei", kind: "invoices", format: "csv", period: "2026-11" } }).result;
        const doc = await startJob(store, { kind: "document", communityId: "drei", invoiceId: 1 }).result;
        console.log([Buffer.isBuffer(file.buffer), file.rows, doc.buffer.subarray(0, 5).toString(), doc.invoice.number].join(","));
        store.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
    assert.equal(out.trim(), "true,3,%PDF-,2026-0001");
  });
});
