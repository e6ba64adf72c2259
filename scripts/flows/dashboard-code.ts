import type { DashboardTexts } from "./texts";
import { FMT, withTexts } from "./nodes";

/** The day charts' ECharts options (Dashboard 2), also sent with each day's series: see dashboard2.ts. */
function chartOptionsFor(live: boolean): Record<string, unknown> {
  // one format per tick level: a tick on the minute reads 19:30, one between minutes 19:30:30, midnight 00:00 (never a date)
  const hm = "{HH}:{mm}";
  const formatter = { year: hm, month: hm, day: hm, hour: hm, minute: hm, second: "{HH}:{mm}:{ss}", millisecond: "{HH}:{mm}:{ss}" };
  return { useUTC: true, xAxis: { minInterval: live ? 60_000 : 3600_000, axisLabel: { formatter, showMinLabel: !live, showMaxLabel: false } } };
}
export { chartOptionsFor as chartOptions };

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

/** Swiss formats, as on the invoices: 1'234.5 kWh, CHF 1'234.50 (the apostrophe groups thousands). */
export const num = `const grp = (i) => i.replace(/\\B(?=(\\d{3})+(?!\\d))/g, "'");
const sw = (x, d) => {
  if (x === null || x === undefined || x === "" || !isFinite(Number(x))) return T.noValue;
  const s = Number(x).toFixed(d);
  const neg = s.startsWith("-") && Number(s) !== 0;
  const [i, f] = s.replace("-", "").split(".");
  return (neg ? "-" : "") + grp(i) + (f === undefined ? "" : "." + f);
};
// money is exact decimal text: grouped as text, never through a float
const money = (cur, v) => {
  if (v === null || v === undefined || v === "") return T.noValue;
  const t = String(v), neg = t.startsWith("-"), [i, f = ""] = t.replace("-", "").split(".");
  return cur + " " + (neg ? "-" : "") + grp(i) + "." + (f + "00").slice(0, Math.max(2, f.length));
};
const n1 = (x) => sw(x, 1);
const pct = (x) => (x === null || x === undefined ? T.noValue : Math.round(x * 100) + " %");
// below 1 kW in W, so that small loads show their changes
const kw = (w) => (Math.abs(Number(w)) < 1000 ? sw(w, 0) + " W" : sw(Number(w) / 1000, 2) + " " + T.kW);`;

/**
 * Charts show the community's wall time whatever the browser's zone: x is
 * shifted by the zone's offset at that instant and the chart draws in UTC
 * (Dashboard 2: chartOptions.useUTC; Dashboard 1: the chart's useUTC).
 */
function wallTime(zone: string): string {
  return `const ZF = new Intl.DateTimeFormat("en-US", { timeZone: ${JSON.stringify(zone)}, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
const wall = (ms) => {
  const p = {};
  for (const x of ZF.formatToParts(new Date(ms))) p[x.type] = x.value;
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) + (ms % 1000);
};`;
}

/**
 * An error answer (msg.error from a Catch node, or an answer with a code) ->
 * what happened on this page and what to do; never the raw exception text.
 */
export const WHY = `const why = (what, m) => {
  const e = m.error || {};
  const code = e.code || (m.payload && m.payload.code);
  const known = code && T.errors[code];
  return T[what] + " " + (known ? fmt(known, e.params || (m.payload && m.payload.params) || {}) : T.errorHint);
};`;

export const errTexts = (t: DashboardTexts): Record<string, unknown> => ({ errors: { ...t.errors, ...t.admin.errors }, errorHint: t.errorHint });

/** Live points are kept at most one per this many ms, so that the chart's point limit is an hour. */
export const LIVE_POINT_MS = 10_000;
/** Points per series in the live chart: one hour at one point per LIVE_POINT_MS. */
export const LIVE_POINTS = 3600_000 / LIVE_POINT_MS;

/** zev-aggregate live flows -> six texts and the last-hour chart (Dashboard 2: points; Dashboard 1: one message per line). */
export function liveCode(t: DashboardTexts, zone: string, chartFormat: "d2" | "d1" = "d2"): string {
  return withTexts(
    {
      kW: t.kW,
      batteryCharging: t.batteryCharging,
      batteryDischarging: t.batteryDischarging,
      idle: t.idle,
      gridImport: t.gridImport,
      gridExport: t.gridExport,
      noBattery: t.noBattery,
      noValue: t.noValue,
      production: t.production,
      consumption: t.consumption,
      grid: t.grid,
    },
    `${num}
${wallTime(zone)}
const p = msg.payload || {};
const charging = (p.perMeter || []).filter((m) => m.role === "charger").reduce((s, m) => s + m.powerW, 0);
let battery = T.noBattery;
if (p.batteryW !== null && p.batteryW !== undefined) {
  battery = Math.abs(p.batteryW) < 20 ? T.idle : (p.batteryW > 0 ? T.batteryCharging : T.batteryDischarging) + " " + kw(Math.abs(p.batteryW));
}
const grid = (p.gridW >= 0 ? T.gridImport : T.gridExport) + " " + kw(Math.abs(p.gridW || 0));
const t = p.ts || Date.now();
// one point per ${LIVE_POINT_MS / 1000} s at most: the chart keeps ${LIVE_POINTS} per line, an hour
const last = context.get("lastPoint") || 0;
const due = t - last >= ${LIVE_POINT_MS} || t < last;
if (due) context.set("lastPoint", t);
const chart = due ? [
  { x: ${chartFormat === "d1" ? "t" : "wall(t)"}, y: +(p.productionW / 1000).toFixed(3), s: T.production },
  { x: ${chartFormat === "d1" ? "t" : "wall(t)"}, y: +(p.consumptionW / 1000).toFixed(3), s: T.consumption },
  { x: ${chartFormat === "d1" ? "t" : "wall(t)"}, y: +(p.gridW / 1000).toFixed(3), s: T.grid },
]${chartFormat === "d1" ? ".map((c) => ({ topic: c.s, payload: c.y, timestamp: c.x }))" : ""} : null;
return [
  { payload: kw(p.productionW || 0) },
  { payload: kw(p.consumptionW || 0) },
  { payload: battery },
  { payload: grid },
  { payload: kw(charging) },
  { payload: pct(p.selfSufficiency) },
  ${chartFormat === "d1" ? "chart" : "chart && { payload: chart }"},
];`,
  );
}

/** The day picker, a refresh tick or a closed quarter hour -> ask zev-aggregate for the day's series. */
export function seriesRequestCode(zone: string, picker: "text" | "epoch" = "text"): string {
  return `// msg.topic "day" comes from the date picker; anything else refreshes the chosen day.
// a date picker may send epoch ms (Dashboard 1): the day it falls on in the community's zone
const asDay = (v) => (typeof v === "number" ? new Date(v).toLocaleDateString("sv-SE", { timeZone: ${JSON.stringify(zone)} }) : String(v).slice(0, 10));
if (msg.topic === "day" && msg.payload) flow.set("zevDay", asDay(msg.payload));
const day = flow.get("zevDay") || new Date().toLocaleDateString("sv-SE", { timeZone: ${JSON.stringify(zone)} });
// output 2 shows the day in the picker${
    picker === "epoch"
      ? `: Dashboard 1's picker takes a time and shows its date in the browser's zone, so noon UTC (the same date from UTC-11 to UTC+11)
const shown = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), 12);`
      : `
const shown = day;`
  }
return [{ command: "series", payload: day, target: "zev aggregate" }, msg.topic === "day" ? null : { payload: shown }];
`;
}

/** The day series -> consumption chart (solar / battery / grid), production chart (used / battery / export), totals. */
export function seriesChartsCode(t: DashboardTexts, chartFormat: "d2" | "d1", zone: string): string {
  const T = {
    solar: t.solar,
    fromBattery: t.fromBattery,
    fromGrid: t.fromGrid,
    toConsumers: t.toConsumers,
    toBattery: t.toBattery,
    exported: t.exported,
    dayTotals: t.dayTotals,
    noValue: t.noValue,
    kW: t.kW,
    failedDay: t.failedDay,
    ...errTexts(t),
  };
  const out =
    chartFormat === "d2"
      ? `const cons = [], prod = [];
for (const p of s.points) {
  // in the middle of its quarter hour, so that the first and last bars are not cut at the day's edges
  const x = wall(p.startMs) + 450000;
  cons.push({ x, y: p.solarKWh, s: T.solar }, { x, y: p.batteryKWh, s: T.fromBattery }, { x, y: p.gridKWh, s: T.fromGrid });
  prod.push({ x, y: p.solarKWh, s: T.toConsumers }, { x, y: p.solarToBatteryKWh, s: T.toBattery }, { x, y: p.solarExportKWh, s: T.exported });
}
// the whole day, 00:00 to 23:59 wall time (a day in progress too; not 24:00, which would read 00:00 again), with the chart's other options
// From the day asked for (its date in the community's zone), so that a day without a closed quarter hour yet
// (just after midnight) still gets its own axis, not the chart's default in the browser's zone.
const asked = typeof s.date === "string" && /^\\d{4}-\\d\\d-\\d\\d$/.test(s.date) ? Date.UTC(+s.date.slice(0, 4), +s.date.slice(5, 7) - 1, +s.date.slice(8, 10)) : null;
const day0 = asked !== null ? asked : s.points.length ? Math.floor(wall(s.points[0].startMs) / 86400000) * 86400000 : null;
const range = day0 === null ? {} : { ui_update: { chartOptions: ${JSON.stringify({ useUTC: true })} } };
if (day0 !== null) range.ui_update.chartOptions.xAxis = { ...${JSON.stringify((chartOptionsFor(false) as { xAxis: object }).xAxis)}, min: day0, max: day0 + 86400000 - 60000 };
const consMsg = { payload: cons, action: "replace", ...range };
const prodMsg = { payload: prod, action: "replace", ...JSON.parse(JSON.stringify(range)) };`
      : `// Dashboard 1 charts take whole series at once: [{ series, data: [[{x, y}]], labels }]
const line = (key) => s.points.map((p) => ({ x: wall(p.startMs), y: p[key] }));
const consMsg = { payload: [{ series: [T.solar, T.fromBattery, T.fromGrid], data: [line("solarKWh"), line("batteryKWh"), line("gridKWh")], labels: [""] }] };
const prodMsg = { payload: [{ series: [T.toConsumers, T.toBattery, T.exported], data: [line("solarKWh"), line("solarToBatteryKWh"), line("solarExportKWh")], labels: [""] }] };`;
  return withTexts(
    T,
    `${FMT}
${num}
${wallTime(zone)}
${WHY}
if (msg.error || !msg.payload || !msg.payload.points) return [null, null, { payload: why("failedDay", msg) }];
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
    { estimateNote: t.estimateNote, noValue: t.noValue, failedUnits: t.failedUnits, kW: t.kW, ...errTexts(t) },
    `${FMT}
${num}
const out = msg.view === "month" ? 0 : 1;
const send = (rows, note) => {
  const r = [null, null, null, null];
  r[out] = { payload: rows };
  r[out + 2] = { payload: note };
  return r;
};
${WHY}
if (msg.error || !msg.payload || !msg.payload.units) return send([], why("failedUnits", msg));
const e = msg.payload;
const rows = e.units.map((u) => ({
  unit: u.unit + " · " + u.label,
  tenant: u.payers.map((p) => p.name).join(", "),
  own: n1(u.consumptionKWh),
  common: n1(u.commonKWh),
  ev: n1(u.evKWh),
  solar: pct(u.solarShare),
  self: pct(u.selfSufficiency),
  cost: money(e.currency, u.cost),
}));
// the total with its currency, Swiss grouped (the text's __currency__ stays for catalogs that name it apart)
return send(rows, fmt(T.estimateNote, { period: e.period.label, through: e.through, currency: e.currency, total: money("", e.total).trim(), coverage: pct(e.coverage) }));`,
  );
}

/** zev-aggregate health -> one row per meter. */
export function healthTableCode(t: DashboardTexts, o: CodeOptions): string {
  return withTexts(
    { roles: t.roles, todayCell: t.todayCell, noValue: t.noValue, locale: t.locale, zone: o.zone, failedData: t.failedData, ...errTexts(t) },
    `${FMT}
${num}
${WHY}
// output 2: a note that says when the table could not be filled (empty otherwise)
if (msg.error || !msg.payload || !msg.payload.meters) return [{ payload: [] }, { payload: why("failedData", msg) }];
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
  today: fmt(T.todayCell, { m: sw(m.today.measured, 0), i: sw(m.today.interpolated, 0), x: sw(m.today.missing, 0) }),
  interpolated: sw(m.month.interpolated, 0),
  missing: sw(m.month.missing, 0),
  rejected: m.source ? sw(m.source.rejected, 0) : T.noValue,
}));
return [msg, { payload: "" }];`,
  );
}

/** The billing buttons and the period picker -> zev-billing commands; status texts on output 2; the confirmation on output 4. */
export function billingCommandCode(t: DashboardTexts, ui: "d2" | "d1"): string {
  return withTexts(
    {
      noDrafts: t.noDrafts,
      nothingSelected: t.nothingSelected,
      hint: t.billingHint,
      confirmTitle: t.confirmTitle,
      confirmText: t.confirmText,
      confirmOk: t.confirmOk,
      confirmCancel: t.confirmCancel,
      issueCancelled: t.issueCancelled,
      issueStale: t.issueStale,
      noValue: t.noValue,
    },
    `${FMT}
${num}
// msg.topic "period": the picker; msg.payload "draft" | "issueAll" | "issueSelected": the buttons;
// msg.token: the answer of the confirmation ("ok" or "cancel" in msg.payload).
// Outputs: commands for zev-billing, the status text, the period picker, the confirmation dialog.
const send = (cmds, note, picker, dialog) => [cmds, note === undefined ? null : { payload: note }, picker === undefined ? null : { payload: picker }, dialog || null];
// Issuing gives numbers for good: ask first, with the count and the total (exact, in Rappen)
const cents = (v) => { const t = String(v), neg = t.startsWith("-"), [i, f = ""] = t.replace("-", "").split("."); return (neg ? -1 : 1) * (Number(i) * 100 + Number((f + "00").slice(0, 2))); };
const fromCents = (c) => (c < 0 ? "-" : "") + Math.floor(Math.abs(c) / 100) + "." + String(Math.abs(c) % 100).padStart(2, "0");
${
  ui === "d2"
    ? `// Dashboard 2: a dialog in a template; only the browser that clicked sees it (msg._client)
const dialog = (m, ask) => ({ payload: ask || { ask: false }, _client: m._client });`
    : `// Dashboard 1: a ui_toast in dialog mode; its answer comes back with msg.token and payload "ok" / "cancel"
const dialog = (m, ask) => (ask ? { topic: ask.title, payload: ask.text, ok: ask.ok, cancel: ask.cancel, token: ask.token, socketid: m.socketid } : null);`
}
const ask = (m, rows) => {
  const token = Date.now().toString(36) + Math.random().toString(36).slice(2);
  flow.set("zevPendingIssue", { token, at: Date.now(), rows: rows.map((r) => ({ id: r.id, total: r.totalText })) });
  const periods = [...new Set(rows.map((r) => r.period))];
  const total = money(rows[0].currency, fromCents(rows.reduce((s, r) => s + cents(r.totalText), 0)));
  const text = fmt(T.confirmText, { count: rows.length, period: periods.join(", "), total });
  return send(null, undefined, undefined, dialog(m, { ask: true, token, title: T.confirmTitle, text, ok: fmt(T.confirmOk, { count: rows.length }), cancel: T.confirmCancel, count: rows.length, total }));
};
if (msg.token !== undefined) {
  const pending = flow.get("zevPendingIssue");
  flow.set("zevPendingIssue", null);
  if (!pending || pending.token !== msg.token) return send(null, undefined, undefined, dialog(msg));
  if (msg.payload !== "ok") return send(null, T.issueCancelled, undefined, dialog(msg));
  // the drafts must be what the dialog said: still drafts, the same totals, asked for less than 10 minutes ago
  const rows = flow.get("zevInvoiceRows") || [];
  const same = pending.rows.every((p) => rows.some((r) => r.id === p.id && r.status === "draft" && r.totalText === p.total));
  if (!same || Date.now() - pending.at > 600000) return send(null, T.issueStale, undefined, dialog(msg));
  flow.set("zevIssuing", { left: pending.rows.length, numbers: [] });
  return send(pending.rows.map((p) => ({ command: "issue", payload: { id: p.id }, target: "zev billing", view: "issue" })), undefined, undefined, dialog(msg));
}
if (msg.topic === "period") {
  flow.set("zevBillPeriod", msg.payload);
  return send([{ command: "list", payload: { period: msg.payload }, target: "zev billing", view: "list" }]);
}
const period = flow.get("zevBillPeriod") || "previous-month";
// progress: zev-billing reports the run's steps (billing/progress) for the bar on this page
if (msg.payload === "draft") return send([{ command: "run", payload: { period, mode: "draft", progress: true }, target: "zev billing", view: "run" }]);
if (msg.payload === "issueAll") {
  const drafts = (flow.get("zevInvoiceRows") || []).filter((r) => r.status === "draft");
  if (!drafts.length) return send(null, T.noDrafts);
  return ask(msg, drafts);
}
if (msg.payload === "issueSelected") {
  const id = flow.get("zevSelectedInvoice");
  const row = (flow.get("zevInvoiceRows") || []).find((r) => r.id === id && r.status === "draft");
  if (!row) return send(null, T.nothingSelected);
  return ask(msg, [row]);
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
    {
      statuses: t.statuses,
      draft: t.draft,
      runDone: t.runDone,
      actions: t.actions,
      runStopped: t.runStopped,
      issued: t.issued,
      issuedMany: t.issuedMany,
      warnings: t.warnings,
      failedBilling: t.failedBilling,
      pdf: t.pdf,
      selected: t.selected,
      nothingSelected: t.nothingSelected,
      noValue: t.noValue,
      ...errTexts(t),
    },
    `${FMT}
${num}
${WHY}
const period = flow.get("zevBillPeriod") || "previous-month";
const refresh = { command: "list", payload: { period }, target: "zev billing", view: "list" };
if (msg.error) {
  // an "issue all" that failed half way: the answers that came are in the list after the refresh
  flow.set("zevIssuing", null);
  return [null, { payload: why("failedBilling", msg) }, refresh, null];
}
if (msg.view === "list") {
  const rows = msg.payload.map((r) => ({
    id: r.id,
    number: r.number || T.draft + " #" + r.id,
    recipient: r.recipient,
    unit: r.unitId,
    period: r.periodFrom + " – " + r.periodTo,
    total: money(r.currency, r.total),
    status: T.statuses[r.status] || r.status,
    state: r.status,
    totalText: r.total,
    currency: r.currency,
    pdf: '<a href="${o.pdfPath}/' + r.id + '.pdf" download>' + T.pdf + "</a>",
  }));
  flow.set("zevInvoiceRows", rows.map((r) => ({ id: r.id, status: r.state, number: r.number, recipient: r.recipient, totalText: r.totalText, currency: r.currency, period: r.period })));
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
  // every warning on a line of its own (the text widgets show HTML: the warnings are escaped)
  const esc = (x) => String(x).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const w = r.warnings || [];
  const warnings = w.length ? "<br>" + fmt(T.warnings, { count: w.length, first: "" }).replace(/[:\\s]+$/, "") + ":<br>" + w.map((x) => "• " + esc(x)).join("<br>") : "";
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
    ? fmt(T.issued, { number: rec.number, recipient: rec.snapshot.recipient.name, currency: rec.currency, total: money("", rec.total).trim() })
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
export function pdfResponseCode(t: DashboardTexts): string {
  return withTexts(
    { pdfNotFound: t.pdfNotFound, pdfNoAuth: t.pdfNoAuth, pdfFailed: t.pdfFailed },
    `if (msg.error) {
  // the browser gets a short text in the tab's language, never the node's message (that stays in the log)
  const code = msg.error.code || "";
  const text = String(msg.error.message || msg.error);
  msg.statusCode = /noInvoice|notFound/.test(code) || /does not exist|no invoice/i.test(text) ? 404 : /documentNoAuth/.test(code) || /httpNodeAuth/.test(text) ? 403 : 500;
  msg.payload = msg.statusCode === 404 ? T.pdfNotFound : msg.statusCode === 403 ? T.pdfNoAuth : T.pdfFailed;
  msg.headers = { "Content-Type": "text/plain; charset=utf-8" };
  return msg;
}
msg.statusCode = 200;
msg.headers = {
  "Content-Type": "application/pdf",
  "Content-Disposition": 'attachment; filename="' + String(msg.filename).replace(/[^\\w.-]/g, "_") + '"',
  "Cache-Control": "no-store",
};
return msg;`,
  );
}

/** A charger's status answer -> state, mode, power, session texts; recent sessions; this month per unit; the two mode buttons (the active one marked). */
export function chargerViewCode(t: DashboardTexts, o: CodeOptions, ui: "d2" | "d1" = "d2"): string {
  return withTexts(
    {
      carStates: t.carStates,
      modes: t.modes,
      sessionEnergy: t.sessionEnergy,
      noSession: t.noSession,
      kW: t.kW,
      noValue: t.noValue,
      locale: t.locale,
      zone: o.zone,
      failedCharger: t.failedCharger,
      switchTo: t.switchTo,
      modeActive: t.modeActive,
      ...errTexts(t),
    },
    `${FMT}
${num}
${WHY}
if (msg.error || !msg.payload || !msg.payload.recent) return [{ payload: why("failedCharger", msg) }, null, null, null, null, null, null, null];
const c = msg.payload;
const time = (ms) => (ms ? new Date(ms).toLocaleString(T.locale, { timeZone: T.zone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }) : T.noValue);
const who = (s) => (s.unit ? s.unit + (s.unitLabel ? " · " + s.unitLabel : "") : s.userId || T.noValue) + (s.payer ? " (" + s.payer.name + ")" : "");
const session = c.session ? fmt(T.sessionEnergy, { energy: sw(c.session.energyKWh, 2), since: time(c.session.startedMs), user: who(c.session) }) : T.noSession;
const recent = c.recent.map((s) => ({
  started: time(s.startedMs),
  ended: s.endedMs ? time(s.endedMs) : T.noValue,
  who: who(s),
  kwh: sw(s.energyKWh, 2),
  priority: sw(s.byModeKWh.priority, 2),
  normal: sw(s.byModeKWh.normal, 2),
}));
const month = c.month.map((u) => ({ who: who(u), sessions: sw(u.sessions, 0), kwh: sw(u.energyKWh, 2), priority: sw(u.byModeKWh.priority, 2), normal: sw(u.byModeKWh.normal, 2) }));
// the button of the mode in force is filled and says so; the other offers the switch
const button = (m) => {
  const on = c.mode === m;
  const label = on ? fmt(T.modeActive, { mode: T.modes[m] }) : fmt(T.switchTo, { mode: T.modes[m] });
  return ${ui === "d2" ? `{ ui_update: { label, buttonColor: on ? "#2f7d4f" : "#e4e9e4", textColor: on ? "#ffffff" : "#1f2933" } }` : `{ key: m, label, active: on }`};
};
return [
  { payload: T.carStates[c.carState] || T.carStates.unknown },
  { payload: T.modes[c.mode] || c.mode },
  { payload: c.powerW === null ? T.noValue : kw(c.powerW) },
  { payload: session },
  { payload: recent },
  { payload: month },
  ${
    ui === "d2"
      ? `button("priority"),
  button("normal"),`
      : `// Dashboard 1: both buttons in one template, drawn from one message
  { payload: [button("priority"), button("normal")] },
  null,`
  }
];`,
  );
}

/** A mode button -> the charger's mode command (answered with its status). */
export function chargerModeCode(): string {
  return `return { command: "mode", payload: msg.payload, target: "zev charger" };\n`;
}

/**
 * A link call that failed (no link-in of that name, or no answer in time):
 * the request goes, as an error with a code, to the function that shows its
 * answer, so the page says so where the figures would have been.
 * Outputs: billing answers, unit tables, the day's charts, meter rows, charger view.
 */
export function linkFailedCode(): string {
  return `msg.error = Object.assign({}, msg.error, { code: (msg.error && msg.error.code) || "timeout" });
const t = msg.target, c = msg.command;
if (t === "zev billing") return msg.view === "month" || msg.view === "period" ? [null, msg, null, null, null] : msg.view ? [msg, null, null, null, null] : null;
if (t === "zev aggregate") return c === "series" ? [null, null, msg, null, null] : c === "health" ? [null, null, null, msg, null] : null;
if (t === "zev charger") return [null, null, null, null, msg];
return null;
`;
}
