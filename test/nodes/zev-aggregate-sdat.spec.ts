import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Node, NodeInitializer, NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import communityNode from "../../nodes/zev-community/zev-community";
import type { SdatImportReport } from "../../lib/operator/sdat-import";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { useNodeRed } from "../support/node-red";
import { same, sdatXml } from "../support/sdat";
import { useTmpDir } from "../support/tmp";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require("@node-red/nodes/core/common/25-catch.js") as NodeInitializer;

const PV = "CH1001234567890000000000000000077";
const DAY = "2026-11-01T23:00:00Z";

interface TestNode extends Node {
  receive(msg: NodeMessage & Record<string, unknown>): void;
}

/*
 * msg.command carries the command (DESIGN.md); msg.topic is set too while
 * zev-aggregate still dispatches on msg.topic (another branch switches it).
 */
const command = (payload: string, extra: Record<string, unknown> = {}) => ({ command: "import-sdat", topic: "import-sdat", payload, ...extra });

describe("zev-aggregate import-sdat in a real Node-RED", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  function flow(db: string): TestFlowsItem[] {
    const community = aggregateCommunityConfig(db);
    community.meters = community.meters!.map((m) => (m.id === "pv" ? { ...m, meteringPoint: PV } : m));
    return [
      { id: "f1", type: "tab" },
      { id: "catcher", type: "catch", z: "f1", scope: null, uncaught: false, wires: [["caught"]] } as TestFlowsItem,
      { id: "caught", type: "helper", z: "f1" },
      community as unknown as TestFlowsItem,
      { ...aggregateConfig(), z: "f1" } as unknown as TestFlowsItem,
      { id: "out1", type: "helper", z: "f1" },
      { id: "out2", type: "helper", z: "f1" },
      { id: "out3", type: "helper", z: "f1" },
    ];
  }

  async function next(id: string, ms = 5000): Promise<NodeMessage & Record<string, unknown>> {
    const node = helper.getNode(id) as unknown as { once(e: "input", cb: (m: NodeMessage & Record<string, unknown>) => void): void };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing on ${id}`)), ms);
      node.once("input", (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  }

  it("imports an SDAT document given as XML text and as a file path; a malformed one reaches a Catch node with its code", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load([communityNode, aggregateNode, catchNode], flow(db));
    const agg = helper.getNode("agg") as TestNode;
    const xml = sdatXml({ blocks: [{ point: PV, direction: "production", start: DAY, observations: same(4, "0.250") }] });
    let got = next("out3");
    agg.receive(command(xml));
    const r1 = (await got).payload as SdatImportReport;
    assert.deepEqual(
      r1.series.map((s) => [s.meter, s.column, s.stored]),
      [["pv", "import", 4]],
    );

    const file = join(tmp(), "later.xml");
    writeFileSync(
      file,
      sdatXml({
        documentId: "D2",
        created: "2026-11-09T06:00:00Z",
        blocks: [
          { point: PV, direction: "production", start: DAY, observations: [{ kWh: "0.25" }, { kWh: "0.3" }, { kWh: "0.9", condition: "56" }, { kWh: "0.25" }] },
        ],
      }),
    );
    got = next("out3");
    agg.receive(command(file));
    const r2 = (await got).payload as SdatImportReport;
    assert.deepEqual([r2.series[0]!.unchanged, r2.series[0]!.replaced, r2.series[0]!.kept, r2.series[0]!.trueValuesReplaced], [2, 1, 1, 1]);

    const caught = next("caught");
    agg.receive(command("<rsm:ValidatedMeteredData_16 xmlns:rsm='http://www.strom.ch'>"));
    const err = (await caught).error as { message: string; source: unknown } & Record<string, unknown>;
    assert.match(err.message, /msg\.payload: not well-formed XML/);
    assert.equal(err.code, "sdat.malformed");
    await helper.unload();

    const store = SqliteStore.open(db);
    try {
      const rows = meterIntervals(store, getMeter(store, "sonnenweg", "pv")!.id, Date.parse(DAY), Date.parse(DAY) + 4 * 900_000);
      assert.deepEqual(
        rows.map((r) => [r.importWh, r.quality]),
        [
          [250, "measured"],
          [300, "measured"],
          [250, "measured"],
          [250, "measured"],
        ],
      );
    } finally {
      store.close();
    }
  });
});
