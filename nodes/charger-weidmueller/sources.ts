import type { NodeAPI } from "node-red";
import type { SourceReading } from "../../lib/charging/observation";
import { MiniserverAnswerError, MiniserverError } from "../../lib/devices/loxone/http-client";
import type { UdpSubscription } from "../../lib/devices/loxone/udp-router";
import { readWallbox, WALLBOX_FIELDS, type WallboxField, type WallboxValues } from "../../lib/devices/loxone/wallbox";
import { ModbusError } from "../../lib/devices/modbus/connection";
import { AcSmartReader, AcSmartStateError, writeCurrentLimit } from "../../lib/devices/weidmueller/ac-smart";
import { problem, type Problem } from "../../lib/util/issue";
import { Poller } from "../../lib/util/poller";
import { getMiniserver, getModbusConnection, getUdpPort } from "../shared/source-handles";
import type { ChargerConfig, ChargerSettings } from "./config";

/** How a source hands over what it read; implemented by the node. */
export interface ChargerSink {
  reading(r: SourceReading, origin: string): void;
  failed(kind: string, message: string): void;
  /** Something worth a (rate-limited) warning: a value that did not read, a register the device lacks. */
  note(key: string, params: Record<string, string>): void;
}

export interface RunningSource {
  stop(): Promise<void>;
  /** Poll now (polled sources). */
  poll?(): void;
  /** Write a current limit (Modbus with control). */
  writeLimit?(amps: number): Promise<void>;
}

export type Started = { source: RunningSource } | { problem: Problem };

/**
 * The Wallbox block's values as a reading, null while none has arrived. A
 * connection state not seen yet (UDP sends on change only: after a restart
 * Vc comes again only when the car leaves) is null: the last known holds.
 */
function wallboxReading(v: WallboxValues): SourceReading | null {
  if (Object.keys(v).length === 0) return null;
  const r: SourceReading = { connected: v.connected ?? null };
  if (v.charging !== undefined) r.charging = v.charging;
  if (v.counterWh !== undefined) r.counterWh = v.counterWh;
  if (v.powerW !== undefined) r.powerW = v.powerW;
  if (v.userId !== undefined) r.userId = v.userId;
  if (v.mode !== undefined) r.modeValue = v.mode;
  if (v.sessionWh !== undefined) r.deviceSessionWh = v.sessionWh;
  return r;
}

function noteProblems(sink: ChargerSink, problems: ReturnType<typeof readWallbox>["problems"], names: Record<WallboxField, string>): void {
  for (const p of problems) sink.note("note.value", { name: names[p.field], value: p.value, detail: p.detail });
}

/** What the node knew before it (re)started: the held values of a send-on-change source. */
export interface Held {
  counterWh: number | null;
  connected: boolean | null;
}

export function startSource(RED: NodeAPI, cfg: ChargerConfig, s: ChargerSettings, sink: ChargerSink, held: Held): Started {
  switch (s.source) {
    case "msg":
      return { source: { stop: async () => undefined } };

    case "modbus": {
      const handle = getModbusConnection(RED, cfg.modbus);
      if (!handle) return { problem: problem("noModbus") };
      const conn = handle.acquire();
      const reader = new AcSmartReader(conn, s.unitId);
      const origin = `modbus ${conn.label} unit ${s.unitId}`;
      let missing = "";
      const poller = new Poller(s.intervalMs, async () => {
        try {
          const r = await reader.read();
          const now = reader.missing.join(", ");
          if (now !== missing && now) sink.note("note.missing", { registers: now });
          missing = now;
          const reading: SourceReading = { connected: r.connected, charging: r.charging, userId: r.rfid };
          if (r.energyKWh !== null) reading.counterWh = Math.round(r.energyKWh * 1000);
          if (r.powerW !== null) reading.powerW = r.powerW;
          sink.reading(reading, origin);
        } catch (e) {
          sink.failed(e instanceof ModbusError ? e.kind : e instanceof AcSmartStateError ? "state" : "internal", (e as Error).message);
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
          writeLimit: (amps) => writeCurrentLimit(conn, s.unitId, amps),
        },
      };
    }

    case "loxone-udp": {
      const port = getUdpPort(RED, cfg.udpPort);
      if (!port) return { problem: problem("noUdpPort") };
      // The Miniserver sends a value when it changes: the latest of each holds until the next, across
      // a restart too (the saved values), so that a counter moving after a quiet hour is not spread over the hour.
      const latest: Partial<Record<WallboxField, unknown>> = {};
      if (held.counterWh !== null) latest.total = held.counterWh / 1000;
      if (held.connected !== null) latest.connected = held.connected ? 1 : 0;
      let origin = "udp";
      const emit = (): void => {
        const { values, problems } = readWallbox(latest);
        noteProblems(sink, problems, s.names);
        for (const p of problems) delete latest[p.field];
        const r = wallboxReading(values);
        if (r) sink.reading(r, origin);
      };
      const sub: UdpSubscription<WallboxField> = {
        keys: Object.fromEntries(WALLBOX_FIELDS.map((f) => [f, s.names[f]])),
        deliver: (a) => {
          for (const v of a.values) latest[v.field] = v.raw;
          origin = a.origin;
          emit();
        },
      };
      port.hub.subscribe(sub).catch((e: Error) => sink.failed("bind", e.message));
      // Re-read the held values regularly, so a counter that moves after a quiet hour is spread over seconds, not the hour.
      const ticker = new Poller(s.intervalMs, async () => emit());
      ticker.start(Object.keys(latest).length ? 0 : s.intervalMs);
      return {
        source: {
          stop: async () => {
            ticker.stop();
            await port.hub.unsubscribe(sub);
          },
        },
      };
    }

    case "loxone-http": {
      const ms = getMiniserver(RED, cfg.miniserver);
      if (!ms) return { problem: problem("noMiniserver") };
      const origin = `loxone ${ms.client.label}`;
      const poller = new Poller(s.intervalMs, async () => {
        try {
          const answer = await ms.client.io(s.lxBlock, "all");
          const raw: Partial<Record<WallboxField, unknown>> = {};
          for (const f of WALLBOX_FIELDS) if (s.names[f] in answer.outputs) raw[f] = answer.outputs[s.names[f]];
          const { values, problems } = readWallbox(raw);
          noteProblems(sink, problems, s.names);
          const r = wallboxReading(values);
          if (r && values.connected !== undefined) sink.reading(r, origin);
          else sink.failed("ll-code", `block ${s.lxBlock} has no output ${s.names.connected} (outputs: ${Object.keys(answer.outputs).slice(0, 12).join(", ") || "none"})`);
        } catch (e) {
          if (e instanceof MiniserverAnswerError) sink.failed("malformed", e.message);
          else if (e instanceof MiniserverError) sink.failed(e.kind, e.message);
          else sink.failed("internal", (e as Error).message);
        }
      });
      poller.start();
      return { source: { stop: async () => poller.stop(), poll: () => poller.trigger() } };
    }
  }
}
