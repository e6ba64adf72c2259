import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * The Dashboard 2 tab next to a user's own Dashboard 2.0: the pages-only
 * file, with the user's base id put in as docs/dashboard.md says (replace
 * "ui": ""), deployed into a fresh Node-RED that already serves a dashboard
 * at /mine. One base, the user's; no second dashboard at /dashboard.
 */
type Flow = { id: string; type: string; ui?: string; z?: string }[];

describe("the Dashboard 2 tab next to an existing Dashboard 2.0 (pages-only file, the user's base)", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-pages-");
  let nr: NodeRedProcess | undefined;
  after(async () => nr?.stop());

  it("deploys into the user's base: one ui-base, the user's path serves, no second dashboard, no error", async () => {
    const userDir = tmp();
    writeFileSync(join(userDir, "flows.json"), "[]");
    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = ${JSON.stringify({ uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", nodesDir: [REPO_ROOT], logging: { console: { level: "info" } }, editorTheme: { tours: false } })};\n`,
    );
    nr = await startNodeRedProcess({ userDir, port: await freePort() });
    const own: Flow = [
      { id: "user-tab", type: "tab" },
      {
        id: "user-base",
        type: "ui-base",
        name: "Mine",
        path: "/mine",
        includeClientData: true,
        acceptsClientConfig: ["ui-notification", "ui-control"],
        showPathInSidebar: false,
        navigationStyle: "default",
        titleBarStyle: "default",
      } as never,
      {
        id: "user-theme",
        type: "ui-theme",
        name: "Mine",
        colors: { surface: "#333333", primary: "#0094ce", bgPage: "#eeeeee", groupBg: "#ffffff", groupOutline: "#cccccc" },
      } as never,
      {
        id: "user-page",
        type: "ui-page",
        name: "Home",
        ui: "user-base",
        path: "/home",
        layout: "grid",
        theme: "user-theme",
        order: 1,
        visible: "true",
        disabled: "false",
      } as never,
      {
        id: "user-group",
        type: "ui-group",
        name: "Mine",
        page: "user-page",
        width: "6",
        height: "1",
        order: 1,
        showTitle: true,
        visible: "true",
        disabled: "false",
      } as never,
    ];
    // what the docs' sed line does
    const pages = JSON.parse(readFileSync(join(REPO_ROOT, "dashboard", "dashboard-2-pages.json"), "utf8").replace(/"ui": ""/g, '"ui": "user-base"')) as Flow;
    assert.equal(pages.filter((n) => n.type === "ui-base").length, 0);
    const flow = [...own, ...pages];
    const from = nr.log().length;
    const res = await fetch(`http://127.0.0.1:${nr.port}/flows`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Node-RED-Deployment-Type": "full" },
      body: JSON.stringify(flow),
    });
    assert.ok(res.status === 204 || res.status === 200, `${res.status} ${await res.text()}`);
    const end = Date.now() + 10_000;
    while (!/Started flows/.test(nr.log().slice(from)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    const log = nr.log().slice(from);
    assert.match(log, /Started flows/, log);
    // the tab's link calls find no suite here (no 'zev billing' link-in): those say so on the page; nothing else may fail
    const errors = log.split("\n").filter((l) => /\[error\]/.test(l) && !/\[link call:/.test(l));
    assert.deepEqual(errors, [], log);
    const deployed = (await (await fetch(`http://127.0.0.1:${nr.port}/flows`)).json()) as Flow;
    assert.deepEqual(
      deployed.filter((n) => n.type === "ui-base").map((n) => n.id),
      ["user-base"],
      "one base, the user's",
    );
    assert.ok(deployed.filter((n) => n.type === "ui-page").every((n) => n.ui === "user-base"));
    assert.equal((await fetch(`http://127.0.0.1:${nr.port}/mine`)).status, 200, "the user's dashboard serves");
    assert.equal((await fetch(`http://127.0.0.1:${nr.port}/mine/units`)).status, 200, "the tab's page below the user's path");
    assert.equal((await fetch(`http://127.0.0.1:${nr.port}/dashboard`)).status, 404, "no second dashboard");
  });
});
