import { resolve } from "node:path";
import { SqliteStore, StoreOptions } from "./sqlite-store";

/*
 * One store per database file in a process: every node of every community
 * that names the same file shares one connection (better-sqlite3 serialises
 * its calls), opened by the first user and closed by the last.
 */

interface Entry {
  store: SqliteStore;
  users: number;
}

const open = new Map<string, Entry>();

export function acquireStore(path: string, options?: StoreOptions): SqliteStore {
  const key = resolve(path);
  const entry = open.get(key);
  if (entry && entry.store.isOpen) {
    entry.users++;
    return entry.store;
  }
  const store = SqliteStore.open(key, options);
  open.set(key, { store, users: 1 });
  return store;
}

/** Gives back one use of the store; the last use closes it. */
export function releaseStore(store: SqliteStore): void {
  const entry = open.get(store.path);
  if (!entry || entry.store !== store) {
    store.close();
    return;
  }
  entry.users--;
  if (entry.users <= 0) {
    open.delete(store.path);
    store.close();
  }
}

/** How many users hold the store of `path` (0 when closed). */
export function storeUsers(path: string): number {
  return open.get(resolve(path))?.users ?? 0;
}
