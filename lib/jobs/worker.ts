import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { SqliteStore } from "../store/sqlite-store";
import { toFailure } from "../util/worker-thread";
import { outgoingResult, runJob } from "./jobs";
import type { JobReply, JobStart } from "./protocol";

/*
 * The worker thread's side of a job (lib/jobs/start-job.ts starts it and
 * keeps it a while for the next one): per job its own connection to the
 * database file, so that parsing, writing, rendering and copying never run on
 * Node-RED's thread. Its writes wait for the main thread's short ones with
 * busy_timeout; the main thread's ingest does not wait for its (decision 0117).
 */

async function run(start: JobStart): Promise<void> {
  const post = (m: JobReply): void => parentPort!.postMessage(m);
  let store: SqliteStore | undefined;
  try {
    store = SqliteStore.open(start.dbPath, { busyTimeoutMs: start.busyTimeoutMs });
    // Files (an export of a million rows, PDFs) move to Node-RED's thread instead of being copied (outgoingResult).
    const { result, transfer } = outgoingResult(start.job.kind, await runJob(store, start.job));
    parentPort!.postMessage({ kind: "done", result } satisfies JobReply, transfer);
  } catch (e) {
    post({ kind: "failed", error: toFailure(e) });
  } finally {
    store?.close();
  }
}

// As the billing worker: on Linux the nice value is the thread's, so the flows get the CPU first.
if (process.platform === "linux") {
  try {
    setPriority(10);
  } catch {
    // Not allowed here: the job is only less polite, not wrong.
  }
}
parentPort!.on("message", (m: JobStart) => void run(m));
