import {
  billingCommandCode,
  billingResultCode,
  chargerModeCode,
  chargerViewCode,
  estimateRequestCode,
  estimateTableCode,
  healthTableCode,
  invoiceSelectCode,
  LIVE_POINTS,
  linkFailedCode,
  liveCode,
  pdfRequestCode,
  pdfResponseCode,
  seriesChartsCode,
  seriesRequestCode,
} from "./dashboard-code";
import {
  correctionsCommandCode,
  correctionsResultCode,
  paymentsCommandCode,
  paymentsResultCode,
  portalCommandCode,
  portalResultCode,
  progressCode,
} from "./dashboard-admin";
import type { DashboardOptions } from "./dashboard2";
import { catchNode, comment, FlowNode, fn, httpIn, httpResponse, inject, linkCall, linkIn, pos, rateLimit, tab } from "./nodes";

/*
 * The same admin tab for node-red-dashboard 3.x (Dashboard 1, AngularJS,
 * deprecated by its authors but still on many installations), served at /ui.
 * Same link nodes and function nodes as the Dashboard 2 tab; tables are
 * ui_template nodes, charts the built-in ui_chart.
 */

export const D1 = {
  tab: "zd1-tab",
  inLive: "zd1-in-live",
  inIntervals: "zd1-in-intervals",
  inCharger: "zd1-in-charger",
  inProgress: "zd1-in-progress",
  widget: (n: string): string => `zd1-${n}`,
};

const group = (g: string): string => `zd1-group-${g}`;
const uiTab = (p: string): string => `zd1-uitab-${p}`;

function base(type: string, name: string, g: string, order: number, width: number, height: number, at: { x: number; y: number }): FlowNode {
  return { id: D1.widget(name), type, z: D1.tab, group: group(g), name, order, width, height, className: "", ...at };
}

function text(name: string, g: string, order: number, width: number, label: string, at: { x: number; y: number }): FlowNode {
  // notes (no label) may run over several lines: their card grows (height 0) and keeps line breaks
  return {
    ...base("ui_text", name, g, order, width, label ? 1 : 0, at),
    className: label ? "zev-value" : "zev-note",
    label,
    format: "{{msg.payload}}",
    layout: label ? "col-center" : "row-left",
    style: false,
    font: "",
    fontSize: 16,
    color: "#000000",
    wires: [],
  };
}

function chart(name: string, g: string, order: number, label: string, live: boolean, at: { x: number; y: number }, colors: string[]): FlowNode {
  return {
    ...base("ui_chart", name, g, order, 0, 6, at),
    label,
    chartType: "line",
    legend: "true",
    // times as times (midnight is 00:00, not a date); the points carry Zurich wall time, drawn as UTC
    xformat: live ? "HH:mm:ss" : "HH:mm",
    interpolate: live ? "linear" : "step",
    nodata: "",
    dot: false,
    ymin: "",
    ymax: "",
    // the live hour by count: the shifted times run ahead of the clock by the zone's offset
    // (Dashboard 1 counts the hour back from the newest point, so the shift does not widen it)
    removeOlder: 1,
    removeOlderPoints: live ? String(LIVE_POINTS) : "",
    removeOlderUnit: live ? "3600" : "86400",
    cutout: 0,
    useOneColor: false,
    // the day charts carry Zurich wall time and draw in UTC; the live chart stays in the browser's zone,
    // since Dashboard 1 anchors its time window at the browser's clock (docs/dashboard.md, limits)
    useUTC: !live,
    colors: [...colors, "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#9467bd", "#c5b0d5"],
    outputs: 1,
    useDifferentColor: false,
    wires: [[]],
  };
}

/** A table as a ui_template: the columns are fixed, rows come as msg.payload; `select` makes rows clickable. */
function table(
  name: string,
  g: string,
  order: number,
  columns: [string, string][],
  at: { x: number; y: number },
  opts: { select?: boolean; pdfPath?: string; pdfLabel?: string; hint?: string } = {},
): FlowNode {
  const head = columns.map(([, title]) => `<th>${title}</th>`).join("") + (opts.pdfPath ? `<th>${opts.pdfLabel}</th>` : "");
  const cells =
    columns.map(([key]) => `<td>{{r.${key}}}</td>`).join("") +
    (opts.pdfPath ? `<td><a ng-href="${opts.pdfPath}/{{r.id}}.pdf" download ng-click="$event.stopPropagation()">${opts.pdfLabel}</a></td>` : "");
  const click = opts.select ? ` ng-click="send({ topic: 'select', payload: r })" style="cursor: pointer"` : "";
  return {
    ...base("ui_template", name, g, order, 0, 0, at),
    // wider than a phone: the table scrolls sideways inside its card, with a hint under it
    format: `<div class="zev-scroll">\n<table class="zev-table">\n  <tr>${head}</tr>\n  <tr ng-repeat="r in msg.payload"${click}>${cells}</tr>\n</table>\n</div>${opts.hint ? `\n<div class="zev-hint">${opts.hint}</div>` : ""}`,
    storeOutMessages: true,
    fwdInMessages: false,
    resendOnRefresh: true,
    templateScope: "local",
    wires: [[]],
  };
}

function button(
  name: string,
  g: string,
  order: number,
  width: number,
  label: string,
  payload: string,
  at: { x: number; y: number },
  wires: string[],
  look: { color?: string; bgcolor?: string; icon?: string; className?: string } = {},
): FlowNode {
  return {
    ...base("ui_button", name, g, order, width, 1, at),
    className: look.className ?? "",
    passthru: false,
    label,
    tooltip: "",
    color: look.color ?? "",
    bgcolor: look.bgcolor ?? "",
    icon: look.icon ?? "",
    payload,
    payloadType: "str",
    topic: "button",
    topicType: "str",
    wires: [wires],
  };
}

function dropdown(
  name: string,
  g: string,
  order: number,
  width: number,
  label: string,
  topic: string,
  options: [string, string][],
  at: { x: number; y: number },
  wires: string[],
): FlowNode {
  return {
    ...base("ui_dropdown", name, g, order, width, 1, at),
    label,
    tooltip: "",
    place: "",
    passthru: false,
    multiple: false,
    options: options.map(([value, label]) => ({ label, value, type: "str" })),
    payload: "",
    topic,
    topicType: "str",
    wires: [wires],
  };
}

/** The charging mode buttons: msg.payload = [{ key, label, active }]; a click sends the mode. */
const MODE_BUTTONS = `<div class="zev-modes">
  <md-button ng-repeat="m in msg.payload" class="md-raised zev-mode" ng-class="{ 'zev-active': m.active }" aria-pressed="{{ m.active }}"
    ng-style="m.active ? { 'background-color': '#2f7d4f', color: '#ffffff' } : { 'background-color': '#e4e9e4', color: '#1f2933' }"
    ng-click="send({ payload: m.key })">{{ m.label }}</md-button>
</div>`;

const STYLE = `<style>
.zev-scroll { width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch; }
.zev-table { width: 100%; border-collapse: collapse; font-size: 13px; }
.zev-table th { text-align: left; border-bottom: 1px solid #ccc; padding: 4px 6px; }
.zev-table td { border-bottom: 1px solid #eee; padding: 4px 6px; }
@media (max-width: 1023px) { .zev-table th, .zev-table td { white-space: nowrap; } }
.zev-hint { font-size: 12px; color: #52606d; padding: 4px 6px; }
@media (min-width: 1024px) { .zev-hint { display: none; } }
.zev-note p, .zev-note .nr-dashboard-text, .zev-note div { white-space: pre-line; overflow-wrap: anywhere; height: auto !important; }
md-card.zev-note { height: auto !important; min-height: 48px; }
.zev-value p, .zev-value .value { overflow-wrap: anywhere; white-space: normal; text-align: center; }
.zev-active { box-shadow: inset 0 0 0 3px #1f5e3a; }
.zev-modes { display: flex; flex-wrap: wrap; gap: 6px; width: 100%; }
.zev-modes .md-button { flex: 1 1 220px; margin: 0; white-space: normal; line-height: 1.2; min-height: 40px; }
/* Dashboard 1 places cards at fixed pixels for the group's width (18 units, about 970 px): on a phone the
   groups and their cards flow instead, each at most as wide as the screen */
@media (max-width: 1000px) {
  ui-card-panel { position: static !important; width: auto !important; max-width: 100% !important; margin: 6px 0; }
  #Tab_content, .masonry-container, md-content > div { height: auto !important; width: auto !important; }
  .nr-dashboard-cardpanel { width: auto !important; max-width: 100% !important; }
  .nr-dashboard-cardtitle { width: auto !important; }
  .nr-dashboard-cardcontainer { position: static !important; width: auto !important; height: auto !important; display: flex; flex-wrap: wrap; gap: 6px; }
  .nr-dashboard-cardcontainer > md-card { position: static !important; max-width: 100% !important; min-width: 0; }
  .nr-dashboard-cardcontainer > md-card.nr-dashboard-template, .nr-dashboard-cardcontainer > md-card.nr-dashboard-chart, .nr-dashboard-cardcontainer > md-card.zev-note { width: 100% !important; }
  .nr-dashboard-cardcontainer > md-card.nr-dashboard-button { width: 100% !important; }
  .nr-dashboard-cardcontainer > md-card.nr-dashboard-template { height: auto !important; }
  .nr-dashboard-cardcontainer canvas { max-width: 100% !important; }
}
</style>`;

export function dashboard1(o: DashboardOptions): { nodes: FlowNode[]; inLive: string; inIntervals: string; inCharger: string; inProgress: string } {
  const t = o.texts;
  const admin = adminPages1(o);
  const z = D1.tab;
  const w = D1.widget;
  const periods: [string, string][] = [
    ["previous-month", t.periods.previousMonth],
    ["current-month", t.periods.currentMonth],
    ["previous-quarter", t.periods.previousQuarter],
    ["current-quarter", t.periods.currentQuarter],
    ["current-year", t.periods.currentYear],
    ["previous-year", t.periods.previousYear],
  ];
  const cfg: FlowNode[] = [];
  const tabs: [string, string, string][] = [
    ["live", t.pages.live, "fa-sun-o"],
    ["units", t.pages.units, "fa-building"],
    ["chargers", t.pages.chargers, "fa-car"],
    ["data", t.pages.data, "fa-database"],
    ["billing", t.pages.billing, "fa-file-text-o"],
    ...admin.tabs,
  ];
  tabs.forEach(([key, name, icon], i) => cfg.push({ id: uiTab(key), type: "ui_tab", name, icon, order: i + 1, disabled: false, hidden: false }));
  const groups: [string, string, string][] = [
    ["now", "live", t.groups.now],
    ["hour", "live", t.groups.lastHour],
    ["day", "live", t.groups.day],
    ["month", "units", t.groups.month],
    ["period", "units", t.groups.period],
    ["charger", "chargers", t.groups.chargers],
    ["sessions", "chargers", t.groups.sessions],
    ["chargermonth", "chargers", t.groups.month],
    ["meters", "data", t.groups.meters],
    ["run", "billing", t.groups.run],
    ["invoices", "billing", t.groups.invoices],
    ...admin.groups,
  ];
  const order = new Map<string, number>();
  for (const [key, tb, name] of groups) {
    const n = (order.get(tb) ?? 0) + 1;
    order.set(tb, n);
    cfg.push({
      id: group(key),
      type: "ui_group",
      name,
      tab: uiTab(tb),
      order: n,
      disp: true,
      width: "18",
      collapse: false,
      disabled: false,
      hidden: false,
      className: "",
    });
  }
  const unitColumns: [string, string][] = [
    ["unit", t.unit],
    ["tenant", t.tenant],
    ["own", t.consumptionKWh],
    ["common", t.commonKWh],
    ["ev", t.evKWh],
    ["solar", t.solarShare],
    ["self", t.selfSufficiency],
    ["cost", t.cost],
  ];

  const nodes: FlowNode[] = [
    tab(z, `${o.title} · Dashboard 1`, "The admin's dashboard for node-red-dashboard 3.x at /ui. See docs/dashboard.md."),
    comment(
      z,
      "zd1-about",
      "Dashboard 1 tab (node-red-dashboard 3.x): the same as the Dashboard 2 tab, for installations that still use it",
      "Wire zev-aggregate's live output to the link-in 'zev dashboard live', its interval output to 'zev dashboard intervals' and the charger's session output to 'zev dashboard charger'. The link calls find link-in nodes named 'zev aggregate', 'zev billing' and 'zev charger' in front of the suite's nodes. See docs/dashboard.md.",
      pos(0, 0),
    ),
    {
      ...base("ui_template", "style", "now", 0, 0, 0, pos(5, 0)),
      group: "",
      templateScope: "global",
      format: STYLE,
      storeOutMessages: false,
      fwdInMessages: false,
      resendOnRefresh: false,
      wires: [[]],
    },
    // --- live
    linkIn(z, D1.inLive, "zev dashboard live", pos(0, 2), ["zd1-f-live"]),
    fn(z, "zd1-f-live", "format live values", liveCode(t, o.zone, "d1"), 7, pos(1, 2), [
      [w("production")],
      [w("consumption")],
      [w("battery")],
      [w("grid")],
      [w("charging")],
      [w("selfsufficiency")],
      [w("livechart")],
    ]),
    text("production", "now", 1, 3, t.production, pos(2, 1)),
    text("consumption", "now", 2, 3, t.consumption, pos(2, 2)),
    text("battery", "now", 3, 3, t.battery, pos(2, 3)),
    text("grid", "now", 4, 3, t.grid, pos(2, 4)),
    text("charging", "now", 5, 3, t.charging, pos(2, 5)),
    text("selfsufficiency", "now", 6, 3, t.selfSufficiency, pos(2, 6)),
    chart("livechart", "hour", 1, t.chartLive, true, pos(2, 7), ["#e8a317", "#1f77b4", "#7f7f7f"]),
    // --- day
    inject(z, "zd1-tick-day", "every 5 min", { topic: "tick" }, { repeat: 300, once: true, onceDelay: 2 }, pos(0, 10), ["zd1-f-dayreq"]),
    linkIn(z, D1.inIntervals, "zev dashboard intervals", pos(0, 11), ["zd1-rate-day"]),
    rateLimit(z, "zd1-rate-day", "at most every 30 s", 30, pos(0, 12), ["zd1-f-dayreq"]),
    { ...base("ui_date_picker", "day", "day", 1, 6, 1, pos(0, 13)), label: t.day, passthru: false, topic: "day", topicType: "str", wires: [["zd1-f-dayreq"]] },
    fn(z, "zd1-f-dayreq", "ask for the day", seriesRequestCode(o.zone, "epoch"), 2, pos(1, 11), [["zd1-call-day"], [w("day")]]),
    linkCall(z, "zd1-call-day", "zev aggregate", pos(2, 11), ["zd1-f-day"]),
    fn(z, "zd1-f-day", "charts of the day", seriesChartsCode(t, "d1", o.zone), 3, pos(3, 11), [[w("daycons")], [w("dayprod")], [w("daytotals")]]),
    text("daytotals", "day", 2, 12, "", pos(4, 10)),
    chart("daycons", "day", 3, t.chartConsumption, false, pos(4, 11), ["#f2b705", "#2ca02c", "#8c8c8c"]),
    chart("dayprod", "day", 4, t.chartProduction, false, pos(4, 12), ["#f2b705", "#2ca02c", "#1f77b4"]),
    // --- units
    inject(z, "zd1-tick-units", "every minute", { topic: "tick" }, { repeat: 60, once: true, onceDelay: 3 }, pos(0, 15), ["zd1-f-unitsreq"]),
    dropdown("unitperiod", "period", 1, 6, t.period, "period", periods, pos(0, 16), ["zd1-f-unitsreq"]),
    fn(z, "zd1-f-unitsreq", "ask for the estimates", estimateRequestCode(), 2, pos(1, 15), [["zd1-call-units"], [w("unitperiod")]]),
    linkCall(z, "zd1-call-units", "zev billing", pos(2, 15), ["zd1-f-units"]),
    fn(z, "zd1-f-units", "unit tables", estimateTableCode(t), 4, pos(3, 15), [[w("monthtable")], [w("periodtable")], [w("monthnote")], [w("periodnote")]]),
    text("monthnote", "month", 1, 0, "", pos(4, 14)),
    table("monthtable", "month", 2, unitColumns, pos(4, 15), { hint: t.scrollHint }),
    text("periodnote", "period", 2, 0, "", pos(4, 16)),
    table("periodtable", "period", 3, unitColumns, pos(4, 17), { hint: t.scrollHint }),
    // --- chargers
    inject(z, "zd1-tick-charger", "every 5 s", { extra: { command: "status", target: "zev charger" } }, { repeat: 5, once: true, onceDelay: 2 }, pos(0, 19), [
      "zd1-call-charger",
    ]),
    linkIn(z, D1.inCharger, "zev dashboard charger", pos(0, 20), ["zd1-rate-charger"]),
    rateLimit(z, "zd1-rate-charger", "at most every 2 s", 2, pos(0, 21), ["zd1-f-chargerreq"]),
    fn(z, "zd1-f-chargerreq", "ask for the status", `return { command: "status", target: "zev charger" };\n`, 1, pos(1, 21), [["zd1-call-charger"]]),
    // the two mode buttons in one template, drawn from the charger view's one message: the active mode's is filled and says so
    {
      ...base("ui_template", "modes", "charger", 5, 0, 1, pos(0, 22)),
      format: MODE_BUTTONS,
      storeOutMessages: true,
      fwdInMessages: false,
      resendOnRefresh: true,
      templateScope: "local",
      wires: [["zd1-f-chargermode"]],
    },
    fn(z, "zd1-f-chargermode", "mode command", chargerModeCode(), 1, pos(1, 22), [["zd1-call-charger"]]),
    linkCall(z, "zd1-call-charger", "zev charger", pos(2, 20), ["zd1-f-charger"]),
    fn(z, "zd1-f-charger", "charger view", chargerViewCode(t, o, "d1"), 8, pos(3, 20), [
      [w("carstate")],
      [w("mode")],
      [w("chargerpower")],
      [w("session")],
      [w("recent")],
      [w("chargermonth")],
      [w("modes")],
      [],
    ]),
    text("carstate", "charger", 1, 6, t.carState, pos(4, 19)),
    text("mode", "charger", 2, 6, t.mode, pos(4, 20)),
    text("chargerpower", "charger", 3, 6, t.power, pos(4, 21)),
    text("session", "charger", 4, 0, "", pos(4, 22)),
    table(
      "recent",
      "sessions",
      1,
      [
        ["started", t.started],
        ["ended", t.ended],
        ["who", t.user],
        ["kwh", t.energy],
        ["priority", `${t.modes.priority} kWh`],
        ["normal", `${t.modes.normal} kWh`],
      ],
      pos(4, 23),
      { hint: t.scrollHint },
    ),
    table(
      "chargermonth",
      "chargermonth",
      1,
      [
        ["who", t.user],
        ["sessions", t.sessions],
        ["kwh", t.energy],
        ["priority", `${t.modes.priority} kWh`],
        ["normal", `${t.modes.normal} kWh`],
      ],
      pos(4, 24),
      { hint: t.scrollHint },
    ),
    // --- data
    inject(z, "zd1-tick-data", "every 10 s", { extra: { command: "health", target: "zev aggregate" } }, { repeat: 10, once: true, onceDelay: 2 }, pos(0, 26), [
      "zd1-call-data",
    ]),
    linkCall(z, "zd1-call-data", "zev aggregate", pos(1, 26), ["zd1-f-data"]),
    fn(z, "zd1-f-data", "meter rows", healthTableCode(t, o), 2, pos(2, 26), [[w("meters")], [w("datanote")]]),
    text("datanote", "meters", 2, 0, "", pos(3, 25)),
    table(
      "meters",
      "meters",
      1,
      [
        ["meter", t.meter],
        ["role", t.role],
        ["last", t.lastReading],
        ["age", t.age],
        ["today", t.today],
        ["interpolated", t.monthInterpolated],
        ["missing", t.monthMissing],
        ["rejected", t.rejected],
      ],
      pos(3, 26),
      { hint: t.scrollHint },
    ),
    // --- billing
    dropdown("billperiod", "run", 1, 6, t.period, "period", periods, pos(0, 28), ["zd1-f-billcmd"]),
    button("rundraft", "run", 2, 4, t.runDraft, "draft", pos(0, 29), ["zd1-f-billcmd"]),
    // issuing gives numbers for good: another colour, an icon, and a confirmation with count and total
    button("issueall", "run", 3, 4, t.issueDrafts, "issueAll", pos(0, 30), ["zd1-f-billcmd"], {
      color: "#ffffff",
      bgcolor: "#a8321e",
      icon: "fa-gavel",
      className: "zev-consequential",
    }),
    button("issueselected", "run", 4, 4, t.issueSelected, "issueSelected", pos(0, 31), ["zd1-f-billcmd"], {
      color: "#ffffff",
      bgcolor: "#a8321e",
      icon: "fa-gavel",
      className: "zev-consequential",
    }),
    inject(z, "zd1-tick-bill", "every minute", { topic: "tick" }, { repeat: 60, once: true, onceDelay: 3 }, pos(0, 32), ["zd1-f-billcmd"]),
    fn(z, "zd1-f-billcmd", "billing commands", billingCommandCode(t, "d1"), 4, pos(1, 29), [
      ["zd1-call-bill"],
      [w("billstatus")],
      [w("billperiod")],
      [w("confirm")],
    ]),
    // the confirmation before issuing: a dialog in the browser that clicked; its answer (payload "ok" / "cancel", msg.token) goes back
    {
      id: w("confirm"),
      type: "ui_toast",
      z,
      name: "confirm issuing",
      position: "dialog",
      displayTime: "3",
      highlight: "",
      sendall: false,
      outputs: 1,
      ok: "ok",
      cancel: "cancel",
      raw: false,
      className: "zev-confirm",
      topic: "",
      ...pos(2, 31),
      wires: [["zd1-f-billcmd"]],
    },
    // a long run reports its progress meanwhile (the text): its answer may take minutes
    { ...linkCall(z, "zd1-call-bill", "zev billing", pos(2, 29), ["zd1-f-billres", "zd1-f-progress"]), timeout: "900" },
    fn(z, "zd1-f-billres", "billing answers", billingResultCode(t, o), 4, pos(3, 29), [[w("invoices")], [w("billstatus")], ["zd1-call-bill"], [w("selected")]]),
    text("billstatus", "run", 5, 0, "", pos(4, 28)),
    {
      ...table(
        "invoices",
        "invoices",
        1,
        [
          ["number", t.number],
          ["recipient", t.recipient],
          ["unit", t.unit],
          ["period", t.period],
          ["total", t.total],
          ["status", t.status],
        ],
        pos(4, 29),
        { select: true, pdfPath: o.pdfPath, pdfLabel: t.pdf, hint: t.scrollHint },
      ),
      wires: [["zd1-f-select"]],
    },
    fn(z, "zd1-f-select", "selected invoice", invoiceSelectCode(t), 1, pos(5, 29), [[w("selected")]]),
    text("selected", "invoices", 2, 0, "", pos(6, 29)),
    // --- requests without an answer (no link-in of that name, or too slow): said where the answer would have gone
    catchNode(
      z,
      "zd1-catch-calls",
      "link calls without an answer",
      ["zd1-call-day", "zd1-call-units", "zd1-call-charger", "zd1-call-data", "zd1-call-bill"],
      pos(0, 38),
      ["zd1-f-nocall"],
    ),
    fn(z, "zd1-f-nocall", "to the page", linkFailedCode(), 5, pos(1, 38), [
      ["zd1-f-billres"],
      ["zd1-f-units"],
      ["zd1-f-day"],
      ["zd1-f-data"],
      ["zd1-f-charger"],
    ]),
    // --- the PDF route (the same as in the Dashboard 2 tab; keep one of them if both tabs are imported)
    comment(
      z,
      "zd1-c-pdf",
      `GET ${o.pdfPath}/<id>.pdf: the invoice PDF, behind Node-RED's httpNodeAuth`,
      "Import either dashboard tab's route, not both: two http-in nodes on the same URL answer twice.",
      pos(0, 34),
    ),
    httpIn(z, "zd1-http-pdf", "invoice PDF", `${o.pdfPath}/:id`, pos(0, 35), ["zd1-f-pdfreq"]),
    fn(z, "zd1-f-pdfreq", "which invoice", pdfRequestCode(), 2, pos(1, 35), [["zd1-call-pdf"], ["zd1-http-res"]]),
    linkCall(z, "zd1-call-pdf", "zev billing", pos(2, 35), ["zd1-f-pdfres"]),
    fn(z, "zd1-f-pdfres", "answer with the PDF", pdfResponseCode(t), 1, pos(3, 35), [["zd1-http-res"]]),
    httpResponse(z, "zd1-http-res", "", pos(4, 35)),
  ];
  return { nodes: [...nodes, ...admin.nodes, ...cfg], inLive: D1.inLive, inIntervals: D1.inIntervals, inCharger: D1.inCharger, inProgress: D1.inProgress };
}

/** A question before a step that cannot be undone: a ui_toast dialog in the browser that clicked; its answer (payload "ok" / "cancel", msg.token) goes back. */
function askToast(id: string, name: string, at: { x: number; y: number }, wires: string[], ok = "ok", cancel = "cancel"): FlowNode {
  return {
    id,
    type: "ui_toast",
    z: D1.tab,
    name,
    position: "dialog",
    displayTime: "3",
    highlight: "",
    sendall: false,
    outputs: 1,
    ok,
    cancel,
    raw: false,
    className: "zev-ask",
    topic: "",
    ...at,
    wires: [wires],
  };
}

/** A table that keeps its height: Dashboard 1 sizes an auto-height template when it is first drawn, before its rows come; it scrolls inside. */
function tallTable(rowsHigh: number, node: FlowNode): FlowNode {
  return { ...node, height: rowsHigh };
}

/** The Payments and Portal tabs and the Billing tab's corrections and progress text (issues 13-16). */
function adminPages1(o: DashboardOptions): { tabs: [string, string, string][]; groups: [string, string, string][]; nodes: FlowNode[] } {
  const t = o.texts;
  const a = t.admin;
  const z = D1.tab;
  const w = D1.widget;
  const red = { color: "#ffffff", bgcolor: "#a8321e", className: "zev-consequential" };
  const days: [string, string][] = [30, 90, 365, 1095].map((d) => [String(d), a.portal.days.replace("__days__", String(d))]);
  const nodes: FlowNode[] = [
    // --- payments
    inject(z, "zd1-tick-pay", "every 30 s", { topic: "tick" }, { repeat: 30, once: true, onceDelay: 3 }, pos(7, 1), ["zd1-f-paycmd"]),
    fn(z, "zd1-f-paycmd", "payments commands", paymentsCommandCode(t, "d1"), 5, pos(8, 2), [
      ["zd1-call-pay"],
      [w("payassignnote")],
      ["zd1-payconfirm"],
      [w("payselected")],
      [w("remindersnote")],
    ]),
    askToast("zd1-payconfirm", "confirm payments", pos(9, 3), ["zd1-f-paycmd"]),
    { ...linkCall(z, "zd1-call-pay", "zev billing", pos(9, 2), ["zd1-f-payres"]), timeout: "120" },
    fn(z, "zd1-f-payres", "payments answers", paymentsResultCode(t, "d1"), 7, pos(10, 2), [
      [w("payments")],
      [w("payinvoices")],
      [w("paylistnote")],
      [w("payassignnote")],
      [w("remindersnote")],
      [w("payinvoice")],
      ["zd1-call-pay"],
    ]),
    catchNode(z, "zd1-catch-pay", "payments calls without an answer", ["zd1-call-pay"], pos(9, 4), ["zd1-f-payres"]),
    text("paylistnote", "payments", 1, 0, "", pos(11, 1)),
    {
      ...table(
        "payments",
        "payments",
        2,
        [
          ["pid", "#"],
          ["date", a.pay.date],
          ["amount", a.pay.amount],
          ["reference", a.pay.reference],
          ["debtor", a.pay.debtor],
          ["invoice", a.pay.invoice],
          ["state", t.status],
        ],
        pos(11, 2),
        { select: true, hint: t.scrollHint },
      ),
      height: 5,
      wires: [["zd1-f-paycmd"]],
    },
    text("payselected", "assign", 1, 0, "", pos(11, 3)),
    dropdown("payinvoice", "assign", 2, 10, a.pay.invoiceLabel, "invoice", [], pos(7, 4), ["zd1-f-paycmd"]),
    button("payassign", "assign", 3, 6, a.pay.assign, "assign", pos(7, 5), ["zd1-f-paycmd"], { ...red, icon: "fa-link" }),
    text("payassignnote", "assign", 4, 0, "", pos(11, 4)),
    tallTable(
      5,
      table(
        "payinvoices",
        "payinvoices",
        1,
        [
          ["number", t.number],
          ["recipient", a.pay.recipient],
          ["period", t.period],
          ["total", a.pay.total],
          ["paid", a.pay.paid],
          ["open", a.pay.open],
          ["status", a.pay.paymentStatus],
        ],
        pos(11, 6),
        { hint: t.scrollHint },
      ),
    ),
    button("runreminders", "reminders", 1, 6, a.pay.runReminders, "reminders", pos(7, 6), ["zd1-f-paycmd"], { ...red, icon: "fa-envelope" }),
    text("remindersnote", "reminders", 2, 0, "", pos(11, 7)),
    // --- portal links
    inject(z, "zd1-tick-portal", "every 30 s", { topic: "tick" }, { repeat: 30, once: true, onceDelay: 3 }, pos(7, 10), ["zd1-f-portalcmd"]),
    fn(z, "zd1-f-portalcmd", "portal commands", portalCommandCode(t, "d1"), 4, pos(8, 11), [
      ["zd1-call-portal"],
      [w("portalnote")],
      ["zd1-portalconfirm"],
      [w("portalselected")],
    ]),
    askToast("zd1-portalconfirm", "confirm revoking", pos(9, 13), ["zd1-f-portalcmd"]),
    linkCall(z, "zd1-call-portal", "zev portal", pos(9, 11), ["zd1-f-portalres"]),
    fn(z, "zd1-f-portalres", "portal answers", portalResultCode(t, o, "d1"), 6, pos(10, 11), [
      [w("portallinks")],
      [w("portalnote")],
      [w("portaltenancy")],
      ["zd1-portalshow"],
      ["zd1-call-portal"],
      [w("portalselected")],
    ]),
    // the new link, once, in the browser that asked (a dialog with one button; the editor requires the node's ok label)
    askToast("zd1-portalshow", "the new link", pos(11, 14), [], a.portal.close, ""),
    catchNode(z, "zd1-catch-portal", "portal calls without an answer", ["zd1-call-portal"], pos(9, 12), ["zd1-f-portalres"]),
    dropdown("portaltenancy", "links", 1, 8, a.portal.tenancy, "tenancy", [], pos(7, 11), ["zd1-f-portalcmd"]),
    dropdown("portaldays", "links", 2, 5, a.portal.validity, "days", days, pos(7, 12), ["zd1-f-portalcmd"]),
    button("portalcreate", "links", 3, 5, a.portal.create, "create", pos(7, 13), ["zd1-f-portalcmd"], { icon: "fa-plus" }),
    text("portalnote", "links", 4, 0, "", pos(11, 10)),
    {
      ...table(
        "portallinks",
        "links",
        5,
        [
          ["lid", a.portal.id],
          ["tenancy", a.portal.tenancy],
          ["state", a.portal.state],
          ["created", a.portal.createdAt],
          ["expires", a.portal.expires],
          ["used", a.portal.lastUsed],
        ],
        pos(11, 11),
        { select: true, hint: t.scrollHint },
      ),
      height: 6,
      wires: [["zd1-f-portalcmd"]],
    },
    text("portalselected", "links", 6, 0, "", pos(11, 12)),
    button("portalrevoke", "links", 7, 6, a.portal.revoke, "revoke", pos(7, 14), ["zd1-f-portalcmd"], { ...red, icon: "fa-chain-broken" }),
    // --- corrections (billing tab)
    inject(z, "zd1-tick-corr", "once", { topic: "tick" }, { once: true, onceDelay: 6 }, pos(7, 17), ["zd1-f-corrcmd"]),
    button("corrcheck", "corrections", 1, 6, a.corrections.check, "check", pos(7, 18), ["zd1-f-corrcmd"], { icon: "fa-search" }),
    button("corrapply", "corrections", 2, 6, a.corrections.correctAll, "correct", pos(7, 19), ["zd1-f-corrcmd"], { ...red, icon: "fa-exchange" }),
    fn(z, "zd1-f-corrcmd", "corrections commands", correctionsCommandCode(t, "d1"), 3, pos(8, 18), [["zd1-call-corr"], [w("corrnote")], ["zd1-corrconfirm"]]),
    askToast("zd1-corrconfirm", "confirm corrections", pos(9, 20), ["zd1-f-corrcmd"]),
    { ...linkCall(z, "zd1-call-corr", "zev billing", pos(9, 18), ["zd1-f-corrres"]), timeout: "300" },
    fn(z, "zd1-f-corrres", "corrections answers", correctionsResultCode(t), 3, pos(10, 18), [[w("corrtable")], [w("corrnote")], ["zd1-call-corr"]]),
    catchNode(z, "zd1-catch-corr", "corrections calls without an answer", ["zd1-call-corr"], pos(9, 19), ["zd1-f-corrres"]),
    text("corrnote", "corrections", 3, 0, "", pos(11, 17)),
    tallTable(
      6,
      table(
        "corrtable",
        "corrections",
        4,
        [
          ["number", t.number],
          ["recipient", t.recipient],
          ["period", t.period],
          ["issuedKWh", a.corrections.kWhIssued],
          ["nowKWh", a.corrections.kWhNow],
          ["kWh", a.corrections.kWhDiff],
          ["amount", a.corrections.amountDiff],
        ],
        pos(11, 18),
        { hint: t.scrollHint },
      ),
    ),
    // --- the billing run's progress as a text (Dashboard 1 has no progress bar)
    linkIn(z, D1.inProgress, "zev dashboard billing progress", pos(7, 21), ["zd1-f-progress"]),
    fn(z, "zd1-f-progress", "progress of the run", progressCode(t, "d1"), 2, pos(8, 21), [[], [w("progresstext")]]),
    text("progresstext", "run", 6, 0, "", pos(9, 21)),
  ];
  return {
    tabs: [
      ["payments", a.pages.payments, "fa-money"],
      ["portal", a.pages.portal, "fa-key"],
    ],
    groups: [
      ["payments", "payments", a.groups.payments],
      ["assign", "payments", a.groups.assign],
      ["payinvoices", "payments", a.groups.invoices],
      ["reminders", "payments", a.groups.reminders],
      ["links", "portal", a.groups.links],
      ["corrections", "billing", a.groups.corrections],
    ],
    nodes,
  };
}
