import { createHash, randomBytes } from "node:crypto";
import type { CommunityDefinition, Tenancy } from "../community/types";
import { addDays, DEFAULT_TIME_ZONE, startOfLocalDay } from "../time/local-date";

/*
 * The tenant portal's access tokens (docs/portal.md, docs/decisions/0098):
 * 32 random bytes (256 bits) written base64url, kept in the store only as
 * their SHA-256, each valid until its expiry, until revoked, and at most
 * until GRACE_DAYS after the tenancy's last day.
 */

export const TOKEN_BYTES = 32;
/** base64url of 32 bytes without padding. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const DEFAULT_VALID_DAYS = 365;
export const MAX_VALID_DAYS = 3 * 365;
/** Days after a tenancy's last day during which its tenant still sees the portal (the final invoice usually arrives then). */
export const GRACE_DAYS = 30;

const DAY_MS = 86_400_000;

export interface NewToken {
  /** The secret: shown once, in the link, never stored. */
  token: string;
  tokenHash: string;
}

export function newToken(): NewToken {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isWellFormedToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_PATTERN.test(value);
}

/** The token in `Authorization: Bearer <token>`, or null when the header is absent or of another form. */
export function bearerToken(authorization: string | undefined): string | null {
  const m = /^Bearer ([^\s]+)$/.exec((authorization ?? "").trim());
  return m ? m[1]! : null;
}

export function validDaysProblem(days: number): string | null {
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_VALID_DAYS)
    return `the validity is a whole number of days from 1 to ${MAX_VALID_DAYS}, got ${days}`;
  return null;
}

/** The first instant a tenancy's portal access is over: the start of the local day GRACE_DAYS after the day after its last day; null while it runs. */
export function accessEndOfTenancy(t: Pick<Tenancy, "to">, zone: string = DEFAULT_TIME_ZONE, graceDays = GRACE_DAYS): number | null {
  if (!t.to) return null;
  return startOfLocalDay(addDays(t.to, 1 + graceDays), zone);
}

export type RefusalReason = "malformed" | "unknown" | "other-community" | "revoked" | "expired" | "tenancy-gone" | "tenancy-ended";

export type TokenCheck = { ok: true; tenancy: Tenancy } | { ok: false; reason: RefusalReason };

export interface TokenState {
  communityId: string;
  tenancyId: string;
  expiresMs: number;
  revokedMs: number | null;
}

/**
 * Whether a stored token gives access now, for the community `def` (the
 * portal serves one community): not revoked, not expired, its tenancy still
 * in the definition and not ended more than GRACE_DAYS ago.
 */
export function checkToken(rec: TokenState | undefined, def: CommunityDefinition, nowMs: number): TokenCheck {
  if (!rec) return { ok: false, reason: "unknown" };
  if (rec.communityId !== def.id) return { ok: false, reason: "other-community" };
  if (rec.revokedMs !== null && rec.revokedMs <= nowMs) return { ok: false, reason: "revoked" };
  if (nowMs >= rec.expiresMs) return { ok: false, reason: "expired" };
  const tenancy = def.tenancies.find((t) => t.id === rec.tenancyId);
  if (!tenancy) return { ok: false, reason: "tenancy-gone" };
  const end = accessEndOfTenancy(tenancy, def.timeZone);
  if (end !== null && nowMs >= end) return { ok: false, reason: "tenancy-ended" };
  return { ok: true, tenancy };
}

/** The expiry of a new link: `validDays` from now, but never past the end of the tenancy's access. */
export function linkExpiry(nowMs: number, validDays: number, tenancy: Pick<Tenancy, "to">, zone: string): number {
  const wanted = nowMs + validDays * DAY_MS;
  const end = accessEndOfTenancy(tenancy, zone);
  return end === null ? wanted : Math.min(wanted, end);
}

/** The link a tenant opens: the token in the fragment, which browsers never send to a server (no access log, no Referer). */
export function portalLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/portal/#t=${token}`;
}
