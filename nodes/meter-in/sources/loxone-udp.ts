import type { UdpSubscription } from "../../../lib/devices/loxone/udp-router";
import type { MeterSourceFactory, Started } from "./source";
import { problem } from "../../../lib/util/issue";

/** A Loxone Miniserver sends the meter's values as UDP text to a zev-udp-port. */
export const loxoneUdpSource: MeterSourceFactory<"udpPort" | "udpImport" | "udpExport" | "udpPower"> = ({ cfg, meter, sink, devices }): Started => {
  const port = devices.udpPort(cfg.udpPort);
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
};
