import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { SqliteStore } from "../store/sqlite-store";
import { isCodedError } from "../util/coded-error";
import { estimateBilling } from "./estimate";
import { runBilling } from "./run";
import type { WorkerJob, WorkerReply, WorkerFailure } from "./worker-protocol";

/*
 * The worker thread's side of a billing job (lib/billing/worker-run.ts
 * starts it): its own connection to the same database file, so that the
 * reads and the computation never run on Node-RED's thread. In WAL mode the
 * main thread's ingest keeps writing meanwhile; the run's own writes wait
 * for it with busy_timeout, as a second process would.
 */

const RECORDS_PER_MESSAGE = 20;

function failure(e: unknown): WorkerFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message, ...(isCodedError(e) ? { code: e.code, params: e.params } : {}) };
}

function main(job: WorkerJob): void {
  const post = (m: WorkerReply): void => parentPort!.postMessage(m);
  let store: SqliteStore | undefined;
  try {
    store = SqliteStore.open(job.dbPath, { busyTimeoutMs: job.busyTimeoutMs });
    if (job.kind === "run") {
      const report = runBilling(store, job.request, { progress: (p) => post({ kind: "progress", progress: p }) });
      // The invoices' records in steps: each message is taken apart on Node-RED's thread in one go, and
      // a thousand snapshots at once would hold it for longer than the flows may wait.
      for (let i = 0; i < report.records.length; i += RECORDS_PER_MESSAGE) post({ kind: "records", records: report.records.slice(i, i + RECORDS_PER_MESSAGE) });
      post({ kind: "done", result: { ...report, records: [] } });
    } else post({ kind: "done", result: estimateBilling(store, job.communityId, job.period, { nowMs: job.nowMs }) });
  } catch (e) {
    post({ kind: "failed", error: failure(e) });
  } finally {
    store?.close();
  }
}

// On Linux a nice value belongs to the thread that sets it: the billing thread gives way to the flows on
// a busy Pi, and Node-RED's own thread keeps its priority. Elsewhere it would lower the whole process.
if (process.platform === "linux") {
  try {
    setPriority(10);
  } catch {
    // Not allowed in this container: the run is only less polite, not wrong.
  }
}
main(workerData as WorkerJob);
