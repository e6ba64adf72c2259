import type { UdpPortCounts } from "../../../lib/devices/loxone/udp-hub";
import type { DeviceLookup, SourceFactory, Started as StartedAs } from "../../../lib/devices/source-registry";
import type { Arrival, MeterIngestOutcome } from "../../../lib/readings/meter-input/meter-ingest";
import type { Rejection } from "../../../lib/readings/meter-input/rejection";
import type { MeterInConfig } from "../config";
import type { PushEndpoints } from "../http-push";

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

/** The HTTP push endpoints of this Node-RED and whether httpNodeAuth guards RED.httpNode. */
export interface PushContext {
  endpoints: PushEndpoints;
  nodeAuth: boolean;
}

/** What a meter source starts from: its part of the node's config (`C`), the meter, the sink and the config nodes. */
export interface MeterSourceContext<C = MeterInConfig> {
  cfg: C;
  meter: string;
  sink: SourceSink;
  devices: DeviceLookup;
  push: PushContext;
  token: () => string | undefined;
}

/** One meter source: a factory over the config keys it reads. */
export type MeterSourceFactory<K extends keyof MeterInConfig = never> = SourceFactory<MeterSourceContext<Pick<MeterInConfig, K>>, RunningSource>;

/** What a meter source's factory returns: the running source, or the problem that kept it from starting. */
export type Started = StartedAs<RunningSource>;

/** A poll interval in seconds from the editor, in ms; empty, zero or not a number = the fallback. */
export const seconds = (v: string | number | undefined, fallback: number): number => {
  const n = Number(v);
  return (v === undefined || v === "" || !Number.isFinite(n) || n <= 0 ? fallback : n) * 1000;
};
