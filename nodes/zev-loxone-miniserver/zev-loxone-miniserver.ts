import type { NodeAPI, NodeDef } from "node-red";
import { MiniserverAnswerError, MiniserverClient, MiniserverError } from "../../lib/devices/loxone/http-client";
import { parseStructure, type LoxoneStructure } from "../../lib/devices/loxone/structure";
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

/** A structure file read in the last minute is reused: opening a dialog twice does not fetch megabytes twice. */
const CACHE_MS = 60_000;
type Cached = { at: number; structure: Promise<LoxoneStructure> };

export = function register(RED: NodeAPI): void {
  const cache = new WeakMap<MiniserverClient, Cached>();
  // The editor's suggestions of block and object names (decision 0072): the Miniserver's structure file,
  // read with the deployed node's credentials, which never leave the runtime.
  RED.httpAdmin.get("/zev-loxone-miniserver/:id/controls", RED.auth.needsPermission("zev-loxone-miniserver.read"), (req, res) => {
    const node = RED.nodes.getNode(String(req.params.id ?? "")) as Partial<MiniserverHandle> | null;
    if (!node || typeof node.client?.structure !== "function") {
      res.status(404).json({ error: "not-deployed" });
      return;
    }
    const client = node.client;
    let entry = cache.get(client);
    if (!entry || Date.now() - entry.at > CACHE_MS) {
      entry = { at: Date.now(), structure: client.structure().then(parseStructure) };
      cache.set(client, entry);
      entry.structure.catch(() => cache.delete(client));
    }
    entry.structure.then(
      (s) => res.json(s),
      (e: unknown) => {
        const error = e instanceof MiniserverError ? e.kind : e instanceof MiniserverAnswerError ? "malformed" : "internal";
        res.status(502).json({ error, detail: e instanceof Error ? e.message.slice(0, 200) : "" });
      },
    );
  });

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
