import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CommunityDefinition } from "../community/types";
import { renderInvoiceDocument } from "../render/documents";
import { audit } from "../store/audit-repo";
import { portalTokenByHash, touchPortalToken } from "../store/portal-token-repo";
import type { Store } from "../store/store";
import { safeFileName } from "../util/safe-file-name";
import { FailureGuard } from "./guard";
import { PORTAL_CSS, PORTAL_HTML, PORTAL_JS } from "./page";
import { bearerToken, checkToken, hashToken, isWellFormedToken, type RefusalReason } from "./tokens";
import { portalView, tenancyDocuments, type PortalView } from "./view";
import { listeningAddress, startListening, stopListening } from "../util/http-listener";

/*
 * The tenant portal's HTTP side (docs/portal.md, docs/decisions/0097): a
 * listener of its own, outside Node-RED's express app, so that neither
 * adminAuth nor httpNodeAuth is in front of it and none of Node-RED's routes
 * is behind it. It serves the page and two JSON/PDF endpoints; the token
 * comes in `Authorization: Bearer`, is checked before anything is read, and
 * every answer to a refused token is the same 401.
 */

export const PORTAL_PREFIX = "/portal/";

/** The community a portal serves, as its node currently has it; null while the community is not usable. */
export type PortalSource = () => { store: Store; definition: CommunityDefinition } | null;

export interface PortalCounts {
  accesses: number;
  refused: number;
  braked: number;
}

export interface PortalServerOptions {
  port: number;
  host?: string;
  guard?: FailureGuard;
  now?: () => number;
  /** Letterhead for the PDFs (as zev-billing's). */
  logo?: Buffer;
  /** Reports unexpected errors (the node logs them); the client only sees "internal error". */
  onError?: (e: Error) => void;
  onCount?: (c: PortalCounts) => void;
}

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": type,
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
    ...extra,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body), extra);

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const REF = /^[A-Za-z0-9_-]{1,64}$/;

/** A view is reused this long per link and month: a year of quarter hours takes a Raspberry Pi a second or more, and the data change every 15 minutes. */
export const VIEW_CACHE_MS = 60_000;
const VIEW_CACHE_MAX = 200;

export class PortalService {
  readonly guard: FailureGuard;
  private readonly views = new Map<string, { atMs: number; def: CommunityDefinition; view: PortalView }>();
  readonly counts: PortalCounts = { accesses: 0, refused: 0, braked: 0 };
  private readonly now: () => number;

  constructor(
    private readonly source: PortalSource,
    private readonly opts: Omit<PortalServerOptions, "port" | "host"> = {},
  ) {
    this.guard = opts.guard ?? new FailureGuard();
    this.now = opts.now ?? Date.now;
  }

  private count(): void {
    this.opts.onCount?.({ ...this.counts });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://portal.invalid");
      const path = url.pathname;
      if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: "method not allowed" }, { Allow: "GET" });
      if (path === "/portal") return send(res, 301, "text/plain; charset=utf-8", "", { Location: PORTAL_PREFIX });
      if (path === PORTAL_PREFIX || path === `${PORTAL_PREFIX}index.html`) return send(res, 200, "text/html; charset=utf-8", PORTAL_HTML);
      if (path === `${PORTAL_PREFIX}portal.js`) return send(res, 200, "text/javascript; charset=utf-8", PORTAL_JS);
      if (path === `${PORTAL_PREFIX}portal.css`) return send(res, 200, "text/css; charset=utf-8", PORTAL_CSS);
      if (path === `${PORTAL_PREFIX}api/view`) return await this.view(req, res, url.searchParams.get("month"));
      const pdf = /^\/portal\/api\/invoices\/([^/]+)\.pdf$/.exec(path);
      if (pdf) return await this.invoice(req, res, pdf[1]!);
      return json(res, 404, { error: "not found" });
    } catch (e) {
      this.opts.onError?.(e as Error);
      json(res, 500, { error: "internal error" });
    }
  }

  /** The token's tenancy, or an answer already sent (429 or 401). Nothing about the reason leaves the server. */
  private authorize(
    req: IncomingMessage,
    res: ServerResponse,
    what: string,
  ): { store: Store; definition: CommunityDefinition; tenancyId: string; tokenId: number; tokenHash: string; client: string } | null {
    const now = this.now();
    const client = req.socket.remoteAddress ?? "unknown";
    const src = this.source();
    if (!src) {
      json(res, 503, { error: "unavailable" });
      return null;
    }
    const { store, definition } = src;
    const brake = this.guard.blocked(client, now);
    if (brake.blocked) {
      this.counts.braked++;
      this.count();
      // One entry per client and window: a flood is not copied row by row into the log.
      if (brake.first) audit(store, { communityId: definition.id, actor: "portal", action: "portal.rate-limited", details: { client, what }, tsMs: now });
      json(res, 429, { error: "too many attempts" }, { "Retry-After": String(brake.retryAfterS) });
      return null;
    }
    const token = bearerToken(req.headers.authorization);
    const refuse = (reason: RefusalReason, rec?: { id: number; tenancyId: string; communityId: string }): null => {
      this.guard.fail(client, now);
      this.counts.refused++;
      this.count();
      audit(store, {
        communityId: definition.id,
        actor: "portal",
        action: "portal.refused",
        ...(rec && rec.communityId === definition.id ? { entity: "tenancy", entityId: rec.tenancyId } : {}),
        details: { reason, client, what, ...(rec ? { token: rec.id } : {}) },
        tsMs: now,
      });
      json(res, 401, { error: "refused" }, { "WWW-Authenticate": 'Bearer realm="zev-portal"' });
      return null;
    };
    if (!isWellFormedToken(token)) return refuse("malformed");
    const tokenHash = hashToken(token);
    const rec = portalTokenByHash(store, tokenHash);
    const check = checkToken(rec, definition, now);
    if (!check.ok) return refuse(check.reason, rec);
    touchPortalToken(store, rec!.id, now);
    return { store, definition, tenancyId: check.tenancy.id, tokenId: rec!.id, tokenHash, client };
  }

  private async view(req: IncomingMessage, res: ServerResponse, month: string | null): Promise<void> {
    const a = this.authorize(req, res, "view");
    if (!a) return;
    const now = this.now();
    const tenancy = a.definition.tenancies.find((t) => t.id === a.tenancyId)!;
    const opts = month && MONTH.test(month) ? { month } : {};
    // Keyed by the link (not the tenancy): a revoked link's entry is never reached again, its check comes first.
    const key = `${a.tokenId}|${opts.month ?? ""}`;
    const hit = this.views.get(key);
    let v: PortalView;
    if (hit && now - hit.atMs >= 0 && now - hit.atMs < VIEW_CACHE_MS && hit.def === a.definition) v = hit.view;
    else {
      v = portalView(a.store, a.definition, tenancy, a.tokenHash, now, opts);
      this.views.delete(key);
      if (this.views.size >= VIEW_CACHE_MAX) this.views.delete(this.views.keys().next().value!);
      this.views.set(key, { atMs: now, def: a.definition, view: v });
    }
    audit(a.store, {
      communityId: a.definition.id,
      actor: `portal:token-${a.tokenId}`,
      action: "portal.access",
      entity: "tenancy",
      entityId: a.tenancyId,
      details: { what: "view", client: a.client, ...(v.month ? { month: v.month } : {}) },
      tsMs: now,
    });
    this.counts.accesses++;
    this.count();
    json(res, 200, v);
  }

  private async invoice(req: IncomingMessage, res: ServerResponse, ref: string): Promise<void> {
    const a = this.authorize(req, res, "invoice");
    if (!a) return;
    const now = this.now();
    const tenancy = a.definition.tenancies.find((t) => t.id === a.tenancyId)!;
    // Looked up only among this tenancy's documents: another tenancy's invoice has no reference here at all.
    const doc = REF.test(ref) ? tenancyDocuments(a.store, a.definition, tenancy, a.tokenHash).find((d) => d.ref === ref) : undefined;
    if (!doc) {
      this.guard.fail(a.client, now);
      this.counts.refused++;
      this.count();
      audit(a.store, {
        communityId: a.definition.id,
        actor: `portal:token-${a.tokenId}`,
        action: "portal.refused",
        entity: "tenancy",
        entityId: a.tenancyId,
        details: { reason: "unknown-document", client: a.client, what: "invoice", token: a.tokenId },
        tsMs: now,
      });
      return json(res, 404, { error: "not found" });
    }
    const pdf = await renderInvoiceDocument(doc.record, this.opts.logo ? { logo: this.opts.logo } : {});
    audit(a.store, {
      communityId: a.definition.id,
      actor: `portal:token-${a.tokenId}`,
      action: "portal.access",
      entity: "tenancy",
      entityId: a.tenancyId,
      details: { what: "invoice", number: doc.record.number, client: a.client },
      tsMs: now,
    });
    this.counts.accesses++;
    this.count();
    send(res, 200, "application/pdf", pdf.buffer, { "Content-Disposition": `attachment; filename="${safeFileName(doc.record.number ?? "invoice")}.pdf"` });
  }
}

/** The portal's own listener (like the push port of decision 0070): nothing of Node-RED in front of it or behind it. */
export class PortalServer {
  readonly service: PortalService;
  private readonly server: Server;
  private listening: Promise<void> | undefined;

  constructor(
    source: PortalSource,
    readonly options: PortalServerOptions,
  ) {
    this.service = new PortalService(source, options);
    this.server = createServer((req, res) => {
      // A request body is never read: drain it so the answer reaches the client.
      req.resume();
      void this.service.handle(req, res);
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.server.keepAliveTimeout = 5_000;
  }

  listen(): Promise<void> {
    this.listening ??= startListening(this.server, this.options.port, this.options.host || undefined);
    return this.listening;
  }

  address(): AddressInfo | undefined {
    return listeningAddress(this.server);
  }

  close(): Promise<void> {
    return stopListening(this.server);
  }
}
