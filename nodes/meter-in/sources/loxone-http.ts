import { MiniserverAnswerError, MiniserverError } from "../../../lib/devices/loxone/http-client";
import { pollLoxone, type LoxoneHttpConfig } from "../../../lib/devices/loxone/http-source";
import { Poller } from "../../../lib/util/poller";
import { seconds, type MeterSourceFactory, type Started } from "./source";
import { problem } from "../../../lib/util/issue";

/** The meter's values polled from a Loxone Miniserver over HTTP: one state, or one block's /all outputs. */
export const loxoneHttpSource: MeterSourceFactory<"miniserver" | "lxMode" | "lxBlock" | "lxImport" | "lxExport" | "lxPower" | "lxPowerUnit" | "lxInterval"> = ({
  cfg,
  meter,
  sink,
  devices,
}): Started => {
  const ms = devices.miniserver(cfg.miniserver);
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
};
