import assert from "node:assert/strict";
import { join } from "node:path";
import type { Node, NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import communityNode from "../../nodes/zev-community/zev-community";
import { definitionFromConfig } from "../../nodes/zev-community/definition-from-config";
import { saveCommunity } from "../../lib/store/community-repo";
import { meterIntervals } from "../../lib/store/interval-repo";
import { meterEventsInRange } from "../../lib/store/meter-event-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { useNodeRed } from "../support/node-red";
import { sleep, waitFor } from "../support/net";
import { useTmpDir } from "../support/tmp";

const MIN = 60_000;
const Q = 15 * MIN;
const T0 = Math.floor((Date.now() - 3 * 3600_000) / Q) * Q;

interface TestNode extends Node {
  receive(msg: NodeMessage & Record<string, unknown>): void;
}

describe("zev-aggregate replace-meter command (real Node-RED, SQLite)", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  it("msg.command replace-meter records a replacement on the running node's counter state: exact energy across the swap", async () => {
    const db = join(tmp(), "zev.sqlite");
    const store0 = SqliteStore.open(db);
    saveCommunity(
      store0,
      definitionFromConfig(aggregateCommunityConfig(db), () => ""),
      { source: "node-red:c1", actor: "node:c1" },
    );
    store0.close();
    const flow: TestFlowsItem[] = [
      { id: "f1", type: "tab" },
      aggregateCommunityConfig(db) as unknown as TestFlowsItem,
      { ...aggregateConfig(), z: "f1" } as unknown as TestFlowsItem,
      { id: "out1", type: "helper", z: "f1" },
      { id: "out2", type: "helper", z: "f1" },
      { id: "out3", type: "helper", z: "f1" },
    ];
    await helper.load([communityNode, aggregateNode], flow);
    const agg = helper.getNode("agg") as TestNode;
    const results: NodeMessage[] = [];
    (helper.getNode("out3") as unknown as { on(e: string, cb: (m: NodeMessage) => void): void }).on("input", (m) => results.push(m));
    const reading = (minute: number, kwh: number): void => agg.receive({ payload: { meter: "unit-1", ts: T0 + minute * MIN, importKWh: kwh } });
    reading(0, 1000);
    reading(5, 1000.1);
    reading(10, 1000.2);
    // Not on msg.topic, which carries a meter id (the topic is set too while the node still dispatches on it).
    agg.receive({ command: "replace-meter", payload: { meter: "unit-1", at: T0 + 17 * MIN, oldFinal: 1000.34, newInitial: "5.000" } });
    await waitFor(() => results.length >= 1, "the command's result");
    assert.deepEqual((results[0] as NodeMessage & { payload: { meter: string; atMs: number } }).payload.meter, "unit-1");
    for (const [m, kwh] of [
      [20, 5.06],
      [30, 5.26],
      [45, 5.56],
    ] as const)
      reading(m, kwh);
    await sleep(200);
    await helper.unload();

    const store = SqliteStore.open(db, { readonly: true });
    try {
      const id = getMeter(store, "sonnenweg", "unit-1")!.id;
      assert.deepEqual(
        meterIntervals(store, id, T0, T0 + 3 * Q).map((r) => r.importWh),
        [300, 40 + 260, 300],
      );
      assert.deepEqual(
        meterEventsInRange(store, "sonnenweg", T0, T0 + Q * 4).map((e) => [e.kind, (e.details as { source: string }).source]),
        [["swap", "operator"]],
      );
    } finally {
      store.close();
    }
  });
});
