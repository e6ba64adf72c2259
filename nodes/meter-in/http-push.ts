import type { Request, Response } from "express";
import { PushRegistry, PushServer } from "../../lib/devices/http-push";

export type { PushTarget } from "../../lib/devices/http-push";

/** The route on Node-RED's own HTTP (RED.httpNode): usable only while httpNodeAuth is not set (decision 0070). */
export const PUSH_PATH = "/zev/meter/:meter";

export interface PushEndpoint {
  registry: PushRegistry;
  /** Resolves when the endpoint accepts connections; rejects when its port cannot be opened. */
  ready: Promise<void>;
  release(): Promise<void>;
}

/**
 * Where the HTTP push nodes of this Node-RED receive: the route on
 * RED.httpNode, and one listener per push port shared by every node that
 * names the same port.
 */
export class PushEndpoints {
  readonly nodeRoute = new PushRegistry();
  private readonly ports = new Map<number, { server: PushServer; users: number }>();

  constructor(private readonly host: string | undefined) {}

  /** Express handler for the RED.httpNode route. */
  readonly handleNodeRoute = (req: Request, res: Response): Promise<void> => this.nodeRoute.handle(req, res, String(req.params.meter ?? ""));

  /** The listener on `port`, opened by its first user and closed with its last. */
  acquire(port: number): PushEndpoint {
    let entry = this.ports.get(port);
    if (!entry) {
      entry = { server: new PushServer(port, this.host), users: 0 };
      this.ports.set(port, entry);
    }
    entry.users++;
    const e = entry;
    let released = false;
    return {
      registry: e.server.registry,
      ready: e.server.listen(),
      release: async () => {
        if (released) return;
        released = true;
        e.users--;
        if (e.users === 0) {
          this.ports.delete(port);
          await e.server.close();
        }
      },
    };
  }
}
