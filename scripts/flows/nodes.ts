/*
 * Small builders for Node-RED flow JSON: core nodes with their editor
 * defaults, positions on a grid, and the wiring. The flow generators
 * (demo, dashboards, examples) are written with these.
 */

export type FlowNode = { id: string; type: string; z?: string; wires?: string[][] } & Record<string, unknown>;

/** Positions nodes in columns: pos(col, row). */
export const pos = (col: number, row: number): { x: number; y: number } => ({ x: 150 + col * 230, y: 60 + row * 50 });

export function tab(id: string, label: string, info: string, disabled = false): FlowNode {
  return { id, type: "tab", label, disabled, info, env: [] };
}

export function comment(z: string, id: string, name: string, info: string, at: { x: number; y: number }): FlowNode {
  return { id, type: "comment", z, name, info, ...at, wires: [] };
}

export function inject(
  z: string,
  id: string,
  name: string,
  props: { topic?: string; payload?: unknown; extra?: Record<string, string> },
  opts: { repeat?: number; once?: boolean; onceDelay?: number; crontab?: string; disabled?: boolean },
  at: { x: number; y: number },
  wires: string[],
): FlowNode {
  const p: { p: string; v?: string; vt?: string }[] = [];
  if (props.payload !== undefined) p.push({ p: "payload" });
  if (props.topic !== undefined) p.push({ p: "topic", vt: "str" });
  for (const [k, v] of Object.entries(props.extra ?? {})) p.push({ p: k, v, vt: "str" });
  const payload = props.payload;
  return {
    id,
    type: "inject",
    z,
    name,
    props: p,
    repeat: opts.repeat ? String(opts.repeat) : "",
    crontab: opts.crontab ?? "",
    once: opts.once ?? false,
    onceDelay: opts.onceDelay ?? 0.1,
    topic: props.topic ?? "",
    payload: payload === undefined ? "" : typeof payload === "string" ? payload : JSON.stringify(payload),
    payloadType: payload === undefined ? "date" : typeof payload === "string" ? "str" : "json",
    ...(opts.disabled ? { d: true } : {}),
    ...at,
    wires: [wires],
  };
}

export function fn(z: string, id: string, name: string, code: string, outputs: number, at: { x: number; y: number }, wires: string[][]): FlowNode {
  return { id, type: "function", z, name, func: code, outputs, timeout: 0, noerr: 0, initialize: "", finalize: "", libs: [], ...at, wires };
}

export function debug(z: string, id: string, name: string, at: { x: number; y: number }, opts: { active?: boolean; complete?: string } = {}): FlowNode {
  return {
    id,
    type: "debug",
    z,
    name,
    active: opts.active ?? false,
    tosidebar: true,
    console: false,
    tostatus: false,
    complete: opts.complete ?? "payload",
    targetType: opts.complete === "true" ? "full" : "msg",
    statusVal: "",
    statusType: "auto",
    ...at,
    wires: [],
  };
}

export function linkIn(z: string, id: string, name: string, at: { x: number; y: number }, wires: string[], links: string[] = []): FlowNode {
  return { id, type: "link in", z, name, links, ...at, wires: [wires] };
}

export function linkOut(z: string, id: string, name: string, at: { x: number; y: number }, links: string[]): FlowNode {
  return { id, type: "link out", z, name, mode: "link", links, ...at, wires: [] };
}

export function linkReturn(z: string, id: string, name: string, at: { x: number; y: number }): FlowNode {
  return { id, type: "link out", z, name, mode: "return", links: [], ...at, wires: [] };
}

/** A link call that finds its link-in node by name (msg.target), so a flow can be imported next to any suite flow. */
export function linkCall(z: string, id: string, name: string, at: { x: number; y: number }, wires: string[]): FlowNode {
  return { id, type: "link call", z, name, links: [], linkType: "dynamic", timeout: "30", ...at, wires: [wires] };
}

export function catchNode(z: string, id: string, name: string, scope: string[] | null, at: { x: number; y: number }, wires: string[]): FlowNode {
  return { id, type: "catch", z, name, scope, uncaught: false, ...at, wires: [wires] };
}

/** Passes messages that have `property` set (e.g. a link call's request). */
export function hasProperty(z: string, id: string, name: string, property: string, at: { x: number; y: number }, wires: string[]): FlowNode {
  return {
    id,
    type: "switch",
    z,
    name,
    property,
    propertyType: "msg",
    rules: [{ t: "nnull" }],
    checkall: "true",
    repair: false,
    outputs: 1,
    ...at,
    wires: [wires],
  };
}

/** Drops messages arriving faster than one per `seconds` (keeps the first). */
export function rateLimit(z: string, id: string, name: string, seconds: number, at: { x: number; y: number }, wires: string[]): FlowNode {
  return {
    id,
    type: "delay",
    z,
    name,
    pauseType: "rate",
    timeout: "5",
    timeoutUnits: "seconds",
    rate: "1",
    nbRateUnits: String(seconds),
    rateUnits: "second",
    randomFirst: "1",
    randomLast: "5",
    randomUnits: "seconds",
    drop: true,
    allowrate: false,
    outputs: 1,
    ...at,
    wires: [wires],
  };
}

export function httpIn(z: string, id: string, name: string, url: string, at: { x: number; y: number }, wires: string[]): FlowNode {
  return { id, type: "http in", z, name, url, method: "get", upload: false, swaggerDoc: "", ...at, wires: [wires] };
}

export function httpResponse(z: string, id: string, name: string, at: { x: number; y: number }): FlowNode {
  return { id, type: "http response", z, name, statusCode: "", headers: {}, ...at, wires: [] };
}

/** Function-node source with the texts it formats with as a constant `T`. */
export function withTexts(texts: unknown, body: string): string {
  return `const T = ${JSON.stringify(texts)};\n${body.trim()}\n`;
}

/** "__name__" placeholders, as in Node-RED's catalogs; available to function nodes as fmt(). */
export const FMT = `const fmt = (s, v) => String(s).replace(/__(\\w+)__/g, (m, k) => (v[k] === undefined ? m : String(v[k])));`;

/** Sets msg.command and moves a payload property to msg.payload (e.g. the live flows' surplusW for the charger). */
export function payloadProperty(
  z: string,
  id: string,
  name: string,
  command: string,
  property: string,
  at: { x: number; y: number },
  wires: string[],
): FlowNode {
  return {
    id,
    type: "change",
    z,
    name,
    rules: [
      { t: "set", p: "command", pt: "msg", to: command, tot: "str" },
      { t: "move", p: `payload.${property}`, pt: "msg", to: "payload", tot: "msg" },
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

/** Two outputs: messages with `property` set (requests) and the others. */
export function splitOnProperty(
  z: string,
  id: string,
  name: string,
  property: string,
  at: { x: number; y: number },
  requests: string[],
  others: string[],
): FlowNode {
  return {
    id,
    type: "switch",
    z,
    name,
    property,
    propertyType: "msg",
    rules: [{ t: "nnull" }, { t: "else" }],
    checkall: "false",
    repair: false,
    outputs: 2,
    ...at,
    wires: [requests, others],
  };
}

/** A zev-charger-weidmueller reading an AC SMART over Modbus (the Loxone fields left empty). */
export function modbusCharger(
  z: string,
  id: string,
  c: { name: string; community: string; meterId: string; modbus: string; unitId: string; intervalS: string; control: boolean },
  at: { x: number; y: number },
  wires: string[][],
): FlowNode {
  return {
    id,
    type: "zev-charger-weidmueller",
    z,
    name: c.name,
    community: c.community,
    meterId: c.meterId,
    source: "modbus",
    defaultMode: "normal",
    modeMap: "",
    maxPowerKW: "22",
    outageS: "",
    modbus: c.modbus,
    mbUnitId: c.unitId,
    mbInterval: c.intervalS,
    control: c.control,
    maxCurrentA: "16",
    phases: "3",
    udpPort: "",
    miniserver: "",
    lxBlock: "",
    lxInterval: "10",
    nConnected: "",
    nCharging: "",
    nPower: "",
    nMode: "",
    nTotal: "",
    nSession: "",
    nUserId: "",
    ...at,
    wires,
  };
}
