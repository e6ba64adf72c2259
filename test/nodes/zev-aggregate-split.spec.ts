import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import type { IntervalSummary } from "../../lib/aggregation/interval-summary";
import { saveAggregateState } from "../../lib/store/aggregate-state-repo";
import { saveCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import { splitMethod } from "../../nodes/zev-aggregate/config";
import { definitionFromConfig } from "../../nodes/zev-community/definition-from-config";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { ZEV_NODES } from "../support/zev-nodes";

const MIN = 60_000;
const Q = 15 * MIN;
const T0 = Math.floor((Date.now() - 3 * 3600_000) / Q) * Q;

/*
 * One place for the solar split (decision 0071): zev-aggregate splits as the
 * community's Tariffs tab says, which billing uses too; a split set on the
 * node by an earlier version is ignored with a warning.
 */
describe("zev-aggregate splits as the community says", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir("zev-split-");

  function community(db: string, allocation?: string): Record<string, unknown> {
    const c = aggregateCommunityConfig(db) as unknown as Record<string, unknown>;
    return {
      ...c,
      units: [
        { building: "A", id: "1", label: "Wohnung 1" },
        { building: "A", id: "2", label: "Wohnung 2" },
      ],
      meters: [
        { id: "unit-1", role: "unit", unit: "1" },
        { id: "unit-2", role: "unit", unit: "2" },
        { id: "pv", role: "production" },
        { id: "grid", role: "grid" },
      ],
      ...(allocation ? { allocation } : {}),
    };
  }

  /** unit-1 at 2 kW, unit-2 at 0.5 kW, pv at 1 kW: the first quarter hour's solar per unit. */
  async function firstInterval(allocation: string | undefined, nodeMethod: string | undefined): Promise<{ solar: Record<string, number>; warnings: string[] }> {
    const db = join(tmp(), "zev.sqlite");
    const c = community(db, allocation);
    const store = SqliteStore.open(db);
    saveCommunity(
      store,
      definitionFromConfig(c as never, () => ""),
      { source: "node-red:c1", actor: "node:c1" },
    );
    saveAggregateState(store, "sonnenweg", { summarizedThroughMs: T0 });
    store.close();
    const agg = { ...aggregateConfig(), z: "f1", ...(nodeMethod === undefined ? { method: undefined } : { method: nodeMethod }) };
    await helper.load([...ZEV_NODES, aggregateNode], [
      { id: "f1", type: "tab" },
      c,
      agg,
      { id: "out1", type: "helper", z: "f1" },
      { id: "out2", type: "helper", z: "f1" },
      { id: "out3", type: "helper", z: "f1" },
    ] as TestFlowsItem[]);
    const got: (NodeMessage & { payload: IntervalSummary })[] = [];
    (helper.getNode("out1") as unknown as import("node:events").EventEmitter).on("input", (m: (typeof got)[number]) => void got.push(m));
    const node = helper.getNode("agg") as unknown as { receive(m: object): void };
    for (let m = 0; m <= 20; m++) {
      const ts = T0 + m * MIN;
      for (const payload of [
        { meter: "unit-1", ts, importKWh: 1000 + (2 * m) / 60 },
        { meter: "unit-2", ts, importKWh: 500 + (0.5 * m) / 60 },
        { meter: "pv", ts, importKWh: 100 + m / 60 },
      ])
        node.receive({ payload });
    }
    const end = Date.now() + 5000;
    while (!got.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(got.length, "a closed quarter hour");
    const solar = Object.fromEntries(got[0]!.payload.consumers.map((k) => [k.meter, Math.round(k.solarKWh * 1000) / 1000]));
    const logged = helper.log().args as [{ level: number; id?: string; msg?: unknown }][];
    const warnings = logged.filter((a) => a[0].level === 30 && a[0].id === "agg").map((a) => String(a[0].msg));
    return { solar, warnings };
  }

  it("equal share set in the community: the node's quarter hours split equally, no warning", async () => {
    const r = await firstInterval("equal", "");
    assert.deepEqual(r.solar, { "unit-1": 0.125, "unit-2": 0.125 });
    assert.deepEqual(r.warnings, []);
  });

  it("an old node setting (proportional) against the community's equal share is ignored with a warning", async () => {
    const r = await firstInterval("equal", "proportional");
    assert.deepEqual(r.solar, { "unit-1": 0.125, "unit-2": 0.125 });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /the solar split is the community's .*equal share.*proportional .* is ignored/);
  });

  it("the community's default (proportional) wins over an old node setting of equal share", async () => {
    const r = await firstInterval(undefined, "equal");
    assert.deepEqual(r.solar, { "unit-1": 0.2, "unit-2": 0.05 });
    assert.equal(r.warnings.length, 1);
  });

  it("splitMethod: the community's split, an ignored node value only when it differs", () => {
    assert.deepEqual(splitMethod("equal", ""), { method: "equal" });
    assert.deepEqual(splitMethod(undefined, "proportional"), { method: "proportional" });
    assert.deepEqual(splitMethod("equal", "proportional"), { method: "equal", ignored: "proportional" });
    assert.deepEqual(splitMethod(undefined, "bogus"), { method: "proportional", ignored: "bogus" });
  });
});
