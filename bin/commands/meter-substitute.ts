import { parseArgs } from "node:util";
import { DEFAULT_REFERENCE_WEEKS, SUBSTITUTE_METHODS, type SubstituteMethod } from "../../lib/aggregation/substitute";
import { substituteGaps, type SubstituteReport } from "../../lib/aggregation/substitute-run";
import { formatLocal } from "../../lib/time/local-date";
import { parsePeriod } from "../../lib/time/periods";
import { swissCount, swissNumber } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId } from "./store-args";

export const SUBSTITUTE_USAGE = `zev meter substitute --db <file.sqlite> --community <id> --period <2026-10|2026-Q4|from..to>
           [--meter <id>]... [--method profile|linear] [--weeks 1-8] [--dry-run] [--json]
      fill the gaps of the community's own meters in the period with substitute values, flagged estimated
      (docs/aggregation.md "Substitute values"): profile = the same weekday's quarter hours of the weeks before
      (default ${DEFAULT_REFERENCE_WEEKS}), scaled to the meter's counter difference across the gap where it is known;
      linear = the counter difference spread evenly. Meters with a metering point (operator data) are left out
      unless named with --meter. Exit code 1 when a gap could not be filled`;

export function substituteCommand(args: string[], io: CommandIO): number {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      period: { type: "string" },
      meter: { type: "string", multiple: true },
      method: { type: "string" },
      weeks: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      actor: { type: "string" },
    },
  });
  const communityId = requireCommunityId(values.community);
  if (!values.period) throw new UsageError(`--period is required\n${SUBSTITUTE_USAGE}`);
  const method = (values.method ?? "profile") as SubstituteMethod;
  if (!SUBSTITUTE_METHODS.includes(method)) throw new UsageError(`--method must be one of ${SUBSTITUTE_METHODS.join(", ")}`);
  const weeks = values.weeks === undefined ? DEFAULT_REFERENCE_WEEKS : Number(values.weeks);
  const store = openStore(values.db);
  try {
    const community = communityOrExplain(store, communityId, io);
    if (!community) return 1;
    const def = community.definition;
    const period = parsePeriod(values.period, def.timeZone);
    const own = (def.meters ?? []).filter((m) => !m.meteringPoint).map((m) => m.id);
    const report = substituteGaps(store, {
      communityId,
      fromMs: period.startMs,
      toMs: period.endMs,
      meters: values.meter?.length ? values.meter : own,
      method,
      weeks,
      dryRun: !!values["dry-run"],
      actor: values.actor ?? "cli",
      nowMs: Date.now(),
    });
    if (values.json) io.out(JSON.stringify(report, null, 2) + "\n");
    else printReport(report, def.timeZone, io);
    return report.refused ? 1 : 0;
  } finally {
    store.close();
  }
}

function printReport(r: SubstituteReport, zone: string, io: CommandIO): void {
  if (!r.gaps.length) {
    io.out("no gaps to fill\n");
    return;
  }
  const kwh = (wh: number | null): string => (wh === null ? "-" : swissNumber(wh / 1000, 3));
  for (const g of r.gaps) {
    const span = `${formatLocal(g.fromMs, zone)} to ${formatLocal(g.toMs, zone)} (${swissCount(g.intervals)} quarter hours)`;
    if (g.refused) {
      io.out(`  ${g.meter}: ${span}: NOT FILLED: ${g.refused.message}\n`);
      continue;
    }
    const basis = g.scaledToCounter
      ? `scaled to the counter difference ${kwh(g.known!.importWh)} kWh`
      : "no counter difference known: the reference weeks' mean as it is";
    const fallback = r.method === "profile" && g.applied === "linear" ? " (no reference values: spread evenly)" : "";
    io.out(`  ${g.meter}: ${span}: ${g.applied}${fallback}, ${basis}: import ${kwh(g.importWh)} kWh, export ${kwh(g.exportWh)} kWh, estimated\n`);
  }
  io.out(`${r.dryRun ? "dry run, nothing written: would fill" : "filled"} ${r.filled} gap(s)${r.refused ? `, ${r.refused} not filled` : ""}\n`);
}
