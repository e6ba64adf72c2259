import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { SONNENHOF_DEVICES } from "../../lib/simulator/devices";
import { startSimulator } from "../../lib/simulator/run";
import { SONNENHOF_SITE } from "../../lib/simulator/site";
import { demoFlowFile } from "../../scripts/flows/build";
import { freePort, type NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
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

/*
 * What the palette manager does (Menu > Manage palette > Install, or its
 * "upload module tgz"): Node-RED's installer (@node-red/registry
 * lib/installer.js) runs its own bundled npm (npm 10 in Node-RED 4, npm 11 in
 * Node-RED 5) as `npm install --no-audit --no-update-notifier --no-fund --save
 * --save-prefix=~ --omit=dev --engine-strict -- <module>` in the user dir,
 * whose package.json Node-RED wrote itself (name, no allowScripts). Here the
 * tarball goes through the real upload endpoint, so the npm arguments are
 * Node-RED's own; every dependency, better-sqlite3 included, is resolved and
 * built in the user dir (no NODE_PATH into this checkout). `--prefer-offline`
 * comes from the environment (npm reads npm_config_*), so a repeated run takes
 * the tarballs from the npm cache. Without access to GitHub (CI),
 * better-sqlite3's prebuild-install fails and it compiles (about 2 CPU
 * minutes); the install is given 20 minutes.
 */
describe("palette install of the npm pack tarball into a fresh Node-RED user dir (no allowScripts)", function () {
  const INSTALL_TIMEOUT_MS = 20 * 60_000;
  this.timeout(120_000);
  let dir = "";
  let userDir = "";
  let modbusPort = 0;
  let udpPort = 0;
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
  let nr: NodeRedProcess | undefined;
  let installLog = "";
  const modbusMeters = (JSON.parse(demoFlowFile("en", 2)) as { type: string; source?: string; meterId?: string }[])
    .filter((n) => n.type === "zev-meter-in" && n.source === "modbus")
    .map((n) => n.meterId!);

  const start = async (readyPattern?: RegExp): Promise<NodeRedProcess> =>
    startNodeRedProcess({
      userDir,
      port: await freePort(),
      readyPattern,
      env: { ...serviceEnv(), ZEV_SIM_MODBUS_PORT: String(modbusPort), ZEV_SIM_UDP_PORT: String(udpPort) },
    });

  before(async function () {
    this.timeout(INSTALL_TIMEOUT_MS + 120_000);
    dir = mkdtempSync(join(tmpdir(), "zev-palette-"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: REPO_ROOT, stdio: "pipe" });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    userDir = join(dir, "userdir");
    mkdirSync(userDir);
    writeFileSync(join(userDir, "flows.json"), demoFlowFile("en", 2));
    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = { uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", logging: { console: { level: "info" } } };\n`,
    );
    [modbusPort, udpPort] = [await freePort(), await freePort()];
    sim = await startSimulator({ site: SONNENHOF_SITE, devices: SONNENHOF_DEVICES, modbusPort, udpPort });
    // the flow waits for its types until the package is installed; Node-RED 5 may say so after "Server now running"
    nr = await start(/Server now running[\s\S]*Waiting for missing types|Waiting for missing types[\s\S]*Server now running/);
    assert.match(nr.log(), /Waiting for missing types/);
    const before = nr.log().length;
    const t0 = Date.now();
    const res = await uploadTarball(nr.port, join(dir, tgz), INSTALL_TIMEOUT_MS);
    const installMs = Date.now() - t0;
    assert.equal(res.status, 200, `${res.body}\n${nr.log()}`);
    // node-gyp leaves its object files; prebuild-install only the binding
    const compiled = existsSync(join(userDir, "node_modules", "better-sqlite3", "build", "Release", "obj.target"));
    console.log(
      `      palette install with ${npmOfNodeRed().version}: ${(installMs / 1000).toFixed(0)} s wall, better-sqlite3 ${compiled ? "compiled from source" : "prebuilt binary"}`,
    );
    // the waiting flows start once the nodes are registered
    await waitFor(
      () => /Started flows/.test(nr!.log().slice(before)),
      60_000,
      () => nr!.log(),
    );
    installLog = nr.log().slice(before);
  });

  after(async function () {
    this.timeout(30_000);
    await nr?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("installs with Node-RED's own npm into a package.json without allowScripts, with better-sqlite3 built inside the user dir", () => {
    const pkg = JSON.parse(readFileSync(join(userDir, "package.json"), "utf8")) as Record<string, unknown>;
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(pkg.name, "node-red-project");
    assert.equal(pkg.allowScripts, undefined);
    assert.deepEqual(pkg.dependencies, { "node-red-contrib-zev": `file:nodes/node-red-contrib-zev-${version}.tgz` });
    const installed = join(userDir, "node_modules", "node-red-contrib-zev");
    const sqlite = require.resolve("better-sqlite3/package.json", { paths: [installed] });
    assert.ok(sqlite.startsWith(join(userDir, "node_modules")), sqlite);
    assert.ok(existsSync(join(dirname(sqlite), "build", "Release", "better_sqlite3.node")), "better-sqlite3 has no compiled binding");
  });

  it("the installed nodes load and start the waiting demo flow with no error; zev-community writes its database and the Modbus TCP meters are read", async () => {
    assert.doesNotMatch(installLog, /\[error\]/, installLog);
    assert.match(installLog, /Installed module: node-red-contrib-zev/);
    assert.match(installLog, /\[zev-community:zev-community-sonnenhof\] .*revision 1/);
    await assertModbusMetersRead(Date.now());
  });

  it("a restart loads the installed package with no error and no missing type", async () => {
    await nr!.stop();
    nr = await start();
    await assertPaletteClean(nr);
    await assertModbusMetersRead(Date.now());
  });

  it("without its optional serialport (npm --omit=optional: no @serialport/bindings-cpp) Modbus TCP still works", async function () {
    this.timeout(300_000);
    await nr!.stop();
    const npm = npmOfNodeRed();
    execFileSync(process.execPath, [npm.cli, "install", "--no-audit", "--no-update-notifier", "--no-fund", "--omit=dev", "--omit=optional"], {
      cwd: userDir,
      env: serviceEnv(),
      stdio: "pipe",
    });
    assert.ok(!existsSync(join(userDir, "node_modules", "serialport")), "serialport still installed");
    assert.ok(!existsSync(join(userDir, "node_modules", "@serialport", "bindings-cpp")), "@serialport/bindings-cpp still installed");
    nr = await start();
    await assertPaletteClean(nr);
    await assertModbusMetersRead(Date.now());
  });

  /** Every Modbus TCP meter of the demo flow has a reading written to the database after `sinceMs`. */
  async function assertModbusMetersRead(sinceMs: number): Promise<void> {
    assert.ok(modbusMeters.length >= 3, `demo flow has ${modbusMeters.length} Modbus meters`);
    const file = join(userDir, "zev", "sonnenhof.sqlite");
    const read = (): Map<string, number> => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare("SELECT m.meter_key AS k, s.updated_ms AS t FROM meter_state s JOIN meters m ON m.id = s.meter_id").all() as {
          k: string;
          t: number;
        }[];
        return new Map(rows.map((r) => [r.k, r.t]));
      } finally {
        db.close();
      }
    };
    await waitFor(
      () => existsSync(file) && modbusMeters.every((k) => (read().get(k) ?? 0) > sinceMs),
      30_000,
      () => `${JSON.stringify([...(existsSync(file) ? read() : new Map())])} since ${sinceMs}\n${nr!.log()}`,
    );
    assert.doesNotMatch(nr!.log(), /\[error\]/, nr!.log());
  }
});

async function assertPaletteClean(nr: NodeRedProcess): Promise<void> {
  const log = nr.log();
  assert.doesNotMatch(log, /\[error\]/, log);
  assert.doesNotMatch(log, /Waiting for missing types/, log);
  const res = await fetch(`http://127.0.0.1:${nr.port}/nodes`, { headers: { Accept: "application/json" } });
  const sets = (await res.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
  const ours = sets.filter((s) => s.module === "node-red-contrib-zev");
  assert.ok(ours.length > 0, "package not in the palette");
  for (const s of ours) assert.ok(s.enabled && !s.err, JSON.stringify(s));
}

/** The npm that Node-RED's installer runs: the one @node-red/registry resolves (not the npm on PATH). */
function npmOfNodeRed(): { cli: string; version: string } {
  const registry = dirname(require.resolve("@node-red/registry/package.json", { paths: [dirname(require.resolve("node-red/package.json"))] }));
  const pkg = require.resolve("npm/package.json", { paths: [join(registry, "lib")] });
  return { cli: join(dirname(pkg), "bin", "npm-cli.js"), version: `npm ${(JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version}` };
}

/*
 * Node-RED as a service sees none of the npm_* variables that `npm test`
 * passes to mocha (npm_config_node_gyp pointing at another npm's node-gyp,
 * npm_config_local_prefix, npm_package_*), nor a NODE_PATH: they are dropped. Kept: where the
 * Node headers, the cache and the registry are (the machine's npm config),
 * and --prefer-offline so a repeated run installs from the npm cache.
 */
function serviceEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(nodedir|cache|registry|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const k of Object.keys(process.env)) if (/^npm_/i.test(k) && !keep.test(k)) env[k] = undefined;
  return { ...env, NODE_PATH: undefined, npm_config_prefer_offline: "true" };
}

/** The palette manager's "upload module tgz": a multipart POST /nodes with the file as `tarball`; no client timeout. */
function uploadTarball(port: number, file: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const boundary = `----zev${Date.now()}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tarball"; filename="${basename(file)}"\r\nContent-Type: application/gzip\r\n\r\n`),
    readFileSync(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/nodes",
        method: "POST",
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": body.length },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`palette install took longer than ${timeoutMs / 60_000} min`)));
    req.on("error", reject);
    req.end(body);
  });
}

async function waitFor(ok: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`not within ${timeoutMs} ms:\n${explain()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
