import type { CommunityDefinition } from "../community/types";
import { latestCommunity } from "../store/community-repo";
import { insertPortalToken, listPortalTokens, revokePortalTokens, type PortalTokenRecord } from "../store/portal-token-repo";
import type { Store } from "../store/store";
import { accessEndOfTenancy, checkToken, DEFAULT_VALID_DAYS, linkExpiry, newToken, portalLink, validDaysProblem, type RefusalReason } from "./tokens";

/*
 * Creating, revoking and listing portal links: what `zev portal` and the
 * zev-portal node's commands do, in one place.
 */

export type PortalErrorCode = "no-community" | "no-tenancy" | "tenancy-ended" | "valid-days" | "no-selection" | "nothing-to-revoke";

/** A refusal with a stable code and its values (translated where a person reads it). */
export class PortalError extends Error {
  constructor(
    readonly code: PortalErrorCode,
    readonly params: Record<string, string | number>,
    message: string,
  ) {
    super(message);
    this.name = "PortalError";
  }
}

export interface CreatedLink {
  tokenId: number;
  tenancyId: string;
  /** The secret; shown once. */
  token: string;
  /** The whole link when a base URL is known, else the path with the token (`/portal/#t=...`). */
  link: string;
  expiresMs: number;
}

function definitionOf(store: Store, communityId: string): CommunityDefinition {
  const def = latestCommunity(store, communityId)?.definition;
  if (!def) throw new PortalError("no-community", { community: communityId }, `community ${JSON.stringify(communityId)} is not in ${store.path}`);
  return def;
}

export function createLink(
  store: Store,
  req: { communityId: string; tenancyId: string; validDays?: number; baseUrl?: string; actor: string; nowMs?: number },
): CreatedLink {
  const nowMs = req.nowMs ?? Date.now();
  const def = definitionOf(store, req.communityId);
  const tenancy = def.tenancies.find((t) => t.id === req.tenancyId);
  if (!tenancy)
    throw new PortalError(
      "no-tenancy",
      { community: def.id, tenancy: req.tenancyId },
      `community ${def.id} has no tenancy ${JSON.stringify(req.tenancyId)} (tenancies: ${def.tenancies.map((t) => t.id).join(", ") || "none"})`,
    );
  const validDays = req.validDays ?? DEFAULT_VALID_DAYS;
  const problem = validDaysProblem(validDays);
  if (problem) throw new PortalError("valid-days", { days: validDays }, problem);
  const end = accessEndOfTenancy(tenancy, def.timeZone);
  if (end !== null && end <= nowMs)
    throw new PortalError(
      "tenancy-ended",
      { tenancy: tenancy.id, to: tenancy.to ?? "" },
      `tenancy ${tenancy.id} ended on ${tenancy.to}; its portal access ended with the grace period`,
    );
  const { token, tokenHash } = newToken();
  const expiresMs = linkExpiry(nowMs, validDays, tenancy, def.timeZone);
  const rec = insertPortalToken(store, { tokenHash, communityId: def.id, tenancyId: tenancy.id, expiresMs, actor: req.actor }, nowMs);
  return { tokenId: rec.id, tenancyId: tenancy.id, token, link: portalLink(req.baseUrl ?? "", token), expiresMs };
}

/** Revokes a tenancy's links or one link; refuses when nothing matched, so a typo does not pass for a revocation. */
export function revokeLinks(store: Store, req: { communityId: string; tenancyId?: string; tokenId?: number; actor: string; nowMs?: number }): number[] {
  definitionOf(store, req.communityId);
  if (req.tenancyId === undefined && req.tokenId === undefined) throw new PortalError("no-selection", {}, "name the links to revoke: a tenancy or a token id");
  const ids = revokePortalTokens(
    store,
    {
      communityId: req.communityId,
      ...(req.tenancyId !== undefined ? { tenancyId: req.tenancyId } : {}),
      ...(req.tokenId !== undefined ? { tokenId: req.tokenId } : {}),
    },
    req.actor,
    req.nowMs,
  );
  if (!ids.length) {
    const what = req.tokenId !== undefined ? `link ${req.tokenId}` : `tenancy ${req.tenancyId}`;
    throw new PortalError("nothing-to-revoke", { what }, `no active link of ${what} in community ${req.communityId}`);
  }
  return ids;
}

export interface LinkState extends Omit<PortalTokenRecord, "tokenHash"> {
  state: "active" | RefusalReason;
}

/** The community's links with their state now (the hashes stay inside). */
export function listLinks(store: Store, communityId: string, nowMs = Date.now()): LinkState[] {
  const def = definitionOf(store, communityId);
  return listPortalTokens(store, communityId).map(({ tokenHash: _hash, ...r }) => {
    const c = checkToken(r, def, nowMs);
    return { ...r, state: c.ok ? "active" : c.reason };
  });
}
