import bcrypt from "bcryptjs";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cancelEdit, editNode, startEditor, type Editor } from "../support/editor";
import { FakeMiniserver } from "../support/fake-miniserver";
import { freePort, REPO_ROOT, startNodeRedProcess, type NodeRedProcess } from "../support/node-red-process";
import { requireTools } from "../support/system-tools";
import { useTmpDir } from "../support/tmp";
import { SAMPLE_STRUCTURE } from "../unit/devices/loxone/structure.spec";

/*
 * Names from the Miniserver's structure file in the edit dialogs of
 * zev-meter-in (Loxone HTTP) and the charger (Loxone Wallbox), in a real
 * Node-RED editor in headless Chromium, read from a fake Miniserver on
 * 127.0.0.1 through the runtime's admin endpoint with the deployed config
 * node's credentials. Typing any other name stays possible.
 */
describe("Loxone block names from the Miniserver in the editor (headless Chromium)", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-lx-names-");
  requireTools("chromium");
  let editor: Editor | undefined;
  let ms: FakeMiniserver | undefined;
  let secured: NodeRedProcess | undefined;
  after(async () => {
    await editor?.close();
    await ms?.stop();
    await secured?.stop();
  });

  it("offers the Miniserver's names on the block fields (meter blocks first for meters, wallboxes for chargers); another name can be typed", async () => {
    ms = await FakeMiniserver.start();
    ms.structure = SAMPLE_STRUCTURE;
    const userDir = tmp();
    const flow = [
      { id: "t1", type: "tab", label: "lx" },
      {
        id: "ms",
        type: "zev-loxone-miniserver",
        host: "127.0.0.1",
        port: String(ms.port),
        timeout: "2000",
        authBackoff: "60",
        credentials: { user: "admin", password: "secret" },
      },
      { id: "ms-off", type: "zev-loxone-miniserver", host: "127.0.0.1", port: String(await freePort()), timeout: "1000", authBackoff: "60" },
      {
        id: "m1",
        type: "zev-meter-in",
        z: "t1",
        x: 200,
        y: 80,
        meterId: "unit-1",
        role: "unit",
        source: "loxone-http",
        miniserver: "ms",
        lxMode: "all",
        lxBlock: "",
        lxInterval: "3600",
        wires: [[]],
      },
      {
        id: "m2",
        type: "zev-meter-in",
        z: "t1",
        x: 200,
        y: 160,
        meterId: "unit-2",
        role: "unit",
        source: "loxone-http",
        miniserver: "ms-off",
        lxMode: "all",
        lxInterval: "3600",
        wires: [[]],
      },
      {
        id: "ch",
        type: "zev-charger-weidmueller",
        z: "t1",
        x: 200,
        y: 240,
        meterId: "charger-1",
        source: "loxone-http",
        miniserver: "ms",
        lxBlock: "",
        lxInterval: "3600",
        wires: [[]],
      },
    ];
    // Credentials of the config node go in through the flow file's credentials (encrypted by Node-RED on the first save).
    editor = await startEditor(userDir, []);
    const dep = await fetch(`${editor.base}/flows`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Node-RED-Deployment-Type": "full" },
      body: JSON.stringify(flow),
    });
    assert.equal(dep.status, 204, await dep.text());
    const page = await editor.open("de-CH");
    try {
      await editNode(page, "m1");
      await page.waitForFunction(() => document.querySelectorAll("datalist option").length > 0, undefined, { timeout: 15_000 });
      const block = await page.evaluate(() => {
        const input = document.querySelector<HTMLInputElement>("#node-input-lxBlock")!;
        const list = document.getElementById(input.getAttribute("list") ?? "")!;
        return Array.from(list.querySelectorAll("option"), (o) => o.value);
      });
      assert.deepEqual(block.slice(0, 3).sort(), ["Netz", "Zähler Whg 1", "Zähler Whg 2"], "the meter blocks come first");
      assert.deepEqual([...block].sort(), ["Energiemanager", "Netz", "Wallbox Garage", "Zähler Whg 1", "Zähler Whg 2"]);
      assert.match((await page.textContent("#zev-meter-in-lx-names")) ?? "", /5 Namen vom Miniserver Sonnenhof/);
      // a datalist only suggests: any text can be typed and is saved
      await page.fill("#node-input-lxBlock", "Mein eigener Zähler");
      assert.equal(await page.inputValue("#node-input-lxBlock"), "Mein eigener Zähler");
      assert.equal((await page.getAttribute("#node-input-lxImport", "list")) !== null, true, "object names for /state too");
      await cancelEdit(page);
      assert.ok(
        ms.requests.some((r) => r.path === "/data/LoxAPP3.json" && r.auth === `Basic ${Buffer.from("admin:secret").toString("base64")}`),
        "read with the config node's credentials",
      );

      await editNode(page, "ch");
      await page.waitForFunction(() => document.querySelectorAll("datalist option").length > 0, undefined, { timeout: 15_000 });
      const wallbox = await page.evaluate(() => {
        const input = document.querySelector<HTMLInputElement>("#node-input-lxBlock")!;
        const list = document.getElementById(input.getAttribute("list") ?? "")!;
        return Array.from(list.querySelectorAll("option"), (o) => o.value);
      });
      assert.equal(wallbox[0], "Wallbox Garage", "the wallbox block comes first");
      await cancelEdit(page);

      await editNode(page, "m2");
      await page.waitForFunction(() => /nicht erreichbar|keine Antwort/.test(document.querySelector("#zev-meter-in-lx-names")?.textContent ?? ""), undefined, {
        timeout: 15_000,
      });
      assert.equal(await page.locator("datalist option").count(), 0);
      await cancelEdit(page);
    } finally {
      await page.context().close();
    }
  });

  it("the names endpoint is behind the editor's login (adminAuth): 401 without a token", async () => {
    const userDir = tmp();
    writeFileSync(join(userDir, "flows.json"), "[]");

    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = ${JSON.stringify({ uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "t", nodesDir: [REPO_ROOT], adminAuth: { type: "credentials", users: [{ username: "admin", password: bcrypt.hashSync("pw", 8), permissions: "*" }] } })};\n`,
    );
    secured = await startNodeRedProcess({ userDir, port: await freePort() });
    const base = `http://127.0.0.1:${secured.port}`;
    assert.equal((await fetch(`${base}/zev-loxone-miniserver/ms/controls`)).status, 401);
    const tok = (await (
      await fetch(`${base}/auth/token`, {
        method: "POST",
        body: new URLSearchParams({ client_id: "node-red-editor", grant_type: "password", scope: "*", username: "admin", password: "pw" }),
      })
    ).json()) as { access_token: string };
    const res = await fetch(`${base}/zev-loxone-miniserver/ms/controls`, { headers: { Authorization: `Bearer ${tok.access_token}` } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: "not-deployed" });
  });
});
