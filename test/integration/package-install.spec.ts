import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SONNENHOF_DEVICES } from "../../lib/simulator/devices";
import { startSimulator } from "../../lib/simulator/run";
import { SONNENHOF_SITE } from "../../lib/simulator/site";
import { demoFlowFile } from "../../scripts/flows/build";
import { freePort, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * `npm pack` produces the package a user installs from the palette. The test
 * unpacks it into a fresh Node-RED user dir, as `npm install` would, and
 * starts Node-RED 4.1 on it. Only the package's own dependencies come from
 * this checkout's node_modules (NODE_PATH) instead of a second download and
 * native build of better-sqlite3.
 */
describe("npm pack + install into a fresh Node-RED user dir", function () {
  this.timeout(120000);
  const tmp = useTmpDir("zev-pack-");

  it("the packed package contains the compiled nodes with their editor files and locales", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO_ROOT, encoding: "utf8" });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const want of [
      "package.json",
      "README.md",
      "dist/bin/zev.js",
      "dist/nodes/zev-community/zev-community.js",
      "dist/nodes/zev-community/zev-community.html",
      "dist/nodes/zev-community/locales/en-US/zev-community.json",
      "dist/nodes/zev-community/locales/de/zev-community.json",
      "dist/nodes/zev-community/locales/fr/zev-community.json",
      "dist/nodes/zev-community/locales/it/zev-community.json",
      "dist/nodes/zev-aggregate/zev-aggregate.js",
      "dist/nodes/zev-aggregate/zev-aggregate.html",
      "dist/nodes/zev-aggregate/locales/de/zev-aggregate.json",
      "dist/nodes/zev-aggregate/locales/it/zev-aggregate.html",
      "docs/examples/community/sonnenhof.json",
      "examples/flows.json",
      "examples/04-monthly-billing-email.json",
      "dashboard/dashboard-2.json",
      "dashboard/dashboard-1-de.json",
      "dist/lib/render/fonts/LiberationSans-Regular.ttf",
      "dist/lib/render/fonts/LiberationSans-Bold.ttf",
      "dist/lib/render/fonts/LICENSE",
    ]) {
      assert.ok(files.includes(want), `${want} missing from the package`);
    }
    assert.ok(!files.some((f) => f.startsWith("test/") || f.startsWith("node_modules/")), "tests or node_modules packed");
  });

  it("loads zev-community and zev-aggregate with no error, writes the community to the user dir, serves the catalogs and help", async () => {
    const dir = tmp();
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: REPO_ROOT, stdio: "pipe" });
    const tgz = execFileSync("sh", ["-c", `ls ${dir}/*.tgz`], { encoding: "utf8" }).trim();
    const userDir = join(dir, "userdir");
    mkdirSync(join(userDir, "node_modules"), { recursive: true });
    execFileSync("tar", ["-xzf", tgz, "-C", join(userDir, "node_modules")]);
    renameSync(join(userDir, "node_modules", "package"), join(userDir, "node_modules", "node-red-contrib-zev"));
    writeFileSync(join(userDir, "package.json"), JSON.stringify({ name: "node-red-project", private: true, dependencies: { "node-red-contrib-zev": "*" } }));
    // the demo flow as npm start writes it (not in the repository, docs/decisions/0084)
    writeFileSync(join(userDir, "flows.json"), demoFlowFile("en", 2));
    const port = await freePort();
    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = { uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", logging: { console: { level: "info" } } };\n`,
    );
    // the demo flow's meters and charger read the simulator (its ports come from the environment)
    const [modbusPort, udpPort] = [await freePort(), await freePort()];
    const sim = await startSimulator({ site: SONNENHOF_SITE, devices: SONNENHOF_DEVICES, modbusPort, udpPort });
    const nr = await startNodeRedProcess({
      userDir,
      port,
      env: { NODE_PATH: join(REPO_ROOT, "node_modules"), ZEV_SIM_MODBUS_PORT: String(modbusPort), ZEV_SIM_UDP_PORT: String(udpPort) },
    });
    try {
      // a few polls of every meter and the charger
      await new Promise((r) => setTimeout(r, 3500));
      const log = nr.log();
      assert.doesNotMatch(log, /\[error\]/, log);
      assert.doesNotMatch(log, /Waiting for missing types/, log);
      assert.match(log, /\[zev-community:zev-community-sonnenhof\] .*revision 1/);
      const res = await fetch(`http://127.0.0.1:${port}/nodes`, { headers: { Accept: "application/json" } });
      const sets = (await res.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
      const ours = sets.filter((s) => s.module === "node-red-contrib-zev");
      assert.ok(ours.length > 0, "package not in the palette");
      for (const s of ours) assert.ok(s.enabled && !s.err, JSON.stringify(s));
      assert.ok(ours.flatMap((s) => s.types).includes("zev-community"));
      assert.ok(ours.flatMap((s) => s.types).includes("zev-aggregate"));
      // the runtime serves zev-aggregate's catalogs and help in the editor's language
      const de = await (await fetch(`http://127.0.0.1:${port}/locales/node-red-contrib-zev/zev-aggregate?lng=de`)).json();
      assert.match(JSON.stringify(de), /Solarverteilung/);
      const help = await (await fetch(`http://127.0.0.1:${port}/nodes`, { headers: { Accept: "text/html", "Accept-Language": "fr" } })).text();
      assert.match(help, /Transforme les relevés de compteurs/);
      assert.ok(existsSync(join(userDir, "zev", "sonnenhof.sqlite")));
    } finally {
      await nr.stop();
      await sim.stop();
    }
  });
});
