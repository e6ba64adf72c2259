import type { Node, NodeAPI } from "node-red";
import type { DeviceLookup, MiniserverDevice, ModbusDevice, UdpPortDevice } from "../../lib/devices/source-registry";

/** What a zev-udp-port config node offers the meters that listen on it. */
export interface UdpPortHandle extends Node, UdpPortDevice {}

/** What a zev-loxone-miniserver config node offers. */
export interface MiniserverHandle extends Node, MiniserverDevice {}

/** What a zev-modbus-connection config node offers: one connection, opened by the first user, closed by the last. */
export interface ModbusConnectionHandle extends Node, ModbusDevice {}

function configNode<T extends Node>(RED: NodeAPI, id: string | undefined, has: (n: Partial<T>) => boolean): T | null {
  if (!id) return null;
  const node = RED.nodes.getNode(id) as Partial<T> | null;
  return node && has(node) ? (node as T) : null;
}

const getUdpPort = (RED: NodeAPI, id: string | undefined): UdpPortHandle | null =>
  configNode<UdpPortHandle>(RED, id, (n) => typeof n.hub?.subscribe === "function");
const getMiniserver = (RED: NodeAPI, id: string | undefined): MiniserverHandle | null =>
  configNode<MiniserverHandle>(RED, id, (n) => typeof n.client?.io === "function");
const getModbusConnection = (RED: NodeAPI, id: string | undefined): ModbusConnectionHandle | null =>
  configNode<ModbusConnectionHandle>(RED, id, (n) => typeof n.acquire === "function");

/** The config nodes of this Node-RED as the sources look them up. */
export const deviceLookup = (RED: NodeAPI): DeviceLookup => ({
  udpPort: (id) => getUdpPort(RED, id),
  miniserver: (id) => getMiniserver(RED, id),
  modbus: (id) => getModbusConnection(RED, id),
});
