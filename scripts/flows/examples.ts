import type { CommunityDefinition } from "../../lib/community/types";
import { SONNENHOF_RFIDS } from "../../lib/simulator/site";
import { configFromDefinition } from "../../nodes/zev-community/config-from-definition";
import { demoCommunity } from "./demo";
import { comment, debug, FlowNode, fn, inject, linkOut, modbusCharger, payloadProperty, pos, tab } from "./nodes";

/*
 * The importable examples (Node-RED: Import > Examples > node-red-contrib-zev).
 * Each file is self-contained with its own community (so two of them can run
 * side by side: zev-aggregate allows one node per community), documents itself
 * with comment nodes, and deploys in a fresh Node-RED without errors of its
 * own (devices that are not there are reported by the meter nodes, as they
 * should be).
 */

type Meter = { id: string; role: string; unit?: string; label: string };
const METERS: Meter[] = [
  { id: "unit-1", role: "unit", unit: "1", label: "Wohnung 1" },
  { id: "unit-2", role: "unit", unit: "2", label: "Wohnung 2" },
  { id: "unit-3", role: "unit", unit: "3", label: "Wohnung 3" },
  { id: "pv", role: "production", label: "PV Dach" },
  { id: "grid", role: "grid", label: "Netzanschluss" },
];

/** The example community under another id and name, with only the meters the example reads. */
function exampleCommunity(id: string, name: string, meters: Meter[], withCharger = false): CommunityDefinition {
  const base = demoCommunity();
  return {
    ...base,
    id,
    name,
    meters: [
      ...meters.map((m) => ({ id: m.id, role: m.role as never, ...(m.unit ? { unit: m.unit } : {}), label: m.label })),
      ...(withCharger ? [{ id: "charger-1", role: "charger" as const, label: "Ladestation 1" }] : []),
    ],
    chargingIds: withCharger ? base.chargingIds : undefined,
  };
}

function communityNode(def: CommunityDefinition, id: string): FlowNode {
  const c = configFromDefinition(def, { id, name: def.name }) as unknown as FlowNode;
  delete c.z;
  return c;
}

function aggregate(z: string, id: string, community: string, at: { x: number; y: number }, wires: string[][]): FlowNode {
  return {
    id,
    type: "zev-aggregate",
    z,
    name: "",
    community,
    method: "proportional",
    gapLimitHours: "3",
    maxPowerKW: "1000",
    graceSeconds: "300",
    liveSeconds: "5",
    backupFolder: "zev/backups",
    backupAt: "03:30",
    backupKeep: "7",
    retentionYears: "10",
    alertDelayMinutes: "15",
    alertCheckSeconds: "60",
    alertBurstCount: "10",
    ...at,
    wires,
  };
}

function meterIn(
  z: string,
  id: string,
  community: string,
  m: Meter,
  source: Record<string, unknown>,
  at: { x: number; y: number },
  wires: string[],
  alerts: string[] = [],
): FlowNode {
  return {
    id,
    type: "zev-meter-in",
    z,
    name: m.label,
    community,
    meterId: m.id,
    role: m.role,
    unit: m.unit ?? "",
    invert: false,
    maxPowerKW: "100",
    ...source,
    ...at,
    alertDelayMinutes: "15",
    wires: [wires, alerts],
  };
}

const outputs = (z: string, prefix: string, col: number, row: number): FlowNode[] => [
  debug(z, `${prefix}-intervals`, "closed quarter hours", pos(col, row)),
  debug(z, `${prefix}-live`, "live power flows", pos(col, row + 1)),
  debug(z, `${prefix}-results`, "command results", pos(col, row + 2), { active: true }),
];

/** The function that turns an alert (docs/alerts.md) into a message for node-red-node-email's "e-mail" node. */
export const ALERT_EMAIL_CODE = `// One e-mail per alert, when raised and when resolved, in the shape node-red-node-email's
// "e-mail" node sends: msg.topic (subject), msg.payload (text). The text is in the community's language.
const TO = ""; // the operator's address, or leave empty and set "To" in the e-mail node
const a = msg.payload;
if (!a || !a.code || (a.state !== "raised" && a.state !== "resolved")) return null;
const word = {
  de: { raised: "Meldung", resolved: "Behoben" },
  fr: { raised: "Alerte", resolved: "Levée" },
  it: { raised: "Avviso", resolved: "Risolto" },
  en: { raised: "Alert", resolved: "Resolved" },
}[a.language] || { raised: "Alert", resolved: "Resolved" };
const about = a.subject.charger || a.subject.meter || "";
const out = {
  topic: "[" + a.community + "] " + word[a.state] + ": " + a.code + (about ? " " + about : ""),
  payload: a.text + "\\n\\n" + a.code + " · " + a.severity + " · " + a.since,
};
if (TO) out.to = TO;
return out;
`;

/**
 * Where the example's alert outputs go: a debug node, and the e-mail
 * function with a link-out "alerts to e-mail" for your e-mail node (as in
 * the billing example: an e-mail node in the example would stop every flow
 * of a Node-RED without node-red-node-email).
 */
function alertNodes(z: string, prefix: string, col: number, row: number): FlowNode[] {
  return [
    comment(
      z,
      `${prefix}-c-alerts`,
      "Alerts: a silent meter or device, low data coverage, rejected values, a failed backup (docs/alerts.md)",
      "The last output of zev-aggregate and of each device node sends an alert once when a condition has held for the alert delay (15 min), and once when it ends (msg.payload.state raised / resolved), with its text in the community's language. E-mail: install node-red-node-email, add an 'e-mail' node and wire it to a link-in connected to 'alerts to e-mail' (or to the function). A dashboard: wire the alerts to a ui-notification (docs/dashboard.md). Catch and Status nodes keep working as before.",
      pos(col, row),
    ),
    debug(z, `${prefix}-alerts`, "alerts (raised / resolved)", pos(col, row + 1), { active: true }),
    fn(z, `${prefix}-alert-email`, "alert to e-mail", ALERT_EMAIL_CODE, 1, pos(col, row + 2), [[`${prefix}-alert-would-send`, `${prefix}-alert-to-email`]]),
    debug(z, `${prefix}-alert-would-send`, "would send (subject)", pos(col + 1, row + 2), { complete: "topic" }),
    linkOut(z, `${prefix}-alert-to-email`, "alerts to e-mail", pos(col + 1, row + 3), []),
  ];
}
const alertWires = (prefix: string): string[] => [`${prefix}-alerts`, `${prefix}-alert-email`];

/** 01: meters sending Loxone Virtual Output packets. */
export function loxoneExample(): FlowNode[] {
  const z = "zev-ex1-tab";
  const def = exampleCommunity("ex-loxone", "ZEV Beispiel (Loxone)", METERS);
  const udp: FlowNode = { id: "zev-ex1-udp", type: "zev-udp-port", name: "Loxone Miniserver", bind: "0.0.0.0", port: "8888", allow: "192.168.1.77" };
  return [
    tab(z, "ZEV with Loxone (UDP)", "Meters read by a Loxone Miniserver, sent to Node-RED as Virtual Output packets (docs/meters.md)."),
    comment(
      z,
      "zev-ex1-about",
      "A small ZEV whose meters a Loxone Miniserver reads: one Virtual Output, one command per value",
      "In Loxone Config: a Virtual Output with address /dev/udp/<Node-RED host>/8888, and below it one Virtual Output Command per value, connected to the meter block's output:\n\n  unit-1:<v.3>    (Mr, the counter in kWh)\n  unit-1-p:<v>    (Pf x 1000, the power in W; or unit-1-p:<v.3> kW)\n\nThe zev-udp-port config node listens on 0.0.0.0:8888 and accepts packets only from the Miniserver (192.168.1.77): change both to yours. Each zev-meter-in takes the names it listens for (Name for import / power).",
      pos(0, 0),
    ),
    ...METERS.map((m, i) =>
      meterIn(
        z,
        `zev-ex1-meter-${m.id}`,
        "zev-ex1-community",
        m,
        { source: "loxone-udp", udpPort: udp.id, udpImport: m.id, udpExport: m.role === "grid" ? `${m.id}-out` : "", udpPower: `${m.id}-p` },
        pos(0, 2 + i),
        ["zev-ex1-aggregate"],
        alertWires("zev-ex1"),
      ),
    ),
    comment(
      z,
      "zev-ex1-c-agg",
      "Quarter hours into SQLite, the solar split, live flows",
      "Output 1: a message per closed quarter hour (the split per consumer). Output 2: live power flows. Output 3: answers to commands (msg.command quality, backup, series, health).",
      pos(1, 1),
    ),
    aggregate(z, "zev-ex1-aggregate", "zev-ex1-community", pos(1, 4), [["zev-ex1-intervals"], ["zev-ex1-live"], ["zev-ex1-results"], alertWires("zev-ex1")]),
    inject(z, "zev-ex1-quality", "data quality this month", { extra: { command: "quality" } }, {}, pos(1, 7), ["zev-ex1-aggregate"]),
    ...outputs(z, "zev-ex1", 2, 3),
    ...alertNodes(z, "zev-ex1", 2, 8),
    communityNode(def, "zev-ex1-community"),
    udp,
  ];
}

/** 02: Modbus TCP meters behind one gateway. */
export function modbusExample(): FlowNode[] {
  const z = "zev-ex2-tab";
  const def = exampleCommunity("ex-modbus", "ZEV Beispiel (Modbus)", METERS);
  const conn: FlowNode = {
    id: "zev-ex2-gateway",
    type: "zev-modbus-connection",
    name: "Modbus gateway",
    host: "192.168.1.50",
    port: "502",
    timeout: "2000",
    reconnectMin: "1000",
    reconnectMax: "60000",
    unitPause: "10000",
  };
  const profile: Record<string, [string, string]> = { pv: ["sunspec-213", "240"], grid: ["eastron-sdm630", "10"] };
  return [
    tab(z, "ZEV with Modbus meters", "Eastron SDM630 unit meters and a SunSpec PV meter behind one Modbus TCP gateway (docs/meters.md)."),
    comment(
      z,
      "zev-ex2-about",
      "A small ZEV with Modbus TCP meters: SDM630 per unit (unit ids 1-3), the grid meter (10), the inverter's SunSpec meter (240)",
      "All meters behind one Modbus TCP gateway share the zev-modbus-connection (one request at a time). Set its host (192.168.1.50 here) and each meter's unit id and profile; the editor shows the registers read. A meter that does not answer shows it in its status and does not hold up the others. To try without hardware: `npx zev simulate` serves these profiles on 127.0.0.1:1502 (docs/demo.md).",
      pos(0, 0),
    ),
    ...METERS.map((m, i) => {
      const [prof, unit] = profile[m.id] ?? ["eastron-sdm630", m.unit!];
      return meterIn(
        z,
        `zev-ex2-meter-${m.id}`,
        "zev-ex2-community",
        m,
        { source: "modbus", modbus: conn.id, mbUnitId: unit, mbProfile: prof, mbInterval: "10" },
        pos(0, 2 + i),
        ["zev-ex2-aggregate"],
        alertWires("zev-ex2"),
      );
    }),
    aggregate(z, "zev-ex2-aggregate", "zev-ex2-community", pos(1, 4), [["zev-ex2-intervals"], ["zev-ex2-live"], ["zev-ex2-results"], alertWires("zev-ex2")]),
    inject(z, "zev-ex2-health", "data health", { extra: { command: "health" } }, {}, pos(1, 7), ["zev-ex2-aggregate"]),
    ...outputs(z, "zev-ex2", 2, 3),
    ...alertNodes(z, "zev-ex2", 2, 8),
    communityNode(def, "zev-ex2-community"),
    conn,
  ];
}

/** 03: a Weidmüller AC SMART with sessions, modes and current control. */
export function chargerExample(): FlowNode[] {
  const z = "zev-ex3-tab";
  const def = exampleCommunity(
    "ex-charger",
    "ZEV Beispiel (Ladestation)",
    METERS.filter((m) => m.role !== "unit" || m.id === "unit-1"),
    true,
  );
  const conn: FlowNode = {
    id: "zev-ex3-wallbox",
    type: "zev-modbus-connection",
    name: "AC SMART",
    host: "192.168.1.60",
    port: "502",
    timeout: "2000",
    reconnectMin: "1000",
    reconnectMax: "60000",
    unitPause: "10000",
  };
  return [
    tab(z, "Weidmüller charger", "A Weidmüller AC SMART over Modbus TCP: sessions per RFID tag, modes, current control (docs/chargers.md)."),
    comment(
      z,
      "zev-ex3-about",
      "A Weidmüller AC SMART: sessions per RFID tag and unit, priority and normal mode, solar current control",
      `The charger node reads the AC SMART (192.168.1.60, unit id 255), records each session with its energy per quarter hour and mode, and attributes it to the unit whose RFID tag started it (the community's charging ids: ${SONNENHOF_RFIDS.unit1} is unit 1's car). Output 1 carries the charger's lifetime counter as a reading for zev-aggregate (the charger is a consumer in the solar split); output 2 the session messages.\n\nCurrent control is on: in normal mode the node writes the current the solar surplus allows, which it gets from zev-aggregate's live output (surplusW); in priority the full current. The inject nodes switch the mode, as a dashboard button would.`,
      pos(0, 0),
    ),
    modbusCharger(
      z,
      "zev-ex3-charger",
      { name: "Ladestation 1", community: "zev-ex3-community", meterId: "charger-1", modbus: conn.id, unitId: "255", intervalS: "10", control: true },
      pos(1, 3),
      [["zev-ex3-aggregate"], ["zev-ex3-sessions"], alertWires("zev-ex3")],
    ),
    inject(z, "zev-ex3-priority", "priority", { payload: "priority", extra: { command: "mode" } }, {}, pos(0, 2), ["zev-ex3-charger"]),
    inject(z, "zev-ex3-normal", "normal", { payload: "normal", extra: { command: "mode" } }, {}, pos(0, 3), ["zev-ex3-charger"]),
    inject(z, "zev-ex3-status", "status", { extra: { command: "status" } }, {}, pos(0, 4), ["zev-ex3-charger"]),
    payloadProperty(z, "zev-ex3-surplus", "surplus for the car", "surplus", "surplusW", pos(0, 6), ["zev-ex3-charger"]),
    comment(z, "zev-ex3-c-meters", "Your meters feed the same zev-aggregate (see the Loxone and Modbus examples)", "", pos(1, 6)),
    aggregate(z, "zev-ex3-aggregate", "zev-ex3-community", pos(2, 3), [
      ["zev-ex3-intervals"],
      ["zev-ex3-live", "zev-ex3-surplus"],
      ["zev-ex3-results"],
      alertWires("zev-ex3"),
    ]),
    debug(z, "zev-ex3-sessions", "session messages and status", pos(2, 5), { active: true }),
    ...outputs(z, "zev-ex3", 3, 2),
    ...alertNodes(z, "zev-ex3", 2, 8),
    communityNode(def, "zev-ex3-community"),
    conn,
  ];
}

/** The function that turns an issued invoice into a message for node-red-node-email's "e-mail" node. */
export const EMAIL_CODE = `// One e-mail per issued invoice, in the shape node-red-node-email's "e-mail" node sends:
// msg.to, msg.topic (subject), msg.payload (text), msg.attachments (the PDF).
const inv = msg.payload;
const s = inv.snapshot;
if (inv.status !== "issued" || !msg.document) return null; // drafts and credit notes stay here
if (!s.recipient.email) {
  node.warn("invoice " + inv.number + ": " + s.recipient.name + " has no e-mail address");
  return null;
}
const subject = {
  de: "Stromrechnung " + s.period.label + " (" + inv.number + ")",
  fr: "Facture d'électricité " + s.period.label + " (" + inv.number + ")",
  it: "Fattura dell'elettricità " + s.period.label + " (" + inv.number + ")",
  en: "Electricity invoice " + s.period.label + " (" + inv.number + ")",
}[s.language] || inv.number;
return {
  to: s.recipient.email,
  topic: subject,
  payload: s.communityName + "\\n\\n" + subject + ": " + inv.currency + " " + inv.total,
  attachments: [{ filename: msg.document.filename, content: msg.document.buffer, contentType: "application/pdf" }],
};
`;

/** 04: the monthly billing run with an e-mail per invoice (sending off until you wire it). */
export function billingExample(): FlowNode[] {
  const z = "zev-ex4-tab";
  const def = exampleCommunity("ex-billing", "ZEV Beispiel (Abrechnung)", METERS);
  return [
    tab(z, "Monthly billing and e-mail", "The previous month billed on the 1st, each invoice e-mailed with its PDF (docs/billing.md, docs/documents.md)."),
    comment(
      z,
      "zev-ex4-about",
      "On the 1st of each month at 06:00 zev-billing bills the previous month (its Schedule option); one e-mail per issued invoice with its PDF",
      "The schedule drafts only: review the drafts, and when you trust them set 'Scheduled runs' to 'issue' in the zev-billing node, so that the invoices are issued and handed to the e-mail function. Each period is billed once, also across restarts. zev-billing refuses (and writes nothing) if a meter's data covers less than 95 % of the month; its second output says why and its third output sends an alert (raised once, resolved once by a good run), in the community's language (docs/billing.md 'Scheduled runs', 'Alerts of zev-billing').\n\nE-mail: install node-red-node-email (Menu > Manage palette), add an 'e-mail' node, set its server and account, and wire it to the link-out 'to e-mail'. It is not in this example because an unknown node type stops every flow of a Node-RED that does not have it. Until then, the debug nodes show what would be sent.",
      pos(0, 0),
    ),
    inject(z, "zev-ex4-draft", "draft of the previous month", { payload: { period: "previous-month", mode: "draft" } }, {}, pos(0, 3), ["zev-ex4-billing"]),
    {
      id: "zev-ex4-billing",
      type: "zev-billing",
      z,
      name: "",
      community: "zev-ex4-community",
      period: "previous-month",
      mode: "draft",
      renderDocuments: true,
      documentsFolder: "",
      logoFile: "",
      scheduleRhythm: "monthly",
      scheduleDay: 1,
      scheduleTime: "06:00",
      scheduleMode: "draft",
      ...pos(1, 2),
      wires: [["zev-ex4-email"], ["zev-ex4-report"], ["zev-ex4-alerts", "zev-ex4-alert-email"]],
    },
    fn(z, "zev-ex4-email", "e-mail per invoice", EMAIL_CODE, 1, pos(2, 2), [["zev-ex4-would-send", "zev-ex4-to-email"]]),
    debug(z, "zev-ex4-would-send", "would send (to, subject)", pos(3, 2), { active: true, complete: "topic" }),
    linkOut(z, "zev-ex4-to-email", "to e-mail", pos(3, 3), []),
    debug(z, "zev-ex4-report", "run report (coverage, warnings, invoices)", pos(2, 4), { active: true }),
    debug(z, "zev-ex4-alerts", "billing alerts", pos(2, 5), { active: true }),
    fn(z, "zev-ex4-alert-email", "alert as e-mail", ALERT_EMAIL_CODE, 1, pos(2, 6), [["zev-ex4-would-send", "zev-ex4-to-email"]]),
    communityNode(def, "zev-ex4-community"),
  ];
}

/** examples/flows.json: the small ZEV of the examples on one tab. */
export function combinedExample(): FlowNode[] {
  const z = "zev-ex-tab";
  const def = exampleCommunity("beispiel", "ZEV Beispiel", METERS, true);
  const udp: FlowNode = { id: "zev-ex-udp", type: "zev-udp-port", name: "Loxone Miniserver", bind: "0.0.0.0", port: "8888", allow: "192.168.1.77" };
  const conn: FlowNode = {
    id: "zev-ex-gateway",
    type: "zev-modbus-connection",
    name: "Modbus gateway",
    host: "192.168.1.50",
    port: "502",
    timeout: "2000",
    reconnectMin: "1000",
    reconnectMax: "60000",
    unitPause: "10000",
  };
  return [
    tab(
      z,
      "ZEV Beispiel",
      "A small ZEV: units over Loxone UDP, PV and grid over Modbus, a Weidmüller charger, monthly billing (docs/demo.md for the same on simulated devices).",
    ),
    comment(
      z,
      "zev-ex-about",
      "A small ZEV: three flats read by Loxone (UDP), PV and grid meters on Modbus, a Weidmüller charger, the monthly bill",
      "Set the addresses to yours: the Miniserver (192.168.1.77, UDP port 8888), the Modbus gateway (192.168.1.50), the charger (192.168.1.60, on the same gateway here at unit id 255). The community (units, tenants, tariffs) is the zev-community config node. Separate examples show each part in more detail. To try it without hardware, run `npm start` in a checkout of the suite (docs/demo.md).",
      pos(0, 0),
    ),
    ...METERS.filter((m) => m.role === "unit").map((m, i) =>
      meterIn(
        z,
        `zev-ex-meter-${m.id}`,
        "zev-ex-community",
        m,
        { source: "loxone-udp", udpPort: udp.id, udpImport: m.id, udpExport: "", udpPower: `${m.id}-p` },
        pos(0, 2 + i),
        ["zev-ex-aggregate"],
        alertWires("zev-ex"),
      ),
    ),
    meterIn(
      z,
      "zev-ex-meter-pv",
      "zev-ex-community",
      METERS[3]!,
      { source: "modbus", modbus: conn.id, mbUnitId: "240", mbProfile: "sunspec-213", mbInterval: "10" },
      pos(0, 5),
      ["zev-ex-aggregate"],
      alertWires("zev-ex"),
    ),
    meterIn(
      z,
      "zev-ex-meter-grid",
      "zev-ex-community",
      METERS[4]!,
      { source: "modbus", modbus: conn.id, mbUnitId: "10", mbProfile: "eastron-sdm630", mbInterval: "10" },
      pos(0, 6),
      ["zev-ex-aggregate"],
      alertWires("zev-ex"),
    ),
    modbusCharger(
      z,
      "zev-ex-charger",
      { name: "Ladestation 1", community: "zev-ex-community", meterId: "charger-1", modbus: conn.id, unitId: "255", intervalS: "10", control: false },
      pos(0, 7),
      [["zev-ex-aggregate"], ["zev-ex-sessions"], alertWires("zev-ex")],
    ),
    aggregate(z, "zev-ex-aggregate", "zev-ex-community", pos(1, 4), [["zev-ex-intervals"], ["zev-ex-live"], ["zev-ex-results"], alertWires("zev-ex")]),
    ...outputs(z, "zev-ex", 2, 3),
    debug(z, "zev-ex-sessions", "charging sessions", pos(1, 7)),
    comment(
      z,
      "zev-ex-c-billing",
      "Billing: the 1st of the month (disabled until you enable it), e-mails prepared for node-red-node-email",
      "See the 'Monthly billing and e-mail' example for the e-mail node.",
      pos(0, 9),
    ),
    inject(
      z,
      "zev-ex-monthly",
      "1st of the month, 06:00",
      { payload: { period: "previous-month", mode: "issue" } },
      { crontab: "00 06 1 * *", disabled: true },
      pos(0, 10),
      ["zev-ex-billing"],
    ),
    {
      id: "zev-ex-billing",
      type: "zev-billing",
      z,
      name: "",
      community: "zev-ex-community",
      period: "previous-month",
      mode: "draft",
      renderDocuments: true,
      documentsFolder: "",
      logoFile: "",
      ...pos(1, 10),
      wires: [["zev-ex-email"], ["zev-ex-report"]],
    },
    fn(z, "zev-ex-email", "e-mail per invoice", EMAIL_CODE, 1, pos(2, 10), [["zev-ex-would-send"]]),
    debug(z, "zev-ex-would-send", "would send (to, subject)", pos(3, 10), { active: true, complete: "topic" }),
    debug(z, "zev-ex-report", "run report", pos(2, 11), { active: true }),
    ...alertNodes(z, "zev-ex", 4, 2),
    communityNode(def, "zev-ex-community"),
    udp,
    conn,
  ];
}

/** A change node that turns a device's MQTT message into the suite's reading message (JSONata: no code to maintain). */
function toReading(z: string, id: string, name: string, meter: string, payload: string, at: { x: number; y: number }, wires: string[]): FlowNode {
  return {
    id,
    type: "change",
    z,
    name,
    rules: [
      { t: "set", p: "topic", pt: "msg", to: meter, tot: "str" },
      { t: "set", p: "payload", pt: "msg", to: payload, tot: "jsonata" },
    ],
    action: "",
    property: "",
    from: "",
    to: "",
    reg: false,
    ...at,
    wires: [wires],
  };
}

function mqttIn(z: string, id: string, name: string, topic: string, broker: string, at: { x: number; y: number }, wires: string[]): FlowNode {
  return { id, type: "mqtt in", z, name, topic, qos: "0", datatype: "json", broker, nl: false, rap: true, rh: 0, inputs: 0, ...at, wires: [wires] };
}

/** What the MQTT example's change nodes make of each device's message (docs/sources.md). */
export const MQTT_READINGS = {
  shelly: '{ "meter": "unit-1", "ts": $millis(), "importKWh": payload.total_act / 1000, "exportKWh": payload.total_act_ret / 1000, "resolutionKWh": 0.00001 }',
  tasmota: '{ "meter": "pv", "ts": $millis(), "importKWh": payload.ENERGY.Total, "powerW": payload.ENERGY.Power }',
  generic: '$merge([{ "ts": $millis() }, payload, { "meter": "grid" }])',
} as const;

/** 05: meters read by other devices and sent over MQTT (Shelly, Tasmota, any JSON). */
export function mqttExample(): FlowNode[] {
  const z = "zev-ex5-tab";
  const def = exampleCommunity(
    "ex-mqtt",
    "ZEV Beispiel (MQTT)",
    METERS.filter((m) => m.id === "unit-1" || m.role !== "unit"),
  );
  const broker: FlowNode = {
    id: "zev-ex5-broker",
    type: "mqtt-broker",
    name: "MQTT broker",
    broker: "localhost",
    port: "1883",
    clientid: "",
    autoConnect: true,
    usetls: false,
    protocolVersion: "4",
    keepalive: "60",
    cleansession: true,
    autoUnsubscribe: true,
    birthTopic: "",
    closeTopic: "",
    willTopic: "",
  };
  return [
    tab(
      z,
      "Meters over MQTT",
      "Meters that other devices read and publish over MQTT (Shelly, Tasmota, any JSON), turned into reading messages by change nodes (docs/sources.md).",
    ),
    comment(
      z,
      "zev-ex5-about",
      "Meters over MQTT: a Shelly Pro 3EM (unit-1), a Tasmota energy meter (pv), any JSON publisher (grid)",
      "Each device publishes to your broker (localhost:1883 here: set yours in the mqtt-broker config node). One 'mqtt in' per device, one change node per meter that turns the device's message into the suite's reading message (README 'Reading messages'): msg.topic = the meter id, msg.payload = { meter, ts, importKWh, exportKWh, powerW }. Counters in kWh: the Shelly's total_act is in Wh, hence / 1000. ts is the time of arrival ($millis()) where the device sends none.\n\nShelly Gen2/Gen3: enable MQTT with 'Generic status update over MQTT'; the topic is <device id>/status/emdata:0 (Pro 3EM) or <device id>/status/switch:0 with aenergy.total (Plus 1PM: use payload.aenergy.total / 1000). Tasmota: tele/<topic>/SENSOR with ENERGY.Total in kWh (TelePeriod 10 for a reading every 10 s).",
      pos(0, 0),
    ),
    mqttIn(z, "zev-ex5-shelly", "Shelly Pro 3EM (unit-1)", "shellypro3em-unit1/status/emdata:0", broker.id, pos(0, 2), ["zev-ex5-shelly-reading"]),
    toReading(z, "zev-ex5-shelly-reading", "unit-1: Wh -> kWh", "unit-1", MQTT_READINGS.shelly, pos(1, 2), ["zev-ex5-aggregate"]),
    mqttIn(z, "zev-ex5-tasmota", "Tasmota (pv)", "tele/pv-meter/SENSOR", broker.id, pos(0, 3), ["zev-ex5-tasmota-reading"]),
    toReading(z, "zev-ex5-tasmota-reading", "pv: ENERGY.Total", "pv", MQTT_READINGS.tasmota, pos(1, 3), ["zev-ex5-aggregate"]),
    mqttIn(z, "zev-ex5-generic", "any JSON (grid)", "zev/grid", broker.id, pos(0, 4), ["zev-ex5-generic-reading"]),
    toReading(z, "zev-ex5-generic-reading", "grid: as sent, ts if missing", "grid", MQTT_READINGS.generic, pos(1, 4), ["zev-ex5-aggregate"]),
    aggregate(z, "zev-ex5-aggregate", "zev-ex5-community", pos(2, 3), [["zev-ex5-intervals"], ["zev-ex5-live"], ["zev-ex5-results"], alertWires("zev-ex5")]),
    inject(z, "zev-ex5-health", "data health", { extra: { command: "health" } }, {}, pos(2, 5), ["zev-ex5-aggregate"]),
    ...outputs(z, "zev-ex5", 3, 2),
    ...alertNodes(z, "zev-ex5", 2, 7),
    communityNode(def, "zev-ex5-community"),
    broker,
  ];
}

export function exampleFiles(): Map<string, FlowNode[]> {
  return new Map([
    ["examples/flows.json", combinedExample()],
    ["examples/01-loxone-udp.json", loxoneExample()],
    ["examples/02-modbus-meters.json", modbusExample()],
    ["examples/03-weidmueller-charger.json", chargerExample()],
    ["examples/04-monthly-billing-email.json", billingExample()],
    ["examples/05-mqtt-meters.json", mqttExample()],
  ]);
}
