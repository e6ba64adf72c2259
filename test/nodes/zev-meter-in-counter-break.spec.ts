import assert from "node:assert/strict";
import { join } from "node:path";
import type { Node, NodeMessage } from "node-red";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import { PROFILES } from "../../lib/devices/modbus/profiles";
import type { CounterEventKind } from "../../lib/model/meter-counter";
import type { Reading } from "../../lib/readings/reading";
import { dataQuality } from "../../lib/aggregation/data-quality";
import { getMeter } from "../../lib/store/meter-repo";
import { loadMeterState } from "../../lib/store/meter-state-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { FakeModbusDevice } from "../support/modbus-device";
import { useNodeRed } from "../support/node-red";
import { sleep, waitFor } from "../support/net";
import { useTmpDir } from "../support/tmp";
import { collect, statuses, ZEV_NODES, type FlowNode, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };

/*
 * A Modbus meter without a serial that is reset, or replaced by one with a
 * higher count: zev-meter-in and zev-aggregate follow the same rule
 * (lib/readings/counter-break.ts). The poll interval is long; the test polls
 * by sending the node a message, so each poll sees exactly the registers set.
 */
describe("zev-meter-in + zev-aggregate: a Modbus counter that resets or jumps (real Modbus TCP, real Node-RED, SQLite)", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();
  let dev: FakeModbusDevice | undefined;
  afterEach(async () => {
    await dev?.stop();
    dev = undefined;
  });
  const sdm = PROFILES.find((p) => p.id === "eastron-sdm630")!;

  async function start(): Promise<{
    db: string;
    node: MeterNode;
    out: ReadingMsg[];
    st: ReturnType<typeof statuses>;
    poll: (importKWh: number) => Promise<void>;
  }> {
    dev = await FakeModbusDevice.start();
    dev.serveProfile(1, sdm, { importKWh: 1000.25, exportKWh: 0, powerW: 500 });
    const db = join(tmp(), "zev.sqlite");
    const nodes: FlowNode[] = [
      { id: "f1", type: "tab" },
      aggregateCommunityConfig(db) as unknown as FlowNode,
      {
        id: "conn",
        type: "zev-modbus-connection",
        host: "127.0.0.1",
        port: String(dev.port),
        timeout: "500",
        reconnectMin: "50",
        reconnectMax: "200",
        unitPause: "300",
      },
      {
        id: "m",
        z: "f1",
        type: "zev-meter-in",
        meterId: "unit-1",
        role: "unit",
        unit: "1",
        source: "modbus",
        modbus: "conn",
        mbUnitId: "1",
        mbProfile: sdm.id,
        mbInterval: "3600",
        wires: [["out", "agg"]],
      },
      { id: "out", z: "f1", type: "helper" },
      { ...aggregateConfig(), z: "f1", wires: [[], [], []] } as unknown as FlowNode,
    ];
    await helper.load([...ZEV_NODES, aggregateNode], nodes);
    const node = helper.getNode("m") as MeterNode;
    const out = collect<ReadingMsg>(helper.getNode("out"));
    const st = statuses(node);
    await waitFor(() => out.length >= 1, "the first reading");
    await sleep(300); // polls at least 300 ms apart: 1/8 kWh between them stays plausible for zev-aggregate (1000 kW)
    const poll = async (importKWh: number): Promise<void> => {
      dev!.serveProfile(1, sdm, { importKWh, exportKWh: 0, powerW: 500 });
      const before = node.stats.received;
      (node as unknown as { receive(m: NodeMessage): void }).receive({ payload: "poll" } as NodeMessage);
      await waitFor(() => node.stats.received > before, "the poll");
      await sleep(300); // the status is throttled to 250 ms
    };
    return { db, node, out, st, poll };
  }

  function storedCounter(db: string): { events: { kind: CounterEventKind; details: Record<string, unknown> }[]; lastImportWh: number; continuousWh: number } {
    const store = SqliteStore.open(db, { readonly: true });
    try {
      const id = getMeter(store, "sonnenweg", "unit-1")!.id;
      const events = store
        .stmt<{ kind: CounterEventKind; details: string }>("SELECT kind, details FROM meter_events WHERE meter_id = ? ORDER BY ts_ms")
        .all(id)
        .map((e) => ({ kind: e.kind, details: JSON.parse(e.details) as Record<string, unknown> }));
      const state = loadMeterState(store, id)!;
      return { events, lastImportWh: state.last!.imp, continuousWh: state.last!.imp + state.offset.imp };
    } finally {
      store.close();
    }
  }

  it("a counter reset to a low value is taken after three agreeing polls; the status is yellow meanwhile and shows the counter's age", async () => {
    const { db, node, out, st, poll } = await start();
    await poll(1000.375);
    assert.equal(out[out.length - 1]!.payload.importKWh, 1000.375);
    assert.equal(st[st.length - 1]!.fill, "green");
    const sent = out.length;
    await poll(0.25); // the meter was reset
    assert.equal(out.length, sent, "the first reading of the new count is held");
    assert.equal(st[st.length - 1]!.fill, "yellow");
    assert.match(st[st.length - 1]!.text!, /import counter 0\.25 kWh\? taken as a new counter if it continues \(1\/3\)/);
    await sleep(1300);
    await poll(0.25);
    const held = st[st.length - 1]!;
    assert.equal(held.fill, "yellow", "not green while the counter is not accepted");
    // The power of these polls was accepted; the age is still the import counter's.
    const age = Number(/counter (\d+) s ago/.exec(held.text!)?.[1]);
    assert.ok(age >= 1, `the counter's age, not the poll's: ${held.text}`);
    assert.match(held.text!, /\(2\/3\)/);
    await poll(0.375);
    assert.deepEqual(
      out.slice(sent).map((m) => m.payload.importKWh),
      [0.25, 0.25, 0.375],
      "the held readings are sent once the new count is confirmed, in order",
    );
    assert.equal(st[st.length - 1]!.fill, "green");
    assert.match(st[st.length - 1]!.text!, /^0\.375 kWh · /);
    assert.equal(node.stats.rejected.backwards, 2);
    await sleep(300); // zev-aggregate commits every 50 ms
    await helper.unload();

    const c = storedCounter(db);
    assert.deepEqual(
      c.events.map((e) => [e.kind, e.details.confirmedBy]),
      [["reset", 3]],
    );
    const store = SqliteStore.open(db, { readonly: true });
    try {
      const Q = 15 * 60_000;
      const from = Math.floor(Date.now() / Q) * Q - 4 * Q;
      const q = dataQuality(store, "sonnenweg", from, from + 8 * Q, { untilMs: from + 8 * Q }).meters.find((m) => m.meter === "unit-1")!;
      assert.equal(q.resets, 1);
      assert.deepEqual(
        q.events.map((e) => [e.kind, e.beforeImportWh, e.afterImportWh, e.confirmedBy]),
        [["reset", 1_000_375, 250, 3]],
        "the data-quality report lists the reset",
      );
    } finally {
      store.close();
    }
    assert.equal(c.lastImportWh, 375);
    // Flat from 1000.375 kWh to the first reading of the new count (0.25 kWh), then its rise to 0.375 is counted.
    assert.equal(c.continuousWh, 1_000_375 + 125);
  });

  it("a meter replaced by one with a higher count is taken after three agreeing polls and recorded as a jump", async () => {
    const { db, out, st, poll } = await start();
    await poll(1000.375);
    const sent = out.length;
    await poll(52_000.25); // another meter, its own count
    assert.equal(st[st.length - 1]!.fill, "yellow");
    await poll(52_000.25);
    await poll(52_000.375);
    assert.deepEqual(
      out.slice(sent).map((m) => m.payload.importKWh),
      [52_000.25, 52_000.25, 52_000.375],
    );
    await poll(52_000.5);
    assert.equal(out[out.length - 1]!.payload.importKWh, 52_000.5, "accepted again");
    assert.equal(st[st.length - 1]!.fill, "green");
    await sleep(300);
    await helper.unload();
    const c = storedCounter(db);
    assert.deepEqual(
      c.events.map((e) => e.kind),
      ["jump"],
    );
    assert.equal(c.continuousWh, 1_000_375 + 250, "nothing invented across the jump, nothing lost after it");
  });

  it("a single glitch does not move the counter: the next good poll discards it", async () => {
    const { db, out, poll } = await start();
    await poll(1000.375);
    const sent = out.length;
    await poll(0); // a bad read
    await poll(1000.5);
    assert.deepEqual(
      out.slice(sent).map((m) => m.payload.importKWh),
      [1000.5],
    );
    await sleep(300);
    await helper.unload();
    const c = storedCounter(db);
    assert.deepEqual(c.events, []);
    assert.equal(c.continuousWh, 1_000_500);
  });

  it("a rise just inside zev-meter-in's limit (1 kWh slack) flows through zev-aggregate and is stored, not held as a break", async () => {
    const { db, node, out, st, poll } = await start();
    await poll(1000.375);
    const sent = out.length;
    // About 0.3 s after the last poll: 1000 kW allow 0.08 kWh, plus the shared 1 kWh slack (lib/readings/counter-break.ts).
    await poll(1001.3125);
    await poll(1001.375);
    assert.deepEqual(
      out.slice(sent).map((m) => m.payload.importKWh),
      [1001.3125, 1001.375],
      "zev-meter-in lets the rise through",
    );
    assert.deepEqual(node.stats.rejected, {});
    assert.equal(st[st.length - 1]!.fill, "green");
    await sleep(300);
    await helper.unload();
    const c = storedCounter(db);
    assert.deepEqual(c.events, [], "no counter break recorded");
    assert.equal(c.lastImportWh, 1_001_375, "zev-aggregate took both readings");
    assert.equal(c.continuousWh, 1_001_375, "the rise is counted, not flattened away as a jump");
  });

  it("a counter the meter reports as negative turns the status red, with the counter's age", async () => {
    const { st, poll, node } = await start();
    await poll(1000.375);
    await sleep(1200);
    await poll(-3);
    assert.equal(st[st.length - 1]!.fill, "red");
    assert.match(st[st.length - 1]!.text!, /^counter rejected: negative counter · counter [12] s ago$/);
    assert.equal(node.stats.rejected.negative, 1);
    void (node as Node);
  });
});
