import { resolve } from "node:path";
import type { Worker } from "node:worker_threads";
import type { SqliteStore } from "../store/sqlite-store";
import { CodedError } from "../util/coded-error";
import { fromFailure, spawnWorker } from "../util/worker-thread";
import { jobCommunity, jobIdentity, reviveResult, runJob, type Job, type JobKind, type JobOf, type JobResult } from "./jobs";
import type { JobReply, JobStart } from "./protocol";

/*
 * Jobs off Node-RED's thread (decision 0118): imports, exports, documents,
 * backups and corrections each in a worker thread with its own database
 * connection, one of a kind at a time (jobIdentity), refused with a coded
 * error while it runs. An in-memory database has no file a worker could
 * open: its jobs run inline, through the same runJob.
 */

/** The same job (same kind, community and, for an export or a document, the same request) is running. */
export class JobBusyError extends CodedError {
  constructor(
    readonly job: JobKind,
    community: string,
  ) {
    super(
      "job-busy",
      { job, community },
      "__job__ is already running for community __community__: this request was refused, send it again when it has finished",
    );
    this.name = "JobBusyError";
  }
}

/** The job's worker was stopped (the node closed) before it finished: its open transaction was rolled back. */
export class JobStoppedError extends CodedError {
  constructor(job: JobKind) {
    super("job-stopped", { job }, "__job__ was stopped before it finished (the flow was redeployed or Node-RED stopped); nothing of it was written");
    this.name = "JobStoppedError";
  }
}

export interface JobHandle<K extends JobKind> {
  result: Promise<JobResult<K>>;
  /** Terminates the worker; SQLite rolls back its open transaction. */
  stop(): Promise<void>;
}

const running = new Set<string>();

function keyOf(dbPath: string, job: Job): string {
  return [dbPath === ":memory:" ? dbPath : resolve(dbPath), job.kind, job.kind === "backup" ? "" : jobCommunity(job), jobIdentity(job)].join("\n");
}

/** Whether the same job is running now (for a status or a refusal before any work). */
export function jobRunning(dbPath: string, job: Job): boolean {
  return running.has(keyOf(dbPath, job));
}

export interface StartJobOptions {
  /** How long the worker's writes wait for the main thread's transactions. */
  busyTimeoutMs?: number;
}

/**
 * A worker that finished its job waits this long for the next one: its
 * modules stay loaded (pdfkit, exceljs take a second or more to load on a
 * Pi), and a dashboard asking for document after document gets them quickly.
 * Then it ends and gives its memory back.
 */
const IDLE_MS = 30_000;

interface Idle {
  worker: Worker;
  timer: NodeJS.Timeout;
}

const idle: Idle[] = [];

function takeWorker(): Worker {
  const w = idle.pop();
  if (w) {
    clearTimeout(w.timer);
    w.worker.ref();
    return w.worker;
  }
  return spawnWorker(__dirname, "worker", undefined);
}

function keepWorker(worker: Worker): void {
  worker.removeAllListeners("message");
  worker.removeAllListeners("error");
  worker.removeAllListeners("exit");
  // An idle worker neither keeps Node-RED from exiting nor lives on after a crash of its own.
  worker.unref();
  const entry: Idle = {
    worker,
    timer: setTimeout(() => {
      idle.splice(idle.indexOf(entry), 1);
      void worker.terminate();
    }, IDLE_MS),
  };
  entry.timer.unref();
  worker.once("exit", () => {
    const i = idle.indexOf(entry);
    if (i >= 0) idle.splice(i, 1);
    clearTimeout(entry.timer);
  });
  idle.push(entry);
}

/**
 * Starts `job` on the database of `store`: in a worker thread with its own
 * connection for a database file, inline for an in-memory one. Throws
 * JobBusyError at once while the same job runs.
 */
export function startJob<K extends JobKind>(store: SqliteStore, job: JobOf<K>, opts: StartJobOptions = {}): JobHandle<K> {
  const key = keyOf(store.path, job);
  if (running.has(key)) throw new JobBusyError(job.kind, jobCommunity(job));
  running.add(key);
  const end = (): void => void running.delete(key);
  if (store.path === ":memory:") {
    const result = runJob(store, job).finally(end) as Promise<JobResult<K>>;
    return { result, stop: async () => undefined };
  }
  let stopped = false;
  let finished = false;
  let worker: Worker;
  try {
    worker = takeWorker();
  } catch (e) {
    end();
    throw e;
  }
  const result = new Promise<JobResult<K>>((ok, fail) => {
    const settle = (f: () => void): void => {
      if (finished) return;
      finished = true;
      end();
      f();
    };
    worker.on("message", (m: JobReply) => {
      // The worker is free again before the caller goes on: a job the caller starts next can take it.
      keepWorker(worker);
      if (m.kind === "done") settle(() => ok(reviveResult(job.kind, m.result) as JobResult<K>));
      else settle(() => fail(fromFailure(m.error)));
    });
    worker.on("error", (e) => settle(() => fail(new Error(`the ${job.kind} worker failed: ${e.message}`))));
    worker.on("exit", (code) =>
      settle(() => fail(stopped ? new JobStoppedError(job.kind) : new Error(`the ${job.kind} worker ended without a result (exit code ${code})`))),
    );
  });
  const start: JobStart = { kind: "job", dbPath: resolve(store.path), busyTimeoutMs: opts.busyTimeoutMs ?? 30_000, job };
  worker.postMessage(start);
  return {
    result,
    stop: async () => {
      // A finished job's worker may already run the next job: it is not this handle's to stop.
      if (finished) return;
      stopped = true;
      await worker.terminate();
    },
  };
}
