import type { SourceReading } from "../../../lib/charging/observation";
import type { DeviceLookup, SourceFactory, Started as StartedAs } from "../../../lib/devices/source-registry";
import type { ChargerConfig, ChargerSettings } from "../config";

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

/** What the node knew before it (re)started: the held values of a send-on-change source. */
export interface Held {
  counterWh: number | null;
  connected: boolean | null;
}

/** What a charger source starts from: the config node it names (`K` of the config), the checked settings, the sink and what the node held. */
export interface ChargerSourceContext<C = ChargerConfig> {
  cfg: C;
  settings: ChargerSettings;
  sink: ChargerSink;
  held: Held;
  devices: DeviceLookup;
}

/** One charger source: a factory over the config keys it reads besides the checked settings. */
export type ChargerSourceFactory<K extends keyof ChargerConfig = never> = SourceFactory<ChargerSourceContext<Pick<ChargerConfig, K>>, RunningSource>;

/** What a charger source's factory returns: the running source, or the problem that kept it from starting. */
export type Started = StartedAs<RunningSource>;
