import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Node, NodeInitializer, NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import communityNode from "../../nodes/zev-community/zev-community";
import meterInNode from "../../nodes/meter-in/meter-in";
import { definitionFromConfig } from "../../nodes/zev-community/definition-from-config";
import type { IntervalSummary } from "../../lib/aggregation/interval-summary";
import { saveAggregateState } from "../../lib/store/aggregate-state-repo";
import { saveCommunity } from "../../lib/store/community-repo";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";

// Node-RED's own Catch node, to see errors the way a flow does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require("@node-red/nodes/core/common/25-catch.js") as NodeInitializer;

const MIN = 60_000;
const Q = 15 * MIN;
// Three hours ago on a quarter hour: readings are in the past, as the store expects.
const T0 = Math.floor((Date.now() - 3 * 3600_000) / Q) * Q;

type Helper = ReturnType<typeof useNodeRed>;

interface TestNode extends Node {
  receive(msg: NodeMessage & Record<string, unknown>): void;
}

/** Collects what a helper node receives; `until(n)` waits for n messages. */
function collect(helper: Helper, id: string): { msgs: (NodeMessage & { payload: unknown })[]; until: (n: number, ms?: number) => Promise<void> } {
  const msgs: (NodeMessage & { payload: unknown })[] = [];
  const node = helper.getNode(id) as unknown as { on(event: "input", cb: (m: NodeMessage & { payload: unknown }) => void): void };
  node.on("input", (m) => msgs.push(m));
  return {
    msgs,
    until: async (n, ms = 5000) => {
      const end = Date.now() + ms;
      while (msgs.length < n) {
        if (Date.now() > end) throw new Error(`waited for ${n} message(s) on ${id}, got ${msgs.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** unit-1 at 2 kW, pv at 1 kW, grid = the difference, one reading a minute. */
function readingsAt(minute: number): Record<string, unknown>[] {
  const ts = T0 + minute * MIN;
  return [
    { meter: "unit-1", ts, importKWh: 1000 + (2 * minute) / 60, powerW: 2000 },
    { meter: "pv", ts, importKWh: 500 + minute / 60, powerW: 1000 },
    { meter: "grid", ts, importKWh: 3000 + minute / 60, exportKWh: 10, powerW: 1000 },
  ];
}

describe("zev-aggregate node", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  function prepareDb(): string {
    // An existing installation whose summaries have been sent up to T0.
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(
      store,
      definitionFromConfig(aggregateCommunityConfig(db), () => ""),
      { source: "node-red:c1", actor: "node:c1" },
    );
    saveAggregateState(store, "sonnenweg", { summarizedThroughMs: T0 });
    store.close();
    return db;
  }

  function flow(db: string, overrides: Parameters<typeof aggregateConfig>[0] = {}, withCatch = false): TestFlowsItem[] {
    const catching: TestFlowsItem[] = withCatch
      ? [
          { id: "catcher", type: "catch", z: "f1", scope: null, uncaught: false, wires: [["caught"]] } as TestFlowsItem,
          { id: "caught", type: "helper", z: "f1" },
        ]
      : [];
    return [
      { id: "f1", type: "tab" },
      ...catching,
      aggregateCommunityConfig(db) as unknown as TestFlowsItem,
      { ...aggregateConfig(overrides), z: "f1" } as unknown as TestFlowsItem,
      { id: "out1", type: "helper", z: "f1" },
      { id: "out2", type: "helper", z: "f1" },
      { id: "out3", type: "helper", z: "f1" },
    ];
  }

  const send = (msgs: Record<string, unknown>[]): void => {
    const agg = helper.getNode("agg") as TestNode;
    for (const payload of msgs) agg.receive({ payload, _msgid: String(Math.random()) });
  };

  it("restart mid-interval in a real Node-RED: every quarter hour once, sums equal the counter difference", async () => {
    const db = prepareDb();
    await helper.load([communityNode, aggregateNode], flow(db));
    let out = collect(helper, "out1");
    for (let m = 0; m <= 22; m++) send(readingsAt(m));
    await out.until(1);
    const first = out.msgs.map((m) => (m.payload as IntervalSummary).startMs);
    // stop in the middle of [T0+15, T0+30): close commits what was accepted
    await helper.unload();
    await helper.load([communityNode, aggregateNode], flow(db));
    out = collect(helper, "out1");
    // the source re-sends a few readings it is not sure about: duplicates, not counted twice
    for (let m = 20; m <= 61; m++) send(readingsAt(m));
    await out.until(3);
    const second = out.msgs.map((m) => (m.payload as IntervalSummary).startMs);
    assert.deepEqual([...first, ...second], [T0, T0 + Q, T0 + 2 * Q, T0 + 3 * Q]);
    const s = out.msgs[0]!.payload as IntervalSummary;
    assert.equal(s.community, "sonnenweg");
    assert.equal(s.quality, "measured");
    assert.equal(s.consumptionKWh, 0.5);
    assert.equal(s.productionKWh, 0.25);
    assert.equal(s.solarKWh, 0.25);
    assert.equal(s.selfSufficiency, 0.5);
    assert.equal(s.reconciliation!.unmeteredKWh, 0);
    await helper.unload();

    const store = SqliteStore.open(db);
    try {
      const rows = meterIntervals(store, getMeter(store, "sonnenweg", "unit-1")!.id, T0, T0 + 4 * Q);
      assert.deepEqual(
        rows.map((r) => [r.startMs, r.importWh, r.quality]),
        [0, 1, 2, 3].map((i) => [T0 + i * Q, 500, "measured"]),
      );
    } finally {
      store.close();
    }
  });

  it("a rejected reading reaches a Catch node with the reason; duplicates and late readings pass quietly", async () => {
    const db = prepareDb();
    await helper.load([communityNode, aggregateNode, catchNode], flow(db, {}, true));
    const caught = collect(helper, "caught");
    send(readingsAt(0));
    send(readingsAt(0)); // duplicates
    send([{ meter: "unit-1", ts: Date.now() + 3600_000, importKWh: 1001 }]);
    send([{ meter: "unit-1", ts: T0 + MIN, importKWh: 1_000_000 }]);
    await caught.until(2);
    const errors = caught.msgs.map((m) => (m as unknown as { error: { message: string } }).error.message);
    assert.match(errors[0]!, /rejected: message=.*in the future/);
    assert.match(errors[1]!, /rejected: message=meter unit-1: counter rose .* kW average/);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(caught.msgs.length, 2);
  });

  it("readings for an unknown meter are kept under role other, with a warning", async () => {
    const db = prepareDb();
    await helper.load([communityNode, aggregateNode], flow(db));
    send([{ meter: "mystery", ts: T0, importKWh: 5 }]);
    await new Promise((r) => setTimeout(r, 200));
    const warned = helper
      .log()
      .args.map((a: unknown[]) => a[0] as { level: number; msg: unknown })
      .some((e: { level: number; msg: unknown }) => e.level === 30 && /unknownMeter.*mystery/.test(String(e.msg)));
    assert.ok(warned, "a warning names the meter");
    await helper.unload();
    const store = SqliteStore.open(db);
    try {
      assert.equal(getMeter(store, "sonnenweg", "mystery")!.role, "other");
    } finally {
      store.close();
    }
  });

  it("commands: quality report, load-profile import from CSV text, backup now", async () => {
    const db = prepareDb();
    const backups = join(tmp(), "backups");
    await helper.load([communityNode, aggregateNode], flow(db, { backupFolder: backups }));
    const out3 = collect(helper, "out3");
    const agg = helper.getNode("agg") as TestNode;
    const local = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    agg.receive({ command: "import", payload: `Zeit;Messpunkt;Bezug\n${local} 12:00;unit-1;0,5\n${local} 12:15;unit-1;0,25\n` });
    await out3.until(1);
    assert.equal((out3.msgs[0]!.payload as { rows: number }).rows, 2);
    agg.receive({ command: "quality", payload: local.slice(0, 7) });
    await out3.until(2);
    const q = out3.msgs[1]!.payload as { period: string; meters: { meter: string; measured: number }[] };
    assert.equal(q.period, local.slice(0, 7));
    assert.equal(q.meters.find((m) => m.meter === "unit-1")!.measured, 2);
    agg.receive({ command: "backup" });
    await out3.until(3);
    assert.ok(existsSync((out3.msgs[2]!.payload as { file: string }).file));
  });

  it("an import the file leaves ambiguous is reported by the node (node.warn and the result's warnings), not taken silently", async () => {
    const db = prepareDb();
    await helper.load([communityNode, aggregateNode], flow(db));
    const out3 = collect(helper, "out3");
    const agg = helper.getNode("agg") as TestNode;
    const warned: string[] = [];
    (agg as unknown as import("node:events").EventEmitter).on("call:warn", (c: { args: unknown[] }) => warned.push(String(c.args[0])));
    agg.receive({ command: "import", payload: "Zeit;Messpunkt;Bezug\n2026-10-25 01:45;unit-1;0,5\n2026-10-25 02:15;unit-1;0,25\n" });
    await out3.until(1);
    const res = out3.msgs[0]!.payload as { rows: number; warnings: string[] };
    assert.equal(res.rows, 2);
    assert.equal(res.warnings.length, 1);
    assert.match(res.warnings[0]!, /line 3: 2026-10-25 02:15 \(unit-1\) occurs twice/);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /line 3: 2026-10-25 02:15 \(unit-1\) occurs twice/);
  });

  it("a meter called backup, health, series, quality or import stores its readings: only msg.command is a command", async () => {
    const db = prepareDb();
    const backups = join(tmp(), "backups");
    await helper.load([communityNode, aggregateNode, catchNode], flow(db, { backupFolder: backups }, true));
    const out3 = collect(helper, "out3");
    const caught = collect(helper, "caught");
    const agg = helper.getNode("agg") as TestNode;
    const names = ["backup", "health", "series", "quality", "import"];
    // the meter id on msg.topic only, as MQTT or a zev-meter-in sends it
    for (let m = 0; m <= 16; m++)
      for (const [i, id] of names.entries()) agg.receive({ topic: id, payload: { ts: T0 + m * MIN, importKWh: 100 * (i + 1) + (4 * m) / 60 } });
    // an unknown command is an error, never a reading
    agg.receive({ command: "bakup", topic: "unit-1", payload: { ts: T0, importKWh: 1 } });
    await caught.until(1);
    assert.match((caught.msgs[0] as unknown as { error: { message: string } }).error.message, /bakup/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(out3.msgs.length, 0, "no command ran");
    assert.equal(existsSync(backups), false, "no backup was made");
    await helper.unload();
    const store = SqliteStore.open(db);
    try {
      for (const id of names) {
        const meter = getMeter(store, "sonnenweg", id);
        assert.ok(meter, `meter ${id} is known`);
        assert.deepEqual(
          meterIntervals(store, meter.id, T0, T0 + Q).map((r) => [r.startMs, r.importWh]),
          [[T0, 1000]],
          `meter ${id}: its quarter hour is stored`,
        );
      }
      assert.equal(getMeter(store, "sonnenweg", "unit-1") && meterIntervals(store, getMeter(store, "sonnenweg", "unit-1")!.id, T0, T0 + Q).length, 0);
    } finally {
      store.close();
    }
  });

  it("commands for the dashboard: a day's series, and data health with what the zev-meter-in nodes rejected", async () => {
    const db = prepareDb();
    const meterIn = {
      id: "m1",
      type: "zev-meter-in",
      z: "f1",
      community: "c1",
      meterId: "unit-1",
      role: "unit",
      unit: "1",
      source: "msg",
      wires: [["agg"]],
    } as unknown as TestFlowsItem;
    await helper.load([communityNode, aggregateNode, meterInNode], [...flow(db), meterIn]);
    const out3 = collect(helper, "out3");
    for (let m = 0; m <= 31; m++) send(readingsAt(m));
    const m1 = helper.getNode("m1") as TestNode;
    m1.receive({ payload: { importKWh: "n/a" } });
    m1.receive({ payload: { importKWh: -5 } });
    const agg = helper.getNode("agg") as TestNode;
    agg.receive({ command: "series", payload: new Date(T0).toLocaleDateString("sv-SE", { timeZone: "Europe/Zurich" }), target: "zev aggregate" });
    await out3.until(1);
    const series = out3.msgs[0]!.payload as { points: { startMs: number; consumptionKWh: number; solarKWh: number; gridKWh: number }[] };
    assert.equal((out3.msgs[0] as unknown as { target: string }).target, "zev aggregate", "the request's properties come back (link call)");
    const p0 = series.points.find((p) => p.startMs === T0)!;
    assert.deepEqual([p0.consumptionKWh, p0.solarKWh, p0.gridKWh], [0.5, 0.25, 0.25]);
    agg.receive({ command: "health" });
    await out3.until(2);
    const health = out3.msgs[1]!.payload as {
      meters: { meter: string; lastReadingMs: number; source: { rejected: number } | null; today: { measured: number } }[];
    };
    const u1 = health.meters.find((m) => m.meter === "unit-1")!;
    assert.equal(u1.lastReadingMs, T0 + 31 * MIN);
    assert.deepEqual(u1.source, { received: 2, accepted: 0, rejected: 2 });
    assert.equal(health.meters.find((m) => m.meter === "pv")!.source, null);
    assert.ok(u1.today.measured >= 0 && typeof u1.today.measured === "number");
  });

  it("sends live power flows at the configured rate", async () => {
    const db = prepareDb();
    await helper.load([communityNode, aggregateNode], flow(db, { liveSeconds: "0.1" }));
    const out2 = collect(helper, "out2");
    const now = Date.now();
    send([
      { meter: "unit-1", ts: now, powerW: 2500 },
      { meter: "pv", ts: now, powerW: 4000 },
      { meter: "grid", ts: now, powerW: -1500 },
    ]);
    await out2.until(2);
    const live = out2.msgs[out2.msgs.length - 1]!.payload as { productionW: number; consumptionW: number; gridW: number; gridSource: string };
    assert.deepEqual([live.productionW, live.consumptionW, live.gridW, live.gridSource], [4000, 2500, -1500, "measured"]);
  });

  it("a second zev-aggregate for the same community refuses to run instead of fighting over the counter state", async () => {
    const db = prepareDb();
    const second = { ...aggregateConfig({ id: "agg2" }), z: "f1", wires: [["out1"], [], []] } as unknown as TestFlowsItem;
    await helper.load([communityNode, aggregateNode, catchNode], [...flow(db, {}, true), second]);
    const caught = collect(helper, "caught");
    (helper.getNode("agg2") as TestNode).receive({ payload: readingsAt(0)[0]! });
    await caught.until(1);
    assert.match((caught.msgs[0] as unknown as { error: { message: string } }).error.message, /errors\.duplicate: community=sonnenweg/);
    // the first one works normally
    const out = collect(helper, "out1");
    for (let m = 0; m <= 16; m++) send(readingsAt(m));
    await out.until(1);
  });

  it("an invalid setting is reported and every message fails with the reason", async () => {
    const db = prepareDb();
    await helper.load([communityNode, aggregateNode, catchNode], flow(db, { gapLimitHours: "-1" }, true));
    const caught = collect(helper, "caught");
    send(readingsAt(0).slice(0, 1));
    await caught.until(1);
    assert.match((caught.msgs[0] as unknown as { error: { message: string } }).error.message, /gapLimitHours: value=-1/);
  });
});
