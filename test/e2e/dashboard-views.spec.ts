import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { freePort, REPO_ROOT } from "../support/node-red-process";
import { requireTools } from "../support/system-tools";

/*
 * Both dashboard tabs as an admin sees them, on the demo (scripts/start.mjs,
 * free ports): every page at 1366x768 and at 390x844, with assertions on
 * what is visible: no text cut by its box or its card, no page wider than the
 * screen, numbers in Swiss formats, chart labels in Zurich time for a
 * browser in New York without repeats, the confirmation before invoices are
 * issued (cancel issues nothing), the active charging mode marked.
 * Screenshots of every page at both sizes go to test-artifacts/e2e/.
 */
const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "e2e");
const SIZES = [
  { name: "1366", width: 1366, height: 768 },
  { name: "390", width: 390, height: 844 },
] as const;
const PAGES = ["live", "units", "chargers", "data", "billing", "payments", "portal"] as const;
type PageName = (typeof PAGES)[number];

/** Runs in the page: every text that is cut (by a box that hides overflow, by its card, by the screen). */
function clippedTexts(): string[] {
  const bad: string[] = [];
  const cards = Array.from(document.querySelectorAll(".nrdb-ui-group, ui-card-panel, .nr-dashboard-cardpanel"));
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? "").trim();
    const el = n.parentElement;
    if (!text || !el || seen.has(el)) continue;
    seen.add(el);
    const card = cards.find((c) => c.contains(el));
    if (!card || el.closest("script, style, canvas, svg, .v-overlay, md-dialog, .v-field__outline, label, .v-label")) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || el.getClientRects().length === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const what = `"${text.slice(0, 60)}" (${el.tagName.toLowerCase()}.${Array.from(el.classList).join(".")})`;
    // ancestors that cut what overflows them (a box that scrolls is not a cut: its content can be reached)
    let scrolls = false;
    for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      const ar = a.getBoundingClientRect();
      if (s.overflowX === "auto" || s.overflowX === "scroll") scrolls = true;
      const cutX = !scrolls && (s.overflowX === "hidden" || s.overflowX === "clip");
      const cutY = s.overflowY === "hidden" || s.overflowY === "clip";
      if (cutX && (r.left < ar.left - 1 || r.right > ar.right + 1))
        bad.push(`${what} cut sideways by ${a.tagName.toLowerCase()}.${Array.from(a.classList).join(".")}`);
      if (cutY && (r.top < ar.top - 1 || r.bottom > ar.bottom + 1))
        bad.push(`${what} cut at the bottom by ${a.tagName.toLowerCase()}.${Array.from(a.classList).join(".")}`);
      if (a === card) break;
    }
    if (!scrolls) {
      const cr = card.getBoundingClientRect();
      if (r.left < cr.left - 1 || r.right > cr.right + 1) bad.push(`${what} outside its card`);
      if (r.right > window.innerWidth + 1) bad.push(`${what} beyond the screen's edge`);
    }
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !scrolls && style.overflowX !== "visible") bad.push(`${what} wider than its box`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    bad.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${window.innerWidth} px screen`);
  return [...new Set(bad)];
}

/** Runs in the page: tables wider than their box scroll, and on a phone say so under them. */
function tableScrollProblems(): string[] {
  const bad: string[] = [];
  for (const t of Array.from(document.querySelectorAll("table"))) {
    const box = t.parentElement!;
    if (t.getClientRects().length === 0) continue;
    if (t.getBoundingClientRect().width <= box.getBoundingClientRect().width + 1) continue;
    const s = getComputedStyle(box);
    if (s.overflowX !== "auto" && s.overflowX !== "scroll") bad.push(`a table wider than its box that does not scroll (${box.className})`);
    const card = box.closest(".nrdb-ui-group, ui-card-panel, .nr-dashboard-cardpanel");
    const hint = Array.from(card?.querySelectorAll(".zev-scroll-hint, .zev-hint") ?? []).some(
      (h) => h.getClientRects().length > 0 && (h.textContent ?? "").includes("→"),
    );
    if (!hint) bad.push(`a table wider than the screen without a hint that it scrolls (${box.className})`);
  }
  return bad;
}

/** Runs in the page: the cells made of a number, and the ones not in Swiss format (1'234.5, CHF 1'234.50). */
function numberCells(): { numbers: string[]; wrong: string[] } {
  const numbers: string[] = [];
  const wrong: string[] = [];
  for (const td of Array.from(document.querySelectorAll("td, .nrdb-ui-text-value, ui-card-panel p, .nr-dashboard-text p"))) {
    for (const part of (td.textContent ?? "").split(/[·(),]\s|\s[–-]\s/)) {
      const v = part.trim().replace(/\s*(kWh|kW|W|%)$/, "");
      if (!/^(CHF )?-?[\d'.,]+$/.test(v) || /^\d{4}-/.test(v)) continue;
      numbers.push(v);
      if (!/^(CHF )?-?\d{1,3}('\d{3})*(\.\d+)?$/.test(v) || (v.startsWith("CHF") && !/\.\d{2}$/.test(v))) wrong.push(v);
    }
  }
  return { numbers, wrong };
}

for (const edition of [2, 1] as const) {
  describe(`dashboard ${edition} as an admin sees it, at 1366x768 and 390x844 (the demo in headless Chromium)`, function () {
    this.timeout(400_000);
    requireTools("chromium");
    let child: ChildProcess | undefined;
    let out = "";
    let userDir = "";
    let base = "";
    let browser: Browser | undefined;
    let ctx: BrowserContext;
    let page: Page;
    const problems: string[] = [];

    const until = async (what: string, cond: () => Promise<boolean>, ms = 30_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await cond().catch(() => false))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    const url = (p: PageName): string => (edition === 2 ? `${base}/dashboard/${p}` : `${base}/ui/#!/${PAGES.indexOf(p)}`);
    const bodyText = (): Promise<string> => page.evaluate(() => document.body.innerText);
    /** Opens a page and waits for what it shows once its data is in. */
    const open = async (p: PageName): Promise<void> => {
      await page.goto(url(p));
      const ready: Record<PageName, RegExp> = {
        live: /\d+ %/,
        units: /CHF \d/,
        chargers: /kWh/,
        data: /\d+ s\b/,
        billing: /choose a period|invoice/i,
        payments: /payment\(s\)|No payments yet/,
        portal: /No portal links yet|active link/,
      };
      await until(`the ${p} page's data`, async () => ready[p].test(await bodyText()));
      if (p === "live") await until("the day's totals", async () => /\d kWh/.test(await bodyText()));
      await page.waitForTimeout(1500);
    };
    const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `dashboard-${edition}-${name}.png`), fullPage: true });

    before(async function () {
      if (!existsSync(join(REPO_ROOT, "dist", "lib", "simulator", "backfill.js"))) execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
      mkdirSync(ARTIFACTS, { recursive: true });
      userDir = mkdtempSync(join(tmpdir(), `zev-e2e-d${edition}-`));
      const [port, modbusPort, udpPort] = [await freePort(), await freePort(), await freePort()];
      base = `http://127.0.0.1:${port}`;
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
        "--dashboard",
        String(edition),
      ];
      child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      const exited = new Promise<never>((_, reject) => child!.once("exit", (code) => reject(new Error(`the demo exited with ${code}:\n${out}`))));
      await Promise.race([until("Node-RED's flows", async () => /Started flows/.test(out), 90_000), exited]);
      const creds = JSON.parse(readFileSync(join(userDir, "demo-secrets.json"), "utf8")) as { username: string; password: string };
      browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
      });
      // an admin travelling: the browser in New York, the community in Zurich
      ctx = await browser.newContext({ httpCredentials: creds, viewport: { width: 1366, height: 768 }, locale: "en-GB", timezoneId: "America/New_York" });
      // Dashboard 2 keeps its chart components reachable for tests (window.uiCharts) when it sees Cypress
      await ctx.addInitScript(() => ((window as unknown as { Cypress: unknown }).Cypress = {}));
      page = await ctx.newPage();
    });

    afterEach(async function () {
      if (this.currentTest?.state === "failed" && page)
        await page
          .screenshot({ path: join(ARTIFACTS, `dashboard-${edition}-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, "-")}.png`), fullPage: true })
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
      writeFileSync(join(ARTIFACTS, `dashboard-${edition}.log`), out);
    });

    it("the confirmation before issuing names the count and the total; cancel issues nothing; confirmed, the drafts are issued", async () => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await open("billing");
      await page
        .getByText(/run draft/i)
        .first()
        .click();
      await until("the drafts", async () => ((await bodyText()).match(/\bdraft\b/g) ?? []).length >= 3);
      await page
        .getByText(/issue all drafts/i)
        .first()
        .click();
      const dialog = edition === 2 ? page.locator(".zev-confirm") : page.locator("md-dialog");
      await dialog.waitFor({ state: "visible", timeout: 10_000 });
      const asked = (await dialog.innerText()).replace(/\s+/g, " ");
      assert.match(asked, /3 invoice\(s\) for 20\d\d-\d\d-01 – 20\d\d-\d\d-\d\d, total CHF \d{1,3}('\d{3})*\.\d{2}/, asked);
      await shot("billing-confirm");
      await (edition === 2 ? page.locator(".zev-confirm-cancel") : page.locator("md-dialog .md-cancel-button")).click();
      await until("the answer to cancel", async () => /Nothing issued/.test(await bodyText()));
      await page.waitForTimeout(3000);
      assert.doesNotMatch(await bodyText(), /\d{4}-\d{4}/, "no invoice number was given");
      await page
        .getByText(/issue all drafts/i)
        .first()
        .click();
      await dialog.waitFor({ state: "visible", timeout: 10_000 });
      await (edition === 2 ? page.locator(".zev-confirm-ok") : page.locator("md-dialog .md-confirm-button")).click();
      await until("the issued invoices", async () => /Issued 3 invoices: \d{4}-0001, \d{4}-0002, \d{4}-0003/.test(await bodyText()));
    });

    it("the charger's mode buttons mark the mode in force", async () => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await open("chargers");
      const buttons = page.locator(edition === 2 ? ".nrdb-ui-button button" : "ui-card-panel button");
      await until("the buttons' labels", async () => (await buttons.allInnerTexts()).some((t) => /active/i.test(t)));
      const before = await buttons.allInnerTexts();
      const active = before.filter((t) => /active/i.test(t));
      assert.equal(active.length, 1, before.join(" | "));
      const other = before.find((t) => /switch to/i.test(t))!;
      await buttons
        .filter({ hasText: /switch to/i })
        .first()
        .click();
      const target = /priority/i.test(other) ? /priority/i : /normal/i;
      await until("the other button marked", async () => (await buttons.allInnerTexts()).some((t) => /active/i.test(t) && target.test(t)));
      assert.equal((await buttons.allInnerTexts()).filter((t) => /active/i.test(t)).length, 1);
    });

    if (edition === 2) {
      it("charts in Zurich time for a browser in New York, labels once each, midnight as 00:00", async () => {
        await page.setViewportSize({ width: 1366, height: 768 });
        await open("live");
        await page.waitForTimeout(25_000); // a few live points
        const axes = await page.evaluate(() => {
          const charts = (
            window as unknown as {
              uiCharts: Record<
                string,
                {
                  chart: {
                    getModel(): {
                      getComponent(
                        t: string,
                        i: number,
                      ): { axis: { getViewLabels(): { formattedLabel: string; tickValue: number }[]; scale: { getExtent(): number[] } } };
                    };
                  };
                }
              >;
            }
          ).uiCharts;
          return Object.fromEntries(
            Object.entries(charts).map(([id, c]) => {
              const axis = c.chart.getModel().getComponent("xAxis", 0).axis;
              return [id, { labels: axis.getViewLabels().map((l) => [l.formattedLabel, l.tickValue]), extent: axis.scale.getExtent() }];
            }),
          );
        });
        const zurichNow = new Date().toLocaleTimeString("en-GB", { timeZone: "Europe/Zurich", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
        for (const id of ["zd2-livechart", "zd2-daycons", "zd2-dayprod"]) {
          const a = axes[id]!;
          const labels = a.labels.map(([l]) => String(l));
          assert.ok(labels.length >= (id === "zd2-livechart" ? 1 : 4), `${id}: ${labels.join(" ")}`);
          assert.equal(new Set(labels).size, labels.length, `${id}: a label repeats: ${labels.join(" ")}`);
          for (const [l, v] of a.labels) {
            assert.match(String(l), /^\d\d:\d\d(:\d\d)?$/, `${id}: a time, never a date: ${labels.join(" ")}`);
            if (Number.isFinite(Number(v)))
              assert.equal(l, new Date(Number(v)).toISOString().slice(11, String(l).length === 8 ? 19 : 16), `${id}: drawn in the community's wall time`);
          }
        }
        // the live chart's last point is now, in Zurich (not New York) time
        const points = (await (await ctx.request.get(`${base}/dashboard/_debug/datastore/zd2-livechart`)).json()) as { payload: { x: number } }[];
        const end = new Date(Math.max(...points.map((p) => p.payload.x))).toISOString().slice(11, 16);
        const minutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
        const near = (a: string, b: string): boolean => Math.abs(minutes(a) - minutes(b)) <= 3 || Math.abs(minutes(a) - minutes(b)) >= 1437;
        assert.ok(near(end, zurichNow), `live chart ends ${end}, Zurich is ${zurichNow}`);
        // and what the axis shows is Zurich's time too, not the browser's (New York, 6 hours behind)
        const shown = axes["zd2-livechart"]!.labels.map(([l]) => String(l).slice(0, 5)).at(-1)!;
        assert.ok(near(shown, zurichNow), `the live axis shows ${shown}, Zurich is ${zurichNow}`);
        // the day starts at midnight: 00:00 on the axis
        assert.ok(
          axes["zd2-daycons"]!.labels.some(([l]) => l === "00:00"),
          axes["zd2-daycons"]!.labels.map(([l]) => l).join(" "),
        );
      });
    }

    it("every page at both sizes: no text cut, no page wider than the screen, tables that scroll say so, numbers in Swiss formats", async () => {
      const numbers: string[] = [];
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        for (const p of PAGES) {
          await open(p);
          if (edition === 2) await shot(`${p}-${size.name}`);
          for (const b of await page.evaluate(clippedTexts)) problems.push(`${p} at ${size.name} px: ${b}`);
          for (const b of await page.evaluate(tableScrollProblems)) problems.push(`${p} at ${size.name} px: ${b}`);
          const n = await page.evaluate(numberCells);
          numbers.push(...n.numbers);
          for (const v of n.wrong) problems.push(`${p} at ${size.name} px: "${v}" is not in Swiss format`);
          if (edition === 1) {
            // Dashboard 1 scrolls inside its content box: unfold it so that the screenshot shows the whole page
            await page.evaluate(() => {
              for (const e of Array.from(document.querySelectorAll("md-content, body, html, [ng-view], #Tab_content")))
                Object.assign((e as HTMLElement).style, { overflow: "visible", height: "auto", maxHeight: "none" });
            });
            await page.waitForTimeout(500);
            await shot(`${p}-${size.name}`);
          }
        }
      }
      writeFileSync(join(ARTIFACTS, `dashboard-${edition}-problems.txt`), problems.join("\n"));
      assert.deepEqual(problems, []);
      assert.ok(
        numbers.some((v) => v.startsWith("CHF ")),
        "amounts are shown",
      );
      assert.ok(numbers.length > 30, `numbers are shown: ${numbers.length}`);
    });
  });
}
