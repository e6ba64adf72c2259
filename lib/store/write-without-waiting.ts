import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * A write that never waits for another connection's write lock (decision
 * 0117). Node-RED's thread must not sit in SQLite's busy handler while a
 * worker thread (a billing run, an import) commits a large transaction: the
 * caller keeps its work and tries again on a later turn of the event loop.
 */

export type WriteAttempt<T> = { written: true; value: T } | { written: false };

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || (typeof code === "string" && code.startsWith("SQLITE_BUSY_"));
}

/**
 * Runs `fn` in one immediate write transaction if the write lock is free
 * now; `{ written: false }` (nothing written, `fn` rolled back or not run)
 * when another connection holds it. Other errors are thrown as by write().
 */
export function writeWithoutWaiting<T>(store: Store, fn: () => T): WriteAttempt<T> {
  const db = sqlite(store).db;
  const wait = db.pragma("busy_timeout", { simple: true }) as number;
  db.pragma("busy_timeout = 0");
  try {
    return { written: true, value: store.write(fn) };
  } catch (e) {
    if (isBusy(e)) return { written: false };
    throw e;
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
  }
}
