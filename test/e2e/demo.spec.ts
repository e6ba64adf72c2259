import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { currentMode, type MachineState } from "../../lib/charging/session-machine";
import { loadChargerState } from "../../lib/store/charger-session-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { freePort, REPO_ROOT } from "../support/node-red-process";
import { requireTools } from "../support/system-tools";

/*
 * The README's main command, end to end: scripts/start.mjs with a temp user
 * dir and free ports (simulator, history, Node-RED with the demo flow), the
 * dashboard in headless Chromium behind httpNodeAuth, a charger mode switch,
 * a billing draft issued from the dashboard and its PDF downloaded through
 * the authenticated route. Screenshots go to test-artifacts/e2e/.
 */
const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "e2e");
const W = (name: string): string => `#nrdb-ui-widget-zd2-${name}`;

describe("demo end to end: npm start, the dashboard in headless Chromium", function () {
  this.timeout(150_000);
  requireTools("chromium");
  let child: ChildProcess | undefined;
  let out = "";
  let userDir = "";
  let base = "";
  let creds = { username: "", password: "" };
  let browser: Browser | undefined;
  let ctx: BrowserContext;
  let page: Page;

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const text = async (name: string): Promise<string> => (await page.textContent(`${W(name)} .nrdb-ui-text-value`))?.trim() ?? "";
  const until = async (what: string, cond: () => Promise<boolean>, ms = 20_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  before(async function () {
    if (!existsSync(join(REPO_ROOT, "dist", "lib", "simulator", "backfill.js"))) execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
    mkdirSync(ARTIFACTS, { recursive: true });
    userDir = mkdtempSync(join(tmpdir(), "zev-e2e-"));
    const [port, modbusPort, udpPort] = [await freePort(), await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "scripts", "start.mjs"),
        "--user-dir",
        userDir,
        "--port",
        String(port),
        "--modbus-port",
        String(modbusPort),
        "--udp-port",
        String(udpPort),
      ],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<never>((_, reject) => child!.once("exit", (code) => reject(new Error(`the demo exited with ${code}:\n${out}`))));
    await Promise.race([until("Node-RED's flows", async () => /Started flows/.test(out), 60_000), exited]);
    creds = JSON.parse(readFileSync(join(userDir, "demo-secrets.json"), "utf8")) as typeof creds;
    assert.match(out, new RegExp(`login: +${creds.username} / ${creds.password}`), "the credentials are printed");
    assert.match(out, /history: \d+ simulated readings through the ingest path/);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    // an admin in Switzerland: charts in local time
    ctx = await browser.newContext({
      httpCredentials: creds,
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
      locale: "en-GB",
      timezoneId: "Europe/Zurich",
    });
    page = await ctx.newPage();
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
    writeFileSync(join(ARTIFACTS, "demo.log"), out);
  });

  it("listens on loopback only and refuses the dashboard, its socket and the editor without credentials", async () => {
    assert.equal((await fetch(`${base}/dashboard`)).status, 401);
    assert.equal(
      (await fetch(`${base}/dashboard`, { headers: { Authorization: `Basic ${Buffer.from(`${creds.username}:wrong`).toString("base64")}` } })).status,
      401,
    );
    // socket.io: the handshake opens, but the dashboard's namespace refuses a client without credentials
    const hs = await (await fetch(`${base}/dashboard/socket.io/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(hs.slice(1)) as { sid: string }).sid;
    await fetch(`${base}/dashboard/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "40" });
    const answer = await (await fetch(`${base}/dashboard/socket.io/?EIO=4&transport=polling&sid=${sid}`)).text();
    assert.match(answer, /^44.*authentication required/);
    assert.equal((await fetch(`${base}/flows`)).status, 401, "the admin API needs a login");
    assert.match(out, new RegExp(`Server now running at ${base.replace(/\./g, "\\.")}/`));
  });

  it("shows live values that move, and charts with data", async () => {
    await page.goto(`${base}/dashboard/live`);
    await page.waitForSelector(`${W("consumption")} .nrdb-ui-text-value:has-text("W")`, { timeout: 20_000 });
    const first = [await text("production"), await text("consumption"), await text("grid"), await text("battery")].join(" | ");
    let now = first;
    await until("a live value to change", async () => {
      now = [await text("production"), await text("consumption"), await text("grid"), await text("battery")].join(" | ");
      return now !== first;
    });
    assert.match(await text("selfsufficiency"), /\d+ %/);
    // the charts' data as the dashboard holds it (Dashboard 2's datastore, behind the same credentials)
    const points = async (id: string): Promise<{ payload: { x: number; y: number; s: string } }[]> =>
      (await (await ctx.request.get(`${base}/dashboard/_debug/datastore/zd2-${id}`)).json()) as never;
    // today's quarter hours (none are closed in the first quarter hour after midnight)
    const [hh, mm] = new Date()
      .toLocaleTimeString("en-GB", { timeZone: "Europe/Zurich", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .split(":")
      .map(Number);
    const minutesToday = hh! * 60 + mm!;
    if (minutesToday >= 30) {
      await until("today's charts", async () => (await points("daycons")).length > 0 && (await points("dayprod")).length > 0);
      const day = await points("daycons");
      assert.deepEqual([...new Set(day.map((p) => p.payload.s))].sort(), ["Battery", "Grid", "Solar"]);
      assert.ok(
        day.some((p) => p.payload.y > 0),
        "consumption in the quarter hours of today",
      );
    }
    await until("the live chart", async () => (await points("livechart")).length >= 6);
    assert.ok((await page.locator(`${W("daycons")} canvas`).count()) > 0, "the chart is drawn");
    assert.match(await text("daytotals"), /consumption \d+\.\d kWh/);
    await shot("live");
    // another day: yesterday's full 96 quarter hours
    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Zurich" });
    await page.fill(`${W("day")} input`, yesterday);
    await page.press(`${W("day")} input`, "Enter");
    await until("yesterday's series", async () => (await text("daytotals")).startsWith(yesterday));
    await until("yesterday's points", async () => new Set((await points("dayprod")).map((p) => p.payload.x)).size >= 92);
    const cons = await points("daycons");
    assert.deepEqual([...new Set(cons.map((p) => p.payload.s))].sort(), ["Battery", "Grid", "Solar"]);
    const perQuarter = new Map<number, number>();
    for (const p of cons) perQuarter.set(p.payload.x, (perQuarter.get(p.payload.x) ?? 0) + p.payload.y);
    assert.ok(
      [...perQuarter.values()].every((kwh) => kwh > 0),
      "every quarter hour of yesterday has consumption",
    );
    assert.ok(
      (await points("dayprod")).some((p) => p.payload.y > 0),
      "the sun shone yesterday",
    );
    await shot("live-yesterday");
  });

  it("per unit: this month so far and the previous month, with the estimated cost from billing", async () => {
    await page.goto(`${base}/dashboard/units`);
    await until(
      "the unit tables",
      async () => (await page.locator(`${W("monthtable")} tbody tr`).count()) === 3 && (await page.locator(`${W("periodtable")} tbody tr`).count()) === 3,
    );
    const rows = await page.locator(`${W("periodtable")} tbody tr`).allTextContents();
    for (const r of rows) assert.match(r, /CHF \d+\.\d{2}/);
    for (const r of await page.locator(`${W("periodtable")} tbody tr`).all())
      assert.ok(((await r.locator("td").nth(1).textContent()) ?? "").trim().length > 0, "who is billed");
    assert.match(await text("periodnote"), /^\d{4}-\d{2} up to \d{4}-\d{2}-\d{2}: CHF \d+\.\d{2}/);
    await shot("units");
  });

  it("data health: every meter with its last reading and quality", async () => {
    await page.goto(`${base}/dashboard/data`);
    await until("the meter table", async () => (await page.locator(`${W("meters")} tbody tr`).count()) === 8);
    const rows = await page.locator(`${W("meters")} tbody tr`).allTextContents();
    assert.ok(
      rows.every((r) => /\d+ s/.test(r)),
      rows.join("\n"),
    );
    await shot("data");
  });

  it("switches the charger's mode from the dashboard: the node and the dashboard agree", async () => {
    await page.goto(`${base}/dashboard/chargers`);
    await until("the charger", async () => /\w/.test(await text("mode")) && (await text("carstate")) !== "");
    const before = await text("mode");
    const target = before.startsWith("priority") ? "normal" : "priority";
    await page.click(`${W(target)} button`);
    await until(`mode ${target} on the dashboard`, async () => (await text("mode")).startsWith(target));
    // the node keeps the mode in force in its state in the database
    const store = SqliteStore.open(join(userDir, "zev", "sonnenhof.sqlite"), { readonly: true });
    try {
      assert.equal(currentMode(loadChargerState(store, "sonnenhof", "charger-1") as MachineState), target);
    } finally {
      store.close();
    }
    assert.ok((await page.locator(`${W("recent")} tbody tr`).count()) > 3, "recent sessions");
    await shot("chargers");
  });

  it("runs a draft for the previous month, issues it, and downloads a PDF only with credentials", async () => {
    await page.goto(`${base}/dashboard/billing`);
    await until("the billing page", async () => (await text("billstatus")) !== "");
    await page.click(`${W("rundraft")} button`);
    await until("the draft run", async () => /: \d+ invoice\(s\): \d+ created/.test(await text("billstatus")));
    await until(
      "the drafts in the table",
      async () => (await page.locator(`${W("invoices")} tbody tr`).allTextContents()).filter((r) => /draft/.test(r)).length >= 3,
    );
    await shot("billing-drafts");
    // review: a draft's PDF (with watermark) through the authenticated route
    const [draftPdf] = await Promise.all([page.waitForEvent("download"), page.click(`${W("invoices")} tbody tr >> nth=0 >> a`)]);
    assert.equal(
      readFileSync((await draftPdf.path())!)
        .subarray(0, 5)
        .toString(),
      "%PDF-",
    );
    await page.click(`${W("issueall")} button`);
    // issuing gives numbers for good: the dashboard asks first (test/e2e/dashboard-views.spec.ts checks the question)
    await page.click(".zev-confirm-ok");
    await until("the issued invoices", async () => /^Issued \d+ invoices: \d{4}-\d{4}/.test(await text("billstatus")));
    const rows = await page.locator(`${W("invoices")} tbody tr`).allTextContents();
    assert.ok(rows.length >= 3 && rows.every((r) => /\d{4}-\d{4}.*issued/.test(r)), rows.join("\n"));
    await shot("billing-issued");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`${W("invoices")} tbody tr >> nth=0 >> a`)]);
    assert.match(download.suggestedFilename(), /^\d{4}-0001_unit-\d_.+\.pdf$/);
    const pdf = readFileSync((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    writeFileSync(join(ARTIFACTS, download.suggestedFilename()), pdf);
    const href = await page.locator(`${W("invoices")} tbody tr >> nth=0 >> a`).getAttribute("href");
    assert.match(href!, /^\/zev\/invoices\/\d+\.pdf$/);
    assert.equal((await fetch(`${base}${href}`)).status, 401, "no PDF without credentials");
    const withAuth = await fetch(`${base}${href}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}` },
    });
    assert.equal(withAuth.status, 200);
    assert.equal(withAuth.headers.get("content-type"), "application/pdf");
    assert.equal(
      (
        await fetch(`${base}/zev/invoices/99999.pdf`, {
          headers: { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}` },
        })
      ).status,
      404,
    );
  });
});
