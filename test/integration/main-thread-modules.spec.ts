import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PROFILES } from "../../lib/devices/modbus/profiles";
import { communityConfig } from "../support/community-config";
import { FakeModbusDevice } from "../support/modbus-device";
import { freePort, NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * What the suite costs Node-RED's main thread (issue 16, decision 0143): the
 * renderers and parsers (pdfkit with fontkit, swissqrbill, exceljs, saxes)
 * and modbus-serial load when a document is drawn, a file parsed or a
 * Modbus connection opened, not when Node-RED registers the nodes and starts
 * a flow with a community, a billing node and a portal; and Modbus TCP never
 * loads serialport's native binding (decision 0144). A real Node-RED (built
 * package from this checkout); its settings file dumps require.cache on
 * SIGUSR2. Needs `npm run build`.
 */

const HEAVY = ["pdfkit", "fontkit", "swissqrbill", "exceljs", "saxes", "modbus-serial", "serialport"];

describe("the suite on Node-RED's main thread", function () {
  this.timeout(90_000);
  const tmp = useTmpDir("zev-main-thread-");
  let nr: NodeRedProcess | undefined;
  let dev: FakeModbusDevice | undefined;
  afterEach(async () => {
    await nr?.stop();
    await dev?.stop();
    dev = undefined;
  });

  /** Node-RED in `userDir` with `flow`; returns the main thread's require.cache once `ready` holds. */
  async function mainThreadModules(userDir: string, flow: unknown[], ready: () => Promise<void>): Promise<string[]> {
    const dump = join(userDir, "require-cache.json");
    writeFileSync(join(userDir, "flows.json"), JSON.stringify(flow));
    const settings = { uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", nodesDir: [REPO_ROOT], logging: { console: { level: "info" } } };
    writeFileSync(
      join(userDir, "settings.js"),
      `process.on("SIGUSR2", () => require("fs").writeFileSync(${JSON.stringify(dump)}, JSON.stringify(Object.keys(require.cache))));
module.exports = ${JSON.stringify(settings)};
`,
    );
    nr = await startNodeRedProcess({ userDir, port: await freePort() });
    await ready();
    nr.child.kill("SIGUSR2");
    for (let i = 0; i < 50 && !existsSync(dump); i++) await sleep(100);
    const cache = JSON.parse(readFileSync(dump, "utf8")) as string[];
    assert.ok(
      cache.some((k) => k.includes(join("dist", "nodes", "zev-billing"))),
      "the dump is of the Node-RED that loaded the suite",
    );
    return cache;
  }
  const heavyIn = (cache: string[], names: string[]): string[] =>
    names.filter((name) => cache.some((k) => k.includes(`/node_modules/${name}/`) && !k.endsWith("/package.json")));

  it("registers its nodes and starts a community, billing and portal flow without loading pdfkit, fontkit, swissqrbill, exceljs, saxes or modbus-serial", async () => {
    const userDir = tmp();
    const portalPort = await freePort();
    const cache = await mainThreadModules(
      userDir,
      [
        { id: "t1", type: "tab", label: "billing" },
        communityConfig(join(userDir, "site.sqlite")),
        { id: "b1", type: "zev-billing", z: "t1", community: "c1", period: "previous-month", mode: "draft", wires: [[], []] },
        { id: "p1", type: "zev-portal", z: "t1", community: "c1", port: String(portalPort), host: "127.0.0.1", baseUrl: "", validDays: "365", wires: [[]] },
      ],
      async () => {
        // the portal listens once the flow runs: the nodes were created, not only registered
        const page = await fetch(`http://127.0.0.1:${portalPort}/portal/`);
        assert.ok(page.status < 500, `the portal answers (${page.status})`);
      },
    );
    assert.deepEqual(
      heavyIn(cache, HEAVY),
      [],
      `loaded on the main thread:\n${cache.filter((k) => HEAVY.some((n) => k.includes(`/node_modules/${n}/`))).join("\n")}`,
    );
  });

  it("reads a Modbus TCP meter without loading serialport or its native binding", async () => {
    dev = await FakeModbusDevice.start();
    const sdm = PROFILES.find((p) => p.id === "eastron-sdm630")!;
    dev.serveProfile(1, sdm, { importKWh: 12345.5, exportKWh: 321.25, powerW: -1500.5 });
    const cache = await mainThreadModules(
      tmp(),
      [
        { id: "t1", type: "tab", label: "meters" },
        { id: "conn", type: "zev-modbus-connection", host: "127.0.0.1", port: String(dev.port), timeout: "500" },
        {
          id: "m1",
          type: "zev-meter-in",
          z: "t1",
          meterId: "meter-1",
          role: "unit",
          source: "modbus",
          modbus: "conn",
          mbUnitId: "1",
          mbProfile: sdm.id,
          mbInterval: "0.2",
          wires: [[]],
        },
      ],
      async () => {
        for (let i = 0; i < 100 && dev!.requests.length < 2; i++) await sleep(100);
        assert.ok(dev!.requests.length >= 2, "Node-RED's meter read the device's registers");
      },
    );
    assert.ok(
      cache.some((k) => k.includes("/node_modules/modbus-serial/")),
      "modbus-serial was loaded",
    );
    assert.deepEqual(heavyIn(cache, ["serialport", "@serialport/bindings-cpp", "@serialport/stream"]), []);
  });
});
