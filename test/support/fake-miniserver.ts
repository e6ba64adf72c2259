import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Answer = { status?: number; body: string; delayMs?: number } | "hang";

/**
 * An HTTP server on 127.0.0.1 that answers like a Loxone Miniserver's
 * web services: /jdev/sps/io/<name>/state and /all, basic auth checked
 * against one user, answers overridable per request (401, garbage, delays).
 */
export class FakeMiniserver {
  private server?: Server;
  port = 0;
  readonly requests: { path: string; auth?: string }[] = [];
  /** Values of named objects, served by /state; blocks with outputs, served by /all. */
  readonly states = new Map<string, string | number>();
  readonly blocks = new Map<string, Record<string, string | number>>();
  /** Answers to use, in order, before the normal ones. */
  readonly queue: Answer[] = [];
  /** Status key spelling: Loxone uses both. */
  codeKey: "Code" | "code" = "Code";
  user = "admin";
  password = "secret";
  /** The structure file served at /data/LoxAPP3.json (404 while unset). */
  structure?: unknown;
  /** Answer 401 inside HTTP 200 (as some firmware does) instead of HTTP 401. */
  llAuthErrors = false;
  private readonly open = new Set<ServerResponse>();

  static async start(): Promise<FakeMiniserver> {
    const ms = new FakeMiniserver();
    ms.server = createServer((req, res) => ms.handle(req, res));
    await new Promise<void>((resolve) => ms.server!.listen(0, "127.0.0.1", () => resolve()));
    ms.port = (ms.server.address() as { port: number }).port;
    return ms;
  }

  async stop(): Promise<void> {
    for (const r of this.open) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(req.url ?? "");
    this.requests.push({ path, auth: req.headers.authorization });
    const queued = this.queue.shift();
    if (queued === "hang") {
      this.open.add(res);
      return;
    }
    if (queued) {
      const send = (): void => {
        res.writeHead(queued.status ?? 200, { "Content-Type": "application/json" });
        res.end(queued.body);
      };
      if (queued.delayMs) setTimeout(send, queued.delayMs);
      else send();
      return;
    }
    const expected = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString("base64")}`;
    const m = /^\/jdev\/sps\/io\/(.+)\/(state|all)$/.exec(path);
    const control = `dev/sps/io/${m?.[1] ?? ""}/${m?.[2] ?? ""}`;
    if (req.headers.authorization !== expected) {
      if (this.llAuthErrors) return this.json(res, 200, { LL: { control, value: "", [this.codeKey]: "401" } });
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="Loxone"' });
      res.end();
      return;
    }
    if (path === "/data/LoxAPP3.json") {
      if (this.structure === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      return this.json(res, 200, this.structure);
    }
    if (!m) return this.json(res, 200, { LL: { control: path, value: "", [this.codeKey]: "400" } });
    const [, name, what] = m;
    if (what === "state") {
      if (!this.states.has(name!)) return this.json(res, 200, { LL: { control, value: "", [this.codeKey]: "404" } });
      return this.json(res, 200, { LL: { control, value: String(this.states.get(name!)), [this.codeKey]: "200" } });
    }
    const block = this.blocks.get(name!);
    if (!block) return this.json(res, 200, { LL: { control, value: "", [this.codeKey]: "404" } });
    const ll: Record<string, unknown> = { control, value: String(Object.values(block)[0] ?? ""), [this.codeKey]: 200 };
    Object.entries(block).forEach(([n, v], i) => (ll[`output${i}`] = { name: n, nr: i, value: v }));
    this.json(res, 200, { LL: ll });
  }

  private json(res: ServerResponse, status: number, doc: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(doc));
  }
}
