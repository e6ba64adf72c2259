import { createSocket, type Socket } from "node:dgram";
import { createServer } from "node:net";

/** A TCP port that was free a moment ago on 127.0.0.1 (for servers that cannot bind port 0). */
export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `cond` until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000, stepMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A UDP sender bound to a loopback address (127.0.0.2 etc. work on Linux). */
export class UdpSender {
  private constructor(private readonly socket: Socket) {}

  static async open(from = "127.0.0.1"): Promise<UdpSender> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, from, () => resolve());
    });
    return new UdpSender(socket);
  }

  send(data: string | Buffer, port: number, host = "127.0.0.1"): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, host, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
