import type { Node, NodeAPI, NodeMessage } from "node-red";
import { alertLanguage, alertMessage } from "../../lib/alerts/build";
import { DeviceSilence, deviceAlertTiming } from "../../lib/alerts/device";
import { unitResolver } from "../../lib/charging/attribution";
import { chargerOverview } from "../../lib/charging/charger-overview";
import { ChargerSessions } from "../../lib/charging/charger-sessions";
import { chargerStatus, type ChargerStatusState } from "../../lib/charging/charger-status";
import { CurrentController } from "../../lib/charging/current-controller";
import { mapMode } from "../../lib/charging/mode-map";
import { observationFromPayload } from "../../lib/charging/msg-observation";
import { toObservation, type SourceReading } from "../../lib/charging/observation";
import { sessionPayload } from "../../lib/charging/session-message";
import type { SessionChange } from "../../lib/charging/session-machine";
import { meterDefinition, meterDefinitionProblems } from "../../lib/community/meter-registration";
import { attributeLater } from "../../lib/store/charger-session-repo";
import { upsertMeter } from "../../lib/store/meter-repo";
import { DEFAULT_TIME_ZONE } from "../../lib/time/local-date";
import { clock } from "../../lib/util/clock";
import { Poller } from "../../lib/util/poller";
import { RateLimiter } from "../../lib/util/rate-limit";
import { throttle } from "../../lib/util/throttle";
import { getCommunity } from "../shared/community-handle";
import { problemText, translator } from "../shared/translate";
import { parseChargerConfig, type ChargerConfig } from "./config";
import { startSource } from "./sources/registry";
import type { ChargerSink, RunningSource } from "./sources/source";
import { statusFor } from "./status-text";

type Send = (msgs: (NodeMessage | NodeMessage[] | null)[]) => void;
/** Energy the charger's counter showed while nobody's session was open, per node (tests, dashboards). */
type ChargerNode = Node & { unassignedWh: number };

/** The current limit is written this often (the AC SMART heartbeat lasts 65 s). */
const CONTROL_EVERY_MS = 10_000;

export = function register(RED: NodeAPI): void {
  // One node per charger and database: two would overwrite each other's session state.
  const active = new Set<string>();

  function ZevChargerNode(this: ChargerNode, config: ChargerConfig): void {
    RED.nodes.createNode(this, config);
    const t = translator(RED._, "zev-charger-weidmueller");
    const state: ChargerStatusState = {};
    const limiter = new RateLimiter(5, 60_000);
    this.unassignedWh = 0;
    let sessions: ChargerSessions | undefined;
    let source: RunningSource | undefined;
    let control: { ctl: CurrentController; poller: Poller } | undefined;
    let closed = false;
    let deviceSessionWh: number | undefined;

    const parsed = parseChargerConfig(config);
    const s = "settings" in parsed ? parsed.settings : undefined;
    const community = getCommunity(RED, config.community);
    const def = community?.definition;
    const show = throttle(
      () =>
        this.status(
          statusFor(RED._, chargerStatus(state, sessions?.open ?? null, sessions?.lastSeen ?? null, sessions?.mode ?? s?.defaultMode ?? "normal", clock.now())),
        ),
      250,
    );
    const meter = s?.meterId ?? String(config.meterId ?? "").trim();

    if ("problem" in parsed) state.problem = problemText(RED._, "zev-charger-weidmueller", "problem", parsed.problem);
    else if (!community) state.problem = t("problem.noCommunity");
    else if (!def || !community.store) state.problem = t("problem.communityUnavailable", { problem: community.problem ?? "" });
    else {
      const problems = meterDefinitionProblems({ id: meter, role: "charger" }, def);
      if (problems.length) state.problem = `${t("problem.config")}: ${problems.map((p) => p.message).join("; ")}`;
    }
    const key = community?.store ? `${community.store.path}|${community.communityId}|${meter}` : "";
    if (!state.problem && active.has(key)) state.problem = t("problem.duplicate", { meter });
    if (!state.problem && s && community?.store && def) {
      try {
        const store = community.store;
        const now = clock.now();
        upsertMeter(store, community.communityId, meterDefinition(meter, "charger", undefined, config.name || undefined), `node:${this.id}`, now);
        const unitFor = unitResolver(def);
        const late = attributeLater(store, community.communityId, unitFor, `node:${this.id}`, now);
        if (late.length) this.log(t("log.attributedLater", { count: late.length }));
        sessions = new ChargerSessions(
          {
            store,
            communityId: community.communityId,
            chargerKey: meter,
            defaultMode: s.defaultMode,
            outageMs: s.outageMs,
            maxPowerW: s.maxPowerW,
            slackWh: 1000,
            stallFlagWh: 100,
            unitFor,
          },
          now,
        );
        for (const n of sessions.notes) this.warn(`${meter}: ${n}`);
        active.add(key);
      } catch (e) {
        state.problem = t("problem.store", { message: (e as Error).message });
      }
    }

    const sessionMsgs = (changes: readonly SessionChange[]): NodeMessage[] =>
      changes.map(
        (c) => ({ topic: `session/${c.kind}`, payload: sessionPayload(c.session, meter, sessions!.mode, def, clock.now(), deviceSessionWh) }) as NodeMessage,
      );
    const noteOnce = (key: string, params: Record<string, string | number>): void => {
      const { allowed, suppressed } = limiter.take(Date.now());
      if (allowed) this.warn(`${meter}: ${t(key, params)}${suppressed ? ` ${t("log.suppressed", { count: suppressed })}` : ""}`);
    };

    /** One reading from the source: session step (stored), reading and session messages, status. */
    const apply = (r: SourceReading, send: Send): void => {
      if (!sessions || closed) return;
      const now = clock.now();
      const { obs, unmappedMode } = toObservation(r, sessions.lastSeen?.connected ?? null, s!.modes, now);
      if (unmappedMode !== undefined) noteOnce("note.unmappedMode", { value: unmappedMode });
      const res = sessions.observe(obs, now);
      deviceSessionWh = r.deviceSessionWh ?? deviceSessionWh;
      if (res.ignored) throw Object.assign(new Error(t("error.outOfOrder", { ts: new Date(obs.ts).toISOString() })), { kind: "clock" });
      state.lastReadingAt = now;
      state.noCounter = obs.counterWh === undefined && sessions.lastCounter === null;
      // The counter's own state, not the poll's: missing from this reading, held as a possible new counter, or taken.
      const taken = obs.counterWh !== undefined && sessions.lastCounter?.ts === obs.ts;
      const pending = sessions.pendingBreak;
      if (taken) {
        state.lastCounterAt = sessions.lastCounter!.ts;
        delete state.counterIssue;
      } else if (sessions.lastCounter !== null) {
        state.lastCounterAt = sessions.lastCounter.ts;
        state.counterIssue =
          pending && obs.counterWh !== undefined
            ? { kind: "confirming", valueKWh: pending.valueWh / 1000, count: pending.count, needed: pending.needed }
            : { kind: "missing" };
      }
      if (res.unassignedWh > 0) {
        this.unassignedWh += res.unassignedWh;
        noteOnce("note.unassigned", { wh: res.unassignedWh });
      }
      const reading =
        obs.counterWh === undefined
          ? null
          : ({
              topic: meter,
              payload: { meter, ts: obs.ts, importKWh: obs.counterWh / 1000, ...(obs.powerW !== undefined ? { powerW: obs.powerW } : {}) },
            } as NodeMessage);
      const out = sessionMsgs(res.changes);
      if (reading || out.length) send([reading, out.length ? out : null]);
      show();
    };

    const sink: ChargerSink = {
      reading: (r) => {
        try {
          apply(r, (m) => this.send(m));
        } catch (e) {
          sink.failed((e as { kind?: string }).kind ?? "store", (e as Error).message);
        }
      },
      failed: (kind, message) => {
        if (closed) return;
        const text = `${t(`error.${kind}`)}: ${message}`;
        // Logged when the kind of failure changes, not on every poll of a device that stays away.
        if (!state.lastError || state.lastError.kind !== kind || (state.lastReadingAt ?? 0) > state.lastError.at) this.error(`${meter}: ${text}`);
        state.lastError = { kind, message: text, at: clock.now() };
        show();
      },
      note: (key, params) => noteOnce(key, params),
    };

    if (!state.problem && s && sessions) {
      const started = startSource(RED, config, s, sink, { counterWh: sessions.lastCounter?.wh ?? null, connected: sessions.lastSeen?.connected ?? null });
      if ("problem" in started) state.problem = problemText(RED._, "zev-charger-weidmueller", "problem", started.problem);
      else source = started.source;
    }
    if (s?.control && source?.writeLimit) {
      const write = source.writeLimit;
      const ctl = new CurrentController(
        write,
        s.control,
        () => sessions!.mode,
        () => clock.now(),
      );
      const poller = new Poller(CONTROL_EVERY_MS, async () => {
        const r = await ctl.apply();
        if (r.error && r.error !== state.controlError) this.warn(`${meter}: ${t("note.control", { amps: r.amps, message: r.error })}`);
        state.controlError = r.error;
        show();
      });
      poller.start();
      control = { ctl, poller };
    }
    if (state.problem) this.error(`${meter || this.id}: ${state.problem}`);
    show();

    // device-silent on the last output (docs/alerts.md); outputs 1 and 2 keep readings and sessions.
    const timing = deviceAlertTiming(config.alertDelayMinutes, config.alertCheckSeconds);
    if (timing.invalid.length) this.warn(t("problem.alertSettings", { fields: timing.invalid.join(", ") }));
    const startedAt = clock.now();
    const silence =
      timing.delayMs > 0 && !state.problem && sessions
        ? new DeviceSilence(
            { community: community!.communityId, language: alertLanguage(def), timeZone: def?.timeZone ?? DEFAULT_TIME_ZONE },
            { id: meter, kind: "charger", subject: { charger: meter, meter } },
            timing.delayMs,
          )
        : null;
    const alerting = silence
      ? setInterval(() => {
          for (const a of silence.check(state.lastReadingAt, startedAt, clock.now())) this.send([null, null, alertMessage(a) as NodeMessage]);
        }, timing.checkMs)
      : undefined;

    /** The answer to status and mode messages (dashboards): the charger now, recent sessions, this month per unit. */
    const overview = (msg: NodeMessage): NodeMessage =>
      ({
        ...msg,
        topic: "charger/status",
        payload: chargerOverview(
          community!.store!,
          community!.communityId,
          meter,
          def,
          { mode: sessions!.mode, lastSeen: sessions!.lastSeen, open: sessions!.open },
          clock.now(),
        ),
      }) as NodeMessage;

    this.on("input", (msg: NodeMessage, send: Send, done: (err?: Error) => void) => {
      if (!sessions || !s) return done(new Error(state.problem ?? t("problem.config")));
      const now = clock.now();
      // Commands only on msg.command: a wired reading's topic is the charger's meter id, whatever it is called.
      const command = (msg as { command?: unknown }).command;
      if (command !== undefined && command !== null && command !== "" && !["status", "mode", "surplus"].includes(String(command)))
        return done(new Error(t("error.command", { value: String(command).slice(0, 40) })));
      if (command === "status") {
        send([null, overview(msg)]);
        return done();
      }
      if (command === "mode") {
        const mode = mapMode(s.modes, msg.payload);
        if (!mode) return done(new Error(t("error.mode", { value: String(msg.payload).slice(0, 40) })));
        if (sessions.setMode(mode, now, now)) {
          const open = sessions.open;
          if (open) send([null, sessionMsgs([{ kind: "update", session: open, rows: [] }])]);
          control?.poller.trigger();
        }
        send([null, overview(msg)]);
        show();
        return done();
      }
      if (command === "surplus") {
        const w = typeof msg.payload === "number" ? msg.payload : Number(msg.payload);
        if (typeof msg.payload === "boolean" || msg.payload === "" || !Number.isFinite(w))
          return done(new Error(t("error.surplus", { value: String(msg.payload).slice(0, 40) })));
        if (!control) return done(new Error(t("error.noControl")));
        control.ctl.setSurplus(w);
        control.poller.trigger();
        return done();
      }
      if (s.source !== "msg") {
        source?.poll?.();
        return done();
      }
      const parsedObs = observationFromPayload(msg.payload, now);
      if (!parsedObs.ok) return done(new Error(`${meter}: ${parsedObs.error}`));
      try {
        apply({ ...parsedObs.obs }, (m) => send(m));
        done();
      } catch (e) {
        done(e as Error);
      }
    });

    this.on("close", (done: () => void) => {
      closed = true;
      clearInterval(alerting);
      if (sessions) active.delete(key);
      sessions = undefined;
      show.cancel();
      control?.poller.stop();
      (source ? source.stop() : Promise.resolve()).then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType("zev-charger-weidmueller", ZevChargerNode as never);
};
