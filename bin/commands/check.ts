import { parseArgs } from "node:util";
import { LATEST_SCHEMA_VERSION } from "../../lib/store/migrations";
import { listCommunities } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { CommandIO, UsageError } from "./io";

export const CHECK_USAGE = `zev check --db <file.sqlite>
      migrate the database if needed, run SQLite's integrity check, list communities`;

export function checkCommand(args: string[], io: CommandIO): number {
  const { values } = parseArgs({ args, options: { db: { type: "string" } } });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  const store = SqliteStore.open(values.db);
  try {
    const integrity = store.integrityCheck();
    io.out(`database ${store.path}\n  schema version ${store.schemaVersion()} (this package: ${LATEST_SCHEMA_VERSION})\n  integrity: ${integrity.join("; ")}\n`);
    for (const c of listCommunities(store)) io.out(`  community ${c.id} (${c.name})\n`);
    return integrity.length === 1 && integrity[0] === "ok" ? 0 : 1;
  } finally {
    store.close();
  }
}
