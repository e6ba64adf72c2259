import { parseArgs } from "node:util";
import { importSdatFiles, type SdatFileOutcome } from "../../lib/operator/sdat-files";
import type { SdatSeriesReport } from "../../lib/operator/sdat-import";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const IMPORT_SDAT_USAGE = `zev import sdat <file.xml|folder>... --db <file.sqlite> --community <id> [--dry-run] [--json]
      import grid operators' SDAT-CH ValidatedMeteredData documents (1.2-1.6, 15 minutes) into the meters whose
      meteringPoint they name (docs/operator-data.md); a folder = its .xml files, not recursive; one transaction per file,
      exit 1 when any file failed`;

const iso = (ms: number): string => new Date(ms).toISOString().replace(":00.000Z", "Z");

/** One series' merge outcome; also the report of a load-profile CSV with a quality column. */
export function seriesLine(s: SdatSeriesReport): string {
  const q = s.byQuality;
  return (
    `  ${s.meteringPoint}\tmeter ${s.meter} (${s.role})\t${s.direction} -> ${s.column}\t${iso(s.fromMs)} .. ${iso(s.toMs)}\t${s.observations} observations: ` +
    `${s.stored} stored, ${s.replaced} replaced, ${s.kept} kept, ${s.unchanged} unchanged; measured ${q.measured}, estimated ${q.estimated}, not a measurement ${q.missing}\n` +
    s.trueValueReplacements
      .map(
        (r) =>
          `    true value replaced at ${iso(r.startMs)}: ${r.oldWh} -> ${r.newWh} Wh${r.previousDocument ? ` (was document ${r.previousDocument})` : ""}\n`,
      )
      .join("") +
    (s.trueValuesReplaced > s.trueValueReplacements.length
      ? `    ... ${s.trueValuesReplaced - s.trueValueReplacements.length} more true values replaced\n`
      : "")
  );
}

function print(o: SdatFileOutcome, io: CommandIO): void {
  if (o.status === "skipped") {
    io.out(`${o.file}: skipped (${o.note})\n`);
    return;
  }
  if (o.status === "failed") {
    io.err(`${o.file}: FAILED, nothing stored: ${o.error.message}\n`);
    return;
  }
  const r = o.report;
  for (const w of r.warnings) io.err(`warning: ${w}\n`);
  io.out(
    `${o.file}: document ${r.documentId} (ValidatedMeteredData_${r.version}, created ${iso(r.createdMs)})${r.dryRun ? " (dry run, nothing written)" : ""}\n`,
  );
  for (const s of r.series) io.out(seriesLine(s));
  // A LEG's per-member split (E66 local/residual, docs/operator-data.md "LEG"): its own table, not the intervals.
  for (const s of r.legSplit ?? [])
    io.out(
      `  ${s.meteringPoint} -> meter ${s.meter}, LEG ${s.share} share (product ${s.product}), ${iso(s.fromMs)} .. ${iso(s.toMs)}: ${s.observations} observations, ${s.stored} stored, ${s.replaced} replaced, ${s.kept} kept, ${s.placeholders} placeholders\n`,
    );
  for (const n of r.notes) io.out(`  note: ${n}\n`);
}

export function importSdatCommand(args: string[], io: CommandIO): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      actor: { type: "string" },
    },
  });
  if (!positionals.length) throw new UsageError("zev import sdat needs one or more SDAT files or folders");
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  const store = openStore(db);
  try {
    if (!communityOrExplain(store, communityId, io)) return 1;
    const outcomes = importSdatFiles(store, communityId, positionals, {
      actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}`,
      dryRun: values["dry-run"] ?? false,
    });
    const failed = outcomes.filter((o) => o.status === "failed").length;
    const imported = outcomes.filter((o) => o.status === "imported").length;
    const skipped = outcomes.filter((o) => o.status === "skipped").length;
    if (values.json) io.out(JSON.stringify({ community: communityId, imported, failed, skipped, files: outcomes }, null, 2) + "\n");
    else {
      for (const o of outcomes) print(o, io);
      io.out(`${imported} file(s) ${values["dry-run"] ? "checked" : "imported"}, ${failed} failed, ${skipped} skipped\n`);
    }
    return failed ? 1 : 0;
  } finally {
    store.close();
  }
}
