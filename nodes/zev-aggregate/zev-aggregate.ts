import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Node, NodeAPI, NodeMessage } from "node-red";
import { CommunityAggregator } from "../../lib/aggregation/community-aggregator";
import { startJob, type JobHandle } from "../../lib/jobs/start-job";
import type { JobKind, JobOf, JobResult } from "../../lib/jobs/jobs";
import { acquireStore, releaseStore } from "../../lib/store/registry";
import { sealLimitMs } from "../../lib/store/interval-days";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { nextDailyRun, yearsBefore } from "../../lib/time/daily-schedule";
import { DEFAULT_TIME_ZONE, formatLocal } from "../../lib/time/local-date";
import { getCommunity } from "../shared/community-handle";
import { swissCount, swissNumber } from "../../lib/util/swiss-number";
import { sourceCounts, udpPortCountsAll } from "../shared/source-counts";
import { localisedError, translator } from "../shared/translate";
import { aggregateAlerts } from "./alerts";
import { COMMANDS, isCommand, runCommand } from "./commands";
import { AggregateConfig, settingsFromConfig, splitMethod } from "./config";

/** Readings are committed at least every settings.flushMs (1 s); a reading's done() fires after its commit. */
const FLUSH_READINGS = 5000;
const STATUS_MS = 5000;
const DAY_MS = 86_400_000;

type Done = (err?: Error) => void;

/** Communities with a running zev-aggregate in this process: two would fight over the counter state. */
const active = new Set<string>();

export = function register(RED: NodeAPI): void {
  const userDir = (): string => (RED.settings as { userDir?: string }).userDir ?? join(homedir(), ".node-red");
  const inUserDir = (p: string): string => (isAbsolute(p) ? p : resolve(userDir(), p));

  function ZevAggregateNode(this: Node, config: AggregateConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const t = translator(RED._, "zev-aggregate");
    const handle = getCommunity(RED, config.community);
    const { settings, problems } = settingsFromConfig(config);
    if (!handle || !handle.store || !handle.dbPath || problems.length) {
      const why = !handle
        ? t("errors.noCommunity")
        : (handle.problem ?? (problems.length ? problems.map((p) => t(`errors.setting.${p.key}`, { value: p.value })).join("; ") : t("errors.noStore")));
      node.error(why);
      node.status({ fill: "red", shape: "ring", text: t("status.notReady") });
      node.on("input", (_msg: NodeMessage, _send: unknown, done: Done) => done(new Error(why)));
      return;
    }
    const communityId = handle.communityId;
    const key = `${resolve(handle.dbPath)}#${communityId}`;
    if (active.has(key)) {
      const why = t("errors.duplicate", { community: communityId });
      node.error(why);
      node.status({ fill: "red", shape: "ring", text: t("status.notReady") });
      node.on("input", (_msg: NodeMessage, _send: unknown, done: Done) => done(new Error(why)));
      return;
    }
    active.add(key);
    const store: SqliteStore = acquireStore(handle.dbPath);
    const zone = handle.definition?.timeZone ?? DEFAULT_TIME_ZONE;
    const actor = `node:${node.id}${node.name ? ` (${node.name})` : ""}`;
    const split = splitMethod(handle.definition?.billing?.allocation, config.method);
    if (split.ignored) node.warn(t("errors.methodIgnored", { value: split.ignored, method: t(`method.${split.method}`) }));
    const agg = new CommunityAggregator(store, communityId, {
      actor,
      method: split.method,
      gapLimitMs: settings.gapLimitMs,
      maxPowerW: settings.maxPowerW,
      graceMs: settings.graceMs,
    });
    let pendingDone: Done[] = [];
    let lastClosed: number | null = null;
    let readingsSinceStatus = 0;
    let rate = 0;
    let failing = false;
    const timers: NodeJS.Timeout[] = [];
    let closed = false;
    // Alerts on the last output (docs/alerts.md): outputs 1-3 keep their meaning, flows wire them by index.
    const alerts = aggregateAlerts({
      settings,
      communityId,
      definition: handle.definition,
      zone,
      store,
      send: (m) => node.send([null, null, null, m]),
      failed: (e) => node.error(t("errors.alerts", { message: localisedError(RED, "zev-aggregate", e).message })),
    });
    // Imports and backups run in worker threads (decision 0118); closing stops them.
    const jobs = new Set<JobHandle<JobKind>>();
    const job = <K extends JobKind>(j: JobOf<K>): Promise<JobResult<K>> => {
      const h = startJob(store, j);
      jobs.add(h as JobHandle<JobKind>);
      node.status({ fill: "blue", shape: "ring", text: t(`status.job.${j.kind}`) });
      return h.result.finally(() => jobs.delete(h as JobHandle<JobKind>));
    };

    const flush = (): void => {
      try {
        // Never waits for a worker thread's write lock (decision 0117): taken, everything stays pending for the next tick.
        const flushed = agg.tryFlush((summary) => {
          node.send([{ topic: "interval", payload: summary }, null, null]);
          lastClosed = summary.startMs;
        });
        if (!flushed) return;
        failing = false;
      } catch (e) {
        // Everything stays pending and is retried on the next tick; done() waits for the commit.
        if (!failing) node.error(t("errors.flush", { message: localisedError(RED, "zev-aggregate", e).message }));
        failing = true;
        node.status({ fill: "red", shape: "dot", text: t("status.storeError") });
        return;
      }
      const dones = pendingDone;
      pendingDone = [];
      for (const d of dones) d();
      for (const key of agg.ingest.registered.splice(0)) node.warn(t("warn.unknownMeter", { meter: key }));
    };

    const showStatus = (): void => {
      if (failing) return;
      rate = readingsSinceStatus / (STATUS_MS / 1000);
      readingsSinceStatus = 0;
      const s = agg.ingest.stats;
      node.status({
        fill: s.rejected > 0 ? "yellow" : "green",
        shape: "dot",
        text: t("status.running", {
          rate: swissNumber(rate, 1),
          last: lastClosed === null ? "–" : formatLocal(lastClosed, zone).slice(11, 16),
          rejected: swissCount(s.rejected),
        }),
      });
    };

    const backupOutcome = (err: Error | null): void => {
      if (!closed) alerts?.backup(err);
    };
    const backupNow = async (): Promise<void> => {
      if (!settings.backupFolder || closed) return;
      try {
        const res = await job({ kind: "backup", communityId, folder: inUserDir(settings.backupFolder), keep: settings.backupKeep });
        node.log(t("log.backup", { file: res.file }));
        backupOutcome(null);
      } catch (e) {
        node.error(t("errors.backup", { message: (e as Error).message }));
        backupOutcome(e as Error);
      }
    };
    const scheduleBackup = (): void => {
      if (!settings.backupFolder || !settings.backupAt || closed) return;
      const wait = nextDailyRun(Date.now(), settings.backupAt, zone) - Date.now();
      timers.push(setTimeout(() => void backupNow().finally(scheduleBackup), Math.min(wait, DAY_MS + 3600_000)));
    };
    // In a job worker: a day of 1,000 meters is ~100,000 rows to delete, too long for Node-RED's thread (issue 16).
    const prune = async (): Promise<void> => {
      if (closed) return;
      try {
        const res = await job({ kind: "prune", communityId, beforeMs: yearsBefore(Date.now(), settings.retentionYears, zone) });
        if (res.intervals || res.operatorValues)
          node.log(t("log.pruned", { count: res.intervals, operator: res.operatorValues, years: settings.retentionYears }));
      } catch (e) {
        node.error(t("errors.prune", { message: (e as Error).message }));
      }
      // Then the days that are over, sealed for fast reads of long periods (docs/decisions/0149).
      if (closed) return;
      try {
        await job({ kind: "seal", communityId, beforeMs: sealLimitMs(Date.now()) });
      } catch (e) {
        node.error(t("errors.seal", { message: (e as Error).message }));
      }
    };

    timers.push(setInterval(flush, settings.flushMs));
    timers.push(setInterval(showStatus, STATUS_MS));
    if (settings.liveMs > 0) timers.push(setInterval(() => node.send([null, { topic: "live", payload: agg.live() }, null]), settings.liveMs));
    timers.push(
      setTimeout(() => void prune(), 60_000),
      setInterval(() => void prune(), DAY_MS),
    );
    scheduleBackup();
    if (alerts) timers.push(setInterval(alerts.check, settings.alertCheckMs));
    node.status({ fill: "grey", shape: "ring", text: t("status.waiting") });

    node.on("input", (msg: NodeMessage & { command?: unknown; timestampIs?: unknown }, send: (m: (NodeMessage | null)[]) => void, done: Done) => {
      // A command only on msg.command; msg.topic is a meter id, whatever it is called.
      if (msg.command !== undefined && msg.command !== null && msg.command !== "") {
        if (!isCommand(msg.command))
          return done(new Error(t("errors.unknownCommand", { command: String(msg.command).slice(0, 40), commands: COMMANDS.join(", ") })));
        flush();
        runCommand(msg.command, msg, {
          store,
          communityId,
          timeZone: zone,
          aggregator: agg,
          backupFolder: settings.backupFolder ? inUserDir(settings.backupFolder) : null,
          backupKeep: settings.backupKeep,
          actor,
          resolvePath: inUserDir,
          now: Date.now,
          method: split.method,
          sources: () => Object.assign(sourceCounts(communityId), { ports: udpPortCountsAll() }),
          job,
        }).then(
          (result) => {
            // An import that needs a look (ambiguous local times, a suspicious direction) says so, not only in its payload.
            if ((msg.command === "import" || msg.command === "import-sdat") && "warnings" in result)
              for (const w of result.warnings) node.warn(t(msg.command === "import" ? "warn.import" : "warn.importSdat", { message: w }));
            send([null, null, { ...msg, payload: result }]);
            if (msg.command === "backup") backupOutcome(null);
            done();
          },
          (e: Error) => {
            if (msg.command === "backup" && settings.backupFolder) backupOutcome(e);
            done(localisedError(RED, "zev-aggregate", e));
          },
        );
        return;
      }
      const out = agg.accept(msg.payload, msg.topic);
      switch (out.kind) {
        case "accepted":
          readingsSinceStatus++;
          pendingDone.push(done);
          if (agg.ingest.pending >= FLUSH_READINGS) flush();
          return;
        case "rejected": {
          const meter = out.meter ?? (typeof msg.topic === "string" ? msg.topic : "");
          if (meter) alerts?.refused(meter);
          done(new Error(t("errors.rejected", { message: out.message })));
          return;
        }
        default:
          // duplicate, late (counted, changes nothing) or live-only
          done();
      }
    });

    node.on("close", (_removed: boolean, finished: () => void) => {
      closed = true;
      for (const tm of timers) clearTimeout(tm);
      try {
        // Commit what was accepted; summaries not yet sent follow after the restart.
        agg.ingest.flush();
        for (const d of pendingDone) d();
      } catch (e) {
        for (const d of pendingDone) d(e as Error);
      }
      pendingDone = [];
      releaseStore(store);
      active.delete(key);
      void Promise.allSettled([...jobs].map((j) => j.stop())).then(() => finished());
    });
  }

  RED.nodes.registerType("zev-aggregate", ZevAggregateNode as never);
};
