import {
  billingCommandCode,
  billingResultCode,
  chartOptions,
  chargerModeCode,
  chargerViewCode,
  CodeOptions,
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
import { catchNode, comment, FlowNode, fn, httpIn, httpResponse, inject, linkCall, linkIn, pos, rateLimit, tab } from "./nodes";
import type { DashboardTexts } from "./texts";

/*
 * The admin's tab for FlowFuse Dashboard 2.0 (@flowfuse/node-red-dashboard):
 * built-in widgets only, served at /dashboard. Data comes in through link-in
 * nodes (the suite's live and interval outputs) and link calls by name.
 */

export const D2 = {
  tab: "zd2-tab",
  inLive: "zd2-in-live",
  inIntervals: "zd2-in-intervals",
  inCharger: "zd2-in-charger",
  inProgress: "zd2-in-progress",
  widget: (name: string): string => `zd2-${name}`,
};

export interface DashboardOptions extends CodeOptions {
  texts: DashboardTexts;
  title: string;
}

/**
 * Big values with a small label above them; notes in a quieter colour. A
 * value never leaves its cell: it shrinks with the window and wraps between
 * words ("import" over "2.55 kW") rather than being cut. Notes keep their line
 * breaks (one warning per line). Tables wider than the screen scroll sideways,
 * with a shadow at the edge and a hint under them on phones.
 */
const STYLE = `.zev-big .nrdb-ui-text-label { font-size: 0.85rem; color: #52606d; }
.zev-big .nrdb-ui-text-value { font-size: clamp(1rem, 1.45vw, 1.5rem); line-height: 1.2; font-weight: 600; color: #1f2933; white-space: normal; overflow-wrap: anywhere; text-align: center; min-width: 0; max-width: 100%; }
.zev-big, .zev-big .nrdb-ui-text { min-width: 0; max-width: 100%; }
.zev-note .nrdb-ui-text-value { color: #3e4c59; white-space: pre-line; overflow-wrap: anywhere; min-width: 0; }
.zev-note .nrdb-ui-text-label:empty { display: none; }
.nrdb-ui-table .v-table__wrapper { overflow-x: auto; background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left / 24px 100% no-repeat local, linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 24px 100% no-repeat local, radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.18), transparent) left / 10px 100% no-repeat scroll, radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.18), transparent) right / 10px 100% no-repeat scroll; }
@media (max-width: 1023px) { .nrdb-ui-table td, .nrdb-ui-table th { white-space: nowrap; } }
.zev-note .nrdb-ui-text, .zev-big .nrdb-ui-text { height: auto !important; min-height: 100%; overflow: visible !important; }
.nrdb-ui-widget.zev-note, .nrdb-ui-widget.zev-big { height: auto !important; }
.zev-scroll-hint .nrdb-ui-text-value { font-size: 0.8rem; color: #52606d; }
@media (min-width: 1024px) { .zev-scroll-hint { display: none !important; } }
.zev-consequential .v-btn { font-weight: 600; }`;

const ui = {
  base: "zd2-base",
  theme: "zd2-theme",
  page: (p: string): string => `zd2-page-${p}`,
  group: (g: string): string => `zd2-group-${g}`,
};

function widgetBase(type: string, name: string, group: string, order: number, width: number, height: number, at: { x: number; y: number }): FlowNode {
  return { id: D2.widget(name), type, z: D2.tab, group: ui.group(group), name, order, width, height, className: "", ...at };
}

function text(name: string, group: string, order: number, width: number, label: string, at: { x: number; y: number }, big = false): FlowNode {
  return {
    ...widgetBase("ui-text", name, group, order, width, 1, at),
    label,
    format: "{{msg.payload}}",
    layout: big ? "col-center" : "row-left",
    style: false,
    font: "",
    fontSize: 14,
    color: "#1f2933",
    wrapText: !big,
    className: big ? "zev-big" : "zev-note",
    value: "payload",
    valueType: "msg",
    wires: [],
  };
}

/** A fixed text under a table wider than a phone: the table scrolls sideways (hidden on a desktop). */
function scrollHint(name: string, group: string, order: number, hint: string, at: { x: number; y: number }): FlowNode {
  return { ...text(name, group, order, 12, "", at), value: hint, valueType: "str", className: "zev-scroll-hint" };
}

/**
 * The confirmation before invoices are issued: a dialog in a template, opened
 * by { payload: { ask: true, token, title, text, ok, cancel } } and closed by
 * { payload: { ask: false } }; it answers { token, payload: "ok" | "cancel" }.
 */
const CONFIRM = `<template>
  <v-dialog v-model="open" max-width="520" persistent>
    <v-card class="zev-confirm">
      <v-card-title class="zev-confirm-title" style="white-space: normal">{{ ask.title }}</v-card-title>
      <v-card-text class="zev-confirm-text">{{ ask.text }}</v-card-text>
      <v-card-actions style="flex-wrap: wrap; justify-content: flex-end">
        <v-btn variant="text" class="zev-confirm-cancel" @click="answer('cancel')">{{ ask.cancel }}</v-btn>
        <v-btn variant="flat" color="#a8321e" class="zev-confirm-ok" prepend-icon="mdi-stamper" @click="answer('ok')">{{ ask.ok }}</v-btn>
      </v-card-actions>
    </v-card>
  </v-dialog>
</template>
<script>
export default {
  data() {
    return { open: false, ask: {} };
  },
  watch: {
    msg: function (m) {
      const a = m && m.payload;
      if (a && a.ask) {
        this.ask = a;
        this.open = true;
      } else this.open = false;
    },
  },
  methods: {
    answer(a) {
      this.open = false;
      this.send({ token: this.ask.token, payload: a });
    },
  },
};
</script>`;

function confirmDialog(at: { x: number; y: number }): FlowNode {
  return {
    ...widgetBase("ui-template", "confirm", "run", 6, 0, 0, at),
    page: "",
    ui: "",
    head: "",
    format: CONFIRM,
    storeOutMessages: false,
    // its input must not go on to the billing commands (the answer does)
    passthru: false,
    resendOnRefresh: false,
    templateScope: "local",
    wires: [["zd2-f-billcmd"]],
  };
}

function chart(
  name: string,
  group: string,
  order: number,
  label: string,
  type: "line" | "bar",
  live: boolean,
  at: { x: number; y: number },
  colors: string[],
): FlowNode {
  return {
    ...widgetBase("ui-chart", name, group, order, 12, live ? 5 : 6, at),
    label,
    chartType: type,
    category: "s",
    categoryType: "property",
    xAxisLabel: "",
    xAxisProperty: "x",
    xAxisPropertyType: "property",
    xAxisType: "time",
    xAxisFormat: "",
    // the points carry Zurich wall time as UTC (dashboard-code.ts): drawn as UTC, labelled by chartOptions (times, never a date)
    xAxisFormatType: "auto",
    xmin: "",
    xmax: "",
    yAxisLabel: live ? "kW" : "kWh",
    yAxisProperty: "y",
    yAxisPropertyType: "property",
    ymin: "",
    ymax: "",
    bins: 10,
    action: live ? "append" : "replace",
    stackSeries: type === "bar",
    pointShape: "false",
    pointRadius: 0,
    showLegend: true,
    // an hour by count, not by age: the shifted times are ahead of the browser's clock
    removeOlder: 0,
    removeOlderUnit: "3600",
    removeOlderPoints: live ? String(LIVE_POINTS) : "",
    chartOptions: chartOptions(live),
    colors: [...colors, "#A347E1", "#D62728", "#FF9896", "#9467BD", "#C5B0D5", "#7f7f7f", "#17becf"],
    textColor: ["#666666"],
    textColorDefault: true,
    gridColor: ["#e5e5e5"],
    gridColorDefault: true,
    interpolation: "linear",
    wires: [[]],
  };
}

function table(
  name: string,
  group: string,
  order: number,
  columns: [string, string, "text" | "html"][],
  at: { x: number; y: number },
  clickable = false,
): FlowNode {
  return {
    ...widgetBase("ui-table", name, group, order, 12, 0, at),
    label: "",
    maxrows: 0,
    passthru: false,
    autocols: false,
    showSearch: false,
    deselect: true,
    selectionType: clickable ? "click" : "none",
    columns: columns.map(([key, title, type]) => ({ title, key, keyType: "key", type, width: "", align: "start" })),
    mobileBreakpoint: "sm",
    mobileBreakpointType: "defaults",
    action: "replace",
    wires: [[]],
  };
}

function button(
  name: string,
  group: string,
  order: number,
  width: number,
  label: string,
  payload: string,
  at: { x: number; y: number },
  wires: string[],
  look: { color?: string; text?: string; icon?: string; className?: string; tooltip?: string } = {},
): FlowNode {
  return {
    ...widgetBase("ui-button", name, group, order, width, 1, at),
    className: look.className ?? "",
    label,
    emulateClick: false,
    tooltip: look.tooltip ?? "",
    color: "",
    bgcolor: "",
    icon: look.icon ?? "",
    iconPosition: "left",
    payload,
    payloadType: "str",
    topic: "button",
    topicType: "str",
    buttonColor: look.color ?? "",
    textColor: look.text ?? "",
    iconColor: look.text ?? "",
    enableClick: true,
    enablePointerdown: false,
    pointerdownPayload: "",
    pointerdownPayloadType: "str",
    enablePointerup: false,
    pointerupPayload: "",
    pointerupPayloadType: "str",
    wires: [wires],
  };
}

function dropdown(
  name: string,
  group: string,
  order: number,
  width: number,
  label: string,
  topic: string,
  options: [string, string][],
  initial: string,
  at: { x: number; y: number },
  wires: string[],
): FlowNode {
  return {
    ...widgetBase("ui-dropdown", name, group, order, width, 1, at),
    label,
    tooltip: "",
    passthru: false,
    multiple: false,
    chips: false,
    clearable: false,
    options: options.map(([value, label]) => ({ label, value, type: "str" })),
    payload: initial,
    topic,
    topicType: "str",
    typeIsComboBox: true,
    msgTrigger: "onChange",
    wires: [wires],
  };
}

export function dashboard2(o: DashboardOptions): { nodes: FlowNode[]; inLive: string; inIntervals: string; inCharger: string; inProgress: string } {
  const t = o.texts;
  const admin = adminPages2(o);
  const z = D2.tab;
  const periods: [string, string][] = [
    ["previous-month", t.periods.previousMonth],
    ["current-month", t.periods.currentMonth],
    ["previous-quarter", t.periods.previousQuarter],
    ["current-quarter", t.periods.currentQuarter],
    ["current-year", t.periods.currentYear],
    ["previous-year", t.periods.previousYear],
  ];
  const cfg: FlowNode[] = [
    {
      id: ui.base,
      type: "ui-base",
      name: o.title,
      path: "/dashboard",
      appIcon: "",
      includeClientData: true,
      // the issue confirmation (a template) shows only in the browser that clicked
      acceptsClientConfig: ["ui-notification", "ui-control", "ui-template"],
      showPathInSidebar: false,
      headerContent: "page",
      navigationStyle: "default",
      titleBarStyle: "default",
      showReconnectNotification: true,
      notificationDisplayTime: 1,
      showDisconnectNotification: true,
      allowInstall: false,
    },
    {
      id: ui.theme,
      type: "ui-theme",
      name: "ZEV",
      colors: { surface: "#2f5f3f", primary: "#2f7d4f", bgPage: "#f3f5f2", groupBg: "#ffffff", groupOutline: "#d5ddd5" },
      sizes: { density: "default", pagePadding: "12px", groupGap: "12px", groupBorderRadius: "6px", widgetGap: "10px" },
    },
  ];
  const pages: [string, string, string, string][] = [
    // One path segment each: Dashboard 2 loads its assets relative to the page.
    ["live", t.pages.live, "/live", "mdi-solar-power"],
    ["units", t.pages.units, "/units", "mdi-home-city"],
    ["chargers", t.pages.chargers, "/chargers", "mdi-ev-station"],
    ["data", t.pages.data, "/data", "mdi-database-check"],
    ["billing", t.pages.billing, "/billing", "mdi-file-document-outline"],
    ...admin.pages,
  ];
  pages.forEach(([key, name, path, icon], i) =>
    cfg.push({
      id: ui.page(key),
      type: "ui-page",
      name,
      ui: ui.base,
      path,
      icon,
      layout: "grid",
      theme: ui.theme,
      breakpoints: [
        { name: "Default", px: "0", cols: "3" },
        { name: "Tablet", px: "576", cols: "6" },
        { name: "Small Desktop", px: "768", cols: "9" },
        { name: "Desktop", px: "1024", cols: "12" },
      ],
      order: i + 1,
      className: "",
      visible: "true",
      disabled: "false",
    }),
  );
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
  for (const [key, page, name] of groups) {
    const n = (order.get(page) ?? 0) + 1;
    order.set(page, n);
    cfg.push({
      id: ui.group(key),
      type: "ui-group",
      name,
      page: ui.page(page),
      width: "12",
      height: "1",
      order: n,
      showTitle: true,
      className: "",
      visible: "true",
      disabled: "false",
      groupType: "default",
    });
  }

  const w = D2.widget;
  // The month table and the chosen-period table show the same columns.
  const unitColumns: [string, string, "text"][] = [
    ["unit", t.unit, "text"],
    ["tenant", t.tenant, "text"],
    ["own", t.consumptionKWh, "text"],
    ["common", t.commonKWh, "text"],
    ["ev", t.evKWh, "text"],
    ["solar", t.solarShare, "text"],
    ["self", t.selfSufficiency, "text"],
    ["cost", t.cost, "text"],
  ];
  const nodes: FlowNode[] = [
    tab(z, `${o.title} · Dashboard 2`, "The admin's dashboard (FlowFuse Dashboard 2.0) at /dashboard. See docs/dashboard.md."),
    comment(
      z,
      "zd2-about",
      "Dashboard tab: it only formats what the suite's nodes send and answer (link calls by name: zev aggregate, zev billing)",
      "Wire zev-aggregate's live output to the link-in 'zev dashboard live' and its interval output to 'zev dashboard intervals'.\nName a link-in before zev-aggregate 'zev aggregate' and one before zev-billing 'zev billing', and end both nodes' command outputs and a Catch node (for errors) in a link-out set to 'return'.\nEvery figure comes from the suite (lib/): the day series and data health from zev-aggregate, per-unit figures and costs from zev-billing's estimate. See docs/dashboard.md.",
      pos(0, 0),
    ),
    // --- live
    {
      id: "zd2-style",
      type: "ui-template",
      z,
      group: "",
      page: "",
      ui: ui.base,
      name: "styles",
      order: 0,
      width: 0,
      height: 0,
      head: "",
      format: STYLE,
      storeOutMessages: true,
      passthru: true,
      resendOnRefresh: true,
      templateScope: "site:style",
      className: "",
      ...pos(5, 0),
      wires: [[]],
    },
    comment(z, "zd2-c-live", "Live: zev-aggregate's live output every few seconds", "", pos(0, 1)),
    linkIn(z, D2.inLive, "zev dashboard live", pos(0, 2), ["zd2-f-live"]),
    fn(z, "zd2-f-live", "format live values", liveCode(t, o.zone), 7, pos(1, 2), [
      [w("production")],
      [w("consumption")],
      [w("battery")],
      [w("grid")],
      [w("charging")],
      [w("selfsufficiency")],
      [w("livechart")],
    ]),
    text("production", "now", 1, 2, t.production, pos(2, 1), true),
    text("consumption", "now", 2, 2, t.consumption, pos(2, 2), true),
    text("battery", "now", 3, 2, t.battery, pos(2, 3), true),
    text("grid", "now", 4, 2, t.grid, pos(2, 4), true),
    text("charging", "now", 5, 2, t.charging, pos(2, 5), true),
    text("selfsufficiency", "now", 6, 2, t.selfSufficiency, pos(2, 6), true),
    chart("livechart", "hour", 1, t.chartLive, "line", true, pos(2, 7), ["#e8a317", "#1f77b4", "#7f7f7f"]),
    // --- day series
    comment(z, "zd2-c-day", "A day's quarter hours: asked from zev-aggregate (command series)", "", pos(0, 9)),
    inject(z, "zd2-tick-day", "every 5 min", { topic: "tick" }, { repeat: 300, once: true, onceDelay: 2 }, pos(0, 10), ["zd2-f-dayreq"]),
    linkIn(z, D2.inIntervals, "zev dashboard intervals", pos(0, 11), ["zd2-rate-day"]),
    rateLimit(z, "zd2-rate-day", "at most every 30 s", 30, pos(0, 12), ["zd2-f-dayreq"]),
    {
      ...widgetBase("ui-text-input", "day", "day", 1, 3, 1, pos(0, 13)),
      label: t.day,
      topic: "day",
      topicType: "str",
      mode: "date",
      tooltip: "",
      delay: 300,
      passthru: false,
      sendOnDelay: false,
      sendOnBlur: true,
      sendOnEnter: true,
      clearable: false,
      sendOnClear: false,
      icon: "",
      iconPosition: "left",
      iconInnerPosition: "inside",
      wires: [["zd2-f-dayreq"]],
    },
    fn(z, "zd2-f-dayreq", "ask for the day", seriesRequestCode(o.zone), 2, pos(1, 11), [["zd2-call-day"], [w("day")]]),
    linkCall(z, "zd2-call-day", "zev aggregate", pos(2, 11), ["zd2-f-day"]),
    fn(z, "zd2-f-day", "charts of the day", seriesChartsCode(t, "d2", o.zone), 3, pos(3, 11), [[w("daycons")], [w("dayprod")], [w("daytotals")]]),
    text("daytotals", "day", 2, 9, "", pos(4, 10)),
    chart("daycons", "day", 3, t.chartConsumption, "bar", false, pos(4, 11), ["#f2b705", "#2ca02c", "#8c8c8c"]),
    chart("dayprod", "day", 4, t.chartProduction, "bar", false, pos(4, 12), ["#f2b705", "#2ca02c", "#1f77b4"]),
    // --- units
    comment(z, "zd2-c-units", "Per unit: zev-billing's estimate (the invoices so far, nothing stored)", "", pos(0, 15)),
    inject(z, "zd2-tick-units", "every minute", { topic: "tick" }, { repeat: 60, once: true, onceDelay: 3 }, pos(0, 16), ["zd2-f-unitsreq"]),
    dropdown("unitperiod", "period", 1, 3, t.period, "period", periods, "previous-month", pos(0, 17), ["zd2-f-unitsreq"]),
    fn(z, "zd2-f-unitsreq", "ask for the estimates", estimateRequestCode(), 2, pos(1, 16), [["zd2-call-units"], [w("unitperiod")]]),
    linkCall(z, "zd2-call-units", "zev billing", pos(2, 16), ["zd2-f-units"]),
    fn(z, "zd2-f-units", "unit tables", estimateTableCode(t), 4, pos(3, 16), [[w("monthtable")], [w("periodtable")], [w("monthnote")], [w("periodnote")]]),
    text("monthnote", "month", 1, 12, "", pos(4, 15)),
    table("monthtable", "month", 2, unitColumns, pos(4, 16)),
    scrollHint("monthhint", "month", 3, t.scrollHint, pos(5, 16)),
    text("periodnote", "period", 2, 9, "", pos(4, 17)),
    table("periodtable", "period", 3, unitColumns, pos(4, 18)),
    scrollHint("periodhint", "period", 4, t.scrollHint, pos(5, 18)),
    // --- chargers
    comment(
      z,
      "zd2-c-charger",
      "Charger: zev-charger-weidmueller (command status; mode buttons)",
      "One charger per link-in named 'zev charger'; for a second one copy this part and name its link-in 'zev charger 2'.",
      pos(0, 33),
    ),
    inject(z, "zd2-tick-charger", "every 5 s", { extra: { command: "status", target: "zev charger" } }, { repeat: 5, once: true, onceDelay: 2 }, pos(0, 34), [
      "zd2-call-charger",
    ]),
    linkIn(z, D2.inCharger, "zev dashboard charger", pos(0, 35), ["zd2-rate-charger"]),
    rateLimit(z, "zd2-rate-charger", "at most every 2 s", 2, pos(0, 36), ["zd2-f-chargerreq"]),
    fn(z, "zd2-f-chargerreq", "ask for the status", `return { command: "status", target: "zev charger" };\n`, 1, pos(1, 36), [["zd2-call-charger"]]),
    button("priority", "charger", 5, 6, t.switchTo.replace("__mode__", t.modes.priority), "priority", pos(0, 37), ["zd2-f-chargermode"], {
      color: "#e4e9e4",
      text: "#1f2933",
    }),
    button("normal", "charger", 6, 6, t.switchTo.replace("__mode__", t.modes.normal), "normal", pos(0, 38), ["zd2-f-chargermode"], {
      color: "#e4e9e4",
      text: "#1f2933",
    }),
    fn(z, "zd2-f-chargermode", "mode command", chargerModeCode(), 1, pos(1, 37), [["zd2-call-charger"]]),
    linkCall(z, "zd2-call-charger", "zev charger", pos(2, 35), ["zd2-f-charger"]),
    fn(z, "zd2-f-charger", "charger view", chargerViewCode(t, o, "d2"), 8, pos(3, 35), [
      [w("carstate")],
      [w("mode")],
      [w("chargerpower")],
      [w("session")],
      [w("recent")],
      [w("chargermonth")],
      [w("priority")],
      [w("normal")],
    ]),
    text("carstate", "charger", 1, 4, t.carState, pos(4, 33), true),
    text("mode", "charger", 2, 4, t.mode, pos(4, 34), true),
    text("chargerpower", "charger", 3, 4, t.power, pos(4, 35), true),
    text("session", "charger", 4, 12, t.session, pos(4, 36)),
    table(
      "recent",
      "sessions",
      1,
      [
        ["started", t.started, "text"],
        ["ended", t.ended, "text"],
        ["who", t.user, "text"],
        ["kwh", t.energy, "text"],
        ["priority", `${t.modes.priority} kWh`, "text"],
        ["normal", `${t.modes.normal} kWh`, "text"],
      ],
      pos(4, 37),
    ),
    scrollHint("recenthint", "sessions", 2, t.scrollHint, pos(5, 37)),
    table(
      "chargermonth",
      "chargermonth",
      1,
      [
        ["who", t.user, "text"],
        ["sessions", t.sessions, "text"],
        ["kwh", t.energy, "text"],
        ["priority", `${t.modes.priority} kWh`, "text"],
        ["normal", `${t.modes.normal} kWh`, "text"],
      ],
      pos(4, 38),
    ),
    scrollHint("chargermonthhint", "chargermonth", 2, t.scrollHint, pos(5, 38)),
    // --- data health
    comment(z, "zd2-c-data", "Data health: zev-aggregate (command health)", "", pos(0, 20)),
    inject(z, "zd2-tick-data", "every 10 s", { extra: { command: "health", target: "zev aggregate" } }, { repeat: 10, once: true, onceDelay: 2 }, pos(0, 21), [
      "zd2-call-data",
    ]),
    linkCall(z, "zd2-call-data", "zev aggregate", pos(1, 21), ["zd2-f-data"]),
    fn(z, "zd2-f-data", "meter rows", healthTableCode(t, o), 2, pos(2, 21), [[w("meters")], [w("datanote")]]),
    text("datanote", "meters", 2, 12, "", pos(3, 20)),
    table(
      "meters",
      "meters",
      1,
      [
        ["meter", t.meter, "text"],
        ["role", t.role, "text"],
        ["last", t.lastReading, "text"],
        ["age", t.age, "text"],
        ["today", t.today, "text"],
        ["interpolated", t.monthInterpolated, "text"],
        ["missing", t.monthMissing, "text"],
        ["rejected", t.rejected, "text"],
      ],
      pos(3, 21),
    ),
    scrollHint("metershint", "meters", 3, t.scrollHint, pos(4, 21)),
    // --- billing
    comment(z, "zd2-c-billing", "Billing: run a draft, review, issue; PDFs only through the authenticated route below", "", pos(0, 23)),
    dropdown("billperiod", "run", 1, 3, t.period, "period", periods, "previous-month", pos(0, 24), ["zd2-f-billcmd"]),
    button("rundraft", "run", 2, 3, t.runDraft, "draft", pos(0, 25), ["zd2-f-billcmd"], { icon: "mdi-file-document-edit-outline" }),
    // issuing gives numbers for good: another colour, an icon, and a confirmation with count and total
    button("issueall", "run", 3, 3, t.issueDrafts, "issueAll", pos(0, 26), ["zd2-f-billcmd"], {
      color: "#a8321e",
      text: "#ffffff",
      icon: "mdi-stamper",
      className: "zev-consequential",
    }),
    button("issueselected", "run", 4, 3, t.issueSelected, "issueSelected", pos(0, 27), ["zd2-f-billcmd"], {
      color: "#a8321e",
      text: "#ffffff",
      icon: "mdi-stamper",
      className: "zev-consequential",
    }),
    inject(z, "zd2-tick-bill", "every minute", { topic: "tick" }, { repeat: 60, once: true, onceDelay: 3 }, pos(0, 28), ["zd2-f-billcmd"]),
    fn(z, "zd2-f-billcmd", "billing commands", billingCommandCode(t, "d2"), 4, pos(1, 25), [
      ["zd2-call-bill"],
      [w("billstatus")],
      [w("billperiod")],
      [w("confirm")],
    ]),
    confirmDialog(pos(2, 27)),
    // a long run reports its progress meanwhile (the bar): its answer may take minutes
    { ...linkCall(z, "zd2-call-bill", "zev billing", pos(2, 25), ["zd2-f-billres", "zd2-f-progress"]), timeout: "900" },
    fn(z, "zd2-f-billres", "billing answers", billingResultCode(t, o), 4, pos(3, 25), [[w("invoices")], [w("billstatus")], ["zd2-call-bill"], [w("selected")]]),
    text("billstatus", "run", 5, 12, "", pos(4, 24)),
    table(
      "invoices",
      "invoices",
      1,
      [
        ["number", t.number, "text"],
        ["recipient", t.recipient, "text"],
        ["unit", t.unit, "text"],
        ["period", t.period, "text"],
        ["total", t.total, "text"],
        ["status", t.status, "text"],
        ["pdf", t.pdf, "html"],
      ],
      pos(4, 25),
      true,
    ),
    scrollHint("invoiceshint", "invoices", 3, t.scrollHint, pos(5, 26)),
    fn(z, "zd2-f-select", "selected invoice", invoiceSelectCode(t), 1, pos(5, 25), [[w("selected")]]),
    text("selected", "invoices", 2, 12, "", pos(6, 25)),
    // --- requests without an answer (no link-in of that name, or too slow): said where the answer would have gone
    catchNode(
      z,
      "zd2-catch-calls",
      "link calls without an answer",
      ["zd2-call-day", "zd2-call-units", "zd2-call-charger", "zd2-call-data", "zd2-call-bill"],
      pos(0, 40),
      ["zd2-f-nocall"],
    ),
    fn(z, "zd2-f-nocall", "to the page", linkFailedCode(), 5, pos(1, 40), [
      ["zd2-f-billres"],
      ["zd2-f-units"],
      ["zd2-f-day"],
      ["zd2-f-data"],
      ["zd2-f-charger"],
    ]),
    // --- PDF route
    comment(
      z,
      "zd2-c-pdf",
      `GET ${o.pdfPath}/<id>.pdf: the invoice PDF, behind Node-RED's httpNodeAuth`,
      "zev-billing refuses to hand documents to http requests unless Node-RED authenticates its HTTP routes (httpNodeAuth or httpNodeMiddleware).",
      pos(0, 30),
    ),
    httpIn(z, "zd2-http-pdf", "invoice PDF", `${o.pdfPath}/:id`, pos(0, 31), ["zd2-f-pdfreq"]),
    fn(z, "zd2-f-pdfreq", "which invoice", pdfRequestCode(), 2, pos(1, 31), [["zd2-call-pdf"], ["zd2-http-res"]]),
    linkCall(z, "zd2-call-pdf", "zev billing", pos(2, 31), ["zd2-f-pdfres"]),
    fn(z, "zd2-f-pdfres", "answer with the PDF", pdfResponseCode(t), 1, pos(3, 31), [["zd2-http-res"]]),
    httpResponse(z, "zd2-http-res", "", pos(4, 31)),
  ];
  nodes.push(...admin.nodes);
  // the invoice table's row clicks
  const inv = nodes.find((n) => n.id === w("invoices"))!;
  inv.wires = [["zd2-f-select"]];
  for (const n of nodes) if (n.type === "ui-text" && !n.wires) n.wires = [];
  return { nodes: [...nodes, ...cfg], inLive: D2.inLive, inIntervals: D2.inIntervals, inCharger: D2.inCharger, inProgress: D2.inProgress };
}

/**
 * The same tab for a Node-RED that already has a Dashboard 2.0: no ui-base of
 * its own (Dashboard 2 serves one base; a second one clashes with the user's).
 * The five pages and the styles template have an empty base ("ui": ""): pick
 * yours after the import, or replace "ui": "" by your base's id before it
 * (docs/dashboard.md, decision 0076).
 */
export function dashboard2Pages(o: DashboardOptions): FlowNode[] {
  return dashboard2(o)
    .nodes.filter((n) => n.type !== "ui-base")
    .map((n) => (n.ui === ui.base ? { ...n, ui: "" } : n));
}

/**
 * A question before a step that cannot be undone (assigning a payment,
 * reminders, revoking a link, correcting invoices): the same dialog as the
 * issue confirmation, with classes of its own (zev-ask) so that each page's
 * dialog is found apart from the billing one.
 */
const ASK_DIALOG = CONFIRM.replace(/zev-confirm/g, "zev-ask").replace('prepend-icon="mdi-stamper" ', "");

/** The new portal link, once, in the browser that asked (msg._client): never stored by the dashboard. */
const LINK_DIALOG = `<template>
  <v-dialog v-model="open" max-width="640">
    <v-card class="zev-link">
      <v-card-title style="white-space: normal">{{ shown.title }}</v-card-title>
      <v-card-text>
        <p class="zev-link-text">{{ shown.text }}</p>
        <v-text-field class="zev-link-value" :model-value="shown.link" readonly variant="outlined" density="compact" @focus="$event.target.select()"></v-text-field>
      </v-card-text>
      <v-card-actions style="justify-content: flex-end">
        <v-btn variant="flat" color="#2f7d4f" class="zev-link-close" @click="open = false">{{ shown.close }}</v-btn>
      </v-card-actions>
    </v-card>
  </v-dialog>
</template>
<script>
export default {
  data() {
    return { open: false, shown: {} };
  },
  watch: {
    msg: function (m) {
      const s = m && m.payload;
      if (s && s.show) {
        this.shown = s;
        this.open = true;
      }
    },
  },
};
</script>`;

function dialogTemplate(name: string, group: string, order: number, format: string, at: { x: number; y: number }, wires: string[]): FlowNode {
  return {
    ...widgetBase("ui-template", name, group, order, 0, 0, at),
    page: "",
    ui: "",
    head: "",
    format,
    storeOutMessages: false,
    passthru: false,
    resendOnRefresh: false,
    templateScope: "local",
    wires: [wires],
  };
}

/** The Payments and Portal pages and the Billing page's corrections and progress bar (issues 13-16). */
function adminPages2(o: DashboardOptions): { pages: [string, string, string, string][]; groups: [string, string, string][]; nodes: FlowNode[] } {
  const t = o.texts;
  const a = t.admin;
  const z = D2.tab;
  const w = D2.widget;
  const red = { color: "#a8321e", text: "#ffffff", className: "zev-consequential" };
  const days: [string, string][] = [30, 90, 365, 1095].map((d) => [String(d), a.portal.days.replace("__days__", String(d))]);
  const nodes: FlowNode[] = [
    // --- payments
    comment(z, "zd2-c-pay", "Payments: zev-billing (commands payments-list, payment-assign, reminders-run)", "", pos(7, 0)),
    inject(z, "zd2-tick-pay", "every 30 s", { topic: "tick" }, { repeat: 30, once: true, onceDelay: 3 }, pos(7, 1), ["zd2-f-paycmd"]),
    fn(z, "zd2-f-paycmd", "payments commands", paymentsCommandCode(t, "d2"), 5, pos(8, 2), [
      ["zd2-call-pay"],
      [w("payassignnote")],
      [w("payconfirm")],
      [w("payselected")],
      [w("remindersnote")],
    ]),
    { ...linkCall(z, "zd2-call-pay", "zev billing", pos(9, 2), ["zd2-f-payres"]), timeout: "120" },
    fn(z, "zd2-f-payres", "payments answers", paymentsResultCode(t, "d2"), 7, pos(10, 2), [
      [w("payments")],
      [w("payinvoices")],
      [w("paylistnote")],
      [w("payassignnote")],
      [w("remindersnote")],
      [w("payinvoice")],
      ["zd2-call-pay"],
    ]),
    catchNode(z, "zd2-catch-pay", "payments calls without an answer", ["zd2-call-pay"], pos(9, 3), ["zd2-f-payres"]),
    text("paylistnote", "payments", 1, 12, "", pos(11, 1)),
    {
      ...table(
        "payments",
        "payments",
        2,
        [
          ["pid", "#", "text"],
          ["date", a.pay.date, "text"],
          ["amount", a.pay.amount, "text"],
          ["reference", a.pay.reference, "text"],
          ["debtor", a.pay.debtor, "text"],
          ["invoice", a.pay.invoice, "text"],
          ["state", t.status, "text"],
        ],
        pos(11, 2),
        true,
      ),
      wires: [["zd2-f-paycmd"]],
    },
    scrollHint("paymentshint", "payments", 3, t.scrollHint, pos(12, 2)),
    text("payselected", "assign", 1, 12, "", pos(11, 3)),
    dropdown("payinvoice", "assign", 2, 6, a.pay.invoiceLabel, "invoice", [], "", pos(7, 4), ["zd2-f-paycmd"]),
    button("payassign", "assign", 3, 4, a.pay.assign, "assign", pos(7, 5), ["zd2-f-paycmd"], { ...red, icon: "mdi-link-variant" }),
    text("payassignnote", "assign", 4, 12, "", pos(11, 4)),
    dialogTemplate("payconfirm", "assign", 5, ASK_DIALOG, pos(11, 5), ["zd2-f-paycmd"]),
    table(
      "payinvoices",
      "payinvoices",
      1,
      [
        ["number", t.number, "text"],
        ["recipient", a.pay.recipient, "text"],
        ["period", t.period, "text"],
        ["total", a.pay.total, "text"],
        ["paid", a.pay.paid, "text"],
        ["open", a.pay.open, "text"],
        ["status", a.pay.paymentStatus, "text"],
      ],
      pos(11, 6),
    ),
    scrollHint("payinvoiceshint", "payinvoices", 2, t.scrollHint, pos(12, 6)),
    button("runreminders", "reminders", 1, 4, a.pay.runReminders, "reminders", pos(7, 6), ["zd2-f-paycmd"], { ...red, icon: "mdi-email-alert-outline" }),
    text("remindersnote", "reminders", 2, 12, "", pos(11, 7)),
    // --- portal links
    comment(
      z,
      "zd2-c-portal",
      "Portal links: zev-portal (commands portal-list, portal-tenancies, portal-link, portal-revoke) through a link-in named 'zev portal'",
      "",
      pos(7, 9),
    ),
    inject(z, "zd2-tick-portal", "every 30 s", { topic: "tick" }, { repeat: 30, once: true, onceDelay: 3 }, pos(7, 10), ["zd2-f-portalcmd"]),
    fn(z, "zd2-f-portalcmd", "portal commands", portalCommandCode(t, "d2"), 4, pos(8, 11), [
      ["zd2-call-portal"],
      [w("portalnote")],
      [w("portalconfirm")],
      [w("portalselected")],
    ]),
    linkCall(z, "zd2-call-portal", "zev portal", pos(9, 11), ["zd2-f-portalres"]),
    fn(z, "zd2-f-portalres", "portal answers", portalResultCode(t, o, "d2"), 6, pos(10, 11), [
      [w("portallinks")],
      [w("portalnote")],
      [w("portaltenancy")],
      [w("portalshow")],
      ["zd2-call-portal"],
      [w("portalselected")],
    ]),
    catchNode(z, "zd2-catch-portal", "portal calls without an answer", ["zd2-call-portal"], pos(9, 12), ["zd2-f-portalres"]),
    dropdown("portaltenancy", "links", 1, 5, a.portal.tenancy, "tenancy", [], "", pos(7, 11), ["zd2-f-portalcmd"]),
    dropdown("portaldays", "links", 2, 3, a.portal.validity, "days", days, "365", pos(7, 12), ["zd2-f-portalcmd"]),
    button("portalcreate", "links", 3, 4, a.portal.create, "create", pos(7, 13), ["zd2-f-portalcmd"], { icon: "mdi-link-plus" }),
    text("portalnote", "links", 4, 12, "", pos(11, 10)),
    {
      ...table(
        "portallinks",
        "links",
        5,
        [
          ["lid", a.portal.id, "text"],
          ["tenancy", a.portal.tenancy, "text"],
          ["state", a.portal.state, "text"],
          ["created", a.portal.createdAt, "text"],
          ["expires", a.portal.expires, "text"],
          ["used", a.portal.lastUsed, "text"],
        ],
        pos(11, 11),
        true,
      ),
      wires: [["zd2-f-portalcmd"]],
    },
    scrollHint("portallinkshint", "links", 6, t.scrollHint, pos(12, 11)),
    text("portalselected", "links", 7, 8, "", pos(11, 12)),
    button("portalrevoke", "links", 8, 4, a.portal.revoke, "revoke", pos(7, 14), ["zd2-f-portalcmd"], { ...red, icon: "mdi-link-off" }),
    dialogTemplate("portalconfirm", "links", 9, ASK_DIALOG, pos(11, 13), ["zd2-f-portalcmd"]),
    dialogTemplate("portalshow", "links", 10, LINK_DIALOG, pos(11, 14), []),
    // --- corrections (billing page)
    comment(z, "zd2-c-corr", "Corrections: zev-billing (command corrections; apply: credit note + new invoice)", "", pos(7, 16)),
    inject(z, "zd2-tick-corr", "once", { topic: "tick" }, { once: true, onceDelay: 6 }, pos(7, 17), ["zd2-f-corrcmd"]),
    button("corrcheck", "corrections", 1, 4, a.corrections.check, "check", pos(7, 18), ["zd2-f-corrcmd"], { icon: "mdi-magnify" }),
    button("corrapply", "corrections", 2, 4, a.corrections.correctAll, "correct", pos(7, 19), ["zd2-f-corrcmd"], { ...red, icon: "mdi-file-replace-outline" }),
    fn(z, "zd2-f-corrcmd", "corrections commands", correctionsCommandCode(t, "d2"), 3, pos(8, 18), [["zd2-call-corr"], [w("corrnote")], [w("corrconfirm")]]),
    { ...linkCall(z, "zd2-call-corr", "zev billing", pos(9, 18), ["zd2-f-corrres"]), timeout: "300" },
    fn(z, "zd2-f-corrres", "corrections answers", correctionsResultCode(t), 3, pos(10, 18), [[w("corrtable")], [w("corrnote")], ["zd2-call-corr"]]),
    catchNode(z, "zd2-catch-corr", "corrections calls without an answer", ["zd2-call-corr"], pos(9, 19), ["zd2-f-corrres"]),
    text("corrnote", "corrections", 3, 12, "", pos(11, 17)),
    table(
      "corrtable",
      "corrections",
      4,
      [
        ["number", t.number, "text"],
        ["recipient", t.recipient, "text"],
        ["period", t.period, "text"],
        ["issuedKWh", a.corrections.kWhIssued, "text"],
        ["nowKWh", a.corrections.kWhNow, "text"],
        ["kWh", a.corrections.kWhDiff, "text"],
        ["amount", a.corrections.amountDiff, "text"],
      ],
      pos(11, 18),
    ),
    scrollHint("corrtablehint", "corrections", 5, t.scrollHint, pos(12, 18)),
    dialogTemplate("corrconfirm", "corrections", 6, ASK_DIALOG, pos(11, 19), ["zd2-f-corrcmd"]),
    // --- the billing run's progress (zev-billing's billing/progress messages, through the link-in below)
    linkIn(z, D2.inProgress, "zev dashboard billing progress", pos(7, 21), ["zd2-f-progress"]),
    fn(z, "zd2-f-progress", "progress of the run", progressCode(t, "d2"), 2, pos(8, 21), [[w("progressbar")], [w("progresstext")]]),
    { ...widgetBase("ui-progress", "progressbar", "run", 7, 12, 1, pos(9, 21)), label: a.progress.label, color: "#2f7d4f", wires: [] },
    text("progresstext", "run", 8, 12, "", pos(9, 22)),
  ];
  return {
    pages: [
      ["payments", a.pages.payments, "/payments", "mdi-cash-check"],
      ["portal", a.pages.portal, "/portal", "mdi-account-key-outline"],
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
