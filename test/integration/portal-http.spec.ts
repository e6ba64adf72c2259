import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLink, revokeLinks } from "../../lib/portal/links";
import { FailureGuard } from "../../lib/portal/guard";
import { PortalServer, VIEW_CACHE_MS } from "../../lib/portal/server";
import { hashToken, newToken } from "../../lib/portal/tokens";
import { invoiceRef, type PortalView } from "../../lib/portal/view";
import { auditLog } from "../../lib/store/audit-repo";
import { getInvoice } from "../../lib/store/invoice-repo";
import { insertPayment } from "../../lib/store/payment-repo";
import { Decimal } from "../../lib/util/money";
import { PORTAL_NOW, portalFixture, type PortalFixture } from "../support/portal-fixture";
import { hasTool } from "../support/system-tools";
import { useTmpDir } from "../support/tmp";

/*
 * The portal's authorisation over real HTTP on 127.0.0.1: the tenant's own
 * data and PDF with their link, and everything else refused the same way:
 * another tenancy's invoice, a revoked, an expired, a malformed and a guessed
 * link, a guessed invoice id, and a burst of bad tokens braked. Each refusal
 * and each access is in the audit log.
 */

describe("tenant portal over HTTP: authorisation", function () {
  this.timeout(60_000);
  const tmp = useTmpDir();
  let f: PortalFixture;
  let server: PortalServer;
  let base: string;
  let now = PORTAL_NOW;

  beforeEach(async () => {
    now = PORTAL_NOW;
    f = portalFixture(tmp());
    server = new PortalServer(() => ({ store: f.store, definition: f.def }), {
      port: 0,
      host: "127.0.0.1",
      now: () => now,
      guard: new FailureGuard(10, 600_000),
    });
    await server.listen();
    base = `http://127.0.0.1:${server.address()!.port}`;
  });
  afterEach(async () => {
    await server.close();
    f.store.close();
  });

  const get = (path: string, token?: string): Promise<Response> =>
    fetch(base + path, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
  const audits = (action: string): { details: Record<string, unknown>; entityId: string | null; actor: string }[] =>
    auditLog(f.store, "drei", 1000)
      .filter((e) => e.action === action)
      .map((e) => ({ details: e.details as Record<string, unknown>, entityId: e.entityId, actor: e.actor }));

  it("serves the page, its script and style from its own port with a strict policy and nothing from elsewhere", async () => {
    const page = await get("/portal/");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy")!, /default-src 'none'; script-src 'self'/);
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    const html = await page.text();
    const js = await (await get("/portal/portal.js")).text();
    const css = await (await get("/portal/portal.css")).text();
    for (const [name, text] of [
      ["html", html],
      ["js", js],
      ["css", css],
    ] as const)
      assert.ok(!/https?:\/\//.test(text), `${name} names an external address`);
    assert.ok(js.includes("Ihr Verbrauch") && js.includes("Votre consommation") && js.includes("Il vostro consumo") && js.includes("Your consumption"));
    assert.equal((await fetch(`${base}/portal`, { redirect: "manual" })).status, 301);
  });

  it("answers the tenant's own view to its link, and audits the access", async () => {
    const res = await get("/portal/api/view?month=2026-11", f.tokens.t1);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const v = (await res.json()) as PortalView;
    assert.equal(v.tenant.name, "Anna Meier");
    assert.equal(v.months.find((m) => m.key === "2026-11")!.consumptionKWh, 288);
    assert.equal(v.invoices.length, 1);
    assert.equal(v.invoices[0]!.number, getInvoice(f.store, f.invoiceOf.t1!)!.number);
    const body = JSON.stringify(v);
    for (const other of ["Luc Dubois", "Sam Taylor", "Wohnung 2", "Wohnung 3", getInvoice(f.store, f.invoiceOf.t2!)!.number!])
      assert.ok(!body.includes(other), `${other} in t1's view`);
    const acc = audits("portal.access");
    assert.equal(acc.length, 1);
    assert.equal(acc[0]!.entityId, "t1");
    assert.equal(acc[0]!.details.what, "view");
  });

  it("serves the tenant's own invoice PDF, and refuses another tenancy's invoice by every reference", async () => {
    const v = (await (await get("/portal/api/view", f.tokens.t1)).json()) as PortalView;
    const own = await get(`/portal/api/invoices/${v.invoices[0]!.ref}.pdf`, f.tokens.t1);
    assert.equal(own.status, 200);
    assert.equal(own.headers.get("content-type"), "application/pdf");
    const pdf = Buffer.from(await own.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    const number = getInvoice(f.store, f.invoiceOf.t1!)!.number!;
    if (hasTool("pdftotext")) {
      const file = join(tmp(), "own.pdf");
      writeFileSync(file, pdf);
      const text = execFileSync("pdftotext", [file, "-"]).toString();
      assert.ok(text.includes(number) && text.includes("Anna Meier"), "the PDF is t1's invoice");
    }
    const t2Id = f.invoiceOf.t2!;
    const v2 = (await (await get("/portal/api/view", f.tokens.t2)).json()) as PortalView;
    for (const ref of [
      v2.invoices[0]!.ref,
      invoiceRef(hashToken(f.tokens.t1!), t2Id),
      invoiceRef(hashToken(f.tokens.t2!), t2Id),
      String(t2Id),
      getInvoice(f.store, t2Id)!.number!,
    ]) {
      const res = await get(`/portal/api/invoices/${encodeURIComponent(ref)}.pdf`, f.tokens.t1);
      assert.equal(res.status, 404, `t2's invoice by ${ref}`);
      assert.deepEqual(await res.json(), { error: "not found" });
    }
    const refused = audits("portal.refused").filter((a) => a.details.reason === "unknown-document");
    assert.equal(refused.length, 5);
    assert.ok(refused.every((a) => a.entityId === "t1"));
    assert.deepEqual(
      audits("portal.access")
        .filter((a) => a.details.what === "invoice")
        .map((a) => [a.entityId, a.details.number]),
      [["t1", number]],
    );
  });

  it("refuses a revoked, an expired, a malformed, a missing and a guessed link with one and the same answer", async () => {
    const revoked = createLink(f.store, { communityId: "drei", tenancyId: "t2", actor: "test", nowMs: now - 1000 });
    revokeLinks(f.store, { communityId: "drei", tokenId: revoked.tokenId, actor: "admin", nowMs: now - 500 });
    const expiring = createLink(f.store, { communityId: "drei", tenancyId: "t3", validDays: 1, actor: "test", nowMs: now - 86_400_000 });
    const answers: { status: number; body: string; auth: string | null }[] = [];
    for (const token of [
      revoked.token,
      expiring.token,
      "not a token",
      "",
      newToken().token,
      f.tokens.t1!.slice(0, -1) + (f.tokens.t1!.endsWith("A") ? "B" : "A"),
    ]) {
      const res = token === "" ? await get("/portal/api/view") : await get("/portal/api/view", token);
      answers.push({ status: res.status, body: await res.text(), auth: res.headers.get("www-authenticate") });
    }
    assert.ok(
      answers.every((a) => a.status === 401 && a.body === '{"error":"refused"}' && a.auth === 'Bearer realm="zev-portal"'),
      JSON.stringify(answers),
    );
    const reasons = audits("portal.refused")
      .map((a) => a.details.reason)
      .reverse();
    assert.deepEqual(reasons, ["revoked", "expired", "malformed", "malformed", "unknown", "unknown"]);
    assert.ok(audits("portal.refused").every((a) => a.details.client === "127.0.0.1"));
    // a Basic header (httpNodeAuth's) is no portal token either
    assert.equal((await fetch(`${base}/portal/api/view`, { headers: { Authorization: "Basic YWRtaW46YWRtaW4=" } })).status, 401);
  });

  it("the link stops working when it expires, while it runs without it", async () => {
    const l = createLink(f.store, { communityId: "drei", tenancyId: "t2", validDays: 2, actor: "test", nowMs: now });
    assert.equal((await get("/portal/api/view", l.token)).status, 200);
    now += 2 * 86_400_000;
    assert.equal((await get("/portal/api/view", l.token)).status, 401);
  });

  it("reuses a view for a minute per link, never past the link's own check", async () => {
    const open = async (): Promise<string> => ((await (await get("/portal/api/view", f.tokens.t1)).json()) as PortalView).invoices[0]!.payment!.open;
    const before = await open();
    insertPayment(
      f.store,
      {
        communityId: "drei",
        source: "manual",
        bankKey: null,
        amount: "5.00",
        currency: "CHF",
        bookingDate: null,
        valueDate: null,
        referenceType: null,
        reference: null,
        debtorName: null,
        debtorIban: null,
        accountIban: null,
        invoiceId: f.invoiceOf.t1!,
        state: "manual",
        flag: null,
        note: null,
        fileName: null,
        messageId: null,
        entryRef: null,
        txRef: null,
        endToEndId: null,
        createdBy: "test",
      },
      now,
    );
    now += VIEW_CACHE_MS - 1;
    assert.equal(await open(), before);
    now += 1;
    assert.equal(await open(), new Decimal(before).minus(5).toFixed(2));
    revokeLinks(f.store, { communityId: "drei", tenancyId: "t1", actor: "admin", nowMs: now });
    assert.equal((await get("/portal/api/view", f.tokens.t1)).status, 401);
  });

  it("brakes a brute-force burst: after 10 bad tokens the client gets 429, its valid token too, and the log holds one entry for the brake", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await get("/portal/api/view", newToken().token)).status);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(statuses.slice(10), Array(30).fill(429));
    const braked = await get("/portal/api/view", f.tokens.t1);
    assert.equal(braked.status, 429);
    assert.ok(Number(braked.headers.get("retry-after")) > 0);
    assert.equal(audits("portal.refused").length, 10);
    assert.equal(audits("portal.rate-limited").length, 1);
    assert.equal(audits("portal.access").length, 0);
    // guessed invoice ids count too: a valid link cannot be used to scan for documents
    now += 600_000;
    for (let i = 1; i <= 10; i++) assert.equal((await get(`/portal/api/invoices/${i}.pdf`, f.tokens.t1)).status, 404);
    assert.equal((await get(`/portal/api/invoices/11.pdf`, f.tokens.t1)).status, 429);
    now += 600_000;
    assert.equal((await get("/portal/api/view", f.tokens.t1)).status, 200, "the brake ends with its window");
  });

  it("serves nothing but the portal: Node-RED's admin routes do not exist on its port, other methods are refused", async () => {
    for (const p of ["/", "/flows", "/settings", "/auth/login", "/dashboard", "/ui", "/zev/meter/x", "/portal/api/", "/portal/../flows"])
      assert.equal((await get(p, f.tokens.t1)).status, 404, p);
    assert.equal((await fetch(`${base}/portal/api/view`, { method: "POST", headers: { Authorization: `Bearer ${f.tokens.t1}` }, body: "{}" })).status, 405);
  });
});
