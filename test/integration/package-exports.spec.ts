import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";

/*
 * The package's `exports` map (docs/decisions/0078-package-exports.md) is
 * its public surface for require(): the dashboard's socket middleware that
 * users load from settings.js, and package.json. An exports map also closes
 * every other deep path, so these tests install the packed package into a
 * fresh Node-RED user dir (as package-install.spec.ts does) and check what
 * must stay reachable: the settings.js require, the deep path docs showed in
 * 0.1.0, the `zev` bin and the node files Node-RED loads by the "node-red" key.
 */
describe("the package's exports, installed in a fresh Node-RED user dir", function () {
  this.timeout(120000);
  let dir = "";
  let userDir = "";
  let pkgDir = "";
  const env = { NODE_PATH: join(REPO_ROOT, "node_modules") };

  before(() => {
    assert.ok(existsSync(join(REPO_ROOT, "dist", "lib", "util", "dashboard-auth.js")), "dist/ is missing: npm run build first");
    dir = mkdtempSync(join(tmpdir(), "zev-exports-"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: REPO_ROOT, stdio: "pipe" });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    userDir = join(dir, "userdir");
    mkdirSync(join(userDir, "node_modules"), { recursive: true });
    execFileSync("tar", ["-xzf", join(dir, tgz), "-C", join(userDir, "node_modules")]);
    pkgDir = join(userDir, "node_modules", "node-red-contrib-zev");
    renameSync(join(userDir, "node_modules", "package"), pkgDir);
    writeFileSync(join(userDir, "package.json"), JSON.stringify({ name: "node-red-project", private: true, dependencies: { "node-red-contrib-zev": "*" } }));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ships the LICENSE", () => {
    assert.match(readFileSync(join(pkgDir, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  });

  it("a script in the user dir requires the dashboard middleware by its stable name and by the 0.1.0 path, and package.json; other deep paths are closed", () => {
    const probe = join(userDir, "probe.js");
    writeFileSync(
      probe,
      `const out = {};
out.stable = typeof require("node-red-contrib-zev/dashboard-auth").dashboardSocketAuth;
out.old = typeof require("node-red-contrib-zev/dist/lib/util/dashboard-auth.js").dashboardSocketAuth;
out.same = require("node-red-contrib-zev/dashboard-auth") === require("node-red-contrib-zev/dist/lib/util/dashboard-auth.js");
out.pkg = require("node-red-contrib-zev/package.json").name;
try { require("node-red-contrib-zev/dist/lib/store/sqlite-store.js"); out.deep = "loaded"; } catch (e) { out.deep = e.code; }
console.log(JSON.stringify(out));
`,
    );
    const r = spawnSync(process.execPath, [probe], { cwd: userDir, env: { ...process.env, ...env }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      stable: "function",
      old: "function",
      same: true,
      pkg: "node-red-contrib-zev",
      deep: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    });
  });

  it("the zev bin named in package.json runs from the installed package", () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { bin: { zev: string } };
    const r = spawnSync(process.execPath, [join(pkgDir, pkg.bin.zev), "--help"], { cwd: userDir, env: { ...process.env, ...env }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage:/);
    assert.match(r.stdout, /zev bill/);
  });

  it("Node-RED loads every node of the package, and a settings.js that requires node-red-contrib-zev/dashboard-auth guards Dashboard 2's socket", async () => {
    writeFileSync(join(userDir, "flows.json"), readFileSync(join(pkgDir, "dashboard", "dashboard-2.json")));
    writeFileSync(
      join(userDir, "settings.js"),
      `const { dashboardSocketAuth } = require("node-red-contrib-zev/dashboard-auth");
module.exports = {
  uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", logging: { console: { level: "info" } },
  dashboard: { ioMiddleware: dashboardSocketAuth((user, password) => user === "admin" && password === "s3cret") },
};
`,
    );
    const port = await freePort();
    const nr = await startNodeRedProcess({ userDir, port, env });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/nodes`, { headers: { Accept: "application/json" } });
      const sets = (await res.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
      const ours = sets.filter((s) => s.module === "node-red-contrib-zev");
      const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { "node-red": { nodes: Record<string, string> } };
      assert.deepEqual(ours.flatMap((s) => s.types).sort(), Object.keys(pkg["node-red"].nodes).sort());
      for (const s of ours) assert.ok(s.enabled && !s.err, JSON.stringify(s));
      // nodes/meter-in/ and nodes/charger-weidmueller/ (decision 0083): the catalogs keep their set names as namespace, the help its type
      for (const [set, german] of [
        ["zev-meter-in", /"paletteLabel":"Zähler"/],
        ["zev-charger-weidmueller", /"paletteLabel":"Ladestation"/],
      ] as const) {
        const de = await (await fetch(`http://127.0.0.1:${port}/locales/node-red-contrib-zev/${set}?lng=de`)).json();
        assert.match(JSON.stringify(de), german, set);
      }
      const help = await (await fetch(`http://127.0.0.1:${port}/nodes`, { headers: { Accept: "text/html", "Accept-Language": "it" } })).text();
      assert.match(help, /Legge un contatore e invia le sue letture cumulative/);
      assert.match(help, /Un punto di ricarica per veicoli elettrici/);

      const base = `http://127.0.0.1:${port}/dashboard/socket.io/?EIO=4&transport=polling`;
      const join40 = async (headers: Record<string, string>): Promise<string> => {
        const hs = await (await fetch(base, { headers })).text();
        const sid = (JSON.parse(hs.slice(1)) as { sid: string }).sid;
        await fetch(`${base}&sid=${sid}`, { method: "POST", body: "40", headers });
        return (await fetch(`${base}&sid=${sid}`, { headers })).text();
      };
      assert.match(await join40({}), /^44.*authentication required/);
      assert.match(await join40({ Authorization: `Basic ${Buffer.from("admin:wrong").toString("base64")}` }), /^44.*authentication required/);
      assert.match(await join40({ Authorization: `Basic ${Buffer.from("admin:s3cret").toString("base64")}` }), /^40\{"sid":/);
    } finally {
      await nr.stop();
    }
  });
});
