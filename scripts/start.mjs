// The README's main job: the demo. A Node-RED on loopback with the suite
// loaded from this checkout, its own settings (adminAuth and httpNodeAuth on),
// the demo flow with the Dashboard 2 tab, and a device simulator on loopback
// (Modbus TCP meters, Loxone UDP packets) whose history since the 1st of the
// previous month is written through the ingest path first (docs/demo.md).
// Usage: npm start [-- --port 1880 --user-dir .zev-demo --fresh --lang de --dashboard 1
//                      --modbus-port 1502 --udp-port 7000 --no-backfill]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);

/** `wanted` when nothing listens on it on 127.0.0.1, else a port the system picks. */
async function portalPortFor(wanted) {
  const { createServer } = await import("node:net");
  const tryPort = (p) =>
    new Promise((res) => {
      const srv = createServer();
      srv.once("error", () => res(null));
      srv.listen(p, "127.0.0.1", () => {
        const got = srv.address().port;
        srv.close(() => res(got));
      });
    });
  return (wanted <= 65535 ? await tryPort(wanted) : null) ?? (await tryPort(0));
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => require(join(root, "dist", p));
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.ZEV_PORT ?? "1880" },
    "user-dir": { type: "string", default: join(root, ".zev-demo") },
    fresh: { type: "boolean", default: false },
    lang: { type: "string", default: "en" },
    dashboard: { type: "string", default: "2" },
    "modbus-port": { type: "string", default: "1502" },
    "udp-port": { type: "string", default: "7000" },
    // the tenant portal's own listener; default: the port after Node-RED's, or a free one when that is taken
    "portal-port": { type: "string" },
    "no-backfill": { type: "boolean", default: false },
  },
});
// An empty --user-dir would resolve to the working directory: the demo would write its files into the checkout.
if (values["user-dir"].trim() === "") throw new Error("--user-dir must name a directory");
const userDir = resolve(values["user-dir"]);
const port = Number(values.port);
const modbusPort = Number(values["modbus-port"]);
const udpPort = Number(values["udp-port"]);
const portalPort = values["portal-port"] === undefined ? await portalPortFor(port + 1) : Number(values["portal-port"]);
for (const [name, p] of [
  ["--port", port],
  ["--modbus-port", modbusPort],
  ["--udp-port", udpPort],
  ["--portal-port", portalPort],
]) {
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`${name} must be a port number`);
}
if (values.dashboard !== "1" && values.dashboard !== "2")
  throw new Error("--dashboard is 1 (node-red-dashboard 3.x at /ui) or 2 (FlowFuse Dashboard 2.0 at /dashboard)");
// The demo flow is not committed: the generator (scripts/flows, TypeScript) makes it, loaded
// through tsx, a devDependency of the checkout that npm start runs in (docs/decisions/0084).
const { require: tsxRequire } = require("tsx/cjs/api");
const { demoFlowFile, isLang } = tsxRequire("./flows/build.ts", import.meta.url);
if (!isLang(values.lang)) throw new Error(`no demo flow for language ${values.lang} (en, de, fr, it)`);
if (values.fresh) rmSync(userDir, { recursive: true, force: true });
mkdirSync(userDir, { recursive: true });

// Credentials are made once per user dir and printed at every start.
const secretsFile = join(userDir, "demo-secrets.json");
if (!existsSync(secretsFile)) {
  const password = randomBytes(9).toString("base64url");
  writeFileSync(secretsFile, JSON.stringify({ username: "admin", password, credentialSecret: randomBytes(24).toString("hex") }, null, 2), { mode: 0o600 });
}
const secrets = JSON.parse(readFileSync(secretsFile, "utf8"));
const bcrypt = require("bcryptjs");
const hash = bcrypt.hashSync(secrets.password, 8);

const plain = {
  uiHost: "127.0.0.1",
  uiPort: port,
  flowFile: "flows.json",
  credentialSecret: secrets.credentialSecret,
  nodesDir: [root],
  adminAuth: { type: "credentials", users: [{ username: secrets.username, password: hash, permissions: "*" }] },
  httpNodeAuth: { user: secrets.username, pass: hash },
  editorTheme: { projects: { enabled: false }, tours: false },
  // No first-visit "Enable Update Notifications" modal: the demo never phones home for versions.
  telemetry: { enabled: false, updateNotification: false },
  logging: { console: { level: "info", metrics: false, audit: false } },
  // Both dashboards are devDependencies of the checkout and Node-RED would register both. The other one is kept
  // out: node-red-dashboard 3.x puts compression() in front of every HTTP response of the process, and its
  // brotli encoders kept about 25 MiB of the Node-RED process's memory after one Dashboard 2.0 client had loaded.
  externalModules: { palette: { allowList: ["*"], denyList: [values.dashboard === "1" ? "@flowfuse/node-red-dashboard" : "node-red-dashboard"] } },
};
// The dashboards' socket.io bypasses httpNodeAuth: the same credentials are asked on its handshake (lib/util/dashboard-auth.ts).
const settings = `// Written by scripts/start.mjs at every start.
const bcrypt = require(${JSON.stringify(require.resolve("bcryptjs"))});
const { dashboardSocketAuth } = require(${JSON.stringify(join(root, "dist", "lib", "util", "dashboard-auth.js"))});
const settings = ${JSON.stringify(plain, null, 2)};
const check = (user, password) => user === settings.httpNodeAuth.user && bcrypt.compareSync(password, settings.httpNodeAuth.pass);
settings.dashboard = { ioMiddleware: dashboardSocketAuth(check) };
settings.ui = { ioMiddleware: dashboardSocketAuth(check, { pollingFirst: false }) };
module.exports = settings;
`;
writeFileSync(join(userDir, "settings.js"), settings);
const flowFile = join(userDir, "flows.json");
if (!existsSync(flowFile)) writeFileSync(flowFile, demoFlowFile(values.lang, values.dashboard === "1" ? 1 : 2));

// The community as the flow's zev-community node defines it, in its database, then the history.
const { SqliteStore } = dist("lib/store/sqlite-store.js");
const { saveCommunity } = dist("lib/store/community-repo.js");
const { validateCommunity } = dist("lib/community/validate.js");
const { definitionFromConfig } = dist("nodes/zev-community/definition-from-config.js");
const { backfill, demoBackfillStart } = dist("lib/simulator/backfill.js");
const { SONNENHOF_SITE } = dist("lib/simulator/site.js");
const { SONNENHOF_DEVICES } = dist("lib/simulator/devices.js");
const { loadSimState, saveSimState, startSimulator } = dist("lib/simulator/run.js");

const flows = JSON.parse(readFileSync(flowFile, "utf8"));
const communityNode = flows.find((n) => n.type === "zev-community");
if (!communityNode) throw new Error(`${flowFile} has no zev-community node; start afresh with --fresh`);
const def = definitionFromConfig(communityNode, (p) => readFileSync(isAbsolute(p) ? p : join(userDir, p), "utf8"));
const problems = validateCommunity(def);
if (problems.length) throw new Error(`the community in ${flowFile} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
const dbPath = communityNode.dbPath ? resolve(userDir, communityNode.dbPath) : join(userDir, "zev", `${def.id}.sqlite`);
const stateFile = join(userDir, "zev", "simulator-state.json");
mkdirSync(dirname(dbPath), { recursive: true });
let state = loadSimState(stateFile);
if (!values["no-backfill"]) {
  const store = SqliteStore.open(dbPath);
  try {
    saveCommunity(store, def, { source: `node-red:${communityNode.id}`, actor: "demo" });
    const now = Date.now();
    const t0 = Date.now();
    const r = backfill(store, {
      communityId: def.id,
      site: SONNENHOF_SITE,
      fromMs: state ? state.ts : demoBackfillStart(now, def.timeZone),
      toMs: now,
      state,
      actor: "demo:simulator",
    });
    state = r.state;
    saveSimState(stateFile, state);
    if (r.readings)
      console.log(
        `  history: ${r.readings} simulated readings through the ingest path, ${new Date(r.fromMs).toISOString()} .. ${new Date(r.toMs).toISOString()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
  } finally {
    store.close();
  }
}

let sim;
try {
  sim = await startSimulator({
    site: SONNENHOF_SITE,
    devices: SONNENHOF_DEVICES,
    modbusPort,
    udpPort,
    stateFile,
    state,
    faults: true,
    log: (l) => console.log(`  ${l}`),
  });
} catch (e) {
  if (e && e.code === "EADDRINUSE") {
    console.error(
      `\n  The simulator cannot listen on 127.0.0.1:${e.port}: the port is in use (another demo still running?).\n  Stop it, or choose other ports: npm start -- --modbus-port 1503 --udp-port 7001 --port 1881\n`,
    );
    process.exit(1);
  }
  throw e;
}

const nodeRed = require.resolve("node-red/red.js");
console.log(`
  node-red-contrib-zev demo
  editor:     http://127.0.0.1:${port}/
  dashboard:  http://127.0.0.1:${port}${values.dashboard === "1" ? "/ui" : "/dashboard"}
  login:      ${secrets.username} / ${secrets.password}   (editor, dashboard and invoice PDFs)
  user dir:   ${userDir}
  simulator:  Modbus TCP 127.0.0.1:${modbusPort}, Loxone UDP to 127.0.0.1:${udpPort}
  portal:     http://127.0.0.1:${portalPort}/portal/ (tenants' links: the dashboard's Portal page)
  (stop with Ctrl+C; start afresh with: npm start -- --fresh)
`);
const child = spawn(process.execPath, [nodeRed, "--userDir", userDir, "--settings", join(userDir, "settings.js"), "--port", String(port)], {
  stdio: "inherit",
  cwd: userDir,
  env: {
    ...process.env,
    ZEV_SIM_MODBUS_PORT: String(modbusPort),
    ZEV_SIM_UDP_PORT: String(udpPort),
    ZEV_PORTAL_PORT: String(portalPort),
    ZEV_PORTAL_URL: `http://127.0.0.1:${portalPort}`,
  },
});
let stopping = false;
const stop = (sig) => {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null) child.kill(sig);
};
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stop(sig));
child.on("exit", async (code, signal) => {
  await sim.stop();
  process.exit(code ?? (signal ? 0 : 1));
});
