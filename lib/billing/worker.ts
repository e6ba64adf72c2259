import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { SqliteStore } from "../store/sqlite-store";
import { isCodedError } from "../util/coded-error";
import { estimateBilling } from "./estimate";
import { runBilling } from "./run";
import type { WorkerFailure, WorkerJob, WorkerReply, WorkerRequest } from "./worker-protocol";

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

/** Resolves when Node-RED's thread asks for the next step of the records (it does after a turn of its event loop). */
let asked: () => void = () => undefined;
parentPort!.on("message", (m: WorkerRequest) => void (m.kind === "more" && asked()));
const more = (): Promise<void> => new Promise((resolve) => (asked = resolve));

async function main(job: WorkerJob): Promise<void> {
  const post = (m: WorkerReply): void => parentPort!.postMessage(m);
  let store: SqliteStore | undefined;
  try {
    store = SqliteStore.open(job.dbPath, { busyTimeoutMs: job.busyTimeoutMs });
    if (job.kind === "run") {
      const report = runBilling(store, job.request, { progress: (p) => post({ kind: "progress", progress: p }) });
      store.close();
      store = undefined;
      // The invoices' records in steps, each only once Node-RED's thread asked for it: a message is taken apart
      // there in one go, and messages that are all waiting are all taken apart in one turn of its event loop, so a
      // thousand snapshots sent at once would hold the flows for longer than they may wait (decision 0145).
      for (let i = 0; i < report.records.length; i += RECORDS_PER_MESSAGE) {
        if (i > 0) await more();
        post({ kind: "records", records: report.records.slice(i, i + RECORDS_PER_MESSAGE) });
      }
      if (report.records.length > RECORDS_PER_MESSAGE) await more();
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
void main(workerData as WorkerJob).finally(() => parentPort!.close());
