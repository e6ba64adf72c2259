import assert from "node:assert/strict";
import { ModbusConnection, ModbusError } from "../../../../lib/devices/modbus/connection";
import { readMeter } from "../../../../lib/devices/modbus/meter-reader";
import { findProfile } from "../../../../lib/devices/modbus/profiles";
import { FakeModbusDevice } from "../../../support/modbus-device";
import { freeTcpPort, sleep } from "../../../support/net";

describe("lib/devices/modbus connection (against a modbus-serial ServerTCP on loopback)", () => {
  let dev: FakeModbusDevice | undefined;
  let conn: ModbusConnection | undefined;
  afterEach(async () => {
    await conn?.close();
    await dev?.stop();
    conn = undefined;
    dev = undefined;
  });

  const fast = { timeoutMs: 150, connectTimeoutMs: 500, backoffMinMs: 50, backoffMaxMs: 200, unitPauseMinMs: 300, unitPauseMaxMs: 1000 };

  it("reads a profile's registers and decodes kWh and W", async () => {
    dev = await FakeModbusDevice.start();
    const sdm = findProfile("eastron-sdm630")!;
    dev.serveProfile(1, sdm, { importKWh: 12345.5, exportKWh: 321.25, powerW: -1500.5 });
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, ...fast });
    const r = await readMeter(conn, 1, sdm);
    assert.deepEqual(
      r.values.map((v) => [v.field, v.raw, v.defaultUnit]),
      [
        ["powerW", -1500.5, "W"],
        ["importKWh", 12345.5, "kWh"],
        ["exportKWh", 321.25, "kWh"],
      ],
    );
    assert.deepEqual(
      dev.requests.map((q) => [q.fc, q.address, q.length]),
      [
        [4, 52, 2],
        [4, 72, 4],
      ],
    );
  });

  it("sends one request at a time however many meters read at once", async () => {
    dev = await FakeModbusDevice.start();
    const abb = findProfile("abb-b23")!;
    for (let unit = 1; unit <= 8; unit++) dev.serveProfile(unit, abb, { importKWh: unit * 100, exportKWh: unit, powerW: unit * 10 });
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, ...fast });
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((u) => readMeter(conn!, u, abb)));
    assert.equal(dev.maxInFlight, 1);
    assert.equal(dev.requests.length, 16);
    assert.deepEqual(
      results.map((r) => r.values.find((v) => v.field === "importKWh")!.raw),
      [100, 200, 300, 400, 500, 600, 700, 800],
    );
  });

  it("a unit id that never answers is paused and does not stall the others", async () => {
    dev = await FakeModbusDevice.start();
    const sdm = findProfile("eastron-sdm630")!;
    dev.serveProfile(1, sdm, { importKWh: 10, exportKWh: 0, powerW: 5 });
    dev.setBehaviour(7, "hang");
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, ...fast, unitPauseMinMs: 2000 });
    const errors: string[] = [];
    let good = 0;
    const end = Date.now() + 1200;
    while (Date.now() < end) {
      const [a, b] = await Promise.allSettled([readMeter(conn, 7, sdm), readMeter(conn, 1, sdm)]);
      if (a.status === "rejected") errors.push((a.reason as ModbusError).kind);
      if (b.status === "fulfilled") good++;
      await sleep(20);
    }
    // Two timeouts (150 ms each), then unit 7 is skipped at once while unit 1 keeps answering.
    assert.deepEqual(errors.slice(0, 2), ["timeout", "timeout"]);
    assert.ok(
      errors.slice(2).every((k) => k === "unit-paused"),
      errors.join(","),
    );
    assert.ok(good >= 20, `unit 1 answered ${good} times`);
    assert.ok(conn.unitPauseLeft(7) > 0);
    assert.equal(conn.connects, 1, "timeouts of one unit with answers in between do not recycle the connection");
  });

  it("a Modbus exception fails only that read; the connection stays", async () => {
    dev = await FakeModbusDevice.start();
    dev.setBehaviour(3, "exception");
    dev.setWords(1, 3, 0, [42]);
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, ...fast });
    await assert.rejects(conn.read(3, 3, 0, 1), (e: ModbusError) => e.kind === "exception" && /exception 2/.test(e.message));
    assert.deepEqual(await conn.read(1, 3, 0, 1), [42]);
    assert.equal(conn.connects, 1);
  });

  it("a device that disappears is reconnected with backoff when it comes back", async () => {
    dev = await FakeModbusDevice.start();
    dev.setWords(1, 4, 10, [7]);
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, ...fast });
    assert.deepEqual(await conn.read(1, 4, 10, 1), [7]);
    await dev.stop();
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++) {
      await conn.read(1, 4, 10, 1).then(
        () => kinds.push("ok"),
        (e: ModbusError) => kinds.push(e.kind),
      );
      await sleep(10);
    }
    assert.ok(kinds.includes("connect"), kinds.join(","));
    assert.ok(!kinds.includes("ok"));
    assert.equal(conn.state, "waiting");
    await dev.listen();
    let value: number[] | undefined;
    for (let i = 0; i < 50 && !value; i++) {
      value = await conn.read(1, 4, 10, 1).catch(() => undefined);
      if (!value) await sleep(20);
    }
    assert.deepEqual(value, [7]);
    assert.equal(conn.connects, 2);
    assert.equal(conn.state, "connected");
  });

  it("fails fast while waiting to reconnect instead of queueing", async () => {
    const port = await freeTcpPort();
    conn = new ModbusConnection({ host: "127.0.0.1", port, ...fast, backoffMinMs: 5000, backoffMaxMs: 5000 });
    await assert.rejects(conn.read(1, 3, 0, 1), (e: ModbusError) => e.kind === "connect" && /ECONNREFUSED/.test(e.message));
    const t0 = Date.now();
    await assert.rejects(conn.read(1, 3, 0, 1), (e: ModbusError) => e.kind === "connect" && /ECONNREFUSED.*; retry in 5 s$/.test(e.message));
    assert.ok(Date.now() - t0 < 50);
  });

  it("close rejects queued reads", async () => {
    dev = await FakeModbusDevice.start();
    dev.setBehaviour(1, "hang");
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, ...fast, timeoutMs: 1000 });
    const first = conn.read(1, 3, 0, 1);
    const second = conn.read(2, 3, 0, 1);
    await sleep(50);
    await conn.close();
    await assert.rejects(second, (e: ModbusError) => e.kind === "closed");
    await assert.rejects(first);
  });
});
