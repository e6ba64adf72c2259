import Database from "better-sqlite3";
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { LATEST_SCHEMA_VERSION } from "./migrations";
import { SqliteStore, StoreError } from "./sqlite-store";

/*
 * Online backups with the SQLite backup API (consistent while zev-aggregate
 * keeps writing), rotated, and the restore that goes with them
 * (docs/backup-restore.md).
 */

export interface BackupResult {
  file: string;
  bytes: number;
  /** Older backups deleted by the rotation. */
  removed: string[];
}

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .replace(/\.\d+Z$/, "Z");
}

function baseName(dbPath: string): string {
  return basename(dbPath, extname(dbPath));
}

/** Backups of `dbPath` in `folder`, oldest first (their names sort by time). */
export function listBackups(folder: string, dbPath: string): string[] {
  if (!existsSync(folder)) return [];
  const re = new RegExp(`^${baseName(dbPath).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{8}-\\d{6}Z\\.sqlite$`);
  return readdirSync(folder)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(folder, f));
}

/** Opens a database file read-only and checks it: integrity, and a schema this version can read. */
export function verifyDatabaseFile(file: string): { schemaVersion: number } {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = (db.pragma("quick_check") as { quick_check: string }[]).map((r) => r.quick_check);
    if (check.length !== 1 || check[0] !== "ok") throw new StoreError(`${file} is damaged: ${check.join("; ")}`);
    const v = (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
    if (v > LATEST_SCHEMA_VERSION) throw new StoreError(`${file} has schema version ${v}, newer than this version understands (${LATEST_SCHEMA_VERSION})`);
    return { schemaVersion: v };
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(`${file} is not a usable ZEV database: ${(e as Error).message}`, e);
  } finally {
    db?.close();
  }
}

/**
 * Writes `<db name>-<UTC stamp>.sqlite` into `folder`, verified before it
 * gets its final name (a crash mid-backup leaves only a .partial file), then
 * deletes the oldest backups beyond `keep`.
 */
export async function backupWithRotation(store: SqliteStore, folder: string, opts: { keep: number; nowMs?: number }): Promise<BackupResult> {
  if (!Number.isInteger(opts.keep) || opts.keep < 1) throw new RangeError(`keep must be a whole number of backups >= 1, got ${opts.keep}`);
  const dir = resolve(folder);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${baseName(store.path)}-${stamp(opts.nowMs ?? Date.now())}.sqlite`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  await store.backup(partial);
  verifyDatabaseFile(partial);
  renameSync(partial, file);
  const all = listBackups(dir, store.path);
  const removed = all.slice(0, Math.max(0, all.length - opts.keep));
  for (const f of removed) rmSync(f, { force: true });
  return { file, bytes: statSync(file).size, removed };
}

/**
 * Puts a backup in place of the database at `target`. Only while nothing
 * has the database open (stop Node-RED first). The current file and its WAL
 * are kept next to it as `<target>.before-restore-<stamp>` (a leftover WAL
 * would otherwise be replayed into the restored file).
 */
export function restoreBackup(backupFile: string, target: string, opts: { nowMs?: number } = {}): { previous: string | null; schemaVersion: number } {
  const { schemaVersion } = verifyDatabaseFile(backupFile);
  const dest = resolve(target);
  let previous: string | null = null;
  if (existsSync(dest)) {
    previous = `${dest}.before-restore-${stamp(opts.nowMs ?? Date.now())}`;
    renameSync(dest, previous);
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(dest + suffix)) renameSync(dest + suffix, previous + suffix);
    }
  }
  const tmp = `${dest}.restoring`;
  copyFileSync(backupFile, tmp);
  renameSync(tmp, dest);
  return { previous, schemaVersion };
}
