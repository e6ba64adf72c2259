import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../../support/node-red-process";
import { FakeModbusDevice } from "../../../support/modbus-device";

const run = promisify(execFile);

describe("lib/devices/modbus: the TCP client without serialport", function () {
  this.timeout(30_000);

  it("reads a real Modbus TCP device in a fresh Node.js process that never loads serialport, and serialport still loads when asked for later", async () => {
    const client = join(REPO_ROOT, "dist", "lib", "devices", "modbus", "tcp-client.js");
    assert.ok(existsSync(client), "needs npm run build");
    assert.ok(
      existsSync(join(REPO_ROOT, "node_modules", "serialport")),
      "serialport is installed (modbus-serial's optional dependency), so its index would load it",
    );
    const dev = await FakeModbusDevice.start();
    try {
      dev.setWords(1, 4, 100, [0x1234, 0x5678]);
      const script = `
        const Client = require(${JSON.stringify(client)}).modbusTcpClientClass();
        const c = new Client();
        c.connectTCP("127.0.0.1", { port: ${dev.port} }).then(async () => {
          c.setID(1);
          const r = await c.readInputRegisters(100, 2);
          const loaded = Object.keys(require.cache).filter((k) => k.includes("/node_modules/serialport/") || k.includes("/node_modules/@serialport/"));
          c.close(() => {
            console.log(JSON.stringify({ words: r.data, loaded, later: typeof require("serialport").SerialPort }));
          });
        }, (e) => { console.error(e); process.exit(1); });`;
      const { stdout } = await run(process.execPath, ["-e", script], { cwd: REPO_ROOT, timeout: 20_000 });
      const out = JSON.parse(stdout.trim().split("\n").pop()!) as { words: number[]; loaded: string[]; later: string };
      assert.deepEqual(out.words, [0x1234, 0x5678]);
      assert.deepEqual(out.loaded, []);
      assert.equal(out.later, "function");
    } finally {
      await dev.stop();
    }
  });
});
