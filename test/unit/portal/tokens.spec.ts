import assert from "node:assert/strict";
import { createLink, listLinks, PortalError, revokeLinks } from "../../../lib/portal/links";
import { accessEndOfTenancy, bearerToken, checkToken, GRACE_DAYS, hashToken, isWellFormedToken, newToken, portalLink } from "../../../lib/portal/tokens";
import { portalTokenByHash } from "../../../lib/store/portal-token-repo";
import { auditLog } from "../../../lib/store/audit-repo";
import { openBillingStore } from "../../support/billing-fixture";
import { portalCommunity } from "../../support/portal-fixture";
import { useTmpDir } from "../../support/tmp";

const NOW = Date.parse("2026-12-10T10:00:00Z");
const DAY = 86_400_000;

describe("portal tokens (lib/portal/tokens, links)", () => {
  const tmp = useTmpDir();

  it("a new token is 32 random bytes in base64url, different every time, and its hash is SHA-256 hex", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = newToken();
      assert.ok(isWellFormedToken(t.token), t.token);
      assert.equal(Buffer.from(t.token, "base64url").length, 32);
      assert.match(t.tokenHash, /^[0-9a-f]{64}$/);
      assert.equal(t.tokenHash, hashToken(t.token));
      seen.add(t.token);
    }
    assert.equal(seen.size, 200);
  });

  it("reads only a well-formed Bearer header", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("Basic abc"), null);
    assert.equal(bearerToken(undefined), null);
    assert.equal(bearerToken("Bearer a b"), null);
    assert.equal(isWellFormedToken("x".repeat(42)), false);
    assert.equal(isWellFormedToken("x".repeat(43)), true);
    assert.equal(isWellFormedToken("x".repeat(42) + "="), false);
  });

  it("the link carries the token in the fragment only", () => {
    assert.equal(portalLink("http://10.0.0.5:1881/", "TOKEN"), "http://10.0.0.5:1881/portal/#t=TOKEN");
    assert.equal(portalLink("", "TOKEN"), "/portal/#t=TOKEN");
  });

  it("the store keeps the hash, never the token itself", () => {
    const store = openBillingStore(tmp(), portalCommunity());
    try {
      const l = createLink(store, { communityId: "drei", tenancyId: "t1", actor: "test", nowMs: NOW });
      const rows = store.db.prepare("SELECT * FROM portal_tokens").all() as Record<string, unknown>[];
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(l.token), "the token is stored in clear");
      assert.ok(!JSON.stringify(auditLog(store, "drei")).includes(l.token), "the token is in the audit log");
      assert.equal(portalTokenByHash(store, hashToken(l.token))?.id, l.tokenId);
      assert.equal(l.expiresMs, NOW + 365 * DAY);
    } finally {
      store.close();
    }
  });

  it("a link is valid until it expires, and not after", () => {
    const store = openBillingStore(tmp(), portalCommunity());
    try {
      const def = portalCommunity();
      const l = createLink(store, { communityId: "drei", tenancyId: "t1", validDays: 7, actor: "test", nowMs: NOW });
      const rec = portalTokenByHash(store, hashToken(l.token));
      assert.equal(checkToken(rec, def, NOW + 7 * DAY - 1).ok, true);
      assert.deepEqual(checkToken(rec, def, NOW + 7 * DAY), { ok: false, reason: "expired" });
    } finally {
      store.close();
    }
  });

  it("a revoked link is refused; revoking by tenancy ends all its links, and nothing else", () => {
    const store = openBillingStore(tmp(), portalCommunity());
    try {
      const def = portalCommunity();
      const a = createLink(store, { communityId: "drei", tenancyId: "t1", actor: "test", nowMs: NOW });
      const b = createLink(store, { communityId: "drei", tenancyId: "t1", actor: "test", nowMs: NOW });
      const c = createLink(store, { communityId: "drei", tenancyId: "t2", actor: "test", nowMs: NOW });
      assert.deepEqual(revokeLinks(store, { communityId: "drei", tenancyId: "t1", actor: "admin", nowMs: NOW + 1000 }), [a.tokenId, b.tokenId]);
      for (const l of [a, b]) assert.deepEqual(checkToken(portalTokenByHash(store, hashToken(l.token)), def, NOW + 2000), { ok: false, reason: "revoked" });
      assert.equal(checkToken(portalTokenByHash(store, hashToken(c.token)), def, NOW + 2000).ok, true);
      assert.throws(
        () => revokeLinks(store, { communityId: "drei", tenancyId: "t1", actor: "admin" }),
        (e: unknown) => e instanceof PortalError && e.code === "nothing-to-revoke",
      );
      assert.deepEqual(revokeLinks(store, { communityId: "drei", tokenId: c.tokenId, actor: "admin", nowMs: NOW + 3000 }), [c.tokenId]);
      assert.deepEqual(
        listLinks(store, "drei", NOW + 4000).map((l) => [l.id, l.state]),
        [
          [a.tokenId, "revoked"],
          [b.tokenId, "revoked"],
          [c.tokenId, "revoked"],
        ],
      );
      const actions = auditLog(store, "drei").map((e) => e.action);
      assert.equal(actions.filter((x) => x === "portal.link-created").length, 3);
      assert.equal(actions.filter((x) => x === "portal.link-revoked").length, 3);
    } finally {
      store.close();
    }
  });

  it(`the end of a tenancy ends its access ${GRACE_DAYS} days after its last day, whatever the link's expiry`, () => {
    const def = portalCommunity({
      tenancies: [
        ...portalCommunity().tenancies.filter((t) => t.id !== "t3"),
        { id: "t3", unit: "3", tenant: portalCommunity().tenancies[2]!.tenant, from: "2025-01-01", to: "2026-11-30" },
      ],
    });
    const store = openBillingStore(tmp(), def);
    try {
      const end = accessEndOfTenancy({ to: "2026-11-30" }, "Europe/Zurich");
      assert.equal(end, Date.parse("2026-12-30T23:00:00Z"), "the start of 31 December, Zurich");
      const l = createLink(store, { communityId: "drei", tenancyId: "t3", validDays: 365, actor: "test", nowMs: NOW });
      assert.equal(l.expiresMs, end, "a new link never outlives the grace period");
      const rec = { ...portalTokenByHash(store, hashToken(l.token))!, expiresMs: NOW + 365 * DAY };
      assert.equal(checkToken(rec, def, end! - 1).ok, true);
      assert.deepEqual(checkToken(rec, def, end!), { ok: false, reason: "tenancy-ended" });
      assert.throws(
        () => createLink(store, { communityId: "drei", tenancyId: "t3", actor: "test", nowMs: end! }),
        (e: unknown) => e instanceof PortalError && e.code === "tenancy-ended",
      );
    } finally {
      store.close();
    }
  });

  it("a tenancy removed from the community, a link of another community and an unknown token are refused", () => {
    const store = openBillingStore(tmp(), portalCommunity());
    try {
      const l = createLink(store, { communityId: "drei", tenancyId: "t2", actor: "test", nowMs: NOW });
      const rec = portalTokenByHash(store, hashToken(l.token));
      const without = portalCommunity({ tenancies: portalCommunity().tenancies.filter((t) => t.id !== "t2") });
      assert.deepEqual(checkToken(rec, without, NOW), { ok: false, reason: "tenancy-gone" });
      assert.deepEqual(checkToken(rec, portalCommunity({ id: "andere" }), NOW), { ok: false, reason: "other-community" });
      assert.deepEqual(checkToken(undefined, portalCommunity(), NOW), { ok: false, reason: "unknown" });
    } finally {
      store.close();
    }
  });

  it("refuses links for unknown tenancies and out-of-range validity with codes", () => {
    const store = openBillingStore(tmp(), portalCommunity());
    try {
      assert.throws(
        () => createLink(store, { communityId: "drei", tenancyId: "t9", actor: "test" }),
        (e: unknown) => e instanceof PortalError && e.code === "no-tenancy",
      );
      assert.throws(
        () => createLink(store, { communityId: "nix", tenancyId: "t1", actor: "test" }),
        (e: unknown) => e instanceof PortalError && e.code === "no-community",
      );
      for (const d of [0, -1, 1.5, 5000])
        assert.throws(
          () => createLink(store, { communityId: "drei", tenancyId: "t1", validDays: d, actor: "test" }),
          (e: unknown) => e instanceof PortalError && e.code === "valid-days",
        );
    } finally {
      store.close();
    }
  });
});
