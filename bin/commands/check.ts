import { parseArgs } from "node:util";
import { LATEST_SCHEMA_VERSION } from "../../lib/store/migrations";
import { listCommunities } from "../../lib/store/community-repo";
import { NEGATIVE_REPAIR_ACTION } from "../../lib/store/interval-repair";
import { negativeIntervalReport } from "../../lib/store/negative-intervals";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { CommandIO, UsageError } from "./io";

export const CHECK_USAGE = `zev check --db <file.sqlite>
      migrate the database if needed, run SQLite's integrity check, list communities,
      report negative intervals older versions wrote (repaired by the migration, in the audit log)`;

/** Repairs listed one per line; beyond this, only counted. */
const LIST_REPAIRS = 20;

export function checkCommand(args: string[], io: CommandIO): number {
  const { values } = parseArgs({ args, options: { db: { type: "string" } } });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  const store = SqliteStore.open(values.db);
  try {
    const integrity = store.integrityCheck();
    io.out(
      `database ${store.path}\n  schema version ${store.schemaVersion()} (this package: ${LATEST_SCHEMA_VERSION})\n  integrity: ${integrity.join("; ")}\n`,
    );
    for (const c of listCommunities(store)) io.out(`  community ${c.id} (${c.name})\n`);
    const neg = negativeIntervalReport(store);
    const moved = neg.repaired.filter((r) => r.movedTo !== null).length;
    io.out(
      `  negative intervals repaired: ${neg.repaired.length}` +
        (neg.repaired.length
          ? ` (${moved} moved into a neighbouring interval, ${neg.repaired.length - moved} set to 0 and flagged estimated; audit log action ${NEGATIVE_REPAIR_ACTION})`
          : "") +
        "\n",
    );
    for (const r of neg.repaired.slice(0, LIST_REPAIRS)) {
      const where = r.movedTo
        ? `, ${-r.beforeWh} Wh taken from ${r.movedTo.start} (${r.movedTo.beforeWh} -> ${r.movedTo.afterWh} Wh)`
        : `, the meter's sum grew by ${r.sumChangedWh} Wh, quality ${r.qualityAfter}`;
      io.out(`    meter ${r.meter} ${r.start} ${r.field} ${r.beforeWh} -> 0 Wh${where}\n`);
    }
    if (neg.repaired.length > LIST_REPAIRS) io.out(`    ... and ${neg.repaired.length - LIST_REPAIRS} more\n`);
    io.out(`  negative intervals remaining: ${neg.remaining}${neg.remainingSessionRows ? `, charging-session rows: ${neg.remainingSessionRows}` : ""}\n`);
    const ok = integrity.length === 1 && integrity[0] === "ok" && neg.remaining === 0 && neg.remainingSessionRows === 0;
    return ok ? 0 : 1;
  } finally {
    store.close();
  }
}
