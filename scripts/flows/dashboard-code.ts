import type { DashboardTexts } from "./texts";
import { FMT, withTexts } from "./nodes";

/*
 * The function nodes of the dashboard tabs. They only ask the suite's nodes
 * (through link calls by name: "zev aggregate", "zev billing", "zev
 * charger") and format what comes back; every figure is computed by the
 * suite (docs/dashboard.md). Shared by Dashboard 2 and Dashboard 1 where the
 * widgets take the same data.
 */

export interface CodeOptions {
  zone: string;
  /** Where the invoice PDF route lives (below httpNodeRoot). */
  pdfPath: string;
}

const num = `const n1 = (x) => (x === null || x === undefined ? T.noValue : Number(x).toFixed(1));
const pct = (x) => (x === null || x === undefined ? T.noValue : Math.round(x * 100) + " %");
// below 1 kW in W, so that small loads show their changes
const kw = (w) => (Math.abs(Number(w)) < 1000 ? Math.round(Number(w)) + " W" : (Number(w) / 1000).toFixed(2) + " " + T.kW);`;

/** zev-aggregate live flows -> six texts and the last-hour chart (Dashboard 2: points; Dashboard 1: one message per line). */
export function liveCode(t: DashboardTexts, chartFormat: "d2" | "d1" = "d2"): string {
  return withTexts(
    { kW: t.kW, batteryCharging: t.batteryCharging, batteryDischarging: t.batteryDischarging, idle: t.idle, gridImport: t.gridImport, gridExport: t.gridExport, noBattery: t.noBattery, noValue: t.noValue, production: t.production, consumption: t.consumption, grid: t.grid },
    `${num}
const p = msg.payload || {};
const charging = (p.perMeter || []).filter((m) => m.role === "charger").reduce((s, m) => s + m.powerW, 0);
let battery = T.noBattery;
if (p.batteryW !== null && p.batteryW !== undefined) {
  battery = Math.abs(p.batteryW) < 20 ? T.idle : (p.batteryW > 0 ? T.batteryCharging : T.batteryDischarging) + " " + kw(Math.abs(p.batteryW));
}
const grid = (p.gridW >= 0 ? T.gridImport : T.gridExport) + " " + kw(Math.abs(p.gridW || 0));
const t = p.ts || Date.now();
const chart = [
  { x: t, y: +(p.productionW / 1000).toFixed(3), s: T.production },
  { x: t, y: +(p.consumptionW / 1000).toFixed(3), s: T.consumption },
  { x: t, y: +(p.gridW / 1000).toFixed(3), s: T.grid },
]${chartFormat === "d1" ? ".map((c) => ({ topic: c.s, payload: c.y, timestamp: c.x }))" : ""};
return [
  { payload: kw(p.productionW || 0) },
  { payload: kw(p.consumptionW || 0) },
  { payload: battery },
  { payload: grid },
  { payload: kw(charging) },
  { payload: pct(p.selfSufficiency) },
  ${chartFormat === "d1" ? "chart" : "{ payload: chart }"},
];`,
  );
}

/** The day picker, a refresh tick or a closed quarter hour -> ask zev-aggregate for the day's series. */
export function seriesRequestCode(zone: string): string {
  return `// msg.topic "day" comes from the date picker; anything else refreshes the chosen day.
// a date picker may send epoch ms (Dashboard 1): the day it falls on in the community's zone
const asDay = (v) => (typeof v === "number" ? new Date(v).toLocaleDateString("sv-SE", { timeZone: ${JSON.stringify(zone)} }) : String(v).slice(0, 10));
if (msg.topic === "day" && msg.payload) flow.set("zevDay", asDay(msg.payload));
const day = flow.get("zevDay") || new Date().toLocaleDateString("sv-SE", { timeZone: ${JSON.stringify(zone)} });
// output 2 shows the day in the picker
return [{ command: "series", payload: day, target: "zev aggregate" }, msg.topic === "day" ? null : { payload: day }];
`;
}

/** The day series -> consumption chart (solar / battery / grid), production chart (used / battery / export), totals. */
export function seriesChartsCode(t: DashboardTexts, chartFormat: "d2" | "d1"): string {
  const T = { solar: t.solar, fromBattery: t.fromBattery, fromGrid: t.fromGrid, toConsumers: t.toConsumers, toBattery: t.toBattery, exported: t.exported, dayTotals: t.dayTotals, noValue: t.noValue, kW: t.kW, failed: t.failed };
  const out =
    chartFormat === "d2"
      ? `const cons = [], prod = [];
for (const p of s.points) {
  cons.push({ x: p.startMs, y: p.solarKWh, s: T.solar }, { x: p.startMs, y: p.batteryKWh, s: T.fromBattery }, { x: p.startMs, y: p.gridKWh, s: T.fromGrid });
  prod.push({ x: p.startMs, y: p.solarKWh, s: T.toConsumers }, { x: p.startMs, y: p.solarToBatteryKWh, s: T.toBattery }, { x: p.startMs, y: p.solarExportKWh, s: T.exported });
}
const consMsg = { payload: cons, action: "replace" };
const prodMsg = { payload: prod, action: "replace" };`
      : `// Dashboard 1 charts take whole series at once: [{ series, data: [[{x, y}]], labels }]
const line = (key) => s.points.map((p) => ({ x: p.startMs, y: p[key] }));
const consMsg = { payload: [{ series: [T.solar, T.fromBattery, T.fromGrid], data: [line("solarKWh"), line("batteryKWh"), line("gridKWh")], labels: [""] }] };
const prodMsg = { payload: [{ series: [T.toConsumers, T.toBattery, T.exported], data: [line("solarKWh"), line("solarToBatteryKWh"), line("solarExportKWh")], labels: [""] }] };`;
  return withTexts(
    T,
    `${FMT}
${num}
if (msg.error) return [null, null, { payload: fmt(T.failed, { message: msg.error.message }) }];
const s = msg.payload;
${out}
const totals = fmt(T.dayTotals, { date: s.date, production: n1(s.totals.productionKWh), consumption: n1(s.totals.consumptionKWh), ss: pct(s.totals.selfSufficiency) });
return [consMsg, prodMsg, { payload: totals }];`,
  );
}

/** A tick or the period picker -> two estimate requests (this month, the chosen period). */
export function estimateRequestCode(): string {
  return `// msg.topic "period" comes from the period picker.
if (msg.topic === "period" && msg.payload) flow.set("zevUnitPeriod", msg.payload);
const chosen = flow.get("zevUnitPeriod") || "previous-month";
return [
  [
    { command: "estimate", payload: { period: "current-month" }, target: "zev billing", view: "month" },
    { command: "estimate", payload: { period: chosen }, target: "zev billing", view: "period" },
  ],
  // output 2 shows the chosen period in the picker
  msg.topic === "period" ? null : { payload: chosen },
];
`;
}

/** An estimate (zev-billing) -> table rows and a note, on the output of its view. */
export function estimateTableCode(t: DashboardTexts): string {
  return withTexts(
    { estimateNote: t.estimateNote, noValue: t.noValue, failed: t.failed, kW: t.kW },
    `${FMT}
${num}
const out = msg.view === "month" ? 0 : 1;
const send = (rows, note) => {
  const r = [null, null, null, null];
  r[out] = { payload: rows };
  r[out + 2] = { payload: note };
  return r;
};
if (msg.error) return send([], fmt(T.failed, { message: msg.error.message }));
const e = msg.payload;
const rows = e.units.map((u) => ({
  unit: u.unit + " · " + u.label,
  tenant: u.payers.map((p) => p.name).join(", "),
  own: n1(u.consumptionKWh),
  common: n1(u.commonKWh),
  ev: n1(u.evKWh),
  solar: pct(u.solarShare),
  self: pct(u.selfSufficiency),
  cost: e.currency + " " + u.cost,
}));
return send(rows, fmt(T.estimateNote, { period: e.period.label, through: e.through, currency: e.currency, total: e.total, coverage: pct(e.coverage) }));`,
  );
}

/** zev-aggregate health -> one row per meter. */
export function healthTableCode(t: DashboardTexts, o: CodeOptions): string {
  return withTexts(
    { roles: t.roles, todayCell: t.todayCell, noValue: t.noValue, locale: t.locale, zone: o.zone, failed: t.failed },
    `${FMT}
if (msg.error) return { payload: [] };
const age = (ms) => {
  if (ms === null || ms === undefined) return T.noValue;
  const s = Math.round(ms / 1000);
  return s < 120 ? s + " s" : s < 7200 ? Math.round(s / 60) + " min" : s < 172800 ? Math.round(s / 3600) + " h" : Math.round(s / 86400) + " d";
};
const time = (ms) => (ms ? new Date(ms).toLocaleString(T.locale, { timeZone: T.zone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }) : T.noValue);
msg.payload = msg.payload.meters.map((m) => ({
  meter: m.label ? m.meter + " · " + m.label : m.meter,
  role: T.roles[m.role] || m.role,
  last: time(m.lastReadingMs),
  age: age(m.ageMs),
  today: fmt(T.todayCell, { m: m.today.measured, i: m.today.interpolated, x: m.today.missing }),
  interpolated: m.month.interpolated,
  missing: m.month.missing,
  rejected: m.source ? m.source.rejected : T.noValue,
}));
return msg;`,
  );
}

/** The billing buttons and the period picker -> zev-billing commands; status texts on output 2. */
export function billingCommandCode(t: DashboardTexts): string {
  return withTexts(
    { noDrafts: t.noDrafts, nothingSelected: t.nothingSelected, hint: t.billingHint },
    `// msg.topic "period": the picker; msg.payload "draft" | "issueAll" | "issueSelected": the buttons.
// Outputs: commands for zev-billing, the status text, the period picker.
const send = (cmds, note, picker) => [cmds, note === undefined ? null : { payload: note }, picker === undefined ? null : { payload: picker }];
if (msg.topic === "period") {
  flow.set("zevBillPeriod", msg.payload);
  return send([{ command: "list", payload: { period: msg.payload }, target: "zev billing", view: "list" }]);
}
const period = flow.get("zevBillPeriod") || "previous-month";
if (msg.payload === "draft") return send([{ command: "run", payload: { period, mode: "draft" }, target: "zev billing", view: "run" }]);
if (msg.payload === "issueAll") {
  const drafts = (flow.get("zevInvoiceRows") || []).filter((r) => r.status === "draft");
  if (!drafts.length) return send(null, T.noDrafts);
  flow.set("zevIssuing", { left: drafts.length, numbers: [] });
  return send(drafts.map((d) => ({ command: "issue", payload: { id: d.id }, target: "zev billing", view: "issue" })));
}
if (msg.payload === "issueSelected") {
  const id = flow.get("zevSelectedInvoice");
  if (!id) return send(null, T.nothingSelected);
  flow.set("zevIssuing", { left: 1, numbers: [] });
  return send([{ command: "issue", payload: { id }, target: "zev billing", view: "issue" }]);
}
// a refresh tick (the first one also fills the picker and says what to do)
const first = !flow.get("zevBillStarted");
flow.set("zevBillStarted", true);
return send([{ command: "list", payload: { period }, target: "zev billing", view: "list" }], first ? T.hint : undefined, first ? period : undefined);
`,
  );
}

/** zev-billing answers -> the invoice table (output 1), a status text (output 2), a list refresh (output 3), the selection text (output 4). */
export function billingResultCode(t: DashboardTexts, o: CodeOptions): string {
  return withTexts(
    { statuses: t.statuses, draft: t.draft, runDone: t.runDone, actions: t.actions, runStopped: t.runStopped, issued: t.issued, issuedMany: t.issuedMany, warnings: t.warnings, failed: t.failed, pdf: t.pdf, selected: t.selected, nothingSelected: t.nothingSelected },
    `${FMT}
const period = flow.get("zevBillPeriod") || "previous-month";
const refresh = { command: "list", payload: { period }, target: "zev billing", view: "list" };
if (msg.error) return [null, { payload: fmt(T.failed, { message: msg.error.message }) }, refresh, null];
if (msg.view === "list") {
  const rows = msg.payload.map((r) => ({
    id: r.id,
    number: r.number || T.draft + " #" + r.id,
    recipient: r.recipient,
    unit: r.unitId,
    period: r.periodFrom + " – " + r.periodTo,
    total: r.currency + " " + r.total,
    status: T.statuses[r.status] || r.status,
    state: r.status,
    pdf: '<a href="${o.pdfPath}/' + r.id + '.pdf" download>' + T.pdf + "</a>",
  }));
  flow.set("zevInvoiceRows", rows.map((r) => ({ id: r.id, status: r.state, number: r.number, recipient: r.recipient })));
  // the selection shows the invoice as it is now (a selected draft may have been issued meanwhile)
  const sel = rows.find((r) => r.id === flow.get("zevSelectedInvoice"));
  if (!sel) flow.set("zevSelectedInvoice", null);
  const selected = { payload: sel ? fmt(T.selected, { invoice: sel.number + " · " + sel.recipient + " · " + sel.total + " · " + sel.status }) : T.nothingSelected };
  return [{ payload: rows }, null, null, selected];
}
if (msg.view === "run") {
  const r = msg.payload;
  if (r.stopped) return [null, { payload: fmt(T.runStopped, { period: r.period.label, reason: r.stopReason }) }, refresh, null];
  const counts = {};
  for (const i of r.invoices) counts[i.action] = (counts[i.action] || 0) + 1;
  const details = Object.keys(counts).map((a) => counts[a] + " " + (T.actions[a] || a)).join(", ");
  const warnings = (r.warnings || []).length ? " · " + fmt(T.warnings, { count: r.warnings.length, first: r.warnings[0] }) : "";
  return [null, { payload: fmt(T.runDone, { period: r.period.label, count: r.invoices.length, details }) + warnings }, refresh, null];
}
if (msg.view === "issue") {
  const rec = msg.payload[0];
  // "issue all" sends one request per draft: one line when the last answer is in
  const run = flow.get("zevIssuing") || { left: 1, numbers: [] };
  run.left -= 1;
  run.numbers.push(rec.number);
  flow.set("zevIssuing", run);
  if (run.left > 0) return null;
  const note = run.numbers.length === 1
    ? fmt(T.issued, { number: rec.number, recipient: rec.snapshot.recipient.name, currency: rec.currency, total: rec.total })
    : fmt(T.issuedMany, { count: run.numbers.length, numbers: run.numbers.sort().join(", ") });
  return [null, { payload: note }, refresh, null];
}
return null;`,
  );
}

/** A click on an invoice row -> remember it; the text says which one. */
export function invoiceSelectCode(t: DashboardTexts): string {
  return withTexts(
    { selected: t.selected, nothingSelected: t.nothingSelected },
    `${FMT}
const row = msg.payload;
if (!row || !row.id) {
  flow.set("zevSelectedInvoice", null);
  return { payload: T.nothingSelected };
}
flow.set("zevSelectedInvoice", row.id);
return { payload: fmt(T.selected, { invoice: row.number + " · " + row.recipient + " · " + row.total }) };`,
  );
}

/** GET <pdfPath>/:id.pdf -> a document request for zev-billing. */
export function pdfRequestCode(): string {
  return `// The route is behind Node-RED's httpNodeAuth; zev-billing refuses http requests without it.
const id = Number(String(msg.req.params.id || "").replace(/\\.pdf$/i, ""));
if (!Number.isSafeInteger(id) || id <= 0) {
  msg.statusCode = 404;
  msg.payload = "not found";
  return [null, msg];
}
msg.command = "document";
msg.payload = { id };
msg.target = "zev billing";
return [msg, null];
`;
}

/** zev-billing's document (or its error) -> the http response. */
export function pdfResponseCode(): string {
  return `if (msg.error) {
  const text = String(msg.error.message || msg.error);
  msg.statusCode = /does not exist|no invoice/i.test(text) ? 404 : /httpNodeAuth/.test(text) ? 403 : 500;
  msg.payload = msg.statusCode === 404 ? "not found" : text;
  msg.headers = { "Content-Type": "text/plain; charset=utf-8" };
  return msg;
}
msg.statusCode = 200;
msg.headers = {
  "Content-Type": "application/pdf",
  "Content-Disposition": 'attachment; filename="' + String(msg.filename).replace(/[^\\w.-]/g, "_") + '"',
  "Cache-Control": "no-store",
};
return msg;
`;
}

/** A charger's status answer -> state, mode, power, session texts; recent sessions; this month per unit. */
export function chargerViewCode(t: DashboardTexts, o: CodeOptions): string {
  return withTexts(
    { carStates: t.carStates, modes: t.modes, sessionEnergy: t.sessionEnergy, noSession: t.noSession, kW: t.kW, noValue: t.noValue, locale: t.locale, zone: o.zone, failed: t.failed },
    `${FMT}
${num}
if (msg.error) return [{ payload: fmt(T.failed, { message: msg.error.message }) }, null, null, null, null, null];
const c = msg.payload;
const time = (ms) => (ms ? new Date(ms).toLocaleString(T.locale, { timeZone: T.zone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }) : T.noValue);
const who = (s) => (s.unit ? s.unit + (s.unitLabel ? " · " + s.unitLabel : "") : s.userId || T.noValue) + (s.payer ? " (" + s.payer.name + ")" : "");
const session = c.session ? fmt(T.sessionEnergy, { energy: c.session.energyKWh.toFixed(2), since: time(c.session.startedMs), user: who(c.session) }) : T.noSession;
const recent = c.recent.map((s) => ({
  started: time(s.startedMs),
  ended: s.endedMs ? time(s.endedMs) : T.noValue,
  who: who(s),
  kwh: s.energyKWh.toFixed(2),
  priority: s.byModeKWh.priority.toFixed(2),
  normal: s.byModeKWh.normal.toFixed(2),
}));
const month = c.month.map((u) => ({ who: who(u), sessions: u.sessions, kwh: u.energyKWh.toFixed(2), priority: u.byModeKWh.priority.toFixed(2), normal: u.byModeKWh.normal.toFixed(2) }));
return [
  { payload: T.carStates[c.carState] || T.carStates.unknown },
  { payload: T.modes[c.mode] || c.mode },
  { payload: c.powerW === null ? T.noValue : kw(c.powerW) },
  { payload: session },
  { payload: recent },
  { payload: month },
];`,
  );
}

/** A mode button -> the charger's mode command (answered with its status). */
export function chargerModeCode(): string {
  return `return { command: "mode", payload: msg.payload, target: "zev charger" };\n`;
}
