import type { NodeAPI } from "node-red";
import { SourceRegistry, type Started } from "../../../lib/devices/source-registry";
import { deviceLookup } from "../../shared/source-handles";
import type { ChargerConfig, ChargerSettings } from "../config";
import { loxoneHttpSource } from "./loxone-http";
import { loxoneUdpSource } from "./loxone-udp";
import { modbusSource } from "./modbus";
import { msgSource } from "./msg";
import type { ChargerSink, ChargerSourceContext, Held, RunningSource } from "./source";

/** The sources a zev-charger-weidmueller can read from, by the `source` its config stores (decision 0093). */
export const CHARGER_SOURCE_REGISTRY = new SourceRegistry<ChargerSourceContext, RunningSource>({
  modbus: modbusSource,
  "loxone-udp": loxoneUdpSource,
  "loxone-http": loxoneHttpSource,
  msg: msgSource,
});

/** Starts the configured source of a charger node; config nodes are looked up here. */
export function startSource(RED: NodeAPI, cfg: ChargerConfig, settings: ChargerSettings, sink: ChargerSink, held: Held): Started<RunningSource> {
  return CHARGER_SOURCE_REGISTRY.start(settings.source, { cfg, settings, sink, held, devices: deviceLookup(RED) });
}
