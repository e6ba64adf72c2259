import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { communityConfig } from "../support/community-config";
import { freePort, NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * What the suite costs Node-RED's main thread (issue 16, decision 0143): the
 * renderers and parsers (pdfkit with fontkit, swissqrbill, exceljs, saxes)
 * and modbus-serial (serialport's native binding) load when a document is
 * drawn, a file parsed or a Modbus connection opened, not when Node-RED
 * registers the nodes and starts a flow with a community, a billing node
 * and a portal. A real Node-RED (built package from this checkout); its
 * settings file dumps require.cache on SIGUSR2. Needs `npm run build`.
 */

const HEAVY = ["pdfkit", "fontkit", "swissqrbill", "exceljs", "saxes", "modbus-serial", "serialport"];

describe("the suite on Node-RED's main thread", function () {
  this.timeout(90_000);
  const tmp = useTmpDir("zev-main-thread-");
  let nr: NodeRedProcess | undefined;
  afterEach(async () => nr?.stop());

  it("registers its nodes and starts a community, billing and portal flow without loading pdfkit, fontkit, swissqrbill, exceljs, saxes or modbus-serial", async () => {
    const userDir = tmp();
    const [port, portalPort] = [await freePort(), await freePort()];
    const dump = join(userDir, "require-cache.json");
    writeFileSync(
      join(userDir, "flows.json"),
      JSON.stringify([
        { id: "t1", type: "tab", label: "billing" },
        communityConfig(join(userDir, "site.sqlite")),
        { id: "b1", type: "zev-billing", z: "t1", community: "c1", period: "previous-month", mode: "draft", wires: [[], []] },
        { id: "p1", type: "zev-portal", z: "t1", community: "c1", port: String(portalPort), host: "127.0.0.1", baseUrl: "", validDays: "365", wires: [[]] },
      ]),
    );
    const settings = { uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", nodesDir: [REPO_ROOT], logging: { console: { level: "info" } } };
    writeFileSync(
      join(userDir, "settings.js"),
      `process.on("SIGUSR2", () => require("fs").writeFileSync(${JSON.stringify(dump)}, JSON.stringify(Object.keys(require.cache))));
module.exports = ${JSON.stringify(settings)};
`,
    );
    nr = await startNodeRedProcess({ userDir, port });
    // the portal listens once the flow runs: the nodes were created, not only registered
    const page = await fetch(`http://127.0.0.1:${portalPort}/portal/`);
    assert.ok(page.status < 500, `the portal answers (${page.status})`);
    nr.child.kill("SIGUSR2");
    for (let i = 0; i < 50 && !existsSync(dump); i++) await sleep(100);
    const cache = JSON.parse(readFileSync(dump, "utf8")) as string[];
    assert.ok(
      cache.some((k) => k.includes(join("dist", "nodes", "zev-billing"))),
      "the dump is of the Node-RED that loaded the suite",
    );
    const loaded = HEAVY.filter((name) => cache.some((k) => k.includes(`/node_modules/${name}/`) && !k.endsWith("/package.json")));
    assert.deepEqual(loaded, [], `loaded on the main thread:\n${cache.filter((k) => HEAVY.some((n) => k.includes(`/node_modules/${n}/`))).join("\n")}`);
  });
});
