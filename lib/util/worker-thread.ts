import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { CodedError, isCodedError } from "./coded-error";
import type { IssueParams } from "./issue";

/*
 * The plumbing every worker thread of the suite shares (decisions 0100,
 * 0118): where its entry file is, how an error crosses the thread boundary.
 */

/** An error crossing the thread boundary: its class name, text and, for a coded problem, code and values. */
export interface WorkerFailure {
  name: string;
  message: string;
  code?: string;
  params?: IssueParams;
}

/**
 * Starts `<dir>/<base>.js` (compiled, in dist/) or, under tsx (tests, bench),
 * `<dir>/<base>.ts`, for which the worker registers tsx itself: tsx hooks the
 * main thread's require only.
 */
export function spawnWorker(dir: string, base: string, workerData: unknown): Worker {
  const js = join(dir, `${base}.js`);
  if (existsSync(js)) return new Worker(js, { workerData });
  const ts = join(dir, `${base}.ts`);
  const tsx = require.resolve("tsx/cjs");
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`, { eval: true, workerData });
}

export function toFailure(e: unknown): WorkerFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message, ...(isCodedError(e) ? { code: e.code, params: e.params } : {}) };
}

/** The error again on this side: a coded problem stays one (code, params, text); any other keeps its name and text. */
export function fromFailure(f: WorkerFailure): Error {
  if (f.code !== undefined) {
    const e = new CodedError(f.code, f.params ?? {}, "");
    e.message = f.message;
    e.name = f.name;
    return e;
  }
  const e = new Error(f.message);
  e.name = f.name;
  return e;
}
