import { request } from "node:http";
import { parseLoxoneAnswer, type LoxoneAnswer } from "./state-parse";

export interface MiniserverOptions {
  host: string;
  port?: number;
  user?: string;
  password?: string;
  /** Per request, connect to end of body. */
  timeoutMs?: number;
  /** Pause after the first authentication failure; doubles on each further one. */
  authBackoffMs?: number;
  authBackoffMaxMs?: number;
  maxBodyBytes?: number;
  now?: () => number;
}

export type MiniserverErrorKind = "auth" | "auth-backoff" | "timeout" | "network" | "http" | "ll-code";

export class MiniserverError extends Error {
  constructor(
    readonly kind: MiniserverErrorKind,
    message: string,
    readonly retryInMs?: number,
  ) {
    super(message);
    this.name = "MiniserverError";
  }
}

/** The answer could be read as HTTP but not as a Miniserver answer (garbage, too large). */
export class MiniserverAnswerError extends Error {
  constructor(
    readonly reason: "malformed" | "too-large",
    message: string,
    readonly excerpt: string,
  ) {
    super(message);
    this.name = "MiniserverAnswerError";
  }
}

export type LoxoneValues = Extract<LoxoneAnswer, { ok: true }>;

/**
 * HTTP client for one Miniserver, shared by every meter polling it: one
 * request at a time, a timeout on each, basic authentication, and a pause
 * after an authentication failure that doubles with each further failure
 * (the Miniserver blocks an IP after repeated failed logins). During the
 * pause no request is sent at all.
 */
export class MiniserverClient {
  private chain: Promise<unknown> = Promise.resolve();
  private blockedUntil = 0;
  private nextBackoff: number;
  private closed = false;
  /** Number of requests actually sent (tests check that a pause sends none). */
  requestsSent = 0;

  constructor(private readonly opts: MiniserverOptions) {
    this.nextBackoff = opts.authBackoffMs ?? 60_000;
  }

  get label(): string {
    return `${this.opts.host}:${this.opts.port ?? 80}`;
  }

  /** Milliseconds until requests are sent again after an authentication failure, 0 if not paused. */
  authPauseLeft(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  /** GET /jdev/sps/io/<name>/state (mode "state") or /all of a block (mode "all"). */
  io(name: string, what: "state" | "all"): Promise<LoxoneValues> {
    return this.serialised(() => this.ioNow(name, what));
  }

  /**
   * The structure file (/data/LoxAPP3.json) as JSON, through the same queue,
   * authentication and pause as the values; up to 16 MB (large installations).
   */
  structure(): Promise<unknown> {
    return this.serialised(async () => {
      if (this.closed) throw new MiniserverError("network", "client closed");
      const left = this.authPauseLeft();
      if (left > 0) throw new MiniserverError("auth-backoff", `paused after authentication failure, next try in ${Math.ceil(left / 1000)} s`, left);
      const { status, body } = await this.get("/data/LoxAPP3.json", 16 * 1024 * 1024);
      if (status === 401 || status === 403) {
        const pause = this.nextBackoff;
        this.blockedUntil = this.now() + pause;
        this.nextBackoff = Math.min(pause * 2, this.opts.authBackoffMaxMs ?? 15 * 60_000);
        throw new MiniserverError("auth", `authentication failed (HTTP ${status}); pausing ${Math.ceil(pause / 1000)} s`, pause);
      }
      if (status !== 200) throw new MiniserverError("http", `structure file: HTTP ${status}`);
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new MiniserverAnswerError("malformed", "the structure file is not JSON", body.slice(0, 80));
      }
    });
  }

  close(): void {
    this.closed = true;
  }

  private async ioNow(name: string, what: "state" | "all"): Promise<LoxoneValues> {
    if (this.closed) throw new MiniserverError("network", "client closed");
    const left = this.authPauseLeft();
    if (left > 0) throw new MiniserverError("auth-backoff", `paused after authentication failure, next try in ${Math.ceil(left / 1000)} s`, left);
    const { status, body } = await this.get(`/jdev/sps/io/${encodeURIComponent(name)}/${what}`);
    const answer = parseLoxoneAnswer(status, body);
    if (answer.ok) {
      this.nextBackoff = this.opts.authBackoffMs ?? 60_000;
      return answer;
    }
    switch (answer.kind) {
      case "auth": {
        const pause = this.nextBackoff;
        this.blockedUntil = this.now() + pause;
        this.nextBackoff = Math.min(pause * 2, this.opts.authBackoffMaxMs ?? 15 * 60_000);
        throw new MiniserverError("auth", `authentication failed (${answer.detail}); pausing ${Math.ceil(pause / 1000)} s`, pause);
      }
      case "ll-code":
        throw new MiniserverError("ll-code", `"${name}": ${answer.detail}`);
      case "http":
        throw new MiniserverError("http", `"${name}": ${answer.detail}`);
      case "malformed":
        throw new MiniserverAnswerError("malformed", answer.detail, body.slice(0, 80));
    }
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private get(path: string, maxBodyBytes?: number): Promise<{ status: number; body: string }> {
    const timeoutMs = this.opts.timeoutMs ?? 5000;
    const maxBody = maxBodyBytes ?? this.opts.maxBodyBytes ?? 256 * 1024;
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.opts.user) headers.Authorization = `Basic ${Buffer.from(`${this.opts.user}:${this.opts.password ?? ""}`).toString("base64")}`;
    this.requestsSent++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, value?: { status: number; body: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value!);
      };
      const req = request({ host: this.opts.host, port: this.opts.port ?? 80, path, method: "GET", headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > maxBody) finish(new MiniserverAnswerError("too-large", `answer larger than ${maxBody} bytes`, ""));
          else chunks.push(c);
        });
        res.on("end", () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (e) => finish(new MiniserverError("network", e.message)));
        res.on("aborted", () => finish(new MiniserverError("network", "answer aborted")));
      });
      const timer = setTimeout(() => finish(new MiniserverError("timeout", `no answer from ${this.label} within ${timeoutMs} ms`)), timeoutMs);
      req.on("error", (e) => finish(new MiniserverError("network", `${this.label}: ${e.message}`)));
      req.end();
    });
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }
}
