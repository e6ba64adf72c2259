import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { FailureGuard } from "../../lib/portal/guard";
import { PortalServer } from "../../lib/portal/server";
import { getInvoice } from "../../lib/store/invoice-repo";
import { REPO_ROOT } from "../support/node-red-process";
import { PORTAL_NOW, portalFixture, type PortalFixture } from "../support/portal-fixture";
import { requireTools } from "../support/system-tools";
import { useTmpDir } from "../support/tmp";

/*
 * The tenant portal in headless Chromium at phone (390x844) and laptop
 * (1366x768) size, for a German and a French tenant, with a browser set to
 * English: the page speaks the tenant's language, shows their own
 * consumption, solar share, invoices (with the open amount) and sessions,
 * fits the screen, loads the day table of a month and hands out the PDF.
 * Screenshots go to test-artifacts/e2e/.
 */
const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "e2e");
const SIZES = [
  { name: "390", width: 390, height: 844 },
  { name: "1366", width: 1366, height: 768 },
] as const;

const EXPECT = {
  t1: {
    lang: "de",
    texts: ["Ihr Strom", "Ihr Verbrauch", "Solaranteil", "Ihre Rechnungen", "Ihre Ladevorgänge", "Solarproduktion der Gemeinschaft", "teilweise bezahlt"],
    november: "November 2026",
    consumption: "288.0",
    name: "Anna Meier",
  },
  t2: {
    lang: "fr",
    texts: ["Votre électricité", "Votre consommation", "Part solaire", "Vos factures", "Vos recharges", "Production solaire de la communauté", "ouverte"],
    november: "novembre 2026",
    consumption: "864,0",
    name: "Luc Dubois",
  },
} as const;

describe("tenant portal in headless Chromium", function () {
  this.timeout(180_000);
  requireTools("chromium");
  const tmp = useTmpDir("zev-portal-e2e-");
  let f: PortalFixture;
  let server: PortalServer;
  let base = "";
  let browser: Browser | undefined;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
  });
  after(async () => browser?.close());
  beforeEach(async () => {
    f = portalFixture(tmp());
    server = new PortalServer(() => ({ store: f.store, definition: f.def }), {
      port: 0,
      host: "127.0.0.1",
      now: () => PORTAL_NOW,
      guard: new FailureGuard(100),
    });
    await server.listen();
    base = `http://127.0.0.1:${server.address()!.port}`;
  });
  afterEach(async () => {
    await server.close();
    f.store.close();
  });

  for (const size of SIZES) {
    for (const tenancy of ["t1", "t2"] as const) {
      const e = EXPECT[tenancy];
      it(`at ${size.width}x${size.height} the ${e.lang} tenant sees their own consumption, invoices and sessions in ${e.lang}`, async () => {
        const ctx = await browser!.newContext({ viewport: { width: size.width, height: size.height }, locale: "en-US", acceptDownloads: true });
        const page = await ctx.newPage();
        const outside: string[] = [];
        page.on("request", (r) => {
          if (!r.url().startsWith(base)) outside.push(r.url());
        });
        try {
          await page.goto(`${base}/portal/#t=${f.tokens[tenancy]}`);
          await page.locator("#invoices .card").first().waitFor({ timeout: 20_000 });
          assert.equal(await page.getAttribute("html", "lang"), e.lang);
          const body = await page.innerText("body");
          for (const t of e.texts) assert.ok(body.includes(t), `"${t}" visible:\n${body}`);
          assert.ok(body.includes(e.name));
          const number = getInvoice(f.store, f.invoiceOf[tenancy]!)!.number!;
          assert.ok(await page.locator("#invoices").getByText(number).isVisible(), `invoice ${number} visible`);
          for (const other of Object.keys(f.invoiceOf).filter((k) => k !== tenancy))
            assert.ok(!body.includes(getInvoice(f.store, f.invoiceOf[other]!)!.number!), `${other}'s invoice shown`);
          // November's row of the month table: own consumption (a phone shows the month's short name)
          const novRow = page.locator('#consumption table tr[data-key="2026-11"]').first();
          const novText = await novRow.innerText();
          assert.ok(novText.includes(e.consumption), novText);
          if (size.width >= 480) assert.ok(novText.includes(e.november), novText);
          else assert.match(novText, /^nov\S* 2026/i);
          if (size.width < 480) {
            const wide = await page.evaluate(() =>
              Array.from(document.querySelectorAll(".scroll"))
                .filter((b) => b.scrollWidth > b.clientWidth + 1)
                .map((b) => b.closest("section")?.id),
            );
            assert.deepEqual(wide, [], "tables that need sideways scrolling on a phone");
          }
          assert.ok(
            await page
              .locator("#sessions")
              .getByText(tenancy === "t1" ? "…C3D4" : "…9911")
              .isVisible(),
          );
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= size.width + 1, `the page is ${width} px wide on a ${size.width} px screen`);
          // a month opens its days
          await novRow.getByRole("button").click();
          await page.locator(`#consumption tr.sel[data-key="2026-11"]`).waitFor();
          const days = await page.locator("#consumption table").nth(1).locator("tbody tr").count();
          assert.equal(days, 30);
          await page.screenshot({ path: join(ARTIFACTS, `portal-${e.lang}-${size.name}.png`), fullPage: true });
          // the PDF arrives as a download of the tenant's own invoice
          const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#invoices button").first().click()]);
          assert.equal(download.suggestedFilename(), `${number}.pdf`);
          assert.deepEqual(outside, [], "requests to other addresses");
        } finally {
          await ctx.close();
        }
      });
    }
  }

  it("a revoked or missing link shows why in the browser's language, and no data", async () => {
    const ctx = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: "it-CH" });
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/portal/#t=${"A".repeat(43)}`);
      await page.locator("#message.error").waitFor();
      assert.match(await page.innerText("#message"), /Questo link non è \(più\) valido/);
      await page.goto(`${base}/portal/`);
      await page.reload();
      await page.locator("#message.error").waitFor();
      assert.equal(await page.locator("section").count(), 0);
    } finally {
      await ctx.close();
    }
  });
});
