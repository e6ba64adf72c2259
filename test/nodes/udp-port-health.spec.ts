import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import type { UdpPortCounts } from "../../lib/devices/loxone/udp-hub";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import type { UdpPortHandle } from "../../nodes/shared/source-handles";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { UdpSender, waitFor } from "../support/net";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { statuses, ZEV_NODES } from "../support/zev-nodes";

/*
 * What the UDP port drops (malformed, oversized, values no meter listens
 * for) shows in the status of the meters on the port and in zev-aggregate's
 * health answer (the dashboard's Data page), over a real UDP socket.
 */
describe("UDP port drops in the meters' status and in the health answer", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir("zev-udp-health-");
  let sender: UdpSender | undefined;
  afterEach(async () => {
    await sender?.close();
    sender = undefined;
  });

  it("counts malformed, oversized and unrouted packets and shows them on the meter and in health.ports", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load([...ZEV_NODES, aggregateNode], [
      { id: "f1", type: "tab" },
      aggregateCommunityConfig(db) as never,
      { ...aggregateConfig(), z: "f1", wires: [[], [], ["health"]] } as never,
      { id: "port", type: "zev-udp-port", name: "Miniserver UDP", bind: "127.0.0.1", port: "0", allow: "" },
      {
        id: "m1",
        type: "zev-meter-in",
        z: "f1",
        meterId: "unit-1",
        role: "unit",
        unit: "1",
        community: "c1",
        source: "loxone-udp",
        udpPort: "port",
        wires: [["agg"]],
      },
      { id: "health", type: "helper", z: "f1" },
    ] as never);
    const handle = helper.getNode("port") as unknown as UdpPortHandle;
    await waitFor(() => handle.hub.listening, "UDP port bound");
    const status = statuses(helper.getNode("m1"));
    sender = await UdpSender.open();
    const port = handle.hub.port!;
    await sender.send("unit-1:100.5", port);
    await sender.send("\u0000\u0001garbage", port);
    await sender.send("x".repeat(9000), port);
    await sender.send("nobody:5", port);
    await sender.send("nobody-else:6", port);
    await waitFor(() => handle.hub.stats.packets === 5, "five packets");
    await waitFor(() => /port \d+: 1 malformed, 1 too large, 2 unrouted/.test(status.at(-1)?.text ?? ""), "the meter's status to show the port's drops", 3000);

    const answers: (NodeMessage & { payload: { ports: UdpPortCounts[] } })[] = [];
    (helper.getNode("health") as unknown as import("node:events").EventEmitter).on("input", (m: (typeof answers)[number]) => void answers.push(m));
    // The command travels on msg.command after issue 11 (f-dashboard); msg.topic before. Both are sent.
    (helper.getNode("agg") as unknown as { receive(m: object): void }).receive({ command: "health", topic: "health" });
    await waitFor(() => answers.length === 1, "the health answer");
    const ports = answers[0]!.payload.ports;
    assert.equal(ports.length, 1);
    const p = ports[0]!;
    assert.deepEqual({ ...p, lastAt: 0 }, { name: "Miniserver UDP", port, malformed: 1, oversized: 1, unrouted: 2, notAllowed: 0, lastAt: 0 });
    assert.ok(p.lastAt !== null && p.lastAt <= Date.now() && p.lastAt > Date.now() - 10_000);
  });
});
