import type { NodeAPI } from "node-red";
import { SourceRegistry, type Started } from "../../../lib/devices/source-registry";
import { deviceLookup } from "../../shared/source-handles";
import type { MeterInConfig } from "../config";
import { httpPushSource } from "./http-push";
import { loxoneHttpSource } from "./loxone-http";
import { loxoneUdpSource } from "./loxone-udp";
import { modbusSource } from "./modbus";
import { msgSource } from "./msg";
import type { MeterSourceContext, PushContext, RunningSource, SourceSink } from "./source";

/** The sources a zev-meter-in can read from, by the `source` its config stores (decision 0093). */
export const METER_SOURCE_REGISTRY = new SourceRegistry<MeterSourceContext, RunningSource>({
  "loxone-udp": loxoneUdpSource,
  "loxone-http": loxoneHttpSource,
  "http-push": httpPushSource,
  modbus: modbusSource,
  msg: msgSource,
});

/** Starts the configured source of a meter node; config nodes are looked up here. */
export function startSource(
  RED: NodeAPI,
  cfg: MeterInConfig,
  meter: string,
  sink: SourceSink,
  push: PushContext,
  token: () => string | undefined,
): Started<RunningSource> {
  return METER_SOURCE_REGISTRY.start(cfg.source, { cfg, meter, sink, devices: deviceLookup(RED), push, token });
}
