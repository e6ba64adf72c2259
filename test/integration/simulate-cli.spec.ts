import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ModbusConnection } from "../../lib/devices/modbus/connection";
import { readMeter } from "../../lib/devices/modbus/meter-reader";
import { findProfile } from "../../lib/devices/modbus/profiles";
import { dataQuality } from "../../lib/aggregation/data-quality";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { freePort, REPO_ROOT } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/* `zev simulate` as an integrator runs it: the compiled command line, real sockets, signals. */
describe("zev simulate (the compiled command line)", function () {
  this.timeout(60_000);
  const tmp = useTmpDir("zev-simulate-");
  const zev = join(REPO_ROOT, "dist", "bin", "zev.js");
  before(function () {
    if (!existsSync(zev)) spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
  });

  it("serves the meters on loopback, prints where, and stops on SIGTERM keeping its counters", async () => {
    const [modbusPort, udpPort] = [await freePort(), await freePort()];
    const state = join(tmp(), "sim.json");
    const child = spawn(process.execPath, [zev, "simulate", "--modbus-port", String(modbusPort), "--udp-port", String(udpPort), "--state", state], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const end = Date.now() + 15_000;
    while (!/Ctrl\+C stops/.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.match(out, new RegExp(`Modbus TCP on 127\\.0\\.0\\.1:${modbusPort}`));
    assert.match(out, /unit-3 +udp +UDP to port \d+: "unit-3-p:<W>", "unit-3:<kWh>"/);
    assert.match(out, /pv +modbus +127\.0\.0\.1:\d+ unit 240 \(sunspec-213\)/);
    const conn = new ModbusConnection({ host: "127.0.0.1", port: modbusPort, timeoutMs: 1000 });
    let first: number;
    try {
      const r = await readMeter(conn, 1, findProfile("eastron-sdm630")!);
      first = Number(r.values.find((v) => v.field === "importKWh")!.raw);
      assert.ok(first > 8000, String(first));
    } finally {
      await conn.close();
    }
    child.kill("SIGTERM");
    assert.equal(await exited, 0, out);
    assert.match(out, /simulator stopped/);
    const saved = JSON.parse(readFileSync(state, "utf8")) as { counters: Record<string, { importWh: number }> };
    assert.ok(saved.counters["unit-1"]!.importWh / 1000 >= first - 0.01);
  });

  it("--backfill-days writes history through the ingest path and exits with --no-live", () => {
    const db = join(tmp(), "site.sqlite");
    const imp = spawnSync(process.execPath, [zev, "community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db], { encoding: "utf8" });
    assert.equal(imp.status, 0, imp.stderr);
    const r = spawnSync(process.execPath, [zev, "simulate", "--backfill-days", "2", "--db", db, "--community", "sonnenhof", "--no-live"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    // Swiss number format in the human output (issue 11): 5'760 readings
    assert.match(r.stdout, /backfill .*: \d{1,3}(?:'\d{3})* readings through the ingest path, \d{1,3}(?:'\d{3})* quarter hours, 0 rejected/);
    assert.ok(existsSync(`${db}.simulator.json`), "the counters are kept next to the database");
    const store = SqliteStore.open(db, { readonly: true });
    try {
      const now = Math.floor(Date.now() / 900_000) * 900_000;
      const q = dataQuality(store, "sonnenhof", now - 86_400_000, now, { untilMs: now });
      assert.ok(q.meters.find((m) => m.meter === "unit-1")!.measured >= 95);
    } finally {
      store.close();
    }
    // a second run continues the counters: nothing is rejected
    const again = spawnSync(process.execPath, [zev, "simulate", "--backfill-days", "2", "--db", db, "--community", "sonnenhof", "--no-live"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, / 0 rejected/);
  });

  it("refuses addresses other than loopback and bad options", () => {
    const r = spawnSync(process.execPath, [zev, "simulate", "--host", "192.168.1.5", "--modbus-port", "15999"], { encoding: "utf8", timeout: 10_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /only uses loopback addresses/);
    const bad = spawnSync(process.execPath, [zev, "simulate", "--speed", "0"], { encoding: "utf8", timeout: 10_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--speed/);
  });
});
