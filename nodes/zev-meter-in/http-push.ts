import type { Request, Response } from "express";
import { readJsonBody, tokenMatches } from "../../lib/devices/http-push";
import { excerpt } from "../../lib/devices/values";
import type { RejectionReport } from "../../lib/readings/ingest";
import type { RejectReason, Rejection } from "../../lib/readings/rejection";

/** A zev-meter-in node with source http-push, as the shared endpoint sees it. */
export interface PushTarget {
  meter: string;
  token(): string | undefined;
  /** Counts an item refused before it reached the meter's checks (401, 413, bad JSON). */
  refuse(r: Rejection, origin: string, excerpt: string): void;
  /**
   * Offers a parsed body; returns how many values were accepted, the
   * rejections (empty = all accepted) and, if the body as a whole was
   * refused, why.
   */
  accept(body: unknown, origin: string, excerpt: string): { accepted: number; rejections: (Rejection | RejectionReport)[]; refused?: RejectReason };
}

export const PUSH_PATH = "/zev/meter/:meter";

/**
 * One route, POST <httpNodeRoot>/zev/meter/<meter id>, shared by every
 * meter node with source http-push; each node registers its meter id here.
 */
export class PushRegistry {
  private readonly targets = new Map<string, PushTarget>();

  add(t: PushTarget): boolean {
    if (this.targets.has(t.meter)) return false;
    this.targets.set(t.meter, t);
    return true;
  }

  remove(t: PushTarget): void {
    if (this.targets.get(t.meter) === t) this.targets.delete(t.meter);
  }

  readonly handle = async (req: Request, res: Response): Promise<void> => {
    try {
      const meter = String(req.params.meter ?? "");
      const target = this.targets.get(meter);
      const origin = `http ${req.socket.remoteAddress ?? "?"}`;
      if (!target) {
        req.resume();
        res.status(404).json({ error: `no zev-meter-in node receives HTTP pushes for meter "${meter.slice(0, 64)}"` });
        return;
      }
      if (!tokenMatches(req.headers.authorization, target.token())) {
        req.resume();
        target.refuse({ reason: "unauthorized", detail: req.headers.authorization ? "wrong token" : "no Authorization: Bearer header" }, origin, "");
        res.status(401).set("WWW-Authenticate", 'Bearer realm="zev"').json({ error: "unauthorized" });
        return;
      }
      const body = await readJsonBody(req);
      if (!body.ok) {
        target.refuse({ reason: body.reason, detail: body.detail }, origin, excerpt(body.text));
        res.status(body.reason === "too-large" ? 413 : body.unsupportedType ? 415 : 400).json({ error: body.detail, rejected: [{ reason: body.reason, detail: body.detail }] });
        return;
      }
      const out = target.accept(body.json, origin, excerpt(body.text));
      const rejected = out.rejections.map((r) => ({ reason: r.reason, field: r.field, value: r.value, detail: r.detail, ...(r.confirming ? { confirming: r.confirming } : {}) }));
      const status = out.refused === "malformed" ? 400 : out.refused === "too-large" ? 413 : rejected.length > 0 ? 422 : 200;
      res.status(status).json({ accepted: out.accepted, rejected });
    } catch (e) {
      if (!res.headersSent) res.status(500).json({ error: (e as Error).message });
    }
  };
}
