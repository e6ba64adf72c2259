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

export function dashboard2(o: DashboardOptions): { nodes: FlowNode[]; inLive: string; inIntervals: string; inCharger: string } {
  const t = o.texts;
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
    linkCall(z, "zd2-call-bill", "zev billing", pos(2, 25), ["zd2-f-billres"]),
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
  // the invoice table's row clicks
  const inv = nodes.find((n) => n.id === w("invoices"))!;
  inv.wires = [["zd2-f-select"]];
  for (const n of nodes) if (n.type === "ui-text" && !n.wires) n.wires = [];
  return { nodes: [...nodes, ...cfg], inLive: D2.inLive, inIntervals: D2.inIntervals, inCharger: D2.inCharger };
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
