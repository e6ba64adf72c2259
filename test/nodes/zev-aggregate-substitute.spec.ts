import assert from "node:assert/strict";
import { join } from "node:path";
import type { Node, NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import communityNode from "../../nodes/zev-community/zev-community";
import { definitionFromConfig } from "../../nodes/zev-community/definition-from-config";
import type { SubstituteReport } from "../../lib/aggregation/substitute-run";
import { saveCommunity } from "../../lib/store/community-repo";
import { meterIntervals, upsertIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { upsertUnallocated } from "../../lib/store/unallocated-repo";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { useNodeRed } from "../support/node-red";
import { waitFor } from "../support/net";
import { useTmpDir } from "../support/tmp";

interface TestNode extends Node {
  receive(msg: NodeMessage & Record<string, unknown>): void;
}

const Q = 900_000;
const FROM = Date.parse("2026-10-01T00:00:00+02:00");
const TO = Date.parse("2026-12-01T00:00:00+01:00");
const GAP = { from: Date.parse("2026-11-23T07:00:00+01:00"), to: Date.parse("2026-11-23T12:00:00+01:00") };

describe("zev-aggregate substitute command (real Node-RED, SQLite)", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  it("msg.command substitute fills the own meters' gaps of a period, a dry run first, and answers with the report", async () => {
    const db = join(tmp(), "zev.sqlite");
    const store0 = SqliteStore.open(db);
    saveCommunity(
      store0,
      definitionFromConfig(aggregateCommunityConfig(db), () => ""),
      { source: "node-red:c1", actor: "node:c1" },
    );
    const id = getMeter(store0, "sonnenweg", "unit-1")!.id;
    const rows = [];
    for (let t = FROM; t < TO; t += Q)
      rows.push(
        t >= GAP.from && t < GAP.to
          ? { meterId: id, startMs: t, importWh: null, exportWh: null, quality: "missing" as const }
          : { meterId: id, startMs: t, importWh: 50, exportWh: 0, quality: "measured" as const },
      );
    upsertIntervals(store0, rows);
    store0.write(() => upsertUnallocated(store0, { meterId: id, fromMs: GAP.from, toMs: GAP.to, importWh: 1234, exportWh: 0, reason: "gap" }, 0));
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
    const results: (NodeMessage & { payload: SubstituteReport & { period: string }; tag?: string })[] = [];
    (helper.getNode("out3") as unknown as { on(e: string, cb: (m: never) => void): void }).on("input", (m) => results.push(m));

    agg.receive({ command: "substitute", payload: { period: "2026-11", dryRun: true }, tag: "dry" });
    await waitFor(() => results.length >= 1, "the dry run's report");
    const dry = results[0]!;
    assert.equal(dry.tag, "dry", "the answer keeps the request's properties");
    assert.equal(dry.payload.period, "2026-11");
    assert.equal(dry.payload.dryRun, true);
    // the meters without a metering point: unit-1 has the gap; pv and grid have no data at all (nothing before their first interval)
    assert.deepEqual(
      dry.payload.gaps.map((g) => [g.meter, g.kind, g.importWh]),
      [["unit-1", "counter", 1234]],
    );

    agg.receive({ command: "substitute", payload: { period: "2026-11", meters: ["unit-1"] } });
    await waitFor(() => results.length >= 2, "the report");
    assert.equal(results[1]!.payload.filled, 1);
    await helper.unload();

    const store = SqliteStore.open(db, { readonly: true });
    try {
      const filled = meterIntervals(store, id, GAP.from, GAP.to);
      assert.ok(filled.every((r) => r.quality === "estimated"));
      assert.equal(
        filled.reduce((s, r) => s + r.importWh!, 0),
        1234,
      );
    } finally {
      store.close();
    }
  });
});
