// The README's main job: a Node-RED on loopback with the suite loaded from
// this checkout, its own settings (adminAuth on), and the demo flow.
// Usage: npm start [-- --port 1880 --user-dir .zev-demo --fresh]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.ZEV_PORT ?? "1880" },
    "user-dir": { type: "string", default: join(root, ".zev-demo") },
    fresh: { type: "boolean", default: false },
  },
});
const userDir = resolve(values["user-dir"]);
const port = Number(values.port);
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

const settings = `// Written by scripts/start.mjs at every start; edit demo/settings.template.js instead.
module.exports = ${JSON.stringify(
  {
    uiHost: "127.0.0.1",
    uiPort: port,
    flowFile: "flows.json",
    credentialSecret: secrets.credentialSecret,
    nodesDir: [root],
    adminAuth: { type: "credentials", users: [{ username: secrets.username, password: hash, permissions: "*" }] },
    httpNodeAuth: { user: secrets.username, pass: hash },
    editorTheme: { projects: { enabled: false }, tours: false },
    logging: { console: { level: "info", metrics: false, audit: false } },
  },
  null,
  2,
)};
`;
writeFileSync(join(userDir, "settings.js"), settings);
const flowFile = join(userDir, "flows.json");
if (!existsSync(flowFile)) copyFileSync(join(root, "demo", "flows.json"), flowFile);

const nodeRed = require.resolve("node-red/red.js");
console.log(`
  node-red-contrib-zev demo
  editor:    http://127.0.0.1:${port}/
  login:     ${secrets.username} / ${secrets.password}
  user dir:  ${userDir}
  (stop with Ctrl+C; start afresh with: npm start -- --fresh)
`);
const child = spawn(process.execPath, [nodeRed, "--userDir", userDir, "--settings", join(userDir, "settings.js"), "--port", String(port)], { stdio: "inherit", cwd: userDir });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
