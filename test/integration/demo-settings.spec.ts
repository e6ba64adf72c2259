import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, REPO_ROOT } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * The demo's own settings (scripts/start.mjs, the real script with a real
 * Node-RED): the editor shows its first-visit "Enable Update Notifications"
 * modal while /settings has no telemetryEnabled (editor red.js
 * checkTelemetry); the demo must answer that question itself.
 */
describe("the demo's Node-RED settings", function () {
  this.timeout(90_000);
  const tmp = useTmpDir("zev-demo-settings-");
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    child = undefined;
  });

  it("turn off the editor's first-visit update-notification modal (telemetryEnabled is false) and keep the tours off", async () => {
    const userDir = tmp();
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
    while (!/Server now running/.test(log) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    assert.match(log, /Server now running/, log);
    const secrets = JSON.parse(readFileSync(join(userDir, "demo-secrets.json"), "utf8")) as { username: string; password: string };
    const tokenRes = await fetch(`http://127.0.0.1:${port}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "node-red-editor", grant_type: "password", scope: "*", username: secrets.username, password: secrets.password }),
    });
    assert.equal(tokenRes.status, 200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const settings = (await (await fetch(`http://127.0.0.1:${port}/settings`, { headers: { Authorization: `Bearer ${access_token}` } })).json()) as Record<
      string,
      unknown
    >;
    assert.equal(settings.telemetryEnabled, false, "the editor asks about update notifications only while telemetryEnabled is undefined");
    assert.equal((settings.editorTheme as { tours?: unknown }).tours, false);
  });
});
