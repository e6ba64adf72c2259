import { join } from "node:path";
import { loadCommunityFile } from "../../lib/community/file-format";
import type { CommunityDefinition } from "../../lib/community/types";
import { SONNENHOF_DEVICES } from "../../lib/simulator/devices";
import { SONNENHOF_SITE, siteMeters, withSiteMeters } from "../../lib/simulator/site";
import { configFromDefinition } from "../../nodes/zev-community/config-from-definition";
import { dashboard1 } from "./dashboard1";
import { dashboard2 } from "./dashboard2";
import {
  catchNode,
  comment,
  debug,
  FlowNode,
  hasProperty,
  inject,
  linkCall,
  linkIn,
  linkOut,
  linkReturn,
  modbusCharger,
  payloadProperty,
  pos,
  splitOnProperty,
  tab,
} from "./nodes";
import type { Lang } from "./texts";
import { TEXTS } from "./texts";

/*
 * The demo: the example community on the simulated devices (docs/demo.md).
 * One tab with the suite (meters, aggregation, billing), one with the
 * Dashboard 2 tab. Ports of the simulator come from environment variables
 * that scripts/start.mjs sets.
 */

export const ROOT = join(__dirname, "..", "..");
export const DEMO_COMMUNITY_NODE = "zev-community-sonnenhof";
export const PDF_PATH = "/zev/invoices";

/**
 * The example community with the simulated site's meters and charging ids.
 * Its 2026 plan passes the EnV Art. 16 check as it is (docs/examples/community,
 * docs/decisions/0069): the demo shows the example's own tariff.
 */
export function demoCommunity(): CommunityDefinition {
  return withSiteMeters(loadCommunityFile(join(ROOT, "docs", "examples", "community", "sonnenhof.json")), SONNENHOF_SITE);
}

const Z = "zev-demo-tab";

/** The demo flow with the Dashboard 2 tab (the default) or the Dashboard 1 tab. */
export function demoFlow(lang: Lang = "en", dashboard: 1 | 2 = 2): FlowNode[] {
  const def = demoCommunity();
  const community = { ...configFromDefinition(def, { id: DEMO_COMMUNITY_NODE }), z: undefined } as unknown as FlowNode;
  delete community.z;
  const labels = new Map(siteMeters(SONNENHOF_SITE).map((m) => [m.id, m]));
  const dash = (dashboard === 2 ? dashboard2 : dashboard1)({ texts: TEXTS[lang], title: def.name, zone: def.timeZone, pdfPath: PDF_PATH });

  const modbus: FlowNode = {
    id: "zev-demo-modbus",
    type: "zev-modbus-connection",
    name: "Simulator (Modbus TCP)",
    host: "127.0.0.1",
    port: "${ZEV_SIM_MODBUS_PORT}",
    timeout: "2000",
    reconnectMin: "1000",
    reconnectMax: "10000",
    unitPause: "10000",
  };
  const udp: FlowNode = {
    id: "zev-demo-udp",
    type: "zev-udp-port",
    name: "Simulator (Loxone UDP)",
    bind: "127.0.0.1",
    port: "${ZEV_SIM_UDP_PORT}",
    allow: "127.0.0.1",
  };

  // The charger node reads charger-1 (its lifetime counter is the meter): the simulator's SDM630 at unit 30 stays unused here.
  const chargerMeter = SONNENHOF_DEVICES.charger!.meter;
  const meterNodes: FlowNode[] = SONNENHOF_DEVICES.meters
    .filter((b) => b.meter !== chargerMeter)
    .map((b, i) => {
      const m = labels.get(b.meter)!;
      const base: FlowNode = {
        id: `zev-demo-meter-${b.meter}`,
        type: "zev-meter-in",
        z: Z,
        name: m.label,
        community: DEMO_COMMUNITY_NODE,
        meterId: m.id,
        role: m.role,
        unit: m.unit ?? "",
        invert: false,
        maxPowerKW: "100",
        ...pos(0, 3 + i),
        wires: [["zev-demo-aggregate"]],
      };
      return b.via === "modbus"
        ? { ...base, source: "modbus", modbus: modbus.id, mbUnitId: String(b.unitId), mbProfile: b.profile, mbInterval: "3" }
        : { ...base, source: "loxone-udp", udpPort: udp.id, udpImport: b.importName ?? "", udpExport: "", udpPower: b.powerName ?? "" };
    });

  const suite: FlowNode[] = [
    tab(Z, def.name, "The demo community on the simulated devices (docs/demo.md)."),
    comment(
      Z,
      "zev-demo-comment",
      `${def.name}: the community is the zev-community config node (sidebar > configuration nodes)`,
      "Meters read the simulator (scripts/start.mjs starts it on loopback): Modbus TCP meters (SDM630 units, a SunSpec PV meter) and one Loxone UDP meter. zev-aggregate stores quarter hours and splits the solar energy; zev-billing bills from the database. The Dashboard 2 tab talks to both through the link nodes named 'zev aggregate' and 'zev billing'.",
      pos(0, 0),
    ),
    comment(Z, "zev-demo-c-meters", "Meters (the simulator's devices)", "", pos(0, 2)),
    ...meterNodes,
    {
      id: "zev-demo-aggregate",
      type: "zev-aggregate",
      z: Z,
      name: "",
      community: DEMO_COMMUNITY_NODE,
      method: "proportional",
      gapLimitHours: "3",
      maxPowerKW: "1000",
      graceSeconds: "300",
      liveSeconds: "3",
      backupFolder: "zev/backups",
      backupAt: "03:30",
      backupKeep: "7",
      retentionYears: "10",
      ...pos(2, 6),
      wires: [["zev-demo-to-intervals"], ["zev-demo-to-live", "zev-demo-surplus"], ["zev-demo-return-agg"]],
    },
    linkIn(Z, "zev-demo-in-aggregate", "zev aggregate", pos(1, 8), ["zev-demo-aggregate"]),
    comment(
      Z,
      "zev-demo-c-charger",
      "Charger: sessions, modes and current control (the simulator's AC SMART)",
      "In normal mode the node writes the current the solar surplus allows (zev-aggregate's live surplusW); in priority the full current.",
      pos(0, 11),
    ),
    modbusCharger(
      Z,
      "zev-demo-charger",
      {
        name: labels.get(chargerMeter)!.label,
        community: DEMO_COMMUNITY_NODE,
        meterId: chargerMeter,
        modbus: modbus.id,
        unitId: String(SONNENHOF_DEVICES.charger!.unitId),
        intervalS: "3",
        control: true,
      },
      pos(1, 12),
      [["zev-demo-aggregate"], ["zev-demo-charger-out"]],
    ),
    linkIn(Z, "zev-demo-in-charger", "zev charger", pos(0, 12), ["zev-demo-charger"]),
    payloadProperty(Z, "zev-demo-surplus", "surplus for the car", "surplus", "surplusW", pos(0, 13), ["zev-demo-charger"]),
    splitOnProperty(
      Z,
      "zev-demo-charger-out",
      "answers / session messages",
      "target",
      pos(2, 12),
      ["zev-demo-return-charger"],
      ["zev-demo-to-charger", "zev-demo-sessions"],
    ),
    linkReturn(Z, "zev-demo-return-charger", "answer", pos(3, 11)),
    linkOut(Z, "zev-demo-to-charger", "to the dashboard: sessions", pos(3, 12), [dash.inCharger]),
    debug(Z, "zev-demo-sessions", "session messages", pos(3, 13)),
    linkOut(Z, "zev-demo-to-intervals", "to the dashboard: intervals", pos(3, 5), [dash.inIntervals]),
    linkOut(Z, "zev-demo-to-live", "to the dashboard: live", pos(3, 6), [dash.inLive]),
    linkReturn(Z, "zev-demo-return-agg", "answer", pos(3, 7)),
    comment(Z, "zev-demo-c-billing", "Billing: runs, issues and PDFs on request (from the dashboard)", "", pos(1, 15)),
    linkIn(Z, "zev-demo-in-billing", "zev billing", pos(1, 16), ["zev-demo-billing"]),
    {
      id: "zev-demo-billing",
      type: "zev-billing",
      z: Z,
      name: "",
      community: DEMO_COMMUNITY_NODE,
      period: "previous-month",
      mode: "draft",
      renderDocuments: true,
      documentsFolder: "",
      logoFile: "",
      ...pos(2, 16),
      wires: [["zev-demo-invoices"], ["zev-demo-bill-progress"]],
    },
    debug(Z, "zev-demo-invoices", "invoice messages (msg.document = PDF)", pos(3, 16)),
    // a run's progress messages (topic billing/progress) go to the dashboard's bar, the answers back to the caller
    {
      id: "zev-demo-bill-progress",
      type: "switch",
      z: Z,
      name: "progress / answers",
      property: "topic",
      propertyType: "msg",
      rules: [{ t: "eq", v: "billing/progress", vt: "str" }, { t: "else" }],
      checkall: "false",
      repair: false,
      outputs: 2,
      ...pos(3, 17),
      wires: [["zev-demo-to-progress"], ["zev-demo-return-bill"]],
    },
    linkOut(Z, "zev-demo-to-progress", "to the dashboard: billing progress", pos(4, 16), [dash.inProgress]),
    linkReturn(Z, "zev-demo-return-bill", "answer", pos(4, 17)),
    comment(
      Z,
      "zev-demo-c-portal",
      "Tenant portal: its own port (docs/portal.md); the dashboard's Portal page makes and revokes the links through 'zev portal'",
      "",
      pos(1, 24),
    ),
    linkIn(Z, "zev-demo-in-portal", "zev portal", pos(1, 25), ["zev-demo-portal"]),
    {
      id: "zev-demo-portal",
      type: "zev-portal",
      z: Z,
      name: "",
      community: DEMO_COMMUNITY_NODE,
      port: "${ZEV_PORTAL_PORT}",
      host: "127.0.0.1",
      baseUrl: "${ZEV_PORTAL_URL}",
      validDays: "365",
      ...pos(2, 25),
      wires: [["zev-demo-return-portal"]],
    },
    linkReturn(Z, "zev-demo-return-portal", "answer", pos(3, 25)),
    comment(Z, "zev-demo-c-errors", "Errors of a request go back to the caller", "", pos(1, 19)),
    catchNode(
      Z,
      "zev-demo-catch",
      "aggregate, charger, billing and portal errors",
      ["zev-demo-aggregate", "zev-demo-charger", "zev-demo-billing", "zev-demo-portal"],
      pos(1, 20),
      ["zev-demo-only-requests"],
    ),
    hasProperty(Z, "zev-demo-only-requests", "requests (msg.target)", "target", pos(2, 20), ["zev-demo-return-err"]),
    linkReturn(Z, "zev-demo-return-err", "answer with the error", pos(3, 20)),
    inject(Z, "zev-demo-backup", "backup now", { extra: { command: "backup", target: "zev aggregate" } }, {}, pos(1, 22), ["zev-demo-call-backup"]),
    linkCall(Z, "zev-demo-call-backup", "zev aggregate", pos(2, 22), ["zev-demo-backup-result"]),
    debug(Z, "zev-demo-backup-result", "backup written", pos(3, 22), { active: true }),
  ];
  return [...suite, ...dash.nodes, community, modbus, udp];
}
