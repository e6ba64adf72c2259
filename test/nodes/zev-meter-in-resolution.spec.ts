import assert from "node:assert/strict";
import type { NodeMessage } from "node-red";
import { encodeRegisters } from "../../lib/devices/modbus/decode";
import { PROFILES } from "../../lib/devices/modbus/profiles";
import type { Reading } from "../../lib/readings/reading";
import { FakeModbusDevice } from "../support/modbus-device";
import { useNodeRed } from "../support/node-red";
import { sleep, waitFor } from "../support/net";
import { collect, onTab, ZEV_NODES, type FlowNode, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };

/** The float32 one step below x. */
function f32Below(x: number): number {
  const b = Buffer.alloc(4);
  b.writeFloatBE(x, 0);
  b.writeUInt32BE(b.readUInt32BE(0) - 1, 0);
  return b.readFloatBE(0);
}

describe("zev-meter-in with a float32 Modbus counter at 41.8 MWh (modbus-serial ServerTCP on 127.0.0.1)", () => {
  const helper = useNodeRed();
  let dev: FakeModbusDevice | undefined;
  afterEach(async () => {
    await dev?.stop();
    dev = undefined;
  });

  it("states the register's resolution on the reading, and holds a one-step step back instead of rejecting it", async () => {
    dev = await FakeModbusDevice.start();
    const sdm = PROFILES.find((p) => p.id === "eastron-sdm630")!;
    const high = 41_800.125;
    dev.serveProfile(1, sdm, { importKWh: high, exportKWh: 0.5, powerW: 500 });
    await helper.load(
      ZEV_NODES,
      onTab([
        {
          id: "conn",
          type: "zev-modbus-connection",
          host: "127.0.0.1",
          port: String(dev.port),
          timeout: "150",
          reconnectMin: "50",
          reconnectMax: "200",
          unitPause: "300",
        } as FlowNode,
        {
          id: "pv",
          type: "zev-meter-in",
          meterId: "pv",
          role: "production",
          source: "modbus",
          modbus: "conn",
          mbUnitId: "1",
          mbProfile: sdm.id,
          mbInterval: "0.05",
          wires: [["out"]],
        } as FlowNode,
        { id: "out", type: "helper" } as FlowNode,
      ]),
    );
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await waitFor(() => out.length >= 1, "a first reading");
    assert.equal(out[0]!.payload.importKWh, high);
    // float32 at 41 800 kWh: steps of 2^-8 kWh, stated rounded up to the message's 6 decimals
    assert.equal(out[0]!.payload.resolutionKWh, 0.003907);
    dev.setWords(1, sdm.importKWh.fc, sdm.importKWh.address, encodeRegisters(f32Below(high), "float32", "msw"));
    const seen = out.length;
    await waitFor(() => out.length >= seen + 5, "readings after the step back");
    const node = helper.getNode("pv") as MeterNode;
    assert.equal(node.stats.rejected.backwards ?? 0, 0, JSON.stringify(node.stats.rejected));
    assert.ok(
      out.slice(seen).every((m) => m.payload.importKWh === high),
      "the counter holds its last value",
    );
  });
  it("a float32 counter confirming a new count does not start over at a one-step jitter (candidates agree within the resolution)", async () => {
    dev = await FakeModbusDevice.start();
    const sdm = PROFILES.find((p) => p.id === "eastron-sdm630")!;
    dev.serveProfile(1, sdm, { importKWh: 41_800.125, exportKWh: 0.5, powerW: 500 });
    await helper.load(
      ZEV_NODES,
      onTab([
        {
          id: "conn",
          type: "zev-modbus-connection",
          host: "127.0.0.1",
          port: String(dev.port),
          timeout: "500",
          reconnectMin: "50",
          reconnectMax: "200",
          unitPause: "300",
        } as FlowNode,
        {
          id: "pv",
          type: "zev-meter-in",
          meterId: "pv",
          role: "production",
          source: "modbus",
          modbus: "conn",
          mbUnitId: "1",
          mbProfile: sdm.id,
          mbInterval: "3600",
          wires: [["out"]],
        } as FlowNode,
        { id: "out", type: "helper" } as FlowNode,
      ]),
    );
    const node = helper.getNode("pv") as MeterNode;
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await waitFor(() => out.length >= 1, "a first reading");
    const poll = async (importKWh: number): Promise<void> => {
      dev!.setWords(1, sdm.importKWh.fc, sdm.importKWh.address, encodeRegisters(importKWh, "float32", "msw"));
      const before = node.stats.received;
      (node as unknown as { receive(m: NodeMessage): void }).receive({ payload: "poll" } as NodeMessage);
      await waitFor(() => node.stats.received > before, "the poll");
      await sleep(50);
    };
    const sent = out.length;
    const swapped = 41_700.125; // another meter, a lower count: a new counter to confirm
    await poll(swapped);
    await poll(f32Below(swapped)); // one float32 step (3.9 Wh) lower: the same count read differently
    await poll(swapped);
    assert.deepEqual(
      out.slice(sent).map((m) => m.payload.importKWh),
      [swapped, swapped, swapped],
      "confirmed by three agreeing polls; the jitter holds the candidate's value",
    );
    assert.equal(node.stats.rejected.backwards, 2);
  });
});
