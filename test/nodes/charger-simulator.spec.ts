import assert from "node:assert/strict";
import { join } from "node:path";
import type { Node, NodeMessage } from "node-red";
import type { ChargerOverview } from "../../lib/charging/charger-overview";
import { SONNENHOF_DEVICES } from "../../lib/simulator/devices";
import { RunningSimulator, startSimulator } from "../../lib/simulator/run";
import { SONNENHOF_RFIDS, SONNENHOF_SITE } from "../../lib/simulator/site";
import { CHARGER_NODES } from "../support/charger";
import { communityConfig } from "../support/community-config";
import { freeTcpPort, waitFor } from "../support/net";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { collect, errors, onTab } from "../support/zev-nodes";

/*
 * The charger node on the simulator's AC SMART: the dashboard's status
 * request, and the mode button driving the simulated car through the
 * current limit the node writes.
 */
describe("zev-charger-weidmueller on the simulated AC SMART", function () {
  this.timeout(20000);
  const helper = useNodeRed();
  const tmp = useTmpDir();
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it("answers status with the car, the session and its unit; the mode button switches the car between paused and charging", async () => {
    // A Monday evening in the simulation: unit 1's car is plugged in.
    const offset = Date.parse("2026-10-05T19:00:00+02:00") - Date.now();
    const port = await freeTcpPort();
    sim = await startSimulator({
      site: SONNENHOF_SITE,
      devices: SONNENHOF_DEVICES,
      modbusPort: port,
      udpPort: null,
      tickMs: 100,
      now: () => Date.now() + offset,
    });
    await helper.load(
      CHARGER_NODES,
      onTab([
        communityConfig(join(tmp(), "zev.sqlite"), { chargingIds: [{ id: SONNENHOF_RFIDS.unit1, unit: "1", label: "Anna's car" }] }) as unknown as Record<
          string,
          unknown
        >,
        { id: "conn", type: "zev-modbus-connection", host: "127.0.0.1", port: String(port), timeout: "500" },
        {
          id: "wb",
          type: "zev-charger-weidmueller",
          community: "c1",
          meterId: "charger-1",
          source: "modbus",
          modbus: "conn",
          mbUnitId: "255",
          mbInterval: "0.2",
          control: true,
          maxCurrentA: "16",
          phases: "3",
          defaultMode: "normal",
          wires: [["readings"], ["out2"]],
        },
        { id: "readings", type: "helper" },
        { id: "out2", type: "helper" },
      ]),
    );
    const wb = helper.getNode("wb") as Node & { receive(m: NodeMessage & Record<string, unknown>): void };
    const errs = errors(wb);
    const readings = collect(helper.getNode("readings"));
    const out2 = collect<NodeMessage & { payload: ChargerOverview; target?: string }>(helper.getNode("out2"));
    const status = async (): Promise<ChargerOverview> => {
      const n = out2.length;
      wb.receive({ command: "status", target: "zev charger" });
      await waitFor(() => out2.slice(n).some((m) => m.topic === "charger/status"), "the status answer", 3000);
      const m = out2.slice(n).find((x) => x.topic === "charger/status")!;
      assert.equal(m.target, "zev charger", "the request's properties come back");
      return m.payload;
    };
    // normal mode without a surplus at night: the node writes 0 A, the car waits
    await waitFor(() => sim!.engine.charger()!.limitA === 0, "the node's current limit 0 A", 5000);
    await waitFor(() => sim!.engine.charger()!.carState === "B", "the car paused");
    await waitFor(() => readings.length >= 3, "readings", 5000);
    let s = await status();
    assert.deepEqual(errs, []);
    assert.equal(s.mode, "normal");
    assert.equal(s.session?.userId, SONNENHOF_RFIDS.unit1);
    assert.equal(s.session?.unit, "1");
    assert.equal(s.session?.payer?.name, "Anna Meier");
    assert.equal(s.carState, "B");
    // the button
    const n = out2.length;
    wb.receive({ command: "mode", payload: "priority" });
    await waitFor(() => out2.slice(n).some((m) => m.topic === "charger/status"), "the answer to the mode button");
    assert.equal(out2.slice(n).find((m) => m.topic === "charger/status")!.payload.mode, "priority");
    await waitFor(() => sim!.engine.charger()!.limitA === 16 && sim!.engine.charger()!.powerW === 11_000, "charging at full current", 5000);
    await new Promise((r) => setTimeout(r, 500));
    s = await status();
    assert.deepEqual([s.mode, s.carState, s.powerW], ["priority", "C", 11_000]);
    assert.ok(s.recent.length >= 1 && s.recent[0]!.unit === "1");
  });
});
