import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SONNENHOF_DEVICES } from "../../lib/simulator/devices";
import { RunningSimulator, startSimulator } from "../../lib/simulator/run";
import { SONNENHOF_SITE } from "../../lib/simulator/site";
import { demoFlowFile } from "../../scripts/flows/build";
import { freePort, NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";
import { filesUnder } from "../unit/scripts/flows/examples-are-flows.spec";

/*
 * The shipped flows, imported into a fresh Node-RED 4.1 through the admin
 * API (POST /flows, as the editor's Import and Deploy do) with the package
 * loaded from this checkout (nodesDir): the examples, the demo with its
 * Dashboard 2 tab, and the demo with the Dashboard 1 tab (on the simulator,
 * so that every node has its devices). A deploy passes when Node-RED starts
 * the flows and logs no error of the flow's own; the examples' devices
 * (192.168.1.x) are not there, and their nodes say so, as they must.
 */
type Flow = { id: string; type: string; d?: boolean }[];
/** What a meter or charger node logs when its device is not there (no answer, no connection to 192.168.1.x). */
const ABSENT_DEVICE =
  /\[(zev-meter-in|zev-charger-weidmueller):[^\]]*\] [\w-]+: (no answer|no connection|cannot connect|connect(ion)? (failed|refused|lost)|network)\b|192\.168\.1\.\d+/i;
const read = (file: string): Flow => JSON.parse(readFileSync(join(REPO_ROOT, file), "utf8")) as Flow;
/** The demo flow as npm start writes it into the demo's user dir (it is not in the repository, docs/decisions/0084). */
const demo = (lang: string, dashboard: 1 | 2): Flow => JSON.parse(demoFlowFile(lang, dashboard)) as Flow;

describe("shipped flows import into a fresh Node-RED 4.1 and deploy without errors", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-import-");
  let nr: NodeRedProcess | undefined;
  let sim: RunningSimulator | undefined;

  afterEach(async () => {
    await nr?.stop();
    await sim?.stop();
    nr = undefined;
    sim = undefined;
  });

  async function freshNodeRed(env: Record<string, string> = {}): Promise<NodeRedProcess> {
    const userDir = tmp();
    writeFileSync(join(userDir, "flows.json"), "[]");
    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = ${JSON.stringify({ uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", nodesDir: [REPO_ROOT], logging: { console: { level: "info" } }, editorTheme: { tours: false } })};\n`,
    );
    return startNodeRedProcess({ userDir, port: await freePort(), env });
  }

  /** Deploys `flow` (full deploy), waits for the flows to run a few seconds, and returns what Node-RED logged meanwhile. */
  async function deploy(flow: Flow, settleMs = 4500): Promise<string> {
    const from = nr!.log().length;
    const res = await fetch(`http://127.0.0.1:${nr!.port}/flows`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Node-RED-Deployment-Type": "full" },
      body: JSON.stringify(flow),
    });
    assert.ok(res.status === 204 || res.status === 200, `${res.status} ${await res.text()}`);
    const end = Date.now() + 10_000;
    while (!/Started flows/.test(nr!.log().slice(from)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, settleMs));
    const log = nr!.log().slice(from);
    assert.match(log, /Started flows/, log);
    assert.doesNotMatch(log, /missing types|Waiting for missing/i, log);
    const deployed = (await (await fetch(`http://127.0.0.1:${nr!.port}/flows`)).json()) as Flow;
    assert.deepEqual(new Set(deployed.map((n) => n.id)), new Set(flow.map((n) => n.id)), "every node deployed");
    return log;
  }

  const errorsIn = (log: string, allowed?: RegExp): string[] => log.split("\n").filter((l) => /\[error\]/.test(l) && !(allowed && allowed.test(l)));

  it("the examples, one by one: only their absent devices are reported", async () => {
    nr = await freshNodeRed();
    // every file Import > Examples lists (examples-are-flows.spec.ts: they are all flows)
    const files = filesUnder(join(REPO_ROOT, "examples")).map((f) => relative(REPO_ROOT, f));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const flow = read(file);
      assert.ok(
        flow.some((n) => n.type === "comment"),
        `${file} documents itself with comment nodes`,
      );
      assert.ok(!flow.some((n) => n.type === "e-mail"), `${file}: an e-mail node would stop every flow of a Node-RED without node-red-node-email`);
      const log = await deploy(flow, 2500);
      // a meter or charger whose device does not answer says so; nothing else may fail
      assert.deepEqual(errorsIn(log, ABSENT_DEVICE), [], `${file}\n${log}`);
    }
  });

  it("the demo with its Dashboard 2 tab and with the Dashboard 1 tab, on the simulator: no error, the dashboards are served", async () => {
    const [modbusPort, udpPort] = [await freePort(), await freePort()];
    sim = await startSimulator({ site: SONNENHOF_SITE, devices: SONNENHOF_DEVICES, modbusPort, udpPort });
    nr = await freshNodeRed({ ZEV_SIM_MODBUS_PORT: String(modbusPort), ZEV_SIM_UDP_PORT: String(udpPort) });
    const base = `http://127.0.0.1:${nr.port}`;
    for (const [file, flow] of [
      ["demo en, Dashboard 2", demo("en", 2)],
      ["demo de, Dashboard 2", demo("de", 2)],
      ["demo en, Dashboard 1", demo("en", 1)],
    ] as const) {
      const log = await deploy(flow, 4500);
      assert.deepEqual(errorsIn(log), [], `${file}\n${log}`);
      assert.match(log, /\[zev-aggregate:zev-demo-aggregate\]|Started flows/);
    }
    assert.equal((await fetch(`${base}/ui/`)).status, 200, "Dashboard 1 at /ui");
    await deploy(demo("en", 2), 1000);
    assert.equal((await fetch(`${base}/dashboard`)).status, 200, "Dashboard 2 at /dashboard");
    // the meters read the simulator: health answers through the link call within the deployed flow
    const health = await fetch(`${base}/zev/invoices/1.pdf`);
    assert.equal(health.status, 404, "the PDF route answers (no invoice 1 in a fresh database)");
  });
});
