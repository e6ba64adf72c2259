import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseLoadProfileCsv } from "../../lib/readings/intervals/load-profile-csv";
import { importLoadProfile, orientForStore } from "../../lib/readings/intervals/load-profile-import";
import { IMPORT_SDAT_USAGE, importSdatCommand, seriesLine } from "./import-sdat";
import { IMPORT_SESSIONS_USAGE, importSessionsCommand } from "./import-sessions";
import { swissCount } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const IMPORT_USAGE = `zev import load-profile <file.csv> --db <file.sqlite> --community <id> [--timestamp start|end] [--time-zone <zone>] [--dry-run]
      import a grid operator's 15-minute load profile (metering point, time, import kWh, export kWh) as measured intervals
      (docs/aggregation.md); a file with a quality column (Messdatengüte, Qualität, Status) is merged by the SDAT rules
      (a substitute never overwrites a measured value); --timestamp says whether times mark the start (default) or the end of each quarter hour
  ${IMPORT_SESSIONS_USAGE}
  ${IMPORT_SDAT_USAGE}`;

export function importCommand(args: string[], io: CommandIO): number {
  const [sub, ...rest] = args;
  if (sub === "sessions") return importSessionsCommand(rest, io);
  if (sub === "sdat") return importSdatCommand(rest, io);
  if (sub !== "load-profile") throw new UsageError(`unknown import ${JSON.stringify(sub ?? "")}\n${IMPORT_USAGE}`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      timestamp: { type: "string" },
      "time-zone": { type: "string" },
      "dry-run": { type: "boolean" },
      actor: { type: "string" },
    },
  });
  const file = positionals[0];
  if (!file) throw new UsageError("zev import load-profile needs the CSV file");
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  if (values.timestamp !== undefined && values.timestamp !== "start" && values.timestamp !== "end") throw new UsageError("--timestamp is start or end");
  const store = openStore(db);
  try {
    const community = communityOrExplain(store, communityId, io);
    if (!community) return 1;
    const parsed = parseLoadProfileCsv(readFileSync(file, "utf8"), {
      fileName: file,
      timeZone: values["time-zone"] ?? community.definition.timeZone,
      timestampIs: values.timestamp as "start" | "end" | undefined,
    });
    const span = `${new Date(parsed.fromMs).toISOString()} .. ${new Date(parsed.toMs).toISOString()}`;
    const direction = (d: { role: string; primary: string; reverse: string | null }): string =>
      `${d.role}: ${JSON.stringify(d.primary)}${d.reverse ? `, reverse ${JSON.stringify(d.reverse)}` : ""}`;
    const actor = `cli:${values.actor ?? process.env.USER ?? "unknown"}`;
    if (parsed.qualityColumn) {
      const dryRun = values["dry-run"] ?? false;
      const res = importLoadProfile(store, communityId, parsed, { actor, source: `file:${file}`, fileName: file, dryRun });
      for (const w of res.warnings) io.err(`warning: ${w}\n`);
      io.out(
        `${file}: ${swissCount(res.rows)} intervals with quality column ${JSON.stringify(parsed.qualityColumn)} ${dryRun ? "checked (dry run, nothing written)" : "merged"} for community ${communityId}, ${span}${res.warnings.length ? `, ${res.warnings.length} warning(s)` : ""}\n`,
      );
      for (const s of res.merge!.series) io.out(seriesLine(s));
      return 0;
    }
    if (values["dry-run"]) {
      const o = orientForStore(store, communityId, parsed, file);
      for (const w of o.warnings) io.err(`warning: ${w}\n`);
      io.out(
        `${file}: ${swissCount(parsed.rows.length)} intervals for ${swissCount(parsed.meters.length)} meter(s), ${span}, timestamps mark the ${parsed.timestampIs} (dry run, nothing written)\n`,
      );
      for (const d of o.directions) io.out(`  ${d.meter}\t${direction(d)}\n`);
      return 0;
    }
    const res = importLoadProfile(store, communityId, parsed, { actor, source: `file:${file}`, fileName: file });
    for (const w of res.warnings) io.err(`warning: ${w}\n`);
    io.out(
      `${file}: ${swissCount(res.rows)} intervals imported for community ${communityId}, ${span}${res.warnings.length ? `, ${res.warnings.length} warning(s)` : ""}\n`,
    );
    const dirs = new Map(res.directions.map((d) => [d.meter, d]));
    for (const m of res.meters) {
      const d = dirs.get(m.meter);
      io.out(
        `  ${m.meter}\t${swissCount(m.rows)} intervals${d ? `\t${direction(d)}` : ""}${m.registered ? "\tNEW meter registered with role other: give it its role in the community" : ""}\n`,
      );
    }
    return 0;
  } finally {
    store.close();
  }
}
