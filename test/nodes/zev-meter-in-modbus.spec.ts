import assert from "node:assert/strict";
import type { NodeMessage } from "node-red";
import { PROFILES } from "../../lib/devices/modbus/profiles";
import type { Reading } from "../../lib/readings/reading";
import { FakeModbusDevice } from "../support/modbus-device";
import { useNodeRed } from "../support/node-red";
import { sleep, waitFor } from "../support/net";
import { collect, errors, onTab, statuses, ZEV_NODES, type FlowNode, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };

/** Values each profile's types can carry exactly (float32 has 24 bits, scaled integers their step). */
const KNOWN: Record<string, { importKWh: number; exportKWh: number; powerW: number }> = {
  "eastron-sdm630": { importKWh: 12345.5, exportKWh: 321.25, powerW: -1500.5 },
  "eastron-sdm72": { importKWh: 4567.25, exportKWh: 0.5, powerW: 2300 },
  "abb-b23": { importKWh: 12345.67, exportKWh: 89.01, powerW: -1500.55 },
  "carlo-gavazzi-em24": { importKWh: 12345.6, exportKWh: 78.9, powerW: -1500.5 },
  "carlo-gavazzi-em340": { importKWh: 98765.4, exportKWh: 3.2, powerW: 999.9 },
  "janitza-umg": { importKWh: 12345.5, exportKWh: 321.25, powerW: 4200.5 },
  "schneider-iem3000": { importKWh: 12345.678, exportKWh: 1.001, powerW: -1500 },
  "siemens-pac2200": { importKWh: 12345.6789, exportKWh: 42.4242, powerW: 1234.5 },
  "sunspec-213": { importKWh: 23456.5, exportKWh: 7890.25, powerW: -3000.5 },
};

describe("zev-meter-in with Modbus TCP (modbus-serial ServerTCP on 127.0.0.1)", () => {
  const helper = useNodeRed();
  let dev: FakeModbusDevice | undefined;
  afterEach(async () => {
    await dev?.stop();
    dev = undefined;
  });

  const connection = (port: number): FlowNode =>
    ({
      id: "conn",
      type: "zev-modbus-connection",
      host: "127.0.0.1",
      port: String(port),
      timeout: "150",
      reconnectMin: "50",
      reconnectMax: "200",
      unitPause: "300",
    }) as FlowNode;
  const meter = (id: string, unit: number, profile: string, extra: Record<string, unknown> = {}): FlowNode =>
    ({
      id,
      type: "zev-meter-in",
      meterId: `meter-${id}`,
      role: "unit",
      source: "modbus",
      modbus: "conn",
      mbUnitId: String(unit),
      mbProfile: profile,
      mbInterval: "0.05",
      wires: [[`out-${id}`]],
      ...extra,
    }) as FlowNode;

  it("decodes every built-in profile's kWh and W from registers in that profile's types and word order", async () => {
    dev = await FakeModbusDevice.start();
    const nodes: FlowNode[] = [connection(dev.port)];
    PROFILES.forEach((p, i) => {
      dev!.serveProfile(i + 1, p, KNOWN[p.id]!);
      nodes.push(meter(`p${i}`, i + 1, p.id), { id: `out-p${i}`, type: "helper" } as FlowNode);
    });
    await helper.load(ZEV_NODES, onTab(nodes));
    const outs = PROFILES.map((_, i) => collect<ReadingMsg>(helper.getNode(`out-p${i}`)));
    await waitFor(() => outs.every((o) => o.length >= 1), "a reading from every profile");
    PROFILES.forEach((p, i) => {
      const r = outs[i]![0]!.payload;
      assert.deepEqual({ importKWh: r.importKWh, exportKWh: r.exportKWh, powerW: r.powerW }, KNOWN[p.id], p.id);
    });
    assert.equal(dev.maxInFlight, 1, "one request at a time on the shared connection");
  });

  it("reads word-swapped registers as the device sends them (EM24: 0xE240 0x0001 = 123456 x 0.1 kWh)", async () => {
    dev = await FakeModbusDevice.start();
    dev.setWords(1, 4, 52, [0xe240, 0x0001]); // import, LSW first
    dev.setWords(1, 4, 78, [0x0064, 0x0000]); // export 100 x 0.1
    dev.setWords(1, 4, 40, [0xc568, 0xffff]); // power -15000 x 0.1 W
    await helper.load(ZEV_NODES, onTab([connection(dev.port), meter("em", 1, "carlo-gavazzi-em24"), { id: "out-em", type: "helper" }]));
    const out = collect<ReadingMsg>(helper.getNode("out-em"));
    await waitFor(() => out.length >= 1, "reading");
    assert.deepEqual({ ...out[0]!.payload, ts: 0 }, { meter: "meter-em", ts: 0, importKWh: 12345.6, exportKWh: 10, powerW: -1500, resolutionKWh: 0.1 });
  });

  it("reads a custom profile given in the manual's numbering", async () => {
    dev = await FakeModbusDevice.start();
    dev.setWords(3, 3, 99, [0x0001, 0x86a0]); // register 40100 = wire 99: uint32 100000 Wh
    await helper.load(
      ZEV_NODES,
      onTab([
        connection(dev.port),
        meter("c", 3, "custom", {
          mbCustom: { numbering: "modicon", importKWh: { fc: "3", address: "40100", type: "uint32", order: "msw", scale: "1", unit: "Wh" } },
        }),
        { id: "out-c", type: "helper" },
      ]),
    );
    const out = collect<ReadingMsg>(helper.getNode("out-c"));
    await waitFor(() => out.length >= 1, "reading");
    assert.equal(out[0]!.payload.importKWh, 100);
    assert.deepEqual(dev.requests[0], { unit: 3, fc: 3, address: 99, length: 2 });
  });

  it("a unit id that never answers does not stall the other meters on the connection", async () => {
    dev = await FakeModbusDevice.start();
    const sdm = PROFILES.find((p) => p.id === "eastron-sdm630")!;
    dev.serveProfile(1, sdm, KNOWN["eastron-sdm630"]!);
    dev.setBehaviour(7, "hang");
    await helper.load(
      ZEV_NODES,
      onTab([connection(dev.port), meter("good", 1, sdm.id), meter("dead", 7, sdm.id), { id: "out-good", type: "helper" }, { id: "out-dead", type: "helper" }]),
    );
    const good = collect<ReadingMsg>(helper.getNode("out-good"));
    const dead = helper.getNode("dead") as MeterNode;
    await sleep(1000);
    assert.ok(good.length >= 10, `the healthy meter emitted ${good.length} readings in 1 s`);
    assert.ok((dead.stats.errors.timeout ?? 0) >= 2);
    assert.ok((dead.stats.errors["unit-paused"] ?? 0) >= 1, JSON.stringify(dead.stats.errors));
    assert.equal(dead.stats.received, 0);
  });

  it("a device that disappears shows the error and is read again when it comes back", async () => {
    dev = await FakeModbusDevice.start();
    const abb = PROFILES.find((p) => p.id === "abb-b23")!;
    dev.serveProfile(1, abb, KNOWN["abb-b23"]!);
    await helper.load(ZEV_NODES, onTab([connection(dev.port), meter("m", 1, abb.id), { id: "out-m", type: "helper" }]));
    const node = helper.getNode("m") as MeterNode;
    const st = statuses(node);
    const errs = errors(node);
    const out = collect<ReadingMsg>(helper.getNode("out-m"));
    await waitFor(() => out.length >= 1, "first reading");
    await dev.stop();
    await waitFor(() => (node.stats.errors.connect ?? 0) >= 1, "connect failures");
    await waitFor(() => st[st.length - 1]?.fill === "red", "red status", 1000);
    assert.match(st[st.length - 1]!.text!, /^connection failed: 127\.0\.0\.1:\d+: .*ECONNREFUSED.* · last value \d+ s ago$/);
    const before = out.length;
    await sleep(200);
    assert.ok(out.length <= before + 1, "no readings while the device is away");
    dev.serveProfile(1, abb, { ...KNOWN["abb-b23"]!, importKWh: 12346 });
    await dev.listen();
    await waitFor(() => out.some((m) => m.payload.importKWh === 12346), "readings again after reconnect", 3000);
    await waitFor(() => st[st.length - 1]?.fill === "green", "green again", 1000);
    assert.ok(errs.filter((e) => /connection failed/.test(e)).length <= 2, `a device that stays away is not logged on every poll: ${errs.join("\n")}`);
  });

  it("the connection closes when its last meter closes", async () => {
    dev = await FakeModbusDevice.start();
    dev.serveProfile(1, PROFILES[0]!, KNOWN[PROFILES[0]!.id]!);
    await helper.load(ZEV_NODES, onTab([connection(dev.port), meter("m", 1, PROFILES[0]!.id), { id: "out-m", type: "helper" }]));
    const out = collect<ReadingMsg>(helper.getNode("out-m"));
    await waitFor(() => out.length >= 1, "reading");
    await helper.unload();
    await waitFor(() => (dev as unknown as { server?: { socks: Map<unknown, unknown> } }).server?.socks.size === 0, "server sees the socket closed", 1000);
  });

  it("an unknown profile or a bad custom profile stops the node with a clear problem", async () => {
    dev = await FakeModbusDevice.start();
    await helper.load(
      ZEV_NODES,
      onTab([
        connection(dev.port),
        meter("x", 1, "acme-9000"),
        meter("y", 1, "custom", { mbCustom: { numbering: "wire", importKWh: { fc: "3", address: "", type: "float32" } } }),
      ]),
    );
    const logged = helper.log().args.map((a) => JSON.stringify(a[0]));
    assert.ok(
      logged.some((l) => l.includes("unknown Modbus profile acme-9000")),
      logged.join("\n"),
    );
    assert.ok(
      logged.some((l) => l.includes("custom profile: importKWh: address is required")),
      logged.join("\n"),
    );
    await sleep(100);
    assert.equal(dev.requests.length, 0);
  });
});
