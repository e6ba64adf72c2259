import type { WorkerFailure } from "../util/worker-thread";
import type { Job } from "./jobs";

/** One job handed to a job worker (structured-cloned); a worker runs one at a time. */
export interface JobStart {
  kind: "job";
  dbPath: string;
  busyTimeoutMs: number;
  job: Job;
}

export type JobReply = { kind: "done"; result: unknown } | { kind: "failed"; error: WorkerFailure };
