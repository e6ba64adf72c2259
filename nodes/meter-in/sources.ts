import type { NodeAPI } from "node-red";
import { MiniserverAnswerError, MiniserverError } from "../../lib/devices/loxone/http-client";
import { pollLoxone, type LoxoneHttpConfig } from "../../lib/devices/loxone/http-source";
import type { UdpPortCounts } from "../../lib/devices/loxone/udp-hub";
import type { UdpSubscription } from "../../lib/devices/loxone/udp-router";
import { ModbusError } from "../../lib/devices/modbus/connection";
import { customProfile } from "../../lib/devices/modbus/custom-profile";
import { planReads, readMeter } from "../../lib/devices/modbus/meter-reader";
import { findProfile } from "../../lib/devices/modbus/profiles";
import type { Arrival, MeterIngestOutcome } from "../../lib/readings/meter-input/meter-ingest";
import { arrivalsFromPayload } from "../../lib/readings/meter-input/payload";
import type { Rejection } from "../../lib/readings/meter-input/rejection";
import { problem, type Problem } from "../../lib/util/issue";
import { Poller } from "../../lib/util/poller";
import { getMiniserver, getModbusConnection, getUdpPort } from "../shared/source-handles";
import type { MeterInConfig } from "./config";
import type { PushEndpoints, PushTarget } from "./http-push";

/** How a source hands over what it got; implemented by the node. */
export interface SourceSink {
  arrival(a: Arrival): MeterIngestOutcome;
  refuse(r: Rejection, origin: string, excerpt?: string): void;
  failed(kind: string, message: string): void;
  note(message: string): void;
  /** Something the status shows changed outside the meter (a drop on its UDP port). */
  refresh(): void;
}

export interface RunningSource {
  stop(): Promise<void>;
  /** Poll now (pollable sources). */
  poll?(): void;
  /** The UDP port's drops, shown in the meter's status (loxone-udp). */
  portCounts?: () => UdpPortCounts;
}

export type Started = { source: RunningSource } | { problem: Problem };

const seconds = (v: string | number | undefined, fallback: number): number => {
  const n = Number(v);
  return (v === undefined || v === "" || !Number.isFinite(n) || n <= 0 ? fallback : n) * 1000;
};

/** The HTTP push endpoints of this Node-RED and whether httpNodeAuth guards RED.httpNode. */
export interface PushContext {
  endpoints: PushEndpoints;
  nodeAuth: boolean;
}

/** Starts the configured source of a meter node; config nodes are looked up here. */
export function startSource(RED: NodeAPI, cfg: MeterInConfig, meter: string, sink: SourceSink, push: PushContext, token: () => string | undefined): Started {
  switch (cfg.source) {
    case "msg":
      return { source: { stop: async () => undefined } };

    case "loxone-udp": {
      const port = getUdpPort(RED, cfg.udpPort);
      if (!port) return { problem: problem("noUdpPort") };
      const importName = cfg.udpImport?.trim() || meter;
      const sub: UdpSubscription = {
        jsonName: meter,
        keys: { importKWh: importName, exportKWh: cfg.udpExport?.trim() || undefined, powerW: cfg.udpPower?.trim() || undefined },
        deliver: (a) => void sink.arrival(a),
      };
      port.hub.subscribe(sub).catch((e: Error) => sink.failed("bind", e.message));
      const onProblem = (): void => sink.refresh();
      port.hub.on("problem", onProblem);
      return {
        source: {
          stop: () => {
            port.hub.off("problem", onProblem);
            return port.hub.unsubscribe(sub);
          },
          portCounts: typeof port.counts === "function" ? port.counts : undefined,
        },
      };
    }

    case "loxone-http": {
      const ms = getMiniserver(RED, cfg.miniserver);
      if (!ms) return { problem: problem("noMiniserver") };
      const mode = cfg.lxMode === "all" ? "all" : "state";
      if (mode === "all" && !cfg.lxBlock?.trim()) return { problem: problem("noBlock") };
      const lx: LoxoneHttpConfig = {
        mode,
        block: cfg.lxBlock?.trim(),
        powerUnit: cfg.lxPowerUnit === "W" ? "W" : "kW",
        names: {
          importKWh: cfg.lxImport?.trim() || (mode === "all" ? "Mr" : meter),
          exportKWh: cfg.lxExport?.trim() || undefined,
          powerW: cfg.lxPower?.trim() || undefined,
        },
      };
      const origin = `loxone ${ms.client.label}`;
      const poller = new Poller(seconds(cfg.lxInterval, 10), async () => {
        try {
          const values = await pollLoxone(ms.client, lx);
          sink.arrival({ values, origin, excerpt: values.map((v) => `${lx.names[v.field]}=${String(v.raw)}`).join(" ") });
        } catch (e) {
          if (e instanceof MiniserverAnswerError) sink.refuse({ reason: e.reason, detail: e.message }, origin, e.excerpt);
          else if (e instanceof MiniserverError) sink.failed(e.kind, e.message);
          else sink.failed("internal", (e as Error).message);
        }
      });
      poller.start();
      return { source: { stop: async () => poller.stop(), poll: () => poller.trigger() } };
    }

    case "modbus": {
      const handle = getModbusConnection(RED, cfg.modbus);
      if (!handle) return { problem: problem("noModbus") };
      const built = cfg.mbProfile === "custom" ? customProfile(cfg.mbCustom ?? {}) : findProfile(cfg.mbProfile ?? "");
      if (!built) return { problem: problem("unknownProfile", { profile: String(cfg.mbProfile) }) };
      if ("errors" in built) return { problem: problem("customProfile", { errors: built.errors.join("; ") }) };
      const profile = "profile" in built ? built.profile : built;
      const unitId = cfg.mbUnitId === undefined || cfg.mbUnitId === "" ? profile.defaultUnitId : Number(cfg.mbUnitId);
      if (!Number.isInteger(unitId) || unitId < 0 || unitId > 255) return { problem: problem("unitId", { unit: String(cfg.mbUnitId) }) };
      const conn = handle.acquire();
      const blocks = planReads(profile);
      const origin = `modbus ${conn.label} unit ${unitId}`;
      const poller = new Poller(seconds(cfg.mbInterval, 10), async () => {
        try {
          const r = await readMeter(conn, unitId, profile, blocks);
          sink.arrival({ values: r.values, origin, excerpt: r.raw });
          for (const pe of r.partialErrors) sink.note(pe.message);
        } catch (e) {
          sink.failed(e instanceof ModbusError ? e.kind : "internal", (e as Error).message);
        }
      });
      poller.start();
      return {
        source: {
          stop: async () => {
            poller.stop();
            await handle.release(conn);
          },
          poll: () => poller.trigger(),
        },
      };
    }

    case "http-push": {
      if (!token()) return { problem: problem("noToken") };
      const target: PushTarget = {
        meter,
        token,
        refuse: (r, origin, ex) => sink.refuse(r, origin, ex),
        accept: (body, origin, ex) => {
          const parsed = arrivalsFromPayload(body, { meter, allowArray: true, maxItems: 1000 });
          if (!parsed.ok) {
            sink.refuse(parsed.rejection, origin, ex);
            return { accepted: 0, rejections: [parsed.rejection], refused: parsed.rejection.reason };
          }
          let accepted = 0;
          const rejections: Rejection[] = [];
          for (const a of parsed.arrivals) {
            const out = sink.arrival({ ...a, origin, excerpt: ex });
            accepted += out.accepted;
            rejections.push(...out.rejections);
          }
          return { accepted, rejections };
        },
      };
      const portText = String(cfg.pushPort ?? "").trim();
      if (portText === "") {
        // httpNodeAuth wants Basic in the Authorization header that carries our Bearer: no push could pass both.
        if (push.nodeAuth) return { problem: problem("pushNodeAuth") };
        if (!push.endpoints.nodeRoute.add(target)) return { problem: problem("pushTaken", { meter }) };
        return { source: { stop: async () => push.endpoints.nodeRoute.remove(target) } };
      }
      const port = Number(portText);
      if (!Number.isInteger(port) || port < 1 || port > 65535) return { problem: problem("pushPort", { port: portText }) };
      const endpoint = push.endpoints.acquire(port);
      if (!endpoint.registry.add(target)) {
        void endpoint.release();
        return { problem: problem("pushTaken", { meter }) };
      }
      endpoint.ready.catch((e: NodeJS.ErrnoException) => sink.failed("pushBind", `${port}: ${e.code ?? e.message}`));
      return {
        source: {
          stop: async () => {
            endpoint.registry.remove(target);
            await endpoint.release();
          },
        },
      };
    }

    default:
      return { problem: problem("source", { source: String(cfg.source) }) };
  }
}
