import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { InvoiceRecord } from "../store/invoice-repo";
import type { BillingPeriod } from "../time/periods";
import { CodedError } from "../util/coded-error";
import type { BillingEstimate } from "./estimate";
import { BillingError } from "./layout";
import type { BillingProgress, BillingRequest, BillingRunReport } from "./run";
import type { WorkerFailure, WorkerJob, WorkerReply, WorkerRequest } from "./worker-protocol";

/*
 * Billing off Node-RED's thread (decision 0100). A run or an estimate of a
 * large community reads and computes for seconds (about 12 ms per unit-year
 * on a 2-core machine, several times that on a Pi); in a worker thread with
 * its own database connection the flows keep running meanwhile. One run per
 * community and database at a time: a second is refused while the first runs.
 */

/** A second run of the same community while one is running. */
export class BillingBusyError extends CodedError {
  constructor(readonly running: { communityId: string; period: string }) {
    super(
      "billing-busy",
      { community: running.communityId, period: running.period },
      "a billing run of community __community__ for __period__ is already running: this request was refused, send it again when that run has finished",
    );
    this.name = "BillingBusyError";
  }
}

/** The job was stopped (the node closed, Node-RED redeployed) before it finished: nothing of it was committed. */
export class BillingStoppedError extends BillingError {
  constructor() {
    super("the billing run was stopped before it finished (the flow was redeployed or Node-RED stopped); nothing of it was written");
    this.name = "BillingStoppedError";
  }
}

export interface WorkerHandle<T> {
  result: Promise<T>;
  /** Terminates the worker; its open transaction is rolled back by SQLite. */
  stop(): Promise<void>;
}

const running = new Map<string, { communityId: string; period: string }>();

/** The worker's entry: compiled JavaScript in dist/, or the TypeScript source under tsx (tests, bench). */
function spawn(job: WorkerJob): Worker {
  const js = join(__dirname, "worker.js");
  if (existsSync(js)) return new Worker(js, { workerData: job });
  const ts = join(__dirname, "worker.ts");
  // tsx hooks the main thread's require only; the worker registers it for itself.
  const tsx = require.resolve("tsx/cjs");
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`, { eval: true, workerData: job });
}

function revive(f: WorkerFailure): Error {
  if (f.code !== undefined) {
    const e = new CodedError(f.code, f.params ?? {}, "");
    e.message = f.message;
    return e;
  }
  const e = f.name === "BillingError" ? new BillingError(f.message) : new Error(f.message);
  e.name = f.name;
  return e;
}

function start<T>(job: WorkerJob, onProgress?: (p: BillingProgress) => void, onEnd?: () => void): WorkerHandle<T> {
  const worker = spawn(job);
  let stopped = false;
  const result = new Promise<T>((ok, fail) => {
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      onEnd?.();
      f();
    };
    const records: InvoiceRecord[] = [];
    worker.on("message", (m: WorkerReply) => {
      if (m.kind === "progress") onProgress?.(m.progress);
      else if (m.kind === "records") {
        records.push(...m.records);
        // The next step only after a turn of the event loop: timers and other flows run between (decision 0145).
        setImmediate(() => void (settled || worker.postMessage({ kind: "more" } satisfies WorkerRequest)));
      } else if (m.kind === "done") settle(() => ok((job.kind === "run" ? { ...(m.result as BillingRunReport), records } : m.result) as T));
      else settle(() => fail(revive(m.error)));
    });
    worker.on("error", (e) => settle(() => fail(new BillingError(`the billing worker failed: ${e.message}`))));
    worker.on("exit", (code) =>
      settle(() => fail(stopped ? new BillingStoppedError() : new BillingError(`the billing worker ended without a result (exit code ${code})`))),
    );
  });
  return {
    result,
    stop: async () => {
      stopped = true;
      await worker.terminate();
    },
  };
}

export interface WorkerOptions {
  /** How long the worker's writes wait for the main thread's (ingest) transactions. */
  busyTimeoutMs?: number;
  onProgress?: (p: BillingProgress) => void;
}

/**
 * Runs runBilling in a worker thread on its own connection to `dbPath`.
 * Throws BillingBusyError at once while a run of the same community in the
 * same database is going.
 */
export function startBillingRun(dbPath: string, request: BillingRequest, opts: WorkerOptions = {}): WorkerHandle<BillingRunReport> {
  const key = `${resolve(dbPath)}\n${request.communityId}`;
  const busy = running.get(key);
  if (busy) throw new BillingBusyError(busy);
  running.set(key, { communityId: request.communityId, period: request.period });
  try {
    return start<BillingRunReport>({ kind: "run", dbPath: resolve(dbPath), busyTimeoutMs: opts.busyTimeoutMs ?? 30_000, request }, opts.onProgress, () =>
      running.delete(key),
    );
  } catch (e) {
    running.delete(key);
    throw e;
  }
}

/** estimateBilling in a worker thread (nothing is written). */
export function startBillingEstimate(dbPath: string, communityId: string, period: BillingPeriod, nowMs = Date.now()): WorkerHandle<BillingEstimate> {
  return start<BillingEstimate>({ kind: "estimate", dbPath: resolve(dbPath), busyTimeoutMs: 30_000, communityId, period, nowMs });
}

/** Whether a run of this community in this database is going (for a status or a refusal before any work). */
export function billingRunning(dbPath: string, communityId: string): { communityId: string; period: string } | undefined {
  return running.get(`${resolve(dbPath)}\n${communityId}`);
}
