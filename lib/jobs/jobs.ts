import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CorrectionCandidate, CorrectionOutcome } from "../billing/corrections";
import type { SdatImportReport } from "../operator/sdat-import";
import type { ImportOptions, ImportReport } from "../payments/match";
import type { LoadProfileImportResult } from "../readings/intervals/load-profile-import";
import type { DocumentOutcome, InvoiceDocument } from "../render/documents";
import type { ExportFile, ExportRequest } from "../render/export";
import type { BackupResult } from "../store/backup";
import type { PruneResult } from "../store/retention";
import type { SealResult } from "../store/interval-days";
import type { SqliteStore } from "../store/sqlite-store";
import type { LocalDate } from "../time/local-date";

/*
 * The heavy commands of the nodes as jobs (decision 0118): one description
 * that crosses to a worker thread (structured clone), and one function,
 * runJob, that the worker runs on its own connection and the inline path
 * (an in-memory database) runs on the caller's. Same function, same result.
 * Each job loads only its own modules: exceljs alone takes seconds to load on
 * a Pi, pdfkit most of one, and an SDAT import needs neither.
 */

/* eslint-disable @typescript-eslint/no-require-imports */

export type Job =
  /** A load profile (CSV) as text, or the absolute path of its file. */
  | {
      kind: "import";
      communityId: string;
      text?: string;
      file?: string;
      fileName: string;
      source: string;
      timeZone: string;
      timestampIs?: "start" | "end";
      actor: string;
    }
  /** An SDAT-CH document as XML text, or the absolute path of its file (`name` as the user gave it). */
  | { kind: "import-sdat"; communityId: string; xml?: string; file?: string; name: string; actor: string; dryRun: boolean }
  | { kind: "payments"; xml: string; options: ImportOptions }
  | { kind: "export"; request: ExportRequest }
  | { kind: "document"; communityId: string; invoiceId: number; logo?: Uint8Array }
  /**
   * The PDFs of invoices a command returned (a run's, an issue's, ...): rendered, issued ones written into `folder`
   * (drafts never), one outcome per id in order; `request` only tells two such jobs apart (they are never refused).
   */
  | { kind: "documents"; communityId: string; invoiceIds: number[]; folder: string; logo?: Uint8Array; request: number }
  /** The PDFs of reminders a reminder run made, drawn and written into `folder`, one outcome per number in order. */
  | { kind: "reminder-documents"; communityId: string; numbers: string[]; folder: string; logo?: Uint8Array; request: number }
  /** A backup of the whole file; communityId names who asked, for the refusal's text. */
  | { kind: "backup"; communityId: string; folder: string; keep: number; nowMs?: number }
  /** Retention: a community's interval data before `beforeMs` deleted (a day of 1,000 meters is ~100,000 rows). */
  | { kind: "prune"; communityId: string; beforeMs: number }
  /** The complete days before `beforeMs` of a community's meters sealed for fast reads (docs/decisions/0149). */
  | { kind: "seal"; communityId: string; beforeMs: number }
  | {
      kind: "corrections";
      communityId: string;
      apply: boolean;
      period?: string;
      force?: boolean;
      invoices?: string[];
      invoiceDate?: LocalDate;
      actor: string;
    };

export type JobKind = Job["kind"];
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

export interface JobResults {
  import: LoadProfileImportResult;
  "import-sdat": SdatImportReport;
  payments: ImportReport;
  export: ExportFile;
  document: InvoiceDocument & { invoice: { id: number; number: string | null; status: string } };
  documents: DocumentOutcome[];
  "reminder-documents": DocumentOutcome[];
  backup: BackupResult;
  prune: PruneResult;
  seal: SealResult;
  corrections: { candidates: CorrectionCandidate[]; outcomes: CorrectionOutcome[] };
}

export type JobResult<K extends JobKind> = JobResults[K];

/** The community a job belongs to (who asked for it). */
export function jobCommunity(job: Job): string {
  switch (job.kind) {
    case "payments":
      return job.options.communityId;
    case "export":
      return job.request.communityId;
    default:
      return job.communityId;
  }
}

/**
 * What makes two requests "the same" while one runs: an import of the same
 * file or text (two different files are no conflict: each commits in its own
 * transaction), corrections of a community, a backup of a database file
 * whoever asks, an export or a document asked for again.
 */
export function jobIdentity(job: Job): string {
  switch (job.kind) {
    case "backup":
      return "";
    case "export": {
      const r = job.request;
      return JSON.stringify([r.kind, r.format, typeof r.period === "string" ? r.period : r.period.label, r.meter ?? null]);
    }
    case "document":
      return String(job.invoiceId);
    case "documents":
    case "reminder-documents":
      return String(job.request);
    // Imports per file: the same file (path, or the same text) twice at once is refused, two files run side by side.
    case "import":
      return job.file ?? digest(job.text ?? "");
    case "import-sdat":
      return job.file ?? digest(job.xml ?? "");
    case "payments":
      return digest(job.xml);
    default:
      return "";
  }
}

function digest(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}

function readText(file: string): string {
  return readFileSync(file, "utf8");
}

/** Runs a job on `store`; the worker thread and the inline path both come here. */
export async function runJob(store: SqliteStore, job: Job): Promise<JobResults[JobKind]> {
  switch (job.kind) {
    case "import": {
      const { parseLoadProfileCsv } = require("../readings/intervals/load-profile-csv") as typeof import("../readings/intervals/load-profile-csv");
      const { importLoadProfile } = require("../readings/intervals/load-profile-import") as typeof import("../readings/intervals/load-profile-import");
      const text = job.text ?? readText(job.file!);
      const parsed = parseLoadProfileCsv(text, { fileName: job.fileName, timeZone: job.timeZone, timestampIs: job.timestampIs });
      return importLoadProfile(store, job.communityId, parsed, { actor: job.actor, source: job.source, fileName: job.fileName });
    }
    case "import-sdat": {
      const { importSdatText } = require("../operator/sdat-files") as typeof import("../operator/sdat-files");
      let xml: string;
      try {
        xml = job.xml ?? readText(job.file!);
      } catch {
        throw new Error(`import-sdat: cannot read ${job.name} (relative to the Node-RED user directory); check the path`);
      }
      return importSdatText(store, job.communityId, xml, job.name, { actor: job.actor, dryRun: job.dryRun });
    }
    case "payments": {
      const { importCamt } = require("../payments/match") as typeof import("../payments/match");
      return importCamt(store, job.xml, job.options);
    }
    case "export": {
      const { buildExport } = require("../render/export") as typeof import("../render/export");
      return buildExport(store, job.request);
    }
    case "document": {
      const { getInvoice } = require("../store/invoice-repo") as typeof import("../store/invoice-repo");
      const { renderInvoiceDocument } = require("../render/documents") as typeof import("../render/documents");
      const rec = getInvoice(store, job.invoiceId);
      if (!rec) throw new Error(`no invoice ${job.invoiceId}`);
      const doc = await renderInvoiceDocument(rec, job.logo ? { logo: Buffer.from(job.logo) } : {});
      return { ...doc, invoice: { id: rec.id, number: rec.number, status: rec.status } };
    }
    case "documents": {
      const { getInvoice } = require("../store/invoice-repo") as typeof import("../store/invoice-repo");
      const { writeInvoiceDocuments } = require("../render/documents") as typeof import("../render/documents");
      const logo = job.logo ? { logo: Buffer.from(job.logo) } : {};
      const out: DocumentOutcome[] = [];
      // One by one through writeInvoiceDocuments: a problem with one invoice does not keep the others from being written.
      for (const id of job.invoiceIds) {
        const rec = getInvoice(store, id);
        out.push(rec ? (await writeInvoiceDocuments([rec], job.folder, logo))[0]! : { ok: false, error: new Error(`no invoice ${id}`) });
      }
      return out;
    }
    case "reminder-documents": {
      const { writeReminderDocuments } = require("../render/reminder-source") as typeof import("../render/reminder-source");
      return writeReminderDocuments(store, job.communityId, job.numbers, job.folder, job.logo ? { logo: Buffer.from(job.logo) } : {});
    }
    case "backup": {
      const { backupWithRotation } = require("../store/backup") as typeof import("../store/backup");
      return backupWithRotation(store, job.folder, { keep: job.keep, ...(job.nowMs !== undefined ? { nowMs: job.nowMs } : {}) });
    }
    case "prune": {
      const { pruneIntervalData } = require("../store/retention") as typeof import("../store/retention");
      return pruneIntervalData(store, job.communityId, job.beforeMs);
    }
    case "seal": {
      const { sealIntervalDays } = require("../store/interval-days") as typeof import("../store/interval-days");
      return sealIntervalDays(store, job.communityId, job.beforeMs);
    }
    case "corrections": {
      const { applyCorrections, listCorrections } = require("../billing/corrections") as typeof import("../billing/corrections");
      const opts = { period: job.period, force: job.force };
      return job.apply
        ? applyCorrections(store, job.communityId, { ...opts, invoices: job.invoices, invoiceDate: job.invoiceDate, actor: job.actor })
        : { candidates: listCorrections(store, job.communityId, opts), outcomes: [] };
    }
  }
}

/** A Buffer a structured clone turned into a Uint8Array made a Buffer again (same bytes, no copy). */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** A documents job's outcome as it crosses to the caller: an error as its name and text (a clone keeps no class). */
type ClonedOutcome =
  { ok: true; document: { filename: string; path: string | null; buffer: Uint8Array } } | { ok: false; error: { name: string; message: string } };

/**
 * A result as it leaves the worker: a documents job's errors as plain name and text, and the file buffers it holds
 * (an export, a PDF) to move instead of copy: copying tens of MB on Node-RED's thread would hold the flows. Only a
 * buffer with an ArrayBuffer of its own can be moved (a pooled slice would take its neighbours along); any other is
 * copied into one of its own first, in the worker.
 */
export function outgoingResult(kind: JobKind, r: JobResults[JobKind]): { result: unknown; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const movable = (b: Uint8Array): Uint8Array => {
    const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer && !transfer.includes(b.buffer);
    const m = own ? b : new Uint8Array(b);
    transfer.push(m.buffer as ArrayBuffer);
    return m;
  };
  if (kind === "documents" || kind === "reminder-documents") {
    const result: ClonedOutcome[] = (r as DocumentOutcome[]).map((o) =>
      o.ok
        ? { ok: true, document: { ...o.document, buffer: movable(o.document.buffer) } }
        : { ok: false, error: { name: o.error.name, message: o.error.message } },
    );
    return { result, transfer };
  }
  if (kind === "export" || kind === "document") {
    const f = r as { buffer: Uint8Array };
    return { result: { ...(r as object), buffer: movable(f.buffer) }, transfer };
  }
  return { result: r, transfer };
}

/** A result as it arrives from the worker, with the Buffers and Errors a clone does not keep. */
export function reviveResult(kind: JobKind, r: unknown): JobResults[JobKind] {
  if (kind === "documents" || kind === "reminder-documents") {
    return (r as ClonedOutcome[]).map((o): DocumentOutcome => {
      if (o.ok) return { ok: true, document: { ...o.document, buffer: asBuffer(o.document.buffer) } };
      const error = new Error(o.error.message);
      error.name = o.error.name;
      return { ok: false, error };
    });
  }
  if (kind === "export" || kind === "document") {
    const f = r as { buffer: Uint8Array };
    return { ...(r as object), buffer: asBuffer(f.buffer) } as JobResults[JobKind];
  }
  return r as JobResults[JobKind];
}
