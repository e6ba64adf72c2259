import type { Node, NodeAPI } from "node-red";
import type { MiniserverClient } from "../../lib/devices/loxone/http-client";
import type { UdpHub, UdpPortCounts } from "../../lib/devices/loxone/udp-hub";
import type { ModbusConnection } from "../../lib/devices/modbus/connection";

/** What a zev-udp-port config node offers the meters that listen on it. */
export interface UdpPortHandle extends Node {
  hub: UdpHub;
  /** The port's drops (malformed, oversized, unrouted), for the meters' status and the health answer. */
  counts: () => UdpPortCounts;
}

/** What a zev-loxone-miniserver config node offers. */
export interface MiniserverHandle extends Node {
  client: MiniserverClient;
}

/** What a zev-modbus-connection config node offers: one connection, opened by the first user, closed by the last. */
export interface ModbusConnectionHandle extends Node {
  acquire(): ModbusConnection;
  release(conn: ModbusConnection): Promise<void>;
}

function configNode<T extends Node>(RED: NodeAPI, id: string | undefined, has: (n: Partial<T>) => boolean): T | null {
  if (!id) return null;
  const node = RED.nodes.getNode(id) as Partial<T> | null;
  return node && has(node) ? (node as T) : null;
}

export const getUdpPort = (RED: NodeAPI, id: string | undefined): UdpPortHandle | null => configNode<UdpPortHandle>(RED, id, (n) => typeof n.hub?.subscribe === "function");
export const getMiniserver = (RED: NodeAPI, id: string | undefined): MiniserverHandle | null => configNode<MiniserverHandle>(RED, id, (n) => typeof n.client?.io === "function");
export const getModbusConnection = (RED: NodeAPI, id: string | undefined): ModbusConnectionHandle | null =>
  configNode<ModbusConnectionHandle>(RED, id, (n) => typeof n.acquire === "function");
