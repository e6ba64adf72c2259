import assert from "node:assert/strict";
import { idLabel, payerAt, unitResolver } from "../../../lib/charging/attribution";
import { currentLimit, DEFAULT_CONTROL } from "../../../lib/charging/current-control";
import { mapMode, parseModeMap } from "../../../lib/charging/mode-map";
import { readWallbox } from "../../../lib/devices/loxone/wallbox";
import { ModbusConnection, ModbusError } from "../../../lib/devices/modbus/connection";
import { decodeAscii, encodeAscii, encodeRegisters } from "../../../lib/devices/modbus/decode";
import { AcSmartReader, AcSmartStateError, writeCurrentLimit } from "../../../lib/devices/weidmueller/ac-smart";
import { AC_SMART } from "../../../lib/devices/weidmueller/registers";
import { minimalCommunity } from "../../support/community-fixture";
import { FakeModbusDevice } from "../../support/modbus-device";

describe("charging: mode mapping, current control, attribution", () => {
  it("parses a mode mapping and maps device values (numbers as numbers, words as themselves)", () => {
    const p = parseModeMap("1=normal; 2 = priority\n3:PRIORITY, eco=normal");
    assert.ok(p.ok);
    const map = p.ok ? p.map : new Map();
    assert.equal(mapMode(map, 1), "normal");
    assert.equal(mapMode(map, "2.0"), "priority");
    assert.equal(mapMode(map, " 3 "), "priority");
    assert.equal(mapMode(map, "ECO"), "normal");
    assert.equal(mapMode(map, "priority"), "priority");
    assert.equal(mapMode(map, 7), null, "an unmapped value is reported, not guessed");
    assert.equal(mapMode(map, ""), undefined);
    assert.deepEqual(parseModeMap("1=fast"), { ok: false, error: '"fast" is not a mode (priority or normal)' });
    assert.deepEqual(parseModeMap("1"), { ok: false, error: '"1" is not written value=mode' });
    assert.deepEqual(parseModeMap("1=normal;1=priority"), { ok: false, error: "value 1 is mapped twice" });
    assert.ok(parseModeMap("").ok);
  });

  it("current limit: priority at the maximum, normal from the surplus, 0 below 6 A or without a fresh surplus", () => {
    const now = 1_000_000;
    const o = { ...DEFAULT_CONTROL, maxCurrentA: 16 };
    assert.deepEqual(currentLimit("priority", null, now, o), { amps: 16, reason: "priority" });
    assert.deepEqual(currentLimit("normal", { w: 6900, ts: now }, now, o), { amps: 10, reason: "surplus" }); // 6900 / 690 W per A
    assert.deepEqual(currentLimit("normal", { w: 6899, ts: now }, now, o), { amps: 9, reason: "surplus" });
    assert.deepEqual(currentLimit("normal", { w: 4000, ts: now }, now, o), { amps: 0, reason: "below-minimum" });
    assert.deepEqual(currentLimit("normal", { w: 50_000, ts: now }, now, o), { amps: 16, reason: "surplus" });
    assert.deepEqual(currentLimit("normal", { w: -300, ts: now }, now, o), { amps: 0, reason: "below-minimum" });
    assert.deepEqual(currentLimit("normal", { w: 9000, ts: now - 6 * 60_000 }, now, o), { amps: 0, reason: "no-surplus" });
    assert.deepEqual(currentLimit("normal", { w: 1500, ts: now }, now, { ...o, phases: 1 }), { amps: 6, reason: "surplus" });
  });

  it("maps charging ids to units without regard to case and finds who pays for the unit that day", () => {
    const def = minimalCommunity({
      chargingIds: [
        { id: "04A1B2", unit: "u1", label: "Anna's card" },
        { id: "ben", unit: "u2" },
      ],
    });
    const unitFor = unitResolver(def);
    assert.equal(unitFor("04a1b2"), "u1");
    assert.equal(unitFor(" BEN "), "u2");
    assert.equal(unitFor("stranger"), null);
    assert.equal(unitResolver(undefined)("x"), null);
    assert.equal(idLabel(def, "04a1b2"), "Anna's card");
    assert.deepEqual(payerAt(def, "u1", Date.UTC(2026, 5, 1, 12)), { name: "Tenant One", kind: "tenant" });
    assert.deepEqual(payerAt(def, "u2", Date.UTC(2026, 5, 1, 12)), { name: "Owner AG", kind: "owner" }, "a vacant unit's charging goes to the owner");
    assert.equal(payerAt(def, null, 0), null);
  });

  it("reads the Loxone Wallbox block's values in the charger's units and names bad ones", () => {
    const r = readWallbox({ connected: "1", charging: 0, power: "7.36 kW", total: "1234.567", session: 3.2, mode: 2, userId: " 17 " });
    assert.deepEqual(r.values, { connected: true, charging: false, powerW: 7360, counterWh: 1_234_567, sessionWh: 3200, mode: 2, userId: "17" });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(readWallbox({ power: 3000 }).values.powerW, 3_000_000, "a bare power number is kW, as the block sends it");
    assert.deepEqual(readWallbox({ power: "3000 W", total: "5 MWh", userId: "" }).values, { powerW: 3000, counterWh: 5_000_000, userId: null });
    assert.deepEqual(readWallbox({ connected: "maybe", total: "-1", power: "5 kWh" }).problems, [
      { field: "connected", value: "maybe", detail: "expected 0 or 1" },
      { field: "power", value: "5 kWh", detail: "unit kWh does not fit" },
      { field: "total", value: "-1", detail: "negative counter" },
    ]);
  });

  it("decodes register text: two characters a word, NUL padding and garbage ignored", () => {
    assert.equal(decodeAscii(encodeAscii("04A1B2C3D4", 11)), "04A1B2C3D4");
    assert.equal(decodeAscii([0x0041]), "A");
    assert.equal(decodeAscii([0, 0, 0]), "");
    assert.equal(decodeAscii([0x4142, 0xffff, 0x4344]), "AB");
    assert.deepEqual(encodeAscii("ABC", 2), [0x4142, 0x4300]);
  });
});

describe("Weidmüller AC SMART over Modbus TCP (modbus-serial ServerTCP on 127.0.0.1)", () => {
  let dev: FakeModbusDevice;
  let conn: ModbusConnection;
  beforeEach(async () => {
    dev = await FakeModbusDevice.start();
    conn = new ModbusConnection({ host: "127.0.0.1", port: dev.port, timeoutMs: 300 });
  });
  afterEach(async () => {
    await conn.close();
    await dev.stop();
  });

  const serve = (state: string, powerW: number, wh: number, rfid: string): void => {
    dev.setWords(255, 3, 301, [state.charCodeAt(0)]);
    dev.setWords(255, 3, 418, encodeRegisters(powerW * 1000, "uint32", "lsw"));
    dev.setWords(255, 3, 457, encodeRegisters(wh, "uint32", "lsw"));
    dev.setWords(255, 3, 1000, encodeAscii(rfid, 11));
  };

  it("reads state, power (mW), lifetime energy (Wh) LSW first and the RFID tag", async () => {
    serve("C", 11_040, 123_456_789, "04A1B2C3D4");
    const r = await new AcSmartReader(conn, 255).read();
    assert.deepEqual(
      { ...r, raw: "" },
      { carState: "C", connected: true, charging: true, powerW: 11_040, energyKWh: 123_456.789, rfid: "04A1B2C3D4", raw: "" },
    );
    assert.match(r.raw, /^state=0043 power=.* energy=cd15075b rfid=3034/);
    assert.deepEqual(
      dev.requests.map((q) => [q.address, q.length]),
      [
        [301, 1],
        [418, 2],
        [457, 2],
        [1000, 11],
      ],
    );
  });

  it("a device without energy meter or RFID reads them as null, asks again only later, and stays unpaused", async () => {
    let now = 0;
    const reader = new AcSmartReader(conn, 255, 60_000, () => now);
    dev.setWords(255, 3, 301, [0x0041]);
    dev.setWords(255, 3, 418, [0, 0]);
    const r = await reader.read();
    assert.deepEqual({ c: r.connected, e: r.energyKWh, id: r.rfid }, { c: false, e: null, id: null });
    assert.deepEqual(reader.missing, ["energy", "rfid"]);
    await reader.read();
    assert.equal(dev.requests.length, 4 + 2, "the refused blocks are not asked for on the next poll");
    assert.equal(conn.unitPauseLeft(255), 0);
    now = 60_000;
    dev.setWords(255, 3, 457, [1000, 0]);
    assert.equal((await reader.read()).energyKWh, 1);
    assert.deepEqual(reader.missing, ["rfid"]);
  });

  it("an unknown state letter is an error; a fault state keeps what was known", async () => {
    serve("B", 0, 0, "");
    const reader = new AcSmartReader(conn, 255);
    dev.setWords(255, 3, 301, [0x0058]);
    await assert.rejects(reader.read(), (e: unknown) => e instanceof AcSmartStateError && e.message === "unknown car state register contents 0x0058");
    dev.setWords(255, 3, 301, [0x0046]);
    assert.equal((await reader.read()).connected, null);
  });

  it("writes the heartbeat and the current limit with FC16; a refused write does not pause the unit's reads", async () => {
    serve("B", 0, 1000, "");
    await writeCurrentLimit(conn, 255, 13.7);
    assert.deepEqual(dev.writes, [
      { unit: 255, address: AC_SMART.heartbeat.address, words: [1, 1] },
      { unit: 255, address: 11052, words: [13] },
    ]);
    dev.readOnly.add("255/11050");
    for (let i = 0; i < 3; i++) await assert.rejects(writeCurrentLimit(conn, 255, 6), (e: unknown) => e instanceof ModbusError && e.kind === "exception");
    assert.equal(conn.unitPauseLeft(255), 0);
    assert.equal((await new AcSmartReader(conn, 255).read()).carState, "B");
  });
});
