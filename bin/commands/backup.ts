import { parseArgs } from "node:util";
import { backupWithRotation, listBackups, restoreBackup } from "../../lib/store/backup";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { swissCount } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";

export const BACKUP_USAGE = `zev backup --db <file.sqlite> --to <folder> [--keep <n>]
      online backup (safe while Node-RED runs), verified, keeping the newest n (default 7); docs/backup-restore.md
  zev backup --db <file.sqlite> --to <folder> --list`;

export const RESTORE_USAGE = `zev restore <backup.sqlite> --db <file.sqlite>
      put a backup in place of the database; stop Node-RED first (docs/backup-restore.md)`;

export async function backupCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: "string" }, to: { type: "string" }, keep: { type: "string" }, list: { type: "boolean" } } });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  if (!values.to) throw new UsageError("--to <folder> is required");
  if (values.list) {
    for (const f of listBackups(values.to, values.db)) io.out(`${f}\n`);
    return 0;
  }
  const keep = values.keep === undefined ? 7 : Number(values.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new UsageError("--keep is a whole number >= 1");
  const store = SqliteStore.open(values.db);
  try {
    const res = await backupWithRotation(store, values.to, { keep });
    io.out(`backup written: ${res.file} (${swissCount(res.bytes)} bytes, verified)\n`);
    for (const f of res.removed) io.out(`  removed old backup ${f}\n`);
    return 0;
  } finally {
    store.close();
  }
}

export function restoreCommand(args: string[], io: CommandIO): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: "string" } } });
  const file = positionals[0];
  if (!file) throw new UsageError("zev restore needs the backup file");
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  const res = restoreBackup(file, values.db);
  io.out(`restored ${file} to ${values.db} (schema version ${res.schemaVersion})\n`);
  if (res.previous) io.out(`  the database it replaced is kept as ${res.previous}\n`);
  const store = SqliteStore.open(values.db);
  try {
    io.out(`  integrity: ${store.integrityCheck().join("; ")}\n`);
  } finally {
    store.close();
  }
  return 0;
}
