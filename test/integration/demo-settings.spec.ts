import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, REPO_ROOT } from "../support/node-red-process";

/*
 * The demo's own settings (scripts/start.mjs, the real script with a real
 * Node-RED): the editor shows its first-visit "Enable Update Notifications"
 * modal while /settings has no telemetryEnabled (editor red.js
 * checkTelemetry); the demo must answer that question itself.
 */
describe("the demo's Node-RED settings", function () {
  this.timeout(90_000);
  let child: ChildProcess | undefined;
  let userDir = "";
  let base = "";
  let secrets: { username: string; password: string };

  before(async () => {
    userDir = mkdtempSync(join(tmpdir(), "zev-demo-settings-"));
    const [port, modbus, udp] = [await freePort(), await freePort(), await freePort()];
    child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "scripts", "start.mjs"),
        "--port",
        String(port),
        "--user-dir",
        userDir,
        "--modbus-port",
        String(modbus),
        "--udp-port",
        String(udp),
        "--no-backfill",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    const end = Date.now() + 60_000;
    while (!/Started flows/.test(log) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    assert.match(log, /Started flows/, log);
    base = `http://127.0.0.1:${port}`;
    secrets = JSON.parse(readFileSync(join(userDir, "demo-secrets.json"), "utf8")) as { username: string; password: string };
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    child = undefined;
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  async function adminToken(): Promise<string> {
    const tokenRes = await fetch(`${base}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "node-red-editor", grant_type: "password", scope: "*", username: secrets.username, password: secrets.password }),
    });
    assert.equal(tokenRes.status, 200);
    return ((await tokenRes.json()) as { access_token: string }).access_token;
  }

  it("turn off the editor's first-visit update-notification modal (telemetryEnabled is false) and keep the tours off", async () => {
    const settings = (await (await fetch(`${base}/settings`, { headers: { Authorization: `Bearer ${await adminToken()}` } })).json()) as Record<
      string,
      unknown
    >;
    assert.equal(settings.telemetryEnabled, false, "the editor asks about update notifications only while telemetryEnabled is undefined");
    assert.equal((settings.editorTheme as { tours?: unknown }).tours, false);
  });

  /*
   * Both dashboards are devDependencies. node-red-dashboard 3.x, once registered, puts compression() in front of every
   * HTTP response of the process: one Dashboard 2.0 client then cost about 25 MiB of brotli encoder memory (issue 16).
   */
  it("run Dashboard 2.0 without registering node-red-dashboard 3.x, so its files are served uncompressed", async () => {
    const nodes = (await (await fetch(`${base}/nodes`, { headers: { Authorization: `Bearer ${await adminToken()}`, Accept: "application/json" } })).json()) as {
      module: string;
    }[];
    const modules = new Set(nodes.map((n) => n.module));
    assert.ok(modules.has("@flowfuse/node-red-dashboard"), [...modules].join(", "));
    assert.ok(!modules.has("node-red-dashboard"), [...modules].join(", "));
    const auth = `Basic ${Buffer.from(`${secrets.username}:${secrets.password}`).toString("base64")}`;
    const page = await fetch(`${base}/dashboard/`, { headers: { Authorization: auth, "Accept-Encoding": "br, gzip, deflate" } });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-encoding"), null);
  });
});
