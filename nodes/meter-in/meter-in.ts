import type { Node, NodeAPI, NodeMessage } from "node-red";
import { alertLanguage, alertMessage } from "../../lib/alerts/build";
import { DeviceSilence, deviceAlertTiming } from "../../lib/alerts/device";
import { profileCatalog } from "../../lib/devices/modbus/catalog";
import { meterDefinition, meterDefinitionProblems } from "../../lib/community/meter-registration";
import type { MeterRole } from "../../lib/model/meter";
import { upsertMeter } from "../../lib/store/meter-repo";
import { MeterIngest, type Arrival, type MeterStats } from "../../lib/readings/meter-input/meter-ingest";
import { meterStatus, type MeterStatusState } from "../../lib/readings/meter-input/meter-status";
import { DEFAULT_PLAUSIBILITY_LIMITS } from "../../lib/readings/counter-break";
import { DEFAULT_TIME_ZONE } from "../../lib/time/local-date";
import { arrivalsFromPayload } from "../../lib/readings/meter-input/payload";
import type { Rejection } from "../../lib/readings/meter-input/rejection";
import { problem } from "../../lib/util/issue";
import { RateLimiter } from "../../lib/util/rate-limit";
import { throttle } from "../../lib/util/throttle";
import { getCommunity } from "../shared/community-handle";
import { announceMeterSource } from "../shared/source-counts";
import { problemText, translator } from "../shared/translate";
import type { MeterInConfig, MeterInCredentials } from "./config";
import { PUSH_PATH, PushEndpoints } from "./http-push";
import { startSource } from "./sources/registry";
import type { RunningSource, SourceSink } from "./sources/source";
import { rejectionText, statusFor } from "./status-text";

interface MeterInNode extends Node<MeterInCredentials> {
  stats: MeterStats;
}

export = function register(RED: NodeAPI): void {
  const settings = RED.settings as unknown as { uiHost?: string; httpNodeAuth?: unknown };
  // The push port listens where Node-RED listens (uiHost; all interfaces when unset).
  const push = new PushEndpoints(settings.uiHost || undefined);
  // RED.httpNode is absent when the settings disable HTTP endpoints (httpNodeRoot: false).
  const pushAvailable = typeof RED.httpNode?.post === "function";
  if (pushAvailable) RED.httpNode.post(PUSH_PATH, push.handleNodeRoute);
  // Node-RED's own Basic login ({user, pass}) can never let a Bearer push through; a function or list of
  // middleware is the integrator's own and may (docs/meters.md), so the route stays usable there.
  const nodeAuth = typeof settings.httpNodeAuth === "object" && settings.httpNodeAuth !== null && !Array.isArray(settings.httpNodeAuth);
  RED.httpAdmin.get("/zev-meter-in/profiles", RED.auth.needsPermission("zev-meter-in.read"), (_req, res) => {
    res.json(profileCatalog());
  });

  function ZevMeterInNode(this: MeterInNode, config: MeterInConfig): void {
    RED.nodes.createNode(this, config);
    const t = translator(RED._, "zev-meter-in");
    const meter = (config.meterId ?? "").trim();
    const role = (config.role || "unit") as MeterRole;
    const maxPowerW = Number(config.maxPowerKW) > 0 ? Number(config.maxPowerKW) * 1000 : DEFAULT_PLAUSIBILITY_LIMITS.maxPowerW;
    const ingest = new MeterIngest({
      meter,
      invert: config.invert === true,
      limits: { maxPowerW, slackWh: DEFAULT_PLAUSIBILITY_LIMITS.slackWh },
      emitOnPowerOnly: config.source === "msg" || config.source === "http-push",
    });
    this.stats = ingest.stats;
    const state: MeterStatusState = { rejectedTotal: 0 };
    const limiter = new RateLimiter(5, 60_000);
    let source: RunningSource | undefined;
    const show = throttle(() => this.status(statusFor(RED._, meterStatus(state, Date.now()), source?.portCounts?.())), 250);

    const noteRejection = (r: Parameters<typeof rejectionText>[1], log: boolean): void => {
      state.rejectedTotal = ingest.totalRejected();
      state.lastRejection = { reason: r.reason, at: Date.now() };
      const { allowed, suppressed } = log ? limiter.take(Date.now()) : { allowed: false, suppressed: 0 };
      if (allowed)
        this.error(rejectionText(RED._, { meter, ...r }) + (suppressed ? ` ${t("log.suppressed", { count: suppressed })}` : ""), {
          topic: meter,
          payload: { meter, ...r },
        } as NodeMessage);
    };
    /** Ingests an arrival, sends the reading; rejections are logged (rate-limited) unless the caller reports them itself. */
    const offer = (a: Arrival, send: (m: NodeMessage) => void, log = true): ReturnType<MeterIngest["offer"]> => {
      const now = Date.now();
      const out = ingest.offer(a, now);
      if (out.accepted > 0) state.lastAcceptedAt = now;
      if (out.importAccepted) state.lastCounterAt = now;
      state.lastReading = ingest.lastReading;
      state.confirming = ingest.pendingBreak();
      out.rejections.forEach((r) => noteRejection(r, log));
      for (const r of out.rejections)
        if ((r.field === "importKWh" || r.field === "exportKWh") && !r.confirming) state.lastCounterRejection = { reason: r.reason, at: now };
      for (const reading of out.readings ?? []) send({ topic: meter, payload: reading });
      show();
      return out;
    };
    let closed = false;
    const sink: SourceSink = {
      // A poll that was under way when the node closed delivers nothing.
      arrival: (a) => (closed ? { accepted: 0, rejections: [] } : offer(a, (m) => this.send(m))),
      refuse: (r, origin, excerpt) => {
        if (closed) return;
        noteRejection(ingest.rejectItem(r, origin, excerpt), true);
        show();
      },
      failed: (kind, message) => {
        if (closed) return;
        ingest.countError(kind);
        const text = `${t(`error.${kind}`)}: ${message}`;
        // Logged when the kind of failure changes, not on every poll of a device that stays away.
        const prev = state.lastError;
        if (!prev || prev.kind !== kind || (state.lastAcceptedAt ?? 0) > prev.at) this.error(`${meter}: ${text}`);
        state.lastError = { kind, message: text, at: Date.now() };
        show();
      },
      note: (message) => {
        if (limiter.take(Date.now()).allowed) this.warn(`${meter}: ${message}`);
      },
      refresh: () => {
        if (!closed) show();
      },
    };

    const community = getCommunity(RED, config.community);
    const unit = config.unit || undefined;
    const problems = meterDefinitionProblems({ id: meter, role, unit }, community?.definition).map((p) => p.message);
    if (config.community && !community) problems.push(t("problem.noCommunity"));
    if (community && !community.definition) this.warn(t("problem.communityUnavailable", { problem: community.problem ?? "" }));
    if (problems.length === 0 && community?.store && community.definition) {
      try {
        upsertMeter(community.store, community.communityId, meterDefinition(meter, role, unit, config.name || undefined), `node:${this.id}`);
      } catch (e) {
        this.error(t("problem.register", { message: (e as Error).message }));
      }
    }

    if (problems.length > 0) state.problem = `${t("problem.config")}: ${problems.join("; ")}`;
    else {
      const started =
        config.source === "http-push" && !String(config.pushPort ?? "").trim() && !pushAvailable
          ? { problem: problem("noHttpNode") }
          : startSource(RED, config, meter, sink, { endpoints: push, nodeAuth }, () => this.credentials?.token);
      if ("problem" in started) state.problem = problemText(RED._, "zev-meter-in", "problem", started.problem);
      else source = started.source;
    }
    if (state.problem) this.error(`${meter || this.id}: ${state.problem}`);
    show();
    const withdraw = meter
      ? announceMeterSource(community?.communityId ?? null, meter, () => ({
          received: ingest.stats.received,
          accepted: ingest.stats.accepted,
          rejected: ingest.totalRejected(),
        }))
      : () => undefined;
    const refresh = setInterval(show, 15_000);
    refresh.unref();
    // device-silent on the last output (docs/alerts.md); the readings stay on output 1. A node that does not run has no device to watch.
    const timing = deviceAlertTiming(config.alertDelayMinutes, config.alertCheckSeconds);
    if (timing.invalid.length) this.warn(t("problem.alertSettings", { fields: timing.invalid.join(", ") }));
    const startedAt = Date.now();
    const silence =
      timing.delayMs > 0 && !state.problem && meter
        ? new DeviceSilence(
            {
              community: community?.communityId ?? "",
              language: alertLanguage(community?.definition),
              timeZone: community?.definition?.timeZone ?? DEFAULT_TIME_ZONE,
            },
            { id: meter, kind: "meter", subject: unit ? { meter, unit } : { meter } },
            timing.delayMs,
          )
        : null;
    const alerting = silence
      ? setInterval(() => {
          for (const a of silence.check(state.lastAcceptedAt, startedAt, Date.now())) this.send([null, alertMessage(a) as NodeMessage]);
        }, timing.checkMs)
      : undefined;

    this.on("input", (msg: NodeMessage, send: (m: NodeMessage) => void, done: (err?: Error) => void) => {
      if (config.source !== "msg") {
        source?.poll?.();
        return done();
      }
      if (state.problem) return done(new Error(state.problem));
      const parsed = arrivalsFromPayload(msg.payload, { meter });
      const rejections: Rejection[] = [];
      if (!parsed.ok) {
        const r = ingest.rejectItem(parsed.rejection, "msg");
        noteRejection(r, false);
        rejections.push(r);
        show();
      } else {
        const origin = `msg${msg.topic ? ` ${String(msg.topic).slice(0, 60)}` : ""}`;
        for (const a of parsed.arrivals) rejections.push(...offer({ ...a, origin }, (m) => send({ ...msg, ...m }), false).rejections);
      }
      // Rejections of a wired message go to done(err): logged once and seen by Catch nodes.
      done(rejections.length > 0 ? new Error(rejections.map((r) => rejectionText(RED._, { meter, ...r })).join("; ")) : undefined);
    });

    this.on("close", (done: () => void) => {
      closed = true;
      withdraw();
      clearInterval(refresh);
      clearInterval(alerting);
      show.cancel();
      (source ? source.stop() : Promise.resolve()).then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType<MeterInNode, MeterInConfig, unknown, MeterInCredentials>("zev-meter-in", ZevMeterInNode, {
    credentials: { token: { type: "password" } },
  });
};
