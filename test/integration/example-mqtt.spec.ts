import assert from "node:assert/strict";
import { createServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import type { NodeInitializer, NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import communityNode from "../../nodes/zev-community/zev-community";
import { mqttExample } from "../../scripts/flows/examples";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";

/* eslint-disable @typescript-eslint/no-require-imports */
// Node-RED's own MQTT and change nodes: the example runs as a user imports it.
const mqttNodes = require("@node-red/nodes/core/network/10-mqtt.js") as NodeInitializer;
const changeNode = require("@node-red/nodes/core/function/15-change.js") as NodeInitializer;
/* eslint-enable @typescript-eslint/no-require-imports */

interface Broker {
  port: number;
  close(): Promise<void>;
}

/** A real MQTT broker (aedes) on 127.0.0.1 and a free port. */
async function startBroker(): Promise<Broker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => aedes.close(() => server.close(() => resolve()))),
  };
}

describe("example 05: meters over MQTT (a real broker, Node-RED's mqtt in and change nodes)", function () {
  this.timeout(60_000);
  const helper = useNodeRed();
  const tmp = useTmpDir();
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it("a Shelly Pro 3EM, a Tasmota meter and a plain JSON publisher become readings that zev-aggregate stores, in kWh", async () => {
    broker = await startBroker();
    const nodes = mqttExample().map((n) => {
      if (n.type === "mqtt-broker") return { ...n, broker: "127.0.0.1", port: String(broker!.port) };
      if (n.type === "zev-community") return { ...n, dbPath: join(tmp(), "zev.sqlite") };
      if (n.type === "zev-aggregate") return { ...n, flushMs: "50", liveSeconds: "0", backupFolder: "", backupAt: "" };
      return n;
    });
    const results = nodes.find((n) => n.id === "zev-ex5-results")!;
    const flow = [
      // The alerts' e-mail function and link-out (docs/alerts.md) are not what this test is about.
      ...nodes.filter((n) => !["tab", "debug", "inject", "comment", "function", "link out"].includes(n.type)),
      { id: results.id, type: "helper", z: "zev-ex5-tab" },
    ].map((n) => ({ ...n, z: n.z ? "f" : undefined }));
    await helper.load([mqttNodes, changeNode, communityNode, aggregateNode], [{ id: "f", type: "tab" }, ...flow] as unknown as TestFlowsItem[]);
    const got: NodeMessage[] = [];
    (helper.getNode(results.id) as unknown as { on(e: "input", cb: (m: NodeMessage) => void): void }).on("input", (m) => got.push(m));

    // Wait until Node-RED's client subscribed (the broker holds no retained messages here).
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    const agg = helper.getNode("zev-ex5-aggregate") as unknown as { receive(m: Record<string, unknown>): void };
    const health = async (): Promise<{ meter: string; lastImportKWh: number | null; lastReadingMs: number | null }[]> => {
      const n = got.length;
      agg.receive({ command: "health" });
      for (let i = 0; i < 250 && got.length === n; i++) await new Promise((r) => setTimeout(r, 20));
      return (got[got.length - 1]!.payload as { meters: { meter: string; lastImportKWh: number | null; lastReadingMs: number | null }[] }).meters;
    };
    const ts = Date.now() - 60_000;
    let meters: Awaited<ReturnType<typeof health>> = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      await client.publishAsync(
        "shellypro3em-unit1/status/emdata:0",
        JSON.stringify({ id: 0, a_total_act_energy: 4000.1, total_act: 12345.67, total_act_ret: 10.5 }),
      );
      await client.publishAsync("tele/pv-meter/SENSOR", JSON.stringify({ Time: "2026-12-02T10:00:00", ENERGY: { Total: 812.345, Power: 1500 } }));
      await client.publishAsync("zev/grid", JSON.stringify({ ts, importKWh: 3000.5, exportKWh: 120.25, powerW: -800 }));
      await new Promise((r) => setTimeout(r, 200));
      meters = await health();
      if (meters.every((m) => m.lastImportKWh !== null)) break;
    }
    await client.endAsync();
    const by = new Map(meters.map((m) => [m.meter, m]));
    assert.equal(by.get("unit-1")!.lastImportKWh, 12.34567, "the Shelly's total_act (Wh) in kWh");
    assert.equal(by.get("pv")!.lastImportKWh, 812.345, "Tasmota's ENERGY.Total is kWh already");
    assert.equal(by.get("grid")!.lastImportKWh, 3000.5);
    assert.equal(by.get("grid")!.lastReadingMs, ts, "a ts the publisher sends is kept");
    assert.ok(Math.abs(by.get("unit-1")!.lastReadingMs! - Date.now()) < 30_000, "without a ts, the time of arrival");
  });
});
