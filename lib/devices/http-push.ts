import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RejectionReport } from "../readings/meter-input/meter-ingest";
import type { RejectReason, Rejection } from "../readings/meter-input/rejection";
import { excerpt } from "./values";
import { listeningAddress, startListening, stopListening } from "../util/http-listener";

/**
 * The HTTP push endpoint without Node-RED: the token check, a bounded body
 * read, the JSON answers, the meter map and the push port's own listener
 * (decision 0070). The order is fixed: route, token, size, type, body;
 * nothing of the body is read or parsed before the token matched.
 */

/** True when the request carries `Authorization: Bearer <token>` with the configured token. No token configured = nobody gets in. */
export function tokenMatches(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!m) return false;
  // Hash both so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(m[1]!).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

export type BodyResult =
  { ok: true; text: string; json: unknown } | { ok: false; reason: "malformed" | "too-large"; detail: string; text: string; unsupportedType?: boolean };

export const MAX_PUSH_BODY = 256 * 1024;
export const PUSH_PATH_PREFIX = "/zev/meter/";

/** A request as the endpoint sees it: Node's, possibly with a body a parser in front of us already read. */
export type PushRequest = IncomingMessage & { body?: unknown; _body?: boolean };

/** Content types that are never a JSON text: refused with a hint instead of being misread. */
const FORM_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Reads the request body with a byte limit and parses it as JSON, whatever
 * the content type (simple devices often send text/plain). A body a parser
 * in front of us already read (Node-RED's admin app when httpAdminRoot and
 * httpNodeRoot are the same) is taken as it is.
 */
export async function readJsonBody(req: PushRequest, maxBytes = MAX_PUSH_BODY): Promise<BodyResult> {
  const type = String(req.headers["content-type"] ?? "");
  if (req._body || (req.readableEnded && req.body !== undefined)) {
    const parsed = req.body;
    if (!/json/i.test(type) && parsed !== null && typeof parsed === "object" && !Buffer.isBuffer(parsed)) {
      return { ok: false, reason: "malformed", unsupportedType: true, detail: unsupportedDetail(type), text: safeStringify(parsed) };
    }
    if (typeof parsed === "string" || Buffer.isBuffer(parsed)) return parseText(parsed.toString());
    const text = safeStringify(parsed);
    if (Buffer.byteLength(text) > maxBytes) return { ok: false, reason: "too-large", detail: `body larger than ${maxBytes} bytes`, text: "" };
    return { ok: true, text, json: parsed };
  }
  if (FORM_TYPE.test(type)) return { ok: false, reason: "malformed", unsupportedType: true, detail: unsupportedDetail(type), text: "" };
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: "too-large", detail: `body larger than ${maxBytes} bytes`, text: "" };
  const read = await readBounded(req, maxBytes);
  if (read.tooLarge) return { ok: false, reason: "too-large", detail: `body larger than ${maxBytes} bytes`, text: excerpt(read.text) };
  return parseText(read.text);
}

function unsupportedDetail(type: string): string {
  return `body sent as ${type.split(";")[0]?.trim() || "form data"}; send JSON with Content-Type: application/json`;
}

/** Reads at most maxBytes; past that, stops keeping data (the caller answers 413 and closes). */
function readBounded(req: IncomingMessage, maxBytes: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (tooLarge: boolean): void => {
      if (done) return;
      done = true;
      req.off("data", onData);
      resolve({ text: Buffer.concat(chunks).toString("utf8"), tooLarge });
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > maxBytes) finish(true);
      else chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => finish(false));
    req.on("error", () => finish(false));
    req.on("aborted", () => finish(false));
  });
}

function parseText(text: string): BodyResult {
  if (text.trim() === "") return { ok: false, reason: "malformed", detail: "empty body", text };
  try {
    return { ok: true, text, json: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: "malformed", detail: `invalid JSON: ${(e as Error).message.slice(0, 80)}`, text };
  }
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A meter that receives HTTP pushes, as the endpoint sees it (a zev-meter-in node). */
export interface PushTarget {
  meter: string;
  token(): string | undefined;
  /** Counts an item refused before it reached the meter's checks (401, 413, 415, bad JSON). */
  refuse(r: Rejection, origin: string, excerpt: string): void;
  /**
   * Offers a parsed body; returns how many values were accepted, the
   * rejections (empty = all accepted) and, if the body as a whole was
   * refused, why.
   */
  accept(body: unknown, origin: string, excerpt: string): { accepted: number; rejections: (Rejection | RejectionReport)[]; refused?: RejectReason };
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}

/**
 * After an answer given before the body was read: the rest of the body is
 * thrown away unparsed (so that a client sending a little too much still
 * reads its answer), at most four times the body limit; a client that
 * sends more loses the connection.
 */
function discard(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  if (req.readableEnded || req.complete) return;
  res.setHeader("Connection", "close");
  let size = 0;
  req.on("data", (c: Buffer) => {
    size += c.length;
    if (size > 4 * maxBytes) req.destroy();
  });
  req.resume();
}

/**
 * Meter id -> target, and the answer to one push. Shared by Node-RED's
 * own HTTP (RED.httpNode) and the push port's listener.
 */
export class PushRegistry {
  private readonly targets = new Map<string, PushTarget>();

  constructor(private readonly maxBytes = MAX_PUSH_BODY) {}

  add(t: PushTarget): boolean {
    if (this.targets.has(t.meter)) return false;
    this.targets.set(t.meter, t);
    return true;
  }

  remove(t: PushTarget): void {
    if (this.targets.get(t.meter) === t) this.targets.delete(t.meter);
  }

  get size(): number {
    return this.targets.size;
  }

  /** Answers a POST for `meter`: every outcome is JSON, every refusal of a known meter is counted there. */
  async handle(req: PushRequest, res: ServerResponse, meter: string): Promise<void> {
    try {
      const target = this.targets.get(meter);
      const origin = `http ${req.socket.remoteAddress ?? "?"}`;
      if (!target) {
        discard(req, res, this.maxBytes);
        answer(res, 404, { error: `no zev-meter-in node receives HTTP pushes for meter "${meter.slice(0, 64)}"` });
        return;
      }
      if (!tokenMatches(req.headers.authorization, target.token())) {
        const detail = req.headers.authorization
          ? /^Bearer\s/i.test(req.headers.authorization)
            ? "wrong token"
            : "no Authorization: Bearer header (another scheme was sent)"
          : "no Authorization: Bearer header";
        target.refuse({ reason: "unauthorized", detail }, origin, "");
        discard(req, res, this.maxBytes);
        answer(
          res,
          401,
          { error: "unauthorized", detail, accepted: 0, rejected: [{ reason: "unauthorized", detail }] },
          { "WWW-Authenticate": 'Bearer realm="zev"' },
        );
        return;
      }
      const body = await readJsonBody(req, this.maxBytes);
      if (!body.ok) {
        target.refuse({ reason: body.reason, detail: body.detail }, origin, excerpt(body.text));
        if (body.reason === "too-large" || body.unsupportedType) discard(req, res, this.maxBytes);
        answer(res, body.reason === "too-large" ? 413 : body.unsupportedType ? 415 : 400, {
          error: body.detail,
          accepted: 0,
          rejected: [{ reason: body.reason, detail: body.detail }],
        });
        return;
      }
      const out = target.accept(body.json, origin, excerpt(body.text));
      const rejected = out.rejections.map((r) => ({
        reason: r.reason,
        field: r.field,
        value: r.value,
        detail: r.detail,
        ...("confirming" in r && r.confirming ? { confirming: r.confirming } : {}),
      }));
      const status = out.refused === "malformed" ? 400 : out.refused === "too-large" ? 413 : rejected.length > 0 ? 422 : 200;
      answer(res, status, { accepted: out.accepted, rejected });
    } catch (e) {
      answer(res, 500, { error: "internal error", detail: (e as Error).message.slice(0, 200) });
    }
  }
}

/** The meter id in a push path (`/zev/meter/<url-encoded id>`), or undefined when the path is another one. */
export function meterFromPath(url: string | undefined): string | undefined {
  const path = (url ?? "").split("?")[0]!;
  if (!path.startsWith(PUSH_PATH_PREFIX)) return undefined;
  const rest = path.slice(PUSH_PATH_PREFIX.length);
  if (rest === "" || rest.includes("/")) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

/**
 * The push port: an HTTP listener of its own, outside Node-RED's express
 * app, so that neither httpNodeAuth (Basic, the same header as our Bearer)
 * nor the admin app's body parsers stand in front of the token check. It
 * serves POST /zev/meter/<id> and answers everything else with JSON 404/405.
 */
export class PushServer {
  readonly registry: PushRegistry;
  private readonly server: Server;
  private listening: Promise<void> | undefined;

  constructor(
    readonly port: number,
    readonly host: string | undefined,
    maxBytes = MAX_PUSH_BODY,
  ) {
    this.registry = new PushRegistry(maxBytes);
    this.server = createServer((req, res) => {
      const meter = meterFromPath(req.url);
      if (meter === undefined) {
        discard(req, res, maxBytes);
        return answer(res, 404, { error: "not found: POST /zev/meter/<meter id>" });
      }
      if (req.method !== "POST") {
        discard(req, res, maxBytes);
        return answer(res, 405, { error: "method not allowed: POST /zev/meter/<meter id>" }, { Allow: "POST" });
      }
      void this.registry.handle(req, res, meter);
    });
    // A client that opens a connection and sends nothing, or a body byte by byte, does not hold the port.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.server.keepAliveTimeout = 5_000;
  }

  /** Starts listening (once); rejects with the socket error (EADDRINUSE, EACCES). */
  listen(): Promise<void> {
    this.listening ??= startListening(this.server, this.port, this.host);
    return this.listening;
  }

  address(): AddressInfo | undefined {
    return listeningAddress(this.server);
  }

  close(): Promise<void> {
    return stopListening(this.server);
  }
}
