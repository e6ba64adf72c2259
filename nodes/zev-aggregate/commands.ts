import type { CommunityAggregator } from "../../lib/aggregation/community-aggregator";
import type { DataQualityReport } from "../../lib/aggregation/data-quality";
import { DaySeries, dayOf, daySeries } from "../../lib/aggregation/day-series";
import { HealthReport, meterHealth, SourceCounts } from "../../lib/aggregation/meter-health";
import type { AllocationMethod } from "../../lib/allocation/allocate";
import { replacementFromInput, type ReplacementInput, type ReplacementOutcome } from "../../lib/readings/intervals/meter-replacement";
import type { LoadProfileImportResult } from "../../lib/readings/intervals/load-profile-import";
import type { SdatImportReport } from "../../lib/operator/sdat-import";
import { DEFAULT_REFERENCE_WEEKS, SUBSTITUTE_METHODS, type SubstituteMethod } from "../../lib/aggregation/substitute";
import { substituteGaps, type SubstituteReport } from "../../lib/aggregation/substitute-run";
import type { BackupResult } from "../../lib/store/backup";
import { latestCommunity } from "../../lib/store/community-repo";
import type { JobKind, JobOf, JobResult } from "../../lib/jobs/jobs";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { INTERVAL_MS } from "../../lib/time/interval";
import { localDateOf } from "../../lib/time/local-date";
import { parsePeriod } from "../../lib/time/periods";

/**
 * The commands zev-aggregate takes on msg.command. Never on msg.topic: the
 * topic is a meter id, and a meter may well be called "backup" (DESIGN.md,
 * decision 0074).
 */
export const COMMANDS = ["import", "backup", "quality", "series", "health", "replace-meter", "import-sdat", "substitute"] as const;
export type CommandName = (typeof COMMANDS)[number];

export function isCommand(command: unknown): command is CommandName {
  return typeof command === "string" && (COMMANDS as readonly string[]).includes(command);
}

export interface CommandContext {
  store: SqliteStore;
  communityId: string;
  timeZone: string;
  aggregator: CommunityAggregator;
  backupFolder: string | null;
  backupKeep: number;
  actor: string;
  resolvePath: (p: string) => string;
  now: () => number;
  method: AllocationMethod;
  /** Counters of the zev-meter-in nodes feeding this community (rejected values per meter). */
  sources: () => ReadonlyMap<string, SourceCounts>;
  /** Runs a heavy job (import, backup) off Node-RED's thread (lib/jobs, decision 0118). */
  job: <K extends JobKind>(job: JobOf<K>) => Promise<JobResult<K>>;
}

export type CommandResult =
  | LoadProfileImportResult
  | SdatImportReport
  | BackupResult
  | (DataQualityReport & { period: string })
  | DaySeries
  | HealthReport
  | (SubstituteReport & { period: string })
  | (ReplacementOutcome & { meter: string; atMs: number });

/**
 * import: payload = CSV text, or the path of a CSV file (relative to the user dir); msg.timestampIs = "start" | "end".
 * backup: a backup now into the configured folder.
 * quality: payload = a period ("2026-10", "2026-Q4", "2026", "2026-10-01..2026-10-15"); default the current month.
 * series: payload = a day ("2026-11-27", "today", "yesterday"; default today): its quarter hours, split solar / battery / grid.
 * health: per meter the last reading and its age, today's and this month's quarter hours by quality, rejected values.
 * import-sdat: payload = an SDAT-CH ValidatedMeteredData document (XML text) or the path of one (relative to the user dir);
 *   merged by quality and document creation (docs/operator-data.md); msg.dryRun = true stores nothing.
 * substitute: payload = { period, meters?, method?, weeks?, dryRun? }: substitute values for the gaps of the community's
 *   own meters in the period (docs/aggregation.md "Substitute values"); without meters, those without a metering point.
 * replace-meter: payload = { meter, at, oldFinal, newInitial, oldFinalExport?, newInitialExport?, serial? } (kWh; at local
 *   "YYYY-MM-DD HH:MM", ISO or epoch ms): a meter replacement, applied to the counter state this node keeps (docs/meters.md).
 */
export async function runCommand(
  command: CommandName,
  msg: { payload?: unknown; timestampIs?: unknown; dryRun?: unknown },
  ctx: CommandContext,
): Promise<CommandResult> {
  switch (command) {
    case "import": {
      if (typeof msg.payload !== "string" || !msg.payload.trim()) throw new Error("import: msg.payload must be the CSV text or the path of a CSV file");
      const isText = msg.payload.includes("\n");
      const ts = msg.timestampIs === "start" || msg.timestampIs === "end" ? msg.timestampIs : undefined;
      return ctx.job({
        kind: "import",
        communityId: ctx.communityId,
        ...(isText ? { text: msg.payload } : { file: ctx.resolvePath(msg.payload.trim()) }),
        fileName: isText ? "msg.payload" : msg.payload.trim(),
        source: isText ? "msg.payload" : `file:${msg.payload.trim()}`,
        timeZone: ctx.timeZone,
        ...(ts ? { timestampIs: ts } : {}),
        actor: ctx.actor,
      });
    }
    case "import-sdat": {
      if (typeof msg.payload !== "string" || !msg.payload.trim())
        throw new Error("import-sdat: msg.payload must be the SDAT XML text or the path of an SDAT file");
      const isText = msg.payload.trimStart().startsWith("<");
      const name = isText ? "msg.payload" : msg.payload.trim();
      return ctx.job({
        kind: "import-sdat",
        communityId: ctx.communityId,
        ...(isText ? { xml: msg.payload } : { file: ctx.resolvePath(name) }),
        name,
        actor: ctx.actor,
        dryRun: msg.dryRun === true,
      });
    }
    case "backup": {
      if (!ctx.backupFolder) throw new Error("backup: no backup folder is configured");
      return ctx.job({ kind: "backup", communityId: ctx.communityId, folder: ctx.backupFolder, keep: ctx.backupKeep });
    }
    case "quality": {
      const text = typeof msg.payload === "string" && msg.payload.trim() ? msg.payload : localDateOf(ctx.now(), ctx.timeZone).slice(0, 7);
      const p = parsePeriod(text, ctx.timeZone);
      const report = ctx.aggregator.quality(Math.floor(p.startMs / INTERVAL_MS) * INTERVAL_MS, Math.floor(p.endMs / INTERVAL_MS) * INTERVAL_MS);
      return { ...report, period: p.label };
    }
    case "series": {
      const date = dayOf(msg.payload && typeof msg.payload === "object" ? (msg.payload as { date?: unknown }).date : msg.payload, ctx.now(), ctx.timeZone);
      return daySeries(ctx.store, ctx.communityId, date, ctx.timeZone, { method: ctx.method, untilMs: ctx.now() });
    }
    case "health":
      return meterHealth(ctx.store, ctx.communityId, ctx.now(), ctx.timeZone, ctx.sources());
    case "substitute": {
      const p = (msg.payload && typeof msg.payload === "object" ? msg.payload : {}) as {
        period?: unknown;
        meters?: unknown;
        method?: unknown;
        weeks?: unknown;
        dryRun?: unknown;
      };
      if (typeof p.period !== "string" || !p.period.trim())
        throw new Error('substitute: msg.payload must be { period, meters?, method?, weeks?, dryRun? }, e.g. { period: "2026-11" }');
      const method = (p.method ?? "profile") as SubstituteMethod;
      if (!SUBSTITUTE_METHODS.includes(method)) throw new Error(`substitute: method must be one of ${SUBSTITUTE_METHODS.join(", ")}`);
      const meters = Array.isArray(p.meters)
        ? p.meters.map(String)
        : (latestCommunity(ctx.store, ctx.communityId)?.definition.meters ?? []).filter((m) => !m.meteringPoint).map((m) => m.id);
      const period = parsePeriod(p.period, ctx.timeZone);
      const report = substituteGaps(ctx.store, {
        communityId: ctx.communityId,
        fromMs: period.startMs,
        toMs: period.endMs,
        meters,
        method,
        weeks: p.weeks === undefined ? DEFAULT_REFERENCE_WEEKS : Number(p.weeks),
        dryRun: p.dryRun === true || msg.dryRun === true,
        actor: ctx.actor,
        nowMs: ctx.now(),
      });
      return { ...report, period: period.label };
    }
    case "replace-meter": {
      const p = msg.payload;
      if (p === null || typeof p !== "object" || typeof (p as { meter?: unknown }).meter !== "string") {
        throw new Error("replace-meter: msg.payload must be { meter, at, oldFinal, newInitial } (readings in kWh)");
      }
      const rep = replacementFromInput(p as ReplacementInput, ctx.timeZone);
      return { ...ctx.aggregator.ingest.replaceMeter((p as { meter: string }).meter, rep), atMs: rep.atMs };
    }
  }
}
