import { problem, type Problem } from "../util/issue";
import type { MiniserverClient } from "./loxone/http-client";
import type { UdpHub, UdpPortCounts } from "./loxone/udp-hub";
import type { ModbusConnection } from "./modbus/connection";

/*
 * A meter or charger source is a registered implementation (decision 0093):
 * a type name -> a factory that takes its typed config and starts the
 * source, or says why it cannot. A node starts its source through one
 * registry; adding a source is one file and one line in that registry.
 */

/** Why a source did not start: a code of the node's "problem" catalog section and its parameters (the suite's one problem shape). */
export type SourceProblem = Problem;

export type Started<S> = { source: S } | { problem: SourceProblem };

/** Starts one kind of source from its context (config, sink, devices). */
export type SourceFactory<C, S> = (ctx: C) => Started<S>;

/** The implementations a node can start, by the type name its config stores. */
export class SourceRegistry<C, S> {
  private readonly factories: ReadonlyMap<string, SourceFactory<C, S>>;

  constructor(factories: Readonly<Record<string, SourceFactory<C, S>>>) {
    // A Map, so that a stored type such as "constructor" or "__proto__" finds nothing instead of Object's own members.
    this.factories = new Map(Object.entries(factories));
  }

  /** The registered type names, in registration order. */
  get types(): string[] {
    return [...this.factories.keys()];
  }

  /** Starts the source of `type`; a type nobody registered is the problem `problem.source`, never an exception. */
  start(type: unknown, ctx: C): Started<S> {
    const factory = typeof type === "string" ? this.factories.get(type) : undefined;
    return factory ? factory(ctx) : { problem: problem("source", { source: String(type) }) };
  }
}

/*
 * What the config nodes a source names (a UDP port, a Miniserver, a Modbus
 * connection) offer it, without Node-RED: nodes/shared/source-handles.ts
 * finds them among the deployed nodes.
 */

/** A zev-udp-port: the hub the meters subscribe on, and its drops. */
export interface UdpPortDevice {
  hub: UdpHub;
  /** The port's drops (malformed, oversized, unrouted), for the meters' status and the health answer. */
  counts: () => UdpPortCounts;
}

/** A zev-loxone-miniserver. */
export interface MiniserverDevice {
  client: MiniserverClient;
}

/** A zev-modbus-connection: one connection, opened by the first user, closed by the last. */
export interface ModbusDevice {
  acquire(): ModbusConnection;
  release(conn: ModbusConnection): Promise<void>;
}

/** Looks up the config node a source names by its id; null when none (or another kind) is deployed under it. */
export interface DeviceLookup {
  udpPort(id: string | undefined): UdpPortDevice | null;
  miniserver(id: string | undefined): MiniserverDevice | null;
  modbus(id: string | undefined): ModbusDevice | null;
}
