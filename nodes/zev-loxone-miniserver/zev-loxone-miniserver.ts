import type { NodeAPI, NodeDef } from "node-red";
import { MiniserverClient } from "../../lib/devices/loxone/http-client";
import type { MiniserverHandle } from "../shared/source-handles";

interface MiniserverConfig extends NodeDef {
  host: string;
  port?: string | number;
  timeout?: string | number;
  authBackoff?: string | number;
}

interface MiniserverCredentials {
  user?: string;
  password?: string;
}

const num = (v: string | number | undefined, fallback: number): number => {
  const n = Number(v);
  return v === undefined || v === "" || !Number.isFinite(n) || n <= 0 ? fallback : n;
};

export = function register(RED: NodeAPI): void {
  function ZevLoxoneMiniserverNode(this: MiniserverHandle & { credentials: MiniserverCredentials }, config: MiniserverConfig): void {
    RED.nodes.createNode(this, config);
    const backoffMs = num(config.authBackoff, 60) * 1000;
    this.client = new MiniserverClient({
      host: config.host,
      port: num(config.port, 80),
      user: this.credentials?.user,
      password: this.credentials?.password,
      timeoutMs: num(config.timeout, 5000),
      authBackoffMs: backoffMs,
      authBackoffMaxMs: Math.max(backoffMs, 15 * 60_000),
    });
    this.on("close", (done: () => void) => {
      this.client.close();
      done();
    });
  }
  RED.nodes.registerType<MiniserverHandle & { credentials: MiniserverCredentials }, MiniserverConfig, unknown, MiniserverCredentials>(
    "zev-loxone-miniserver",
    ZevLoxoneMiniserverNode,
    { credentials: { user: { type: "text" }, password: { type: "password" } } },
  );
};
