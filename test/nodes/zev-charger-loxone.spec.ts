import assert from "node:assert/strict";
import { join } from "node:path";
import type { Node } from "node-red";
import { loadChargerState, sessionIntervals, sessionsOfCharger } from "../../lib/store/charger-session-repo";
import type { CommunityHandle } from "../../nodes/shared/community-handle";
import type { UdpPortHandle } from "../../nodes/shared/source-handles";
import { CHARGER_NODES, useFakeClock, type ReadingMsg, type SessionMsg } from "../support/charger";
import { communityConfig } from "../support/community-config";
import { FakeMiniserver } from "../support/fake-miniserver";
import { UdpSender, waitFor } from "../support/net";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { collect, errors, onTab, statuses, type FlowNode } from "../support/zev-nodes";

const T0 = Date.UTC(2026, 2, 2, 7, 0);
const MIN = 60_000;
const at = (m: number): number => T0 + m * MIN;
const rel = (ms: number): number => (ms - T0) / MIN;

describe("zev-charger-weidmueller with a Loxone Wallbox block over UDP (real socket) and wired messages", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();
  const time = useFakeClock();
  let sender: UdpSender | undefined;
  afterEach(async () => {
    await sender?.close();
    sender = undefined;
  });

  const community = (): Record<string, unknown> =>
    communityConfig(join(tmp(), "zev.sqlite"), {
      chargingIds: [
        { id: "04A1B2", unit: "1" },
        { id: "BEN-77", unit: "2" },
      ],
    }) as unknown as Record<string, unknown>;
  const store = () => (helper.getNode("c1") as unknown as CommunityHandle).store!;
  const rows = (id: number): string[] => sessionIntervals(store(), id).map((r) => `${rel(r.startMs)} ${r.mode} ${r.energyWh}`);

  async function startUdp(): Promise<{ wb: Node; port: number; readings: ReadingMsg[]; sessions: SessionMsg[] }> {
    await helper.load(
      CHARGER_NODES,
      onTab([
        community(),
        { id: "port", type: "zev-udp-port", bind: "127.0.0.1", port: "0" },
        // Values held between packets are re-read only every hour here: the test moves the clock itself.
        {
          id: "wb",
          type: "zev-charger-weidmueller",
          community: "c1",
          meterId: "wb-1",
          source: "loxone-udp",
          udpPort: "port",
          modeMap: "1=normal; 2=priority",
          lxInterval: "3600",
          outageS: "3600",
          wires: [["readings"], ["sessions"]],
        },
        { id: "readings", type: "helper" },
        { id: "sessions", type: "helper" },
      ]) as FlowNode[],
    );
    const hub = (helper.getNode("port") as unknown as UdpPortHandle).hub;
    await waitFor(() => hub.listening, "UDP port bound");
    sender ??= await UdpSender.open();
    return {
      wb: helper.getNode("wb"),
      port: hub.port!,
      readings: collect<ReadingMsg>(helper.getNode("readings")),
      sessions: collect<SessionMsg>(helper.getNode("sessions")),
    };
  }

  /** Sends a Virtual Output packet at minute m and waits until the node has applied it. */
  async function udp(port: number, readings: ReadingMsg[], m: number, text: string): Promise<void> {
    time.set(at(m));
    await sender!.send(text, port);
    await waitFor(() => readings.some((r) => r.payload.ts === at(m)), `packet at minute ${m} applied`);
  }

  it("sessions from Vc, Uid, M and Mr: energy and mode tags to the Wh, device mode by mapping, button overrides", async () => {
    const { wb, port, readings, sessions } = await startUdp();
    await udp(port, readings, 0, "wb-1-Vc:0;wb-1-Mr:100.000;wb-1-M:1");
    await udp(port, readings, 2, "wb-1-Vc:1");
    await udp(port, readings, 3, "wb-1-Uid:04A1B2");
    await udp(port, readings, 4, "wb-1-Cac:1;wb-1-Cp:11.0");
    await udp(port, readings, 10, "wb-1-Mr:101.100;wb-1-Ccc:1.1");
    await udp(port, readings, 12, "wb-1-M:2;wb-1-Mr:101.300");
    await udp(port, readings, 20, "wb-1-Mr:102.900");
    await udp(port, readings, 22, "wb-1-Cac:0;wb-1-Cp:0");
    await udp(port, readings, 25, "wb-1-Vc:0;wb-1-Uid:");
    // Ben; the mode stays priority (device value 2) until the dashboard button says normal.
    await udp(port, readings, 30, "wb-1-Uid:BEN-77;wb-1-Vc:1");
    time.set(at(31));
    wb.receive({ command: "mode", payload: "normal" });
    await udp(port, readings, 40, "wb-1-Mr:103.900");
    await udp(port, readings, 41, "wb-1-M:2"); // the same device value again: no switch
    await udp(port, readings, 44, "wb-1-Mr:104.300");
    await udp(port, readings, 50, "wb-1-Vc:0");

    const all = sessionsOfCharger(store(), "haus-am-see", "wb-1");
    assert.deepEqual(
      all.map((s) => [s.userId, s.unitId, rel(s.startedMs), rel(s.endedMs!), s.startCounterWh, s.endCounterWh, s.energyWh, s.flags.length]),
      [
        ["04A1B2", "1", 2, 25, 100_000, 102_900, 2900, 0],
        ["BEN-77", "2", 30, 50, 102_900, 104_300, 1400, 0],
      ],
    );
    // Anna: 4-10 and 10-12 normal; from 12 priority at 200 a minute, 600 before 15.
    assert.deepEqual(rows(all[0]!.id), ["0 normal 1300", "0 priority 600", "15 priority 1000"]);
    // Ben: 30-40 at 100 a minute, priority until the button at 31; then normal.
    assert.deepEqual(rows(all[1]!.id), ["30 normal 1300", "30 priority 100"]);
    assert.deepEqual(readings.find((r) => r.payload.ts === at(4))!.payload, { meter: "wb-1", ts: at(4), importKWh: 100, powerW: 11_000 });
    const update = sessions.find((m) => m.topic === "session/update" && m.payload.energyWh === 1100)!;
    assert.equal(update.payload.deviceSessionWh, 1100, "the block's own session count, for comparison");
    assert.deepEqual(
      sessions.filter((m) => m.topic.startsWith("session/") && m.topic !== "session/update").map((m) => `${m.topic} ${m.payload.userId}`),
      ["session/start null", "session/end 04A1B2", "session/start BEN-77", "session/end BEN-77"],
    );
    // the mode button is answered with the charger's state, the new mode in force
    const answer = sessions.find((m) => m.topic === "charger/status")!;
    assert.equal((answer.payload as unknown as { mode: string }).mode, "normal");
  });

  it("after a restart the held values go on: the open session counts the energy in the quarter hour it came", async () => {
    let { port, readings } = await startUdp();
    await udp(port, readings, 0, "wb-1-Vc:1;wb-1-Uid:04A1B2;wb-1-Mr:5.000");
    await udp(port, readings, 5, "wb-1-Mr:5.500");
    await helper.unload();
    // Node-RED back at minute 20; the Miniserver repeats nothing until a value changes.
    time.set(at(20));
    ({ port, readings } = await startUdp());
    const seen = (): unknown => (loadChargerState(store(), "haus-am-see", "wb-1") as { lastSeen?: { ts: number } }).lastSeen?.ts;
    await waitFor(() => seen() === at(20), "the saved values re-read at start");
    await udp(port, readings, 22, "wb-1-Mr:6.000");
    await udp(port, readings, 23, "wb-1-Vc:0");
    const [s] = sessionsOfCharger(store(), "haus-am-see", "wb-1");
    assert.deepEqual([s!.status, s!.energyWh, s!.endCounterWh], ["closed", 1000, 6000]);
    // Not spread back over the quiet minutes 5-20.
    assert.deepEqual(rows(s!.id), ["0 normal 500", "15 normal 500"]);
  });

  it("a value that does not read is reported with the packet's name and does not break the session", async () => {
    const { wb, port, readings } = await startUdp();
    const warned: string[] = [];
    (wb as unknown as import("node:events").EventEmitter).on("call:warn", (c: { args: unknown[] }) => warned.push(String(c.args[0])));
    await udp(port, readings, 0, "wb-1-Vc:1;wb-1-Mr:1.000");
    await udp(port, readings, 1, "wb-1-Cp:fast;wb-1-M:7");
    await waitFor(() => warned.length >= 2, "two warnings");
    assert.match(warned[0]!, /value of wb-1-Cp "fast" refused \(not a number\)/);
    assert.match(warned[1]!, /mode value "7" is not in the mode mapping/);
    await udp(port, readings, 2, "wb-1-Mr:1.250");
    assert.equal(sessionsOfCharger(store(), "haus-am-see", "wb-1")[0]!.energyWh, 250);
  });

  it("HTTP: polls the Wallbox block's /all and reads the outputs by name", async () => {
    const ms = await FakeMiniserver.start();
    try {
      ms.blocks.set("Wallbox Garage", { Vc: 0, Cac: 0, Cp: 0, M: 1, Mr: 50, Ccc: 0, Uid: "" });
      await helper.load(
        CHARGER_NODES,
        onTab([
          community(),
          { id: "ms", type: "zev-loxone-miniserver", host: "127.0.0.1", port: String(ms.port), timeout: "500" },
          {
            id: "wb",
            type: "zev-charger-weidmueller",
            community: "c1",
            meterId: "wb-h",
            source: "loxone-http",
            miniserver: "ms",
            lxBlock: "Wallbox Garage",
            lxInterval: "3600",
            modeMap: "1=normal;2=priority",
            wires: [["readings"], ["sessions"]],
          },
          { id: "readings", type: "helper" },
          { id: "sessions", type: "helper" },
        ]) as FlowNode[],
        { ms: { user: "admin", password: "secret" } },
      );
      const wb = helper.getNode("wb");
      const readings = collect<ReadingMsg>(helper.getNode("readings"));
      const poll = async (m: number, outputs: Record<string, string | number>): Promise<void> => {
        ms.blocks.set("Wallbox Garage", { ...ms.blocks.get("Wallbox Garage")!, ...outputs });
        time.set(at(m));
        wb.receive({ payload: "poll" });
        await waitFor(() => readings.some((r) => r.payload.ts === at(m)), `poll at minute ${m}`);
      };
      await poll(1, { Vc: 1, Uid: "04A1B2" });
      await poll(6, { Cac: 1, Cp: "7.2", Mr: "50.600", M: 2 });
      await poll(16, { Mr: "51.800" });
      await poll(17, { Vc: 0, Cac: 0, Cp: 0, Uid: "" });
      const [s] = sessionsOfCharger(store(), "haus-am-see", "wb-h");
      assert.deepEqual([s!.unitId, s!.energyWh, s!.status], ["1", 1800, "closed"]);
      assert.deepEqual(rows(s!.id), ["0 normal 600", "0 priority 1080", "15 priority 120"]);
      assert.ok(ms.requests.every((r) => r.path === "/jdev/sps/io/Wallbox Garage/all"));
    } finally {
      await ms.stop();
    }
  });

  it("source msg: reading objects from a wire, with timestamps; a bad payload goes to done(err)", async () => {
    await helper.load(
      CHARGER_NODES,
      onTab([
        community(),
        { id: "wb", type: "zev-charger-weidmueller", community: "c1", meterId: "wb-m", source: "msg", wires: [["readings"], ["sessions"]] },
        { id: "readings", type: "helper" },
        { id: "sessions", type: "helper" },
      ]) as FlowNode[],
    );
    const wb = helper.getNode("wb");
    const readings = collect<ReadingMsg>(helper.getNode("readings"));
    const errs = errors(wb);
    const st = statuses(wb);
    time.set(at(60));
    wb.receive({ payload: { connected: 1, rfid: "BEN-77", importKWh: 20, ts: at(0) } });
    wb.receive({ payload: { connected: true, charging: true, importKWh: 21.5, powerW: 7400, mode: "priority", ts: at(10) } });
    wb.receive({ payload: { connected: true, importKWh: 22, ts: at(20) } });
    wb.receive({ payload: { connected: false, importKWh: 22, ts: at(21) } });
    wb.receive({ payload: { connected: "perhaps" } });
    wb.receive({ payload: { connected: true, importKwh: 3 } });
    wb.receive({ payload: { connected: true, importKWh: 25, ts: at(15) } });
    await waitFor(() => readings.length === 4 && errs.length === 3, "four readings and three errors");
    assert.match(errs[0]!, /connected "perhaps" must be true\/false or 1\/0/);
    assert.match(errs[1]!, /unknown field importKwh/);
    assert.match(errs[2]!, /reading at 2026-03-02T07:15:00.000Z is older than the last one; ignored/);
    const [s] = sessionsOfCharger(store(), "haus-am-see", "wb-m");
    assert.deepEqual([s!.unitId, s!.energyWh], ["2", 2000]);
    // 0-10 normal (the mode arrives with the reading at 10); 10-20 priority, 500 of it before 15.
    assert.deepEqual(rows(s!.id), ["0 normal 1500", "0 priority 250", "15 priority 250"]);
    await waitFor(() => st.at(-1)?.text === "no car · priority", "status: no car, priority");
  });

  it("source msg: a wired reading whose topic is status, mode or surplus is a reading; commands only on msg.command", async () => {
    await helper.load(
      CHARGER_NODES,
      onTab([
        community(),
        { id: "wb", type: "zev-charger-weidmueller", community: "c1", meterId: "wb-m", source: "msg", wires: [["readings"], ["sessions"]] },
        { id: "readings", type: "helper" },
        { id: "sessions", type: "helper" },
      ]) as FlowNode[],
    );
    const wb = helper.getNode("wb");
    const readings = collect<ReadingMsg>(helper.getNode("readings"));
    const sessions = collect<SessionMsg>(helper.getNode("sessions"));
    const errs = errors(wb);
    time.set(at(60));
    wb.receive({ topic: "status", payload: { connected: 1, rfid: "BEN-77", importKWh: 20, ts: at(0) } });
    wb.receive({ topic: "mode", payload: { connected: true, charging: true, importKWh: 21, ts: at(10) } });
    wb.receive({ topic: "surplus", payload: { connected: true, importKWh: 22, ts: at(20) } });
    await waitFor(() => readings.length === 3, "three readings");
    assert.deepEqual(
      readings.map((r) => r.payload.importKWh),
      [20, 21, 22],
    );
    assert.ok(
      sessions.every((m) => m.topic !== "charger/status"),
      "no status answer for a reading",
    );
    wb.receive({ command: "status", topic: "wb-m" });
    await waitFor(() => sessions.some((m) => m.topic === "charger/status"), "the status answer");
    wb.receive({ command: "stats" });
    await waitFor(() => errs.length === 1, "an error for the unknown command");
    assert.match(errs[0]!, /unknown command "stats"/);
    assert.equal(readings.length, 3);
  });
});
