import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * The two protocol parts of the HTTP push endpoint that do not depend on
 * Node-RED: checking the token and reading a bounded JSON body.
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
  | { ok: true; text: string; json: unknown }
  | { ok: false; reason: "malformed" | "too-large"; detail: string; text: string; unsupportedType?: boolean };

export const MAX_PUSH_BODY = 256 * 1024;

/**
 * Reads the request body (or takes what a body parser installed by the
 * integrator already read) and parses it as JSON, whatever the content type
 * (simple devices often send text/plain).
 */
export async function readJsonBody(req: IncomingMessage & { body?: unknown; _body?: boolean }, maxBytes = MAX_PUSH_BODY): Promise<BodyResult> {
  if (req._body || (req.readableEnded && req.body !== undefined)) {
    // Node-RED's admin app parses JSON and form bodies of every request when it shares the root path with httpNode.
    const parsed = req.body;
    const type = String(req.headers["content-type"] ?? "");
    if (!/json/i.test(type) && parsed !== null && typeof parsed === "object" && !Buffer.isBuffer(parsed)) {
      return { ok: false, reason: "malformed", unsupportedType: true, detail: `body sent as ${type.split(";")[0] || "form data"}; send JSON with Content-Type: application/json`, text: safeStringify(parsed) };
    }
    if (typeof parsed === "string" || Buffer.isBuffer(parsed)) return parseText(parsed.toString());
    return { ok: true, text: safeStringify(parsed), json: parsed };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  await new Promise<void>((resolve) => {
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve());
    req.on("error", () => resolve());
    req.on("aborted", () => resolve());
  });
  const text = Buffer.concat(chunks).toString("utf8");
  if (tooLarge) return { ok: false, reason: "too-large", detail: `body larger than ${maxBytes} bytes`, text };
  return parseText(text);
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
