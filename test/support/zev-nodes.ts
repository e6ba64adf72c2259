import type { EventEmitter } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import express from "express";
import type { Node, NodeAPI } from "node-red";
import communityNode from "../../nodes/zev-community/zev-community";
import miniserverNode from "../../nodes/zev-loxone-miniserver/zev-loxone-miniserver";
import meterInNode from "../../nodes/meter-in/meter-in";
import modbusConnectionNode from "../../nodes/zev-modbus-connection/zev-modbus-connection";
import udpPortNode from "../../nodes/zev-udp-port/zev-udp-port";
import type { MeterStats } from "../../lib/readings/meter-input/meter-ingest";
import { translator } from "./i18n";

/** The RED object the nodes got in the current load (for RED.httpNode). */
export const captured: { red?: NodeAPI } = {};

/** Gives the nodes Node-RED's real message lookup (the test helper's RED._ returns bare keys). */
function withCatalogs(RED: NodeAPI): void {
  (RED as { _: unknown })._ = translator("en-US");
  captured.red = RED;
}

/** Load these with helper.load: i18n first, then every node type of the meter input. */
export const ZEV_NODES = [withCatalogs, meterInNode, udpPortNode, miniserverNode, modbusConnectionNode, communityNode];

export type MeterNode = Node<{ token?: string }> & { stats: MeterStats };

/**
 * Serves the flow's RED.httpNode app on 127.0.0.1 (the test helper does not
 * listen on it). With `adminParsers`, JSON and form body parsers run first, as
 * in Node-RED when httpAdminRoot and httpNodeRoot are both "/".
 */
export async function serveHttpNode(opts: { adminParsers?: boolean; limit?: string } = {}): Promise<{ url: string; close(): Promise<void> }> {
  let app: RequestListener = captured.red!.httpNode;
  if (opts.adminParsers) {
    // Node-RED's admin app (shared root): json and urlencoded parsers, limit apiMaxLength (5mb by default).
    const front = express();
    const limit = opts.limit ?? "100kb";
    front.use(express.json({ limit }), express.urlencoded({ extended: true, limit }), captured.red!.httpNode);
    app = front;
  }
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Collects what a node sends into a helper node, and its status calls. */
export function collect<T = unknown>(node: Node): T[] {
  const got: T[] = [];
  (node as unknown as EventEmitter).on("input", (msg: T) => got.push(msg));
  return got;
}

export function statuses(node: Node): { fill?: string; shape?: string; text?: string }[] {
  const out: { fill?: string; shape?: string; text?: string }[] = [];
  (node as unknown as EventEmitter).on("call:status", (call: { args: [{ fill?: string; shape?: string; text?: string }] }) => out.push(call.args[0]));
  return out;
}

export function errors(node: Node): string[] {
  const out: string[] = [];
  (node as unknown as EventEmitter).on("call:error", (call: { args: [unknown] }) => out.push(String(call.args[0])));
  return out;
}

const CONFIG_TYPES = new Set(["zev-udp-port", "zev-loxone-miniserver", "zev-modbus-connection", "zev-community"]);

/**
 * A flow on one tab: flow nodes get z, x and y (Node-RED treats nodes
 * without a position as config nodes), config nodes stay global.
 */
export type FlowNode = { id: string; type: string } & Record<string, unknown>;

export function onTab(nodes: Record<string, unknown>[]): FlowNode[] {
  return [
    { id: "tab1", type: "tab", label: "test" },
    ...nodes.map((n) => (CONFIG_TYPES.has(String(n.type)) ? n : { z: "tab1", x: 100, y: 100, ...n }) as FlowNode),
  ];
}
