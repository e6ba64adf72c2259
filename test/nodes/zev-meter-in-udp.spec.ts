import assert from "node:assert/strict";
import type { NodeMessage } from "node-red";
import type { Reading } from "../../lib/readings/reading";
import type { UdpPortHandle } from "../../nodes/shared/source-handles";
import { useNodeRed } from "../support/node-red";
import { UdpSender, waitFor } from "../support/net";
import { collect, errors, onTab, statuses, ZEV_NODES, type FlowNode, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };

const flow = (allow = ""): FlowNode[] =>
  onTab([
    { id: "port", type: "zev-udp-port", bind: "127.0.0.1", port: "0", allow },
    {
      id: "m3",
      type: "zev-meter-in",
      meterId: "unit-3",
      role: "unit",
      unit: "3",
      source: "loxone-udp",
      udpPort: "port",
      udpImport: "",
      udpPower: "unit-3-p",
      wires: [["out3"]],
    },
    {
      id: "grid",
      type: "zev-meter-in",
      meterId: "grid",
      role: "grid",
      source: "loxone-udp",
      udpPort: "port",
      udpImport: "grid-in",
      udpExport: "grid-out",
      udpPower: "grid-p",
      wires: [["outg"]],
    },
    { id: "out3", type: "helper" },
    { id: "outg", type: "helper" },
  ]);

describe("zev-meter-in with Loxone UDP (real UDP socket on 127.0.0.1)", () => {
  const helper = useNodeRed();
  let sender: UdpSender | undefined;
  afterEach(async () => {
    await sender?.close();
    sender = undefined;
  });

  async function start(allow = ""): Promise<{ port: number; out3: ReadingMsg[]; outg: ReadingMsg[] }> {
    await helper.load(ZEV_NODES, flow(allow));
    const hub = (helper.getNode("port") as unknown as UdpPortHandle).hub;
    await waitFor(() => hub.listening, "UDP port bound");
    sender = await UdpSender.open();
    return { port: hub.port!, out3: collect<ReadingMsg>(helper.getNode("out3")), outg: collect<ReadingMsg>(helper.getNode("outg")) };
  }

  it("emits a reading for `name:value` with the meter id as topic and the receive time", async () => {
    const { port, out3 } = await start();
    const t0 = Date.now();
    await sender!.send("unit-3:1234.567", port);
    await waitFor(() => out3.length === 1, "reading");
    assert.equal(out3[0]!.topic, "unit-3");
    assert.deepEqual({ ...out3[0]!.payload, ts: 0 }, { meter: "unit-3", ts: 0, importKWh: 1234.567 });
    assert.ok(out3[0]!.payload.ts >= t0 && out3[0]!.payload.ts <= Date.now());
  });

  it("accepts name=value, several pairs per packet and JSON, routing each value to its meter and field", async () => {
    const { port, out3, outg } = await start();
    await sender!.send("unit-3-p=800", port); // power alone: remembered, no reading
    await sender!.send("grid-in:5000.5;grid-out:120.25;grid-p:-1500", port);
    await sender!.send('{"meter":"unit-3","importKWh":1000.5}', port);
    await sender!.send('{"grid-in":5000.75}', port);
    await waitFor(() => out3.length === 1 && outg.length === 2, "three readings");
    assert.deepEqual(
      out3.map((m) => ({ ...m.payload, ts: 0 })),
      [{ meter: "unit-3", ts: 0, importKWh: 1000.5, powerW: 800 }],
    );
    assert.deepEqual(
      outg.map((m) => ({ ...m.payload, ts: 0 })),
      [
        { meter: "grid", ts: 0, importKWh: 5000.5, exportKWh: 120.25, powerW: -1500, resolutionKWh: 0.1 },
        { meter: "grid", ts: 0, importKWh: 5000.75, exportKWh: 120.25, powerW: -1500, resolutionKWh: 0.01 },
      ],
    );
  });

  it("rejects values that are not numbers, negative or going backwards, naming meter, packet and reason", async () => {
    const { port, out3 } = await start();
    const m3 = helper.getNode("m3") as MeterNode;
    const errs = errors(m3);
    const st = statuses(m3);
    await sender!.send("unit-3:100", port);
    await sender!.send("unit-3:abc", port);
    await sender!.send("unit-3:-5", port);
    await sender!.send("unit-3:99.5", port);
    await sender!.send("unit-3:100.25", port);
    await waitFor(() => m3.stats.received === 5, "five values");
    await waitFor(() => out3.length === 2, "two readings");
    assert.deepEqual(m3.stats.rejected, { "not-a-number": 1, negative: 1, backwards: 1 });
    assert.equal(m3.stats.accepted, 2);
    await waitFor(() => errs.length === 3, "three logged rejections");
    assert.match(errs[0]!, /^meter unit-3: import counter "abc" is not a number; from udp 127\.0\.0\.1:\d+: "unit-3:abc"$/);
    assert.match(errs[2]!, /import counter 99\.5 is below the last accepted value 100;/);
    await waitFor(() => /100\.25 kWh · \d+ s ago · 3 rejected/.test(st[st.length - 1]?.text ?? ""), "status with value, age and rejections", 1000);
    assert.equal(st[st.length - 1]!.fill, "green");
  });

  it("drops packets from senders outside the allowlist and counts them at the port", async () => {
    const { port, out3 } = await start("127.0.0.1");
    const stranger = await UdpSender.open("127.0.0.2");
    try {
      await stranger.send("unit-3:1", port);
      await sender!.send("unit-3:2", port);
      const hub = (helper.getNode("port") as unknown as UdpPortHandle).hub;
      await waitFor(() => hub.stats.packets === 2, "both packets");
      assert.equal(hub.stats.dropped["not-allowed"], 1);
      await waitFor(() => out3.length === 1, "one reading");
      assert.equal(out3[0]!.payload.importKWh, 2);
    } finally {
      await stranger.close();
    }
  });

  it("the port closes its socket when its last meter closes", async () => {
    await start();
    const hub = (helper.getNode("port") as unknown as UdpPortHandle).hub;
    assert.equal(hub.subscribers, 2);
    await helper.unload();
    assert.equal(hub.listening, false);
    assert.equal(hub.subscribers, 0);
  });

  it("an inverted meter swaps the counters", async () => {
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "port", type: "zev-udp-port", bind: "127.0.0.1", port: "0" },
        {
          id: "pv",
          type: "zev-meter-in",
          meterId: "pv",
          role: "production",
          invert: true,
          source: "loxone-udp",
          udpPort: "port",
          udpImport: "pv-in",
          udpExport: "pv-out",
          wires: [["out"]],
        },
        { id: "out", type: "helper" },
      ]),
    );
    const hub = (helper.getNode("port") as unknown as UdpPortHandle).hub;
    await waitFor(() => hub.listening, "bound");
    sender = await UdpSender.open();
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await sender.send("pv-in:2;pv-out:3000", hub.port!);
    await waitFor(() => out.length === 1, "reading");
    assert.equal(out[0]!.payload.importKWh, 3000);
    assert.equal(out[0]!.payload.exportKWh, 2);
  });
});
