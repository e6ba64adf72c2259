import type { BillingPeriod } from "../time/periods";
import type { IssueParams } from "../util/issue";
import type { InvoiceRecord } from "../store/invoice-repo";
import type { BillingProgress, BillingRequest } from "./run";

/** What the main thread hands a billing worker (structured-cloned). */
export type WorkerJob =
  | { kind: "run"; dbPath: string; busyTimeoutMs: number; request: BillingRequest }
  | { kind: "estimate"; dbPath: string; busyTimeoutMs: number; communityId: string; period: BillingPeriod; nowMs: number };

/** An error crossing the thread boundary: its class name, text and, for a coded problem, code and values. */
export interface WorkerFailure {
  name: string;
  message: string;
  code?: string;
  params?: IssueParams;
}

/** What Node-RED's thread tells a running billing worker: send the next step of the records. */
export type WorkerRequest = { kind: "more" };

/** A run's invoice records come in steps before its "done" (which then carries `records: []`), each once asked for. */
export type WorkerReply =
  | { kind: "progress"; progress: BillingProgress }
  | { kind: "records"; records: InvoiceRecord[] }
  | { kind: "done"; result: unknown }
  | { kind: "failed"; error: WorkerFailure };
