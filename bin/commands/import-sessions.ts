import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseSessionsCsv } from "../../lib/charging/session-csv";
import { importSessions } from "../../lib/charging/session-import";
import { isChargeMode } from "../../lib/model/charging-session";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const IMPORT_SESSIONS_USAGE = `zev import sessions <file.csv> --db <file.sqlite> --community <id> [--charger <meter id>] [--mode priority|normal] [--time-zone <zone>] [--dry-run]
      import charging sessions (start, end, energy kWh or counter start/end, RFID/user id, mode; or evcc's session export)
      of chargers read by other systems, attributed and billed like recorded ones (docs/chargers.md "Importing sessions");
      --charger: the charger meter of all sessions (default: the file's charger column, else the community's only charger meter);
      --mode: the mode of sessions without one (default normal, with a warning; evcc's export has none)`;

export function importSessionsCommand(args: string[], io: CommandIO): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      charger: { type: "string" },
      mode: { type: "string" },
      "time-zone": { type: "string" },
      "dry-run": { type: "boolean" },
      actor: { type: "string" },
    },
  });
  const file = positionals[0];
  if (!file) throw new UsageError("zev import sessions needs the CSV file");
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  if (values.mode !== undefined && !isChargeMode(values.mode)) throw new UsageError("--mode is priority or normal");
  const store = openStore(db);
  try {
    const community = communityOrExplain(store, communityId, io);
    if (!community) return 1;
    const parsed = parseSessionsCsv(readFileSync(file, "utf8"), { fileName: file, timeZone: values["time-zone"] ?? community.definition.timeZone });
    const res = importSessions(store, communityId, parsed, {
      fileName: file,
      charger: values.charger,
      mode: values.mode as "priority" | "normal" | undefined,
      actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}`,
      dryRun: values["dry-run"] ?? false,
    });
    for (const w of res.warnings) io.err(`warning: ${w}\n`);
    const kWh = (wh: number): string => (wh / 1000).toFixed(3);
    const total = res.toStore.reduce((s, p) => s + p.fields.energyWh, 0);
    const verb = res.dryRun ? "would be stored (dry run, nothing written)" : "stored";
    io.out(
      `${file}: ${parsed.layout === "evcc" ? "evcc export, " : ""}${res.toStore.length} session(s), ${kWh(total)} kWh ${verb}; ${res.alreadyStored.length} already stored\n`,
    );
    const ids = new Map(res.stored.map((s) => [s.line, s.sessionId]));
    for (const p of res.toStore) {
      const f = p.fields;
      io.out(
        `  line ${p.line}\t${p.chargerKey}\t${new Date(f.startedMs).toISOString()} .. ${new Date(f.endedMs!).toISOString()}\t${kWh(f.energyWh)} kWh ${p.mode}\t${f.userId ?? "no id"} -> ${f.unitId !== null ? `unit ${f.unitId}` : "nobody (not mapped)"}${ids.has(p.line) ? `\tsession ${ids.get(p.line)}` : ""}\n`,
      );
    }
    for (const a of res.alreadyStored) io.out(`  line ${a.line}\talready stored as session ${a.sessionId}\n`);
    return 0;
  } finally {
    store.close();
  }
}
