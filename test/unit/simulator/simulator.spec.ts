import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { join } from "node:path";
import { parseUdpPacket } from "../../../lib/devices/loxone/udp-parse";
import { UdpRouter } from "../../../lib/devices/loxone/udp-router";
import { ModbusConnection } from "../../../lib/devices/modbus/connection";
import { readMeter } from "../../../lib/devices/modbus/meter-reader";
import { AcSmartReader, writeCurrentLimit } from "../../../lib/devices/weidmueller/ac-smart";
import { MeterIngest, type ValueInput } from "../../../lib/readings/meter-input/meter-ingest";
import { bindingProfile, SONNENHOF_DEVICES, udpPackets } from "../../../lib/simulator/devices";
import { SiteSimulator } from "../../../lib/simulator/engine";
import { isLoopback } from "../../../lib/simulator/loopback";
import { RegisterServer } from "../../../lib/simulator/modbus-server";
import { loadSimState, startSimulator } from "../../../lib/simulator/run";
import { SONNENHOF_RFIDS, SONNENHOF_SITE, siteMeters } from "../../../lib/simulator/site";
import { freeTcpPort } from "../../support/net";
import { useTmpDir } from "../../support/tmp";

const site = SONNENHOF_SITE;
const T0 = Date.parse("2026-10-05T00:00:00+02:00"); // a Monday

describe("simulator: the building", () => {
  it("counters never run back and are the integral of the power reported", () => {
    const sim = new SiteSimulator(site, T0);
    let prev = new Map(sim.snapshot().map((s) => [s.meter, s]));
    const integral = new Map<string, { imp: number; exp: number }>();
    // irregular steps over two days, power held over each step
    let t = T0;
    let k = 0;
    while (t < T0 + 2 * 86_400_000) {
      const dt = [1000, 7000, 60_000, 13_000][k++ % 4]!;
      const before = sim.snapshot();
      sim.advanceTo(t + dt, dt);
      t += dt;
      for (const s of before) {
        const acc = integral.get(s.meter) ?? { imp: 0, exp: 0 };
        if (s.powerW >= 0) acc.imp += (s.powerW * dt) / 3_600_000;
        else acc.exp += (-s.powerW * dt) / 3_600_000;
        integral.set(s.meter, acc);
      }
      for (const s of sim.snapshot()) {
        const p = prev.get(s.meter)!;
        assert.ok(s.importKWh >= p.importKWh && s.exportKWh >= p.exportKWh, `${s.meter} ran back at ${new Date(t).toISOString()}`);
      }
      prev = new Map(sim.snapshot().map((s) => [s.meter, s]));
    }
    for (const s of sim.snapshot()) {
      const start = site.initialKWh[s.meter]!;
      const acc = integral.get(s.meter)!;
      // whole Wh on the display, and power rounded to W per step
      assert.ok(Math.abs(s.importKWh - start.importKWh - acc.imp / 1000) < 0.05, `${s.meter} import ${s.importKWh - start.importKWh} vs ${acc.imp / 1000}`);
      assert.ok(Math.abs(s.exportKWh - start.exportKWh - acc.exp / 1000) < 0.05, `${s.meter} export`);
    }
  });

  it("the grid meter balances the building: consumers + battery charging + unmetered - solar - discharging", () => {
    const sim = new SiteSimulator(site, T0);
    const a = new Map(sim.snapshot().map((s) => [s.meter, s]));
    sim.advanceTo(T0 + 86_400_000, 60_000);
    const b = new Map(sim.snapshot().map((s) => [s.meter, s]));
    const d = (m: string, f: "importKWh" | "exportKWh"): number => b.get(m)![f] - a.get(m)![f];
    const consumers = ["unit-1", "unit-2", "unit-3", "common", "charger-1"].reduce((s, m) => s + d(m, "importKWh"), 0);
    const expected = consumers + d("battery", "importKWh") - d("battery", "exportKWh") - d("pv", "importKWh") + (site.grid.unmeteredW * 24) / 1000;
    assert.ok(
      Math.abs(d("grid", "importKWh") - d("grid", "exportKWh") - expected) < 0.02,
      `grid ${d("grid", "importKWh") - d("grid", "exportKWh")} vs ${expected}`,
    );
    assert.ok(consumers > 20 && consumers < 120, `a plausible day: ${consumers} kWh`);
  });

  it("the battery stays between its reserve and its capacity (give or take one step's energy)", () => {
    const sim = new SiteSimulator(site, Date.parse("2026-06-20T00:00:00+02:00"));
    const b = site.battery!;
    for (let h = 1; h <= 72; h++) {
      sim.advanceTo(sim.now + 3_600_000, 60_000);
      const soc = sim.state().batterySocWh;
      assert.ok(soc >= b.reserveWh - 100 && soc <= b.capacityWh + 100, `soc ${soc} after ${h} h`);
    }
  });

  it("is deterministic and continues exactly from a saved state", () => {
    const one = new SiteSimulator(site, T0);
    one.advanceTo(T0 + 6 * 3_600_000, 10_000);
    const half = new SiteSimulator(site, T0);
    half.advanceTo(T0 + 3 * 3_600_000, 10_000);
    const resumed = new SiteSimulator(site, 0, JSON.parse(JSON.stringify(half.state())));
    resumed.advanceTo(T0 + 6 * 3_600_000, 10_000);
    assert.deepEqual(resumed.snapshot(), one.snapshot());
    assert.deepEqual(resumed.state(), one.state());
  });

  it("a car plugs in on a weekday evening, charges its session and stops when full; a current limit of 0 pauses it", () => {
    const sim = new SiteSimulator(site, Date.parse("2026-10-05T17:00:00+02:00"));
    assert.equal(sim.charger()!.carState, "A");
    sim.advanceTo(Date.parse("2026-10-05T18:30:00+02:00"), 10_000);
    let c = sim.charger()!;
    assert.equal(c.carState, "C");
    assert.equal(c.rfid, SONNENHOF_RFIDS.unit1);
    assert.equal(c.powerW, 11_000);
    assert.ok(c.session && c.session.energyWh > 5000 && c.session.energyWh < 6000, JSON.stringify(c.session));
    sim.setCurrentLimit(0, 60_000);
    assert.equal(sim.charger()!.carState, "B");
    assert.equal(sim.charger()!.powerW, 0);
    sim.setCurrentLimit(8, 60_000);
    assert.equal(sim.charger()!.powerW, 8 * 3 * 230);
    // the heartbeat runs out: the charger falls back to its own maximum
    sim.advanceTo(sim.now + 120_000, 10_000);
    assert.equal(sim.charger()!.powerW, 11_000);
    assert.equal(sim.charger()!.limitA, null);
    sim.advanceTo(Date.parse("2026-10-06T03:00:00+02:00"), 10_000);
    c = sim.charger()!;
    assert.equal(c.carState, "B", "full: connected, not charging");
    assert.equal(Math.round(c.session!.energyWh / 1000), 16);
    sim.advanceTo(Date.parse("2026-10-06T08:00:00+02:00"), 60_000);
    assert.equal(sim.charger()!.carState, "A");
    assert.equal(sim.charger()!.session, null);
  });

  it("talks to loopback only", async () => {
    assert.ok(isLoopback("127.0.0.1") && isLoopback("127.0.0.2") && isLoopback("::1") && isLoopback("localhost"));
    assert.ok(!isLoopback("0.0.0.0") && !isLoopback("192.168.1.5") && !isLoopback("example.com"));
    assert.throws(() => new RegisterServer(1502, "0.0.0.0"), /loopback/);
    await assert.rejects(startSimulator({ site, devices: SONNENHOF_DEVICES, host: "192.168.1.5", modbusPort: 1502 }), /loopback/);
  });
});

describe("simulator: devices on loopback", function () {
  this.timeout(20000);
  const tmp = useTmpDir("zev-sim-");

  it("every Modbus meter reads back through the meter-in reader as the engine's values", async () => {
    const port = await freeTcpPort();
    const sim = await startSimulator({ site, devices: SONNENHOF_DEVICES, modbusPort: port, udpPort: null, now: () => T0 + 12 * 3_600_000 });
    const conn = new ModbusConnection({ host: "127.0.0.1", port, timeoutMs: 1000 });
    try {
      for (const b of SONNENHOF_DEVICES.meters) {
        if (b.via !== "modbus") continue;
        const profile = bindingProfile(b);
        const r = await readMeter(conn, b.unitId, profile);
        const ingest = new MeterIngest({ meter: b.meter });
        const out = ingest.offer({ values: r.values, origin: "test" }, Date.now());
        assert.equal(out.rejections.length, 0, JSON.stringify(out.rejections));
        const want = sim.engine.meter(b.meter);
        const got = out.reading!;
        // float32 registers: a few Wh at counters of tens of MWh
        assert.ok(Math.abs(got.importKWh! - want.importKWh) < 0.01, `${b.meter} import ${got.importKWh} vs ${want.importKWh}`);
        assert.ok(Math.abs((got.exportKWh ?? 0) - want.exportKWh) < 0.01, `${b.meter} export`);
        assert.ok(Math.abs((got.powerW ?? 0) - want.powerW) < 0.01, `${b.meter} power ${got.powerW} vs ${want.powerW}`);
      }
    } finally {
      await conn.close();
      await sim.stop();
    }
  });

  it("the AC SMART reads back through the charger node's reader, and obeys the current limit it writes", async () => {
    const port = await freeTcpPort();
    let clock = Date.parse("2026-10-05T19:00:00+02:00"); // Monday evening: unit 1's car charges
    const sim = await startSimulator({ site, devices: SONNENHOF_DEVICES, modbusPort: port, udpPort: null, now: () => clock });
    const conn = new ModbusConnection({ host: "127.0.0.1", port, timeoutMs: 1000 });
    try {
      const reader = new AcSmartReader(conn, SONNENHOF_DEVICES.charger!.unitId);
      let r = await reader.read();
      const c = sim.engine.charger()!;
      assert.deepEqual([r.carState, r.connected, r.charging, r.rfid], ["C", true, true, SONNENHOF_RFIDS.unit1]);
      assert.equal(r.powerW, 11_000);
      assert.equal(r.energyKWh, c.energyWh / 1000);
      await writeCurrentLimit(conn, SONNENHOF_DEVICES.charger!.unitId, 0);
      clock += 1000;
      sim.refresh();
      r = await reader.read();
      assert.deepEqual([r.carState, r.charging, r.powerW], ["B", false, 0], "paused by the limit");
      await writeCurrentLimit(conn, SONNENHOF_DEVICES.charger!.unitId, 10);
      clock += 1000;
      sim.refresh();
      r = await reader.read();
      assert.deepEqual([r.carState, r.powerW], ["C", 10 * 3 * 230]);
      // no heartbeat for longer than it lasts: the charger takes back control
      clock += 70_000;
      sim.refresh();
      assert.equal((await reader.read()).powerW, 11_000);
    } finally {
      await conn.close();
      await sim.stop();
    }
  });

  it("Loxone UDP packets arrive on the port and parse with the meter-in parser into the engine's values", async () => {
    const rx = createSocket("udp4");
    await new Promise<void>((r) => rx.bind(0, "127.0.0.1", () => r()));
    const udpPort = rx.address().port;
    const got: string[] = [];
    rx.on("message", (m) => got.push(m.toString("utf8")));
    const sim = await startSimulator({ site, devices: SONNENHOF_DEVICES, modbusPort: await freeTcpPort(), udpPort, udpEveryMs: 100 });
    try {
      const until = Date.now() + 3000;
      while (got.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.ok(got.length >= 4, `packets: ${got.join(" | ")}`);
      const binding = SONNENHOF_DEVICES.meters.find((b) => b.via === "udp")!;
      assert.ok(binding.via === "udp");
      const router = new UdpRouter();
      const ingest = new MeterIngest({ meter: binding.meter });
      let reading = ingest.lastReading;
      router.add({ jsonName: binding.meter, keys: { importKWh: binding.importName, powerW: binding.powerName }, deliver: () => undefined });
      for (const p of got) {
        const parsed = parseUdpPacket(Buffer.from(p));
        assert.ok(parsed.ok, p);
        const routed = router.route(parsed.items);
        assert.equal(routed.unrouted, 0, p);
        for (const d of routed.deliveries) {
          const out = ingest.offer({ ...d.arrival, values: d.arrival.values as ValueInput[], origin: "udp" }, Date.now());
          assert.equal(out.rejections.length, 0, JSON.stringify(out.rejections));
          reading = out.reading ?? reading;
        }
      }
      assert.ok(reading && reading.importKWh! > site.initialKWh[binding.meter]!.importKWh - 1e-9);
      assert.ok(typeof reading!.powerW === "number" && reading!.powerW > 0);
      // the JSON format parses too
      const json = udpPackets({ ...binding, format: "json" }, sim.engine.meter(binding.meter));
      const pj = parseUdpPacket(Buffer.from(json[0]!));
      assert.ok(pj.ok && pj.items[0]!.kind === "meter");
    } finally {
      await sim.stop();
      rx.close();
    }
  });

  it("keeps its counters in the state file across a restart", async () => {
    const stateFile = join(tmp(), "sim.json");
    let clock = T0;
    const port = await freeTcpPort();
    const a = await startSimulator({ site, devices: SONNENHOF_DEVICES, modbusPort: port, stateFile, now: () => clock });
    clock += 3_600_000;
    a.refresh();
    const before = a.engine.snapshot();
    await a.stop();
    const saved = loadSimState(stateFile)!;
    assert.equal(saved.ts, T0 + 3_600_000);
    clock += 600_000; // ten minutes off
    const b = await startSimulator({ site, devices: SONNENHOF_DEVICES, modbusPort: port, stateFile, now: () => clock });
    try {
      for (const s of b.engine.snapshot()) {
        const p = before.find((x) => x.meter === s.meter)!;
        assert.ok(s.importKWh >= p.importKWh && s.exportKWh >= p.exportKWh, s.meter);
      }
      assert.ok(siteMeters(site).every((m) => b.engine.meter(m.id)));
      assert.equal(b.engine.now, clock);
    } finally {
      await b.stop();
    }
  });
});
