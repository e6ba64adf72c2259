import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { CommunityDefinition } from "../../lib/community/types";
import type { CommunityConfig } from "../../nodes/zev-community/config";
import { communityConfig } from "../support/community-config";
import { startEditor, type Editor } from "../support/editor";
import { REPO_ROOT } from "../support/node-red-process";
import { requireTools } from "../support/system-tools";

/*
 * The zev-community dialog in a real Node-RED editor in headless Chromium,
 * its logic loaded from the package's resources/ (nodes/zev-community/editor,
 * docs/decisions/0095): a tenancy edited, units and tenancies imported from
 * CSV, the live check showing a problem (a click on it leads to the row) and
 * then none, Done, and the node as the editor and the deployed flow hold it.
 * A German editor shows the same dialog in German.
 */
const UNITS_CSV = "building;unit;label;floorArea\nA;2;Wohnung 2 (Attika);64\nA;3;Wohnung 3;55,5\n";
const TENANCIES_CSV = [
  "unit;name;street;buildingNumber;postalCode;town;country;email;language;from;to",
  "3;Carla Rossi;Seestrasse;5;6300;Zug;CH;carla@example.ch;it;2026-02-01;",
  "1;Beat Keller;Seestrasse;5;6300;Zug;CH;;de;2026-07-01;",
].join("\n");

type Red = {
  editor: { editConfig(name: string, type: string, id: string): void };
  nodes: { node(id: string): Record<string, unknown> | null; dirty(): boolean };
};

const catalog = (lang: string): { "zev-community": Record<string, Record<string, string>> } =>
  JSON.parse(readFileSync(join(REPO_ROOT, "nodes", "zev-community", "locales", lang, "zev-community.json"), "utf8"));

/** Opens the community's dialog as the pencil next to a config select does, and waits for its first check. */
async function openCommunity(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { RED: Red }).RED.editor.editConfig("", "zev-community", "c1"));
  await page.waitForSelector("#zev-community-tabs a[href='#zev-community-tab-tenancies']", { state: "visible", timeout: 30_000 });
  await page.waitForSelector("#zev-community-check-result.zev-ok, #zev-community-check-result.zev-bad", { timeout: 30_000 });
}

/** Clicks the check button and waits for the answer to that request and for the box to show it. */
async function runCheck(page: Page): Promise<{ sent: CommunityConfig; shown: string; ok: boolean }> {
  const request = page.waitForRequest((r) => r.url().endsWith("/zev-community/check") && r.method() === "POST", { timeout: 30_000 });
  await page.click("#zev-community-check-button");
  const req = await request;
  await (await req.response())?.finished();
  // runCheck empties the box's state before it sends, so the state that comes back is this request's answer
  await page.waitForFunction(
    () => {
      const box = document.querySelector("#zev-community-check-result");
      return !!box && (box.classList.contains("zev-ok") || box.classList.contains("zev-bad"));
    },
    undefined,
    { timeout: 30_000 },
  );
  const shown = ((await page.textContent("#zev-community-check-result")) ?? "").trim();
  const ok = await page.$eval("#zev-community-check-result", (el) => el.classList.contains("zev-ok"));
  return { sent: (req.postDataJSON() as { config: CommunityConfig }).config, shown, ok };
}

/** The community as `zev community show` prints it from the database, once `ready` holds (the runtime writes it on deploy). */
async function storedCommunity(db: string, ready: (def: CommunityDefinition) => boolean): Promise<CommunityDefinition> {
  const end = Date.now() + 30_000;
  let last: string;
  for (;;) {
    try {
      last = execFileSync(process.execPath, [join(REPO_ROOT, "dist", "bin", "zev.js"), "community", "show", "--db", db, "--community", "haus-am-see"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      const def = JSON.parse(last) as CommunityDefinition;
      if (ready(def)) return def;
    } catch (e) {
      last = String(e);
    }
    if (Date.now() > end) throw new Error(`the deployed community did not reach the database: ${last.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("zev-community editor dialog (headless Chromium)", function () {
  this.timeout(180_000);
  requireTools("chromium");
  let editor: Editor | undefined;
  let dir = "";
  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  before(async function () {
    this.timeout(90_000);
    // one Node-RED for both tests: its user dir lives as long as the describe
    dir = mkdtempSync(join(tmpdir(), "zev-community-editor-"));
    const flow = [
      { id: "t1", type: "tab", label: "ZEV" },
      { id: "n1", type: "comment", z: "t1", name: "community", x: 200, y: 80, wires: [] },
      communityConfig(join(dir, "zev.sqlite"), {
        units: [
          { building: "A", id: "1", label: "Wohnung 1", floorArea: "70" },
          { building: "A", id: "2", label: "Wohnung 2", floorArea: "60" },
        ],
      }),
    ];
    editor = await startEditor(dir, flow);
  });

  it("edits a tenancy, imports units and tenancies from CSV, shows the check's problems and then none, and saves the lists into the flow", async () => {
    const page = await editor!.open("en-US");
    const en = catalog("en-US")["zev-community"];
    try {
      await openCommunity(page);
      assert.equal(((await page.textContent("#zev-community-check-result")) ?? "").trim(), en.check!.ok, "the stored community passes the check");

      // a tenancy edited: a missing name is a problem the check names, with a link to its row
      await page.click("#zev-community-tabs a[href='#zev-community-tab-tenancies']");
      const firstName = page.locator("#zev-community-tenancies .zev-t-name").first();
      assert.equal(await firstName.inputValue(), "Anna Meier");
      await firstName.fill("");
      const bad = await runCheck(page);
      assert.equal(bad.ok, false);
      assert.equal(bad.sent.tenancies![0]!.name, "", "the check got the form as edited");
      assert.match(bad.shown, /1 problem\(s\):/);
      assert.match(bad.shown, /Tenancies · tenancies\[0\]\.tenant\.name: name is required/);
      await page.click("#zev-community-tabs a[href='#zev-community-tab-community']");
      await page.click("#zev-community-check-result a");
      assert.equal(await page.isVisible("#zev-community-tab-tenancies"), true, "the problem's link opens its tab");
      assert.equal(await page.locator("#zev-community-tenancies .zev-flash").count(), 1, "and marks its row");
      await firstName.fill("Anna Meier-Keller");
      await page.fill("#zev-community-tenancies .zev-t-to >> nth=0", "2026-06-30");

      // units.csv: unit 2 updated in place, unit 3 added
      await page.click("#zev-community-tabs a[href='#zev-community-tab-units']");
      await page.setInputFiles("#zev-community-units-file", { name: "units.csv", mimeType: "text/csv", buffer: Buffer.from(UNITS_CSV) });
      await page.waitForSelector(".red-ui-notification:has-text('2 unit(s) imported from units.csv')", { timeout: 30_000 });
      assert.deepEqual(await page.locator("#zev-community-units .zev-u-id").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), [
        "1",
        "2",
        "3",
      ]);
      assert.equal(await page.locator("#zev-community-units .zev-u-label").nth(1).inputValue(), "Wohnung 2 (Attika)");

      // tenancies.csv: two tenancies added, one in the unit the units import added
      await page.click("#zev-community-tabs a[href='#zev-community-tab-tenancies']");
      await page.setInputFiles("#zev-community-tenancies-file", { name: "tenancies.csv", mimeType: "text/csv", buffer: Buffer.from(TENANCIES_CSV) });
      await page.waitForSelector(".red-ui-notification:has-text('2 tenancy(ies) imported from tenancies.csv')", { timeout: 30_000 });
      assert.equal(await page.locator("#zev-community-tenancies .zev-t-name").count(), 3);
      assert.equal(await page.locator("#zev-community-tenancies .zev-t-unit").nth(1).inputValue(), "3");

      const good = await runCheck(page);
      assert.equal(good.shown, en.check!.ok);
      assert.equal(good.ok, true);
      assert.equal(good.sent.tenancies!.length, 3);

      await page.click("#node-config-dialog-ok");
      await page.waitForSelector("#zev-community-editor", { state: "detached", timeout: 30_000 });
      const held = await page.evaluate(() => (window as unknown as { RED: Red }).RED.nodes.node("c1"));
      assert.ok(held);
      const expectTenancies = [
        { unit: "1", name: "Anna Meier-Keller", to: "2026-06-30", from: "2026-01-01" },
        { unit: "3", name: "Carla Rossi", to: "", from: "2026-02-01", language: "it", email: "carla@example.ch" },
        { unit: "1", name: "Beat Keller", to: "", from: "2026-07-01", language: "de" },
      ];
      const pick = (ts: unknown): unknown[] =>
        (ts as Record<string, unknown>[]).map((t, i) => Object.fromEntries(Object.keys(expectTenancies[i]!).map((k) => [k, t[k]])));
      assert.deepEqual(pick(held.tenancies), expectTenancies, "the editor holds the edited and imported tenancies");

      // deployed: the admin API's flow has the same lists
      const deployed = page.waitForResponse((r) => r.url().endsWith("/flows") && r.request().method() === "POST", { timeout: 30_000 });
      await page.click("#red-ui-header-button-deploy");
      assert.equal((await deployed).status(), 200);
      const flows = (await (await fetch(`${editor!.base}/flows`, { headers: { "Node-RED-API-Version": "v1" } })).json()) as Record<string, unknown>[];
      const saved = flows.find((n) => n.id === "c1") as unknown as CommunityConfig;
      assert.deepEqual(pick(saved.tenancies), expectTenancies);
      assert.deepEqual(saved.units, [
        { building: "A", id: "1", label: "Wohnung 1", floorArea: 70 },
        { building: "A", id: "2", label: "Wohnung 2 (Attika)", floorArea: 64 },
        { building: "A", id: "3", label: "Wohnung 3", floorArea: 55.5 },
      ]);
      assert.equal(saved.communityId, "haus-am-see", "the simple fields stay as they were");
      assert.equal(saved.minCoveragePercent, "95");
      // the runtime took the saved community: its database holds the edited and imported tenancies
      const stored = await storedCommunity(join(dir, "zev.sqlite"), (def) => def.tenancies.length === 3);
      assert.deepEqual(
        stored.tenancies.map((t) => [t.unit, t.tenant.name, t.from, t.to ?? ""]),
        expectTenancies.map((t) => [t.unit, t.name, t.from, t.to]),
      );
    } finally {
      await page.context().close();
    }
  });

  it("adds a building charge and a one-off tenancy charge on the Tariffs tab, names a wrong amount, keeps a stored charge's labels and deploys them", async () => {
    const page = await editor!.open("en-US");
    try {
      // a charge as a flow imported from a community file holds it, with labels the dialog does not show
      const storedCharge = {
        id: "meter-rent",
        label: "Zählermiete",
        labels: { fr: "Location du compteur" },
        amount: "4.50",
        rhythm: "monthly",
        from: "2026-01-01",
        scope: "community",
      };
      await page.evaluate((c) => {
        (window as unknown as { RED: Red }).RED.nodes.node("c1")!.charges = [c];
      }, storedCharge);
      await openCommunity(page);
      await page.click("#zev-community-tabs a[href='#zev-community-tab-tariffs']");
      const rows = page.locator("#zev-community-charges > li");
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.nth(0).locator(".zev-ch-label").inputValue(), "Zählermiete");
      assert.equal(await rows.nth(0).locator(".zev-ch-building").isVisible(), false, "a community charge shows no building");

      const addButton = page.locator("#zev-community-tab-tariffs .red-ui-editableList:has(#zev-community-charges) > button.red-ui-editableList-addButton");
      // a quarterly service fee for the units of building A
      await addButton.click();
      const service = rows.nth(1);
      await service.locator(".zev-ch-id").fill("service");
      await service.locator(".zev-ch-label").fill("Service fee");
      await service.locator(".zev-ch-amount").fill("20,00");
      await service.locator(".zev-ch-rhythm").selectOption("quarterly");
      await service.locator(".zev-ch-from").fill("2026-01-01");
      await service.locator(".zev-ch-scope").selectOption("building");
      await service.locator(".zev-ch-building").focus();
      await service.locator(".zev-ch-building").selectOption("A");
      // a one-off connection charge for Anna Meier-Keller's tenancy (its id: unit@from), with a mistyped amount
      await addButton.click();
      const connect = rows.nth(2);
      await connect.locator(".zev-ch-id").fill("connect");
      await connect.locator(".zev-ch-label").fill("Connection charge");
      await connect.locator(".zev-ch-amount").fill("150 CHF");
      await connect.locator(".zev-ch-rhythm").selectOption("once");
      assert.equal(await connect.locator(".zev-ch-to").isVisible(), false, "a one-off charge has no last day");
      await connect.locator(".zev-ch-from").fill("2026-03-01");
      await connect.locator(".zev-ch-scope").selectOption("tenancy");
      await connect.locator(".zev-ch-tenancy").focus();
      await connect.locator(".zev-ch-tenancy").selectOption("1@2026-01-01");

      const bad = await runCheck(page);
      assert.equal(bad.ok, false);
      assert.match(bad.shown, /Tariffs · charges\[2\]\.amount: amount must be a sum such as "5\.00"/);
      await connect.locator(".zev-ch-amount").fill("150.00");
      const good = await runCheck(page);
      assert.equal(good.shown, catalog("en-US")["zev-community"].check!.ok);

      await page.click("#node-config-dialog-ok");
      await page.waitForSelector("#zev-community-editor", { state: "detached", timeout: 30_000 });
      const expected = [
        storedCharge,
        { id: "service", label: "Service fee", amount: "20.00", rhythm: "quarterly", from: "2026-01-01", scope: "building", building: "A" },
        { id: "connect", label: "Connection charge", amount: "150.00", rhythm: "once", from: "2026-03-01", scope: "tenancy", tenancy: "1@2026-01-01" },
      ];
      const held = await page.evaluate(() => (window as unknown as { RED: Red }).RED.nodes.node("c1")!.charges);
      assert.deepEqual(held, expected, "the editor holds the charges, the stored one with its labels");

      const deployed = page.waitForResponse((r) => r.url().endsWith("/flows") && r.request().method() === "POST", { timeout: 30_000 });
      await page.click("#red-ui-header-button-deploy");
      assert.equal((await deployed).status(), 200);
      const stored = await storedCommunity(join(dir, "zev.sqlite"), (def) => (def.charges ?? []).length === 3);
      assert.deepEqual(
        stored.charges!.map((c) => [c.id, c.amount, c.rhythm, c.scope, c.building ?? c.tenancy ?? ""]),
        [
          ["meter-rent", "4.50", "monthly", "community", ""],
          ["service", "20.00", "quarterly", "building", "A"],
          ["connect", "150.00", "once", "tenancy", "1@2026-01-01"],
        ],
      );
      assert.deepEqual(stored.charges![0]!.labels, { fr: "Location du compteur" });
    } finally {
      await page.context().close();
    }
  });

  it("shows the dialog and the check in German in a German editor", async () => {
    const page = await editor!.open("de");
    const de = catalog("de")["zev-community"];
    try {
      await openCommunity(page);
      assert.equal(((await page.textContent("#zev-community-tabs a[href='#zev-community-tab-tenancies']")) ?? "").trim(), de.tabs!.tenancies);
      assert.equal(await page.getAttribute("#zev-community-tenancies .zev-t-name >> nth=0", "placeholder"), de.placeholder!.tenantName);
      const { shown } = await runCheck(page);
      assert.equal(shown, de.check!.ok);
      await page.click("#node-config-dialog-cancel");
      await page.waitForSelector("#zev-community-editor", { state: "detached", timeout: 30_000 });
    } finally {
      await page.context().close();
    }
  });
});
