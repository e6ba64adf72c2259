import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { auditLog } from "../../lib/store/audit-repo";
import { getInvoice } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillMeter } from "../support/billing-fixture";
import { buildCamt } from "../support/camt";
import { runCliCaptured } from "../support/cli";
import { freePort, REPO_ROOT } from "../support/node-red-process";
import { requireTools } from "../support/system-tools";

/*
 * The admin pages on the demo (scripts/start.mjs, free ports) in headless
 * Chromium, asserting what is visible (issues 13, 14, 15): the Payments page
 * shows an imported payment matched and one unmatched; assigning the
 * unmatched one through the page changes the invoice's payment status and
 * the audit log names who did it; the Portal page makes a link that opens
 * the portal, and revoking it makes the portal refuse it; the Billing page
 * lists a pending correction. Screenshots go to test-artifacts/e2e/.
 */
const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "e2e");

interface InvoiceJson {
  id: number;
  number: string;
  status: string;
  total: string;
  reference: string;
  recipient: string;
  paymentStatus: string | null;
}

for (const edition of [2, 1] as const) {
  describe(`dashboard ${edition}: the Payments and Portal pages and the corrections, as an admin uses them (the demo in headless Chromium)`, function () {
    this.timeout(400_000);
    requireTools("chromium");
    let child: ChildProcess | undefined;
    let out = "";
    let userDir = "";
    let base = "";
    let portal = "";
    let browser: Browser | undefined;
    let page: Page;
    let db = "";
    let invoices: InvoiceJson[] = [];

    const until = async (what: string, cond: () => Promise<boolean>, ms = 30_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await cond().catch(() => false))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${(await bodyText().catch(() => "")).slice(0, 3000)}\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    const TABS = ["live", "units", "chargers", "data", "billing", "payments", "portal"];
    const url = (p: string): string => (edition === 2 ? `${base}/dashboard/${p}` : `${base}/ui/#!/${TABS.indexOf(p)}`);
    const bodyText = (): Promise<string> => page.evaluate(() => document.body.innerText);
    /** Each table row's cells, joined by " | ". */
    const rows = (): Promise<string[]> =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll("tr")).map((r) =>
          Array.from(r.cells)
            .map((c) => (c.textContent ?? "").trim())
            .join(" | "),
        ),
      );
    const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `dashboard-${edition}-${name}.png`), fullPage: true });
    const button = (label: RegExp) =>
      page
        .locator(edition === 2 ? ".nrdb-ui-button button" : "ui-card-panel button")
        .filter({ hasText: label })
        .first();
    const dialog = () => (edition === 2 ? page.locator(".zev-ask").first() : page.locator("md-dialog").first());
    const confirm = async (): Promise<string> => {
      const d = dialog();
      await d.waitFor({ state: "visible", timeout: 10_000 });
      const text = (await d.innerText()).replace(/\s+/g, " ");
      await (edition === 2 ? page.locator(".zev-ask-ok").first() : page.locator("md-dialog .md-confirm-button")).click();
      await d.waitFor({ state: "hidden", timeout: 10_000 }).catch(() => undefined);
      return text;
    };
    /** Chooses the option of a dropdown (its label) whose text matches. */
    const choose = async (label: RegExp, option: RegExp): Promise<void> => {
      if (edition === 2) {
        const field = page.locator(".nrdb-ui-dropdown").filter({ hasText: label }).first();
        await field.locator(".v-field").click();
        await page.locator(".v-overlay .v-list-item").filter({ hasText: option }).first().click();
        await page.keyboard.press("Escape");
      } else {
        const field = page.locator("md-card.nr-dashboard-dropdown").filter({ hasText: label }).first();
        await field.locator("md-select").click();
        await page.locator(".md-select-menu-container.md-active md-option").filter({ hasText: option }).first().click();
      }
    };
    /** Clicks the table row that contains `text`. */
    const row = async (text: string | RegExp): Promise<void> => {
      await page.locator("tr").filter({ hasText: text }).first().click();
    };

    before(async function () {
      if (!existsSync(join(REPO_ROOT, "dist", "lib", "simulator", "backfill.js"))) execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
      mkdirSync(ARTIFACTS, { recursive: true });
      userDir = mkdtempSync(join(tmpdir(), `zev-e2e-admin-d${edition}-`));
      const [port, modbusPort, udpPort, portalPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
      base = `http://127.0.0.1:${port}`;
      portal = `http://127.0.0.1:${portalPort}`;
      const args = [
        join(REPO_ROOT, "scripts", "start.mjs"),
        "--user-dir",
        userDir,
        "--port",
        String(port),
        "--modbus-port",
        String(modbusPort),
        "--udp-port",
        String(udpPort),
        "--portal-port",
        String(portalPort),
        "--dashboard",
        String(edition),
      ];
      child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      const exited = new Promise<never>((_, reject) => child!.once("exit", (code) => reject(new Error(`the demo exited with ${code}:\n${out}`))));
      const startEnd = Date.now() + 90_000;
      await Promise.race([
        (async () => {
          while (!/Started flows/.test(out)) {
            if (Date.now() > startEnd) throw new Error(`Node-RED did not start\n${out}`);
            await new Promise((r) => setTimeout(r, 300));
          }
        })(),
        exited,
      ]);
      db = join(userDir, "zev", "sonnenhof.sqlite");
      const creds = JSON.parse(readFileSync(join(userDir, "demo-secrets.json"), "utf8")) as { username: string; password: string };
      browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
      });
      const ctx = await browser.newContext({ httpCredentials: creds, viewport: { width: 1366, height: 900 }, locale: "en-GB", timezoneId: "Europe/Zurich" });
      page = await ctx.newPage();

      // last month billed and issued through the Billing page (its confirmation), as an admin does it
      await page.goto(url("billing"));
      await until("the billing page", async () => /choose a period|invoice/i.test(await bodyText()));
      await page.waitForTimeout(1500);
      await button(/run draft/i).click();
      await until("the drafts", async () => ((await bodyText()).match(/\bdraft\b/g) ?? []).length >= 3, 60_000);
      await button(/issue all drafts/i).click();
      const d = edition === 2 ? page.locator(".zev-confirm") : page.locator("md-dialog");
      await d.waitFor({ state: "visible", timeout: 10_000 });
      await (edition === 2 ? page.locator(".zev-confirm-ok") : page.locator("md-dialog .md-confirm-button")).click();
      await until("the issued invoices", async () => /Issued 3 invoices/.test(await bodyText()), 60_000);
      const list = await runCliCaptured(["invoice", "list", "--db", db, "--community", "sonnenhof", "--json"]);
      assert.equal(list.code, 0, list.err);
      invoices = (JSON.parse(list.out) as InvoiceJson[]).filter((i) => i.status === "issued");
      assert.equal(invoices.length, 3);
      // the bank's notification: the first invoice paid by its QR reference, 25.00 with a reference nobody knows
      const camt = join(userDir, "bank.xml");
      writeFileSync(
        camt,
        buildCamt({
          version: "08",
          iban: "CH44 3199 9123 0008 8901 2",
          entries: [
            { amount: invoices[0]!.total, txs: [{ amount: invoices[0]!.total, refType: "QRR", ref: invoices[0]!.reference, debtor: "Erste Zahlerin" }] },
            { amount: "25.00", txs: [{ amount: "25.00", refType: "SCOR", ref: "RF18539007547034", debtor: "Zweiter Zahler" }] },
          ],
        }),
      );
      const imported = await runCliCaptured(["payments", "import", camt, "--db", db, "--community", "sonnenhof"]);
      assert.equal(imported.code, 0, imported.err);
      assert.match(imported.out, /1 matched, 1 unmatched/);
    });

    afterEach(async function () {
      if (this.currentTest?.state === "failed" && page)
        await page
          .screenshot({
            path: join(ARTIFACTS, `dashboard-${edition}-admin-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, "-")}.png`),
            fullPage: true,
          })
          .catch(() => undefined);
    });

    after(async () => {
      await browser?.close();
      if (child && child.exitCode === null) {
        const gone = new Promise((r) => child!.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child!.kill("SIGKILL"), 8000);
        await gone;
        clearTimeout(timer);
      }
      if (userDir) rmSync(userDir, { recursive: true, force: true });
      writeFileSync(join(ARTIFACTS, `dashboard-${edition}-admin.log`), out);
    });

    it("the Payments page shows the matched and the unmatched payment; assigning the unmatched one makes its invoice partly paid, and the audit log names who did it", async () => {
      await page.goto(url("payments"));
      await until("the payments", async () => /Zweiter Zahler/.test(await bodyText()));
      const text = await bodyText();
      const lines = await rows();
      assert.ok(
        lines.some((l) => /Erste Zahlerin/.test(l) && l.includes(invoices[0]!.number)),
        `the first payment is matched to ${invoices[0]!.number}:\n${text}`,
      );
      assert.ok(
        lines.some((l) => /Zweiter Zahler/.test(l) && /unmatched/.test(l) && /CHF 25\.00/.test(l)),
        `the second payment is unmatched:\n${text}`,
      );
      assert.match(text, /2 payment\(s\): 1 booked to an invoice, 1 unmatched, 0 flagged/);
      await shot("payments");
      await row(/Zweiter Zahler/);
      await until("the selected payment", async () => /Payment \d+: CHF 25\.00 from Zweiter Zahler/.test(await bodyText()));
      const target = invoices[1]!;
      await choose(/Invoice/, new RegExp(target.number));
      await button(/assign to the invoice/i).click();
      const asked = await confirm();
      assert.match(asked, new RegExp(`CHF 25\\.00 from Zweiter Zahler to invoice ${target.number}`), asked);
      await until("the assignment", async () => new RegExp(`assigned to invoice ${target.number}: now partly paid`).test(await bodyText()));
      await until("the invoice's payment status", async () => (await rows()).some((l) => l.includes(target.number) && /partly paid/.test(l)));
      await shot("payments-assigned");
      const store = SqliteStore.open(db);
      try {
        const entry = auditLog(store, "sonnenhof").find((a) => a.action === "payment.assigned");
        assert.ok(entry, "an audit entry");
        assert.equal(entry.actor, "node:zev-demo-billing user:dashboard");
        assert.equal((entry.details as { invoice: string }).invoice, target.number);
      } finally {
        store.close();
      }
    });

    it("the Portal page makes a link that opens the tenant's portal once shown; revoking it makes the portal refuse the link", async () => {
      await page.goto(url("portal"));
      await until("the portal page", async () => /No portal links yet|active link/.test(await bodyText()));
      await page.waitForTimeout(1000);
      await choose(/Tenancy/, /^1@2024-04-01/);
      await button(/create a link/i).click();
      const shown = edition === 2 ? page.locator(".zev-link").first() : page.locator("md-dialog").first();
      await shown.waitFor({ state: "visible", timeout: 15_000 });
      const shownText = edition === 2 ? await shown.locator("input").inputValue() : await shown.innerText();
      const link = /http:\/\/127\.0\.0\.1:\d+\/portal\/#t=[A-Za-z0-9_-]{43}/.exec(shownText)?.[0];
      assert.ok(link, shownText);
      assert.ok(link.startsWith(`${portal}/portal/`), link);
      await shot("portal-link");
      await (edition === 2 ? page.locator(".zev-link-close") : page.locator("md-dialog .md-confirm-button")).first().click();
      const token = link.split("#t=")[1]!;
      const view = (): Promise<Response> => fetch(`${portal}/portal/api/view`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal((await fetch(`${portal}/portal/`)).status, 200);
      assert.equal((await view()).status, 200, "the link opens the tenant's portal");
      // the list shows the link without its token
      await until("the link in the list", async () => /1 active link\(s\) of 1/.test(await bodyText()));
      // the dialog fades out (Dashboard 1's md-dialog animates): once it is gone the token is nowhere on the page
      await until("the token gone from the page once the dialog is closed", async () => !(await bodyText()).includes(token), 10_000);
      await row(/1@2024-04-01/);
      await until("the selected link", async () => /Selected: link \d+/.test(await bodyText()));
      await button(/revoke the selected link/i).click();
      const asked = await confirm();
      assert.match(asked, /stops working at once/, asked);
      await until("the revocation", async () => /Link \d+ revoked/.test(await bodyText()));
      assert.equal((await view()).status, 401, "a revoked link is refused");
      await shot("portal-revoked");
    });

    it("the Billing page lists a pending correction with its kWh and CHF difference once true values change an issued month", async () => {
      // a late true value: unit 1's first day of the billed month is more than what was billed
      const store = SqliteStore.open(db);
      try {
        const day = getInvoice(store, invoices[0]!.id)!.periodFrom;
        fillMeter(store, "sonnenhof", "unit-1", `${day}..${day}`, () => 900);
      } finally {
        store.close();
      }
      await page.goto(url("billing"));
      await until("the billing page", async () => /choose a period|invoice/i.test(await bodyText()));
      await button(/look for corrections/i).click();
      await until("the pending correction", async () => /issued invoice\(s\) differ from today's data/.test(await bodyText()), 60_000);
      const text = await bodyText();
      const line = (await rows()).find((l) => /CHF [+-]?\d/.test(l) && /\d+\.\d{3}/.test(l) && invoices.some((i) => l.includes(i.number)));
      assert.ok(line, `a correction line with kWh and CHF:\n${text}`);
      await shot("billing-corrections");
    });
  });
}
