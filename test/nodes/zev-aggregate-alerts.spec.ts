import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Node, NodeInitializer, NodeMessage } from "node-red";
import type { TestFlowsItem } from "node-red-node-test-helper";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import communityNode from "../../nodes/zev-community/zev-community";
import meterInNode from "../../nodes/meter-in/meter-in";
import type { Alert } from "../../lib/model/alert";
import { upsertIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { acquireStore, releaseStore } from "../../lib/store/registry";
import { startOfLocalDay, localDateOf } from "../../lib/time/local-date";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";

// Node-RED's own Catch and Status nodes, to see errors and statuses the way a flow does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require("@node-red/nodes/core/common/25-catch.js") as NodeInitializer;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const statusNode = require("@node-red/nodes/core/common/25-status.js") as NodeInitializer;

const Q = 15 * 60_000;
type Helper = ReturnType<typeof useNodeRed>;
interface TestNode extends Node {
  receive(msg: NodeMessage & Record<string, unknown>): void;
}
type AlertMsg = NodeMessage & { topic: string; payload: Alert };

function collect<T extends NodeMessage>(helper: Helper, id: string): { msgs: T[]; until: (n: number, ms?: number) => Promise<void> } {
  const msgs: T[] = [];
  (helper.getNode(id) as unknown as { on(e: "input", cb: (m: T) => void): void }).on("input", (m) => msgs.push(m));
  return {
    msgs,
    until: async (n, ms = 8000) => {
      const end = Date.now() + ms;
      while (msgs.length < n) {
        if (Date.now() > end) throw new Error(`waited for ${n} message(s) on ${id}, got ${msgs.length}: ${JSON.stringify(msgs.map((m) => m.payload))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const states = (msgs: AlertMsg[]): string[] => msgs.map((m) => `${m.payload.key} ${m.payload.state}`);

describe("zev-aggregate alerts (real Node-RED, short delays)", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  /** Community sonnenweg (unit-1, pv, grid); alerts on output 4 into "alerts". */
  function flow(community: Record<string, unknown>, agg: Record<string, unknown>, extra: TestFlowsItem[] = []): TestFlowsItem[] {
    const db = join(tmp(), "zev.sqlite");
    return [
      { id: "f1", type: "tab" },
      { ...aggregateCommunityConfig(db), ...community } as unknown as TestFlowsItem,
      {
        ...aggregateConfig({ alertDelayMinutes: "0.02", alertCheckSeconds: "0.1", ...agg }),
        z: "f1",
        wires: [["out1"], ["out2"], ["out3"], ["alerts"]],
      } as unknown as TestFlowsItem,
      { id: "out1", type: "helper", z: "f1" },
      { id: "out2", type: "helper", z: "f1" },
      { id: "out3", type: "helper", z: "f1" },
      { id: "alerts", type: "helper", z: "f1" },
      ...extra,
    ];
  }
  const agg = (): TestNode => helper.getNode("agg") as TestNode;

  it("meter-silent: raised once after the delay since the meter's last reading, resolved once when it reads again; text in French for a French owner", async () => {
    await helper.load([communityNode, aggregateNode], flow({ ownerLanguage: "fr", minCoveragePercent: "0" }, {}));
    const alerts = collect<AlertMsg>(helper, "alerts");
    const ts = Date.now();
    agg().receive({ payload: { meter: "unit-1", ts, importKWh: 1000 } });
    await alerts.until(1);
    const raised = alerts.msgs[0]!;
    assert.equal(raised.topic, "zev/alert/meter-silent");
    assert.equal(raised.payload.state, "raised");
    assert.equal(raised.payload.key, "meter-silent:unit-1");
    assert.equal(raised.payload.severity, "warning");
    assert.equal(raised.payload.community, "sonnenweg");
    assert.deepEqual(raised.payload.subject, { meter: "unit-1", unit: "1" });
    assert.equal(raised.payload.since, new Date(ts).toISOString());
    assert.equal(raised.payload.language, "fr");
    assert.match(raised.payload.text, /^Le compteur unit-1 n’a plus enregistré de relevé depuis le \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    await sleep(500);
    assert.equal(alerts.msgs.length, 1, "raised once, not on every check");
    agg().receive({ payload: { meter: "unit-1", ts: Date.now(), importKWh: 1000.01 } });
    await alerts.until(2);
    assert.deepEqual(states(alerts.msgs), ["meter-silent:unit-1 raised", "meter-silent:unit-1 resolved"]);
    assert.equal(alerts.msgs[1]!.payload.since, raised.payload.since, "the resolved message carries the incident's since");
    assert.match(alerts.msgs[1]!.payload.text, /^Le compteur unit-1 livre de nouveau des relevés/);
    // reading on: nothing more (the next silence would be a new incident)
    for (let i = 0; i < 6; i++) {
      agg().receive({ payload: { meter: "unit-1", ts: Date.now(), importKWh: 1000.02 + i / 1000 } });
      await sleep(150);
    }
    assert.equal(alerts.msgs.length, 2, "resolved once");
  });

  it("coverage-low: this month's data below the community's billing threshold is raised once per meter (not the grid), and resolved once when the data is imported; in German", async function () {
    const now = Date.now();
    const monthStart = startOfLocalDay(`${localDateOf(now, "Europe/Zurich").slice(0, 7)}-01`, "Europe/Zurich");
    if (now - monthStart < 2 * Q) this.skip(); // the first half hour of a month has nothing to judge
    await helper.load([communityNode, aggregateNode], flow({ ownerLanguage: "de" }, {}));
    const alerts = collect<AlertMsg>(helper, "alerts");
    await alerts.until(2);
    await sleep(300);
    assert.deepEqual(states(alerts.msgs).sort(), [
      `coverage-low:pv:${localDateOf(now, "Europe/Zurich").slice(0, 7)} raised`,
      `coverage-low:unit-1:${localDateOf(now, "Europe/Zurich").slice(0, 7)} raised`,
    ]);
    const u1 = alerts.msgs.find((m) => m.payload.subject.meter === "unit-1")!.payload;
    assert.equal(u1.severity, "critical");
    assert.equal(u1.params.coverage, 0);
    assert.equal(u1.params.threshold, 0.95);
    assert.match(u1.text, /^Zähler unit-1: nur 0 % der bisherigen Viertelstunden dieses Monats .* weniger als die 95 %, die eine Abrechnung braucht/);
    // the missing quarter hours arrive (an operator's load profile, say): measured
    const store = acquireStore(join(tmp(), "zev.sqlite"));
    try {
      const end = Math.floor(Date.now() / Q) * Q + Q;
      for (const key of ["unit-1", "pv"]) {
        const meterId = getMeter(store, "sonnenweg", key)!.id;
        const rows = [];
        for (let t = monthStart; t < end; t += Q) rows.push({ meterId, startMs: t, importWh: 100, exportWh: null, quality: "measured" as const });
        upsertIntervals(store, rows);
      }
    } finally {
      releaseStore(store);
    }
    await alerts.until(4);
    await sleep(300);
    assert.equal(alerts.msgs.length, 4);
    assert.deepEqual(
      alerts.msgs.slice(2).map((m) => m.payload.state),
      ["resolved", "resolved"],
    );
    assert.match(
      alerts.msgs.find((m) => m.payload.state === "resolved" && m.payload.subject.meter === "unit-1")!.payload.text,
      /^Zähler unit-1: die Daten von .* decken wieder mindestens 95 % ab/,
    );
  });

  it("rejected-burst: the values a zev-meter-in node rejected, raised once when the burst count is reached, resolved once when the window is quiet", async () => {
    const meterIn = { id: "m1", type: "zev-meter-in", z: "f1", community: "c1", meterId: "unit-1", role: "unit", unit: "1", source: "msg", wires: [["agg"]] };
    await helper.load(
      [communityNode, aggregateNode, meterInNode],
      flow({ ownerLanguage: "it", minCoveragePercent: "0" }, { alertDelayMinutes: "0.03", alertBurstCount: "3" }, [meterIn as unknown as TestFlowsItem]),
    );
    const alerts = collect<AlertMsg>(helper, "alerts");
    await sleep(250); // a first check: the counters' baseline
    const m1 = helper.getNode("m1") as TestNode;
    for (const v of [-5, "n/a", -7]) m1.receive({ payload: { importKWh: v } });
    await alerts.until(1);
    const a = alerts.msgs[0]!.payload;
    assert.deepEqual([a.code, a.state, a.params.count, a.subject.meter], ["rejected-burst", "raised", 3, "unit-1"]);
    assert.equal(a.language, "it");
    assert.match(a.text, /^Contatore unit-1: 3 valori rifiutati negli ultimi \d+ min \(dal \d\d\.\d\d\.\d{4} \d\d:\d\d\)/);
    await alerts.until(2, 6000);
    assert.deepEqual(states(alerts.msgs), ["rejected-burst:unit-1 raised", "rejected-burst:unit-1 resolved"]);
    await sleep(300);
    assert.equal(alerts.msgs.length, 2);
  });

  it("backup-failed: raised once when a backup fails, resolved once by the next good backup", async () => {
    const blocker = join(tmp(), "blocker");
    writeFileSync(blocker, "a file where the backup folder should be");
    await helper.load([communityNode, aggregateNode], flow({ ownerLanguage: "en", minCoveragePercent: "0" }, { backupFolder: join(blocker, "backups") }));
    const alerts = collect<AlertMsg>(helper, "alerts");
    const out3 = collect(helper, "out3");
    agg().receive({ command: "backup" });
    agg().receive({ command: "backup" });
    await alerts.until(1);
    await sleep(300);
    assert.equal(alerts.msgs.length, 1, "two failed backups, one incident");
    const a = alerts.msgs[0]!.payload;
    assert.deepEqual([a.code, a.state, a.severity, a.params.folder], ["backup-failed", "raised", "warning", join(blocker, "backups")]);
    assert.match(a.text, /^The database backup to .*backups failed at \d{4}-\d\d-\d\d \d\d:\d\d\. Check the folder/);
    assert.doesNotMatch(a.text, /ENOTDIR|EEXIST|Error/, "no raw exception text in front of a person");
    rmSync(blocker);
    mkdirSync(blocker);
    agg().receive({ command: "backup" });
    await out3.until(1);
    await alerts.until(2);
    assert.deepEqual(states(alerts.msgs), ["backup-failed raised", "backup-failed resolved"]);
    assert.equal(alerts.msgs[1]!.payload.since, a.since);
  });

  it("Catch and Status nodes receive what they did before: rejected readings as errors, the status; alerts only on their own output", async () => {
    const extra = [
      { id: "catcher", type: "catch", z: "f1", scope: ["agg"], uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper", z: "f1" },
      { id: "watcher", type: "status", z: "f1", scope: ["agg"], wires: [["seen"]] },
      { id: "seen", type: "helper", z: "f1" },
    ] as unknown as TestFlowsItem[];
    await helper.load(
      [communityNode, aggregateNode, catchNode, statusNode],
      flow({ minCoveragePercent: "0" }, { alertBurstCount: "3", alertDelayMinutes: "1" }, extra),
    );
    const caught = collect(helper, "caught");
    const seen = collect<NodeMessage & { status: { text: string; fill: string } }>(helper, "seen");
    const alerts = collect<AlertMsg>(helper, "alerts");
    await sleep(250);
    for (let i = 0; i < 3; i++) agg().receive({ payload: { meter: "unit-1", ts: Date.now() + 3600_000, importKWh: 1001 + i } });
    await caught.until(3);
    for (const m of caught.msgs) assert.match((m as unknown as { error: { message: string } }).error.message, /rejected: message=.*in the future/);
    await alerts.until(1);
    assert.deepEqual(states(alerts.msgs), ["rejected-burst:unit-1 raised"]);
    assert.equal(caught.msgs.length, 3, "an alert is no error: Catch nodes see the rejections, not the alert");
    await seen.until(1, 7000); // the status is refreshed every 5 s
    assert.match(seen.msgs[seen.msgs.length - 1]!.status.text, /rejected=3/);
    assert.equal(seen.msgs[seen.msgs.length - 1]!.status.fill, "yellow");
  });

  it("alert delay 0 turns alerts off; existing flows without the new settings keep their three outputs as they were", async () => {
    await helper.load([communityNode, aggregateNode], flow({}, { alertDelayMinutes: "0" }));
    const alerts = collect<AlertMsg>(helper, "alerts");
    agg().receive({ payload: { meter: "unit-1", ts: Date.now() - 3600_000, importKWh: 1000 } });
    await sleep(600);
    assert.equal(alerts.msgs.length, 0);
  });
});
