/*
 * The community editor's dialog: builds the tabs and lists in the template of
 * zev-community.html, reads them back on save and sends the form to the live
 * check. The rules (what a row stores, how an import merges, where a problem
 * points) are in logic.ts; this file only moves values between them and the
 * DOM.
 */
import type { BuildingConfig, ChargingIdConfig, CommunityConfig, MeterConfig, TenancyConfig, UnitConfig } from "../config";
import { type EditorNode, type EditorRED, insertItemAt, type Tabs } from "./editor-api.js";
import {
  buildingChoices,
  buildingFromRow,
  CHARGE_RHYTHMS,
  CHARGE_SCOPES,
  chargeExtra,
  chargeFromRow,
  type ChargeRow,
  chargeVatChoice,
  checkView,
  chargingIdFromRow,
  type CheckIssue,
  type Choice,
  decimalText,
  defaultUnitBuilding,
  esc,
  ID_PATTERN,
  type ImportedBuilding,
  type ImportedTenancy,
  issueTarget,
  LANGUAGES,
  matchesFilter,
  meterFromRow,
  METHODS,
  type Plan,
  planChargingIdsImport,
  planExtra,
  planFromForm,
  planModes,
  planSummary,
  planTenanciesImport,
  planUnitsImport,
  renameShare,
  requestErrorText,
  ROLES,
  type Schedule,
  scheduleFromRows,
  sharesFromInputs,
  str,
  structuredCopy,
  tabOfPath,
  tenancyChoices,
  tenancyFromRow,
  type TimeWindow,
  type Translate,
  TYPICAL_HT,
  unitChoices,
  unitFromRow,
  validMinCoverage,
} from "./logic.js";

declare const RED: EditorRED;

/** A select's options, built once per choices array (large communities have hundreds of rows). */
interface ChoiceCache {
  html: string;
  known: Set<string>;
  text: Map<string, string>;
}
const choiceCaches = new WeakMap<readonly Choice[], ChoiceCache>();
function cacheOf(choices: readonly Choice[]): ChoiceCache {
  let c = choiceCaches.get(choices);
  if (!c) {
    c = {
      html: choices.map((ch) => `<option value="${esc(ch[0])}">${esc(ch[1])}</option>`).join(""),
      known: new Set(choices.map((ch) => ch[0])),
      text: new Map(choices.map((ch) => [ch[0], ch[1]])),
    };
    choiceCaches.set(choices, c);
  }
  return c;
}

const val = (el: JQuery): string => str(el.val());

/** The dialog's state while it is open (kept on the node as _zevUi between prepare and save). */
interface DialogState {
  loading: boolean;
  bulk: boolean;
  closed: boolean;
  shares: Record<string, string>;
  collect?: () => CollectedConfig;
  renderShares?: () => void;
  tabs?: Tabs;
  buildings?: JQuery;
  units?: JQuery;
  tenancies?: JQuery;
  meters?: JQuery;
  chargingIds?: JQuery;
  tariffs?: JQuery;
  charges?: JQuery;
}

/** The form as the check and the flow get it. */
export type CollectedConfig = Partial<CommunityConfig> & {
  buildings: BuildingConfig[];
  units: UnitConfig[];
  tenancies: TenancyConfig[];
  meters: MeterConfig[];
  chargingIds: ChargingIdConfig[];
  tariffs: Plan[];
  charges: ChargeRow[];
  customShares: Record<string, number | string>;
  minCoveragePercent: string;
};

interface ScheduleEditor {
  list: JQuery;
  ntDays: JQuery;
}
interface PlanRowState {
  extra: Plan;
  gridSched: ScheduleEditor;
  spSched: ScheduleEditor;
}

type ZevNode = EditorNode & { _zevUi?: DialogState };

/** The node definition's `defaults` (the properties the flow stores), with their validators. */
export function defaults(red: EditorRED): Record<string, { value: unknown; required?: boolean; validate?: (v: string) => boolean }> {
  return {
    name: { value: "" },
    communityId: { value: "", required: true, validate: red.validators.regex(ID_PATTERN) },
    communityName: { value: "", required: true },
    kind: { value: "ZEV" },
    currency: { value: "CHF" },
    timeZone: { value: "Europe/Zurich" },
    dbPath: { value: "" },

    creditorName: { value: "" },
    creditorStreet: { value: "" },
    creditorBuildingNumber: { value: "" },
    creditorPostalCode: { value: "" },
    creditorTown: { value: "" },
    creditorCountry: { value: "CH" },
    creditorIban: { value: "", required: true },
    creditorUid: { value: "" },
    creditorVatNumber: { value: "" },
    vatRegistered: { value: false },
    creditorEmail: { value: "" },
    creditorPhone: { value: "" },
    paymentTermDays: { value: 30, validate: red.validators.number(true) },

    ownerName: { value: "" },
    ownerStreet: { value: "" },
    ownerBuildingNumber: { value: "" },
    ownerPostalCode: { value: "" },
    ownerTown: { value: "" },
    ownerCountry: { value: "CH" },
    ownerEmail: { value: "" },
    ownerLanguage: { value: "de" },

    buildings: { value: [] },
    units: { value: [] },
    tenancies: { value: [] },
    meters: { value: [] },
    chargingIds: { value: [] },
    tariffs: { value: [] },
    charges: { value: [] },
    reminders: { value: [] },
    allocation: { value: "proportional" },
    commonAreaKey: { value: "floorArea" },
    customShares: { value: {} },
    minCoveragePercent: { value: "95", validate: validMinCoverage },
    unitsFile: { value: "" },
    tenanciesFile: { value: "" },
  };
}

export function label(this: EditorNode): string {
  return str(this.name) || str(this.communityName) || str(this.communityId) || "zev-community";
}

export function oneditprepare(this: ZevNode): void {
  const node = this;
  const t: Translate = (key, opts) => node._("zev-community." + key, opts);
  const ui: DialogState = { loading: false, bulk: false, closed: false, shares: {} };
  node._zevUi = ui;
  // set below, used by the list callbacks (which run as the lists fill)
  let scheduleCheck: (delay?: number) => void = () => {};

  // ---------- tabs ----------
  const tabs = RED.tabs.create({
    id: "zev-community-tabs",
    minimumActiveTabWidth: 120,
    onchange: (tab) => {
      $("#zev-community-tabs-content").children().hide();
      $("#" + tab.id).show();
      if (tab.id === "zev-community-tab-tariffs" && ui.renderShares) ui.renderShares();
      RED.tray.resize();
    },
  });
  tabs.addTab({ id: "zev-community-tab-community", label: t("tabs.community") });
  tabs.addTab({ id: "zev-community-tab-parties", label: t("tabs.parties") });
  tabs.addTab({ id: "zev-community-tab-units", label: t("tabs.units") });
  tabs.addTab({ id: "zev-community-tab-tenancies", label: t("tabs.tenancies") });
  tabs.addTab({ id: "zev-community-tab-meters", label: t("tabs.meters") });
  tabs.addTab({ id: "zev-community-tab-tariffs", label: t("tabs.tariffs") });
  tabs.addTab({ id: "zev-community-tab-files", label: t("tabs.files") });
  ui.tabs = tabs;

  // ---------- simple fields ----------
  const updateDbPlaceholder = (): void => {
    const id = val($("#node-config-input-communityId")) || "<communityId>";
    $("#node-config-input-dbPath").attr("placeholder", t("placeholder.dbPath", { id }));
  };
  $("#node-config-input-communityId").on("input change", updateDbPlaceholder);
  updateDbPlaceholder();
  // nodes imported from older or hand-written flows may lack these properties
  const fallbacks: [string, string][] = [
    ["timeZone", "Europe/Zurich"],
    ["kind", "ZEV"],
    ["currency", "CHF"],
    ["ownerLanguage", "de"],
    ["allocation", "proportional"],
    ["commonAreaKey", "floorArea"],
  ];
  for (const [id, value] of fallbacks) {
    const el = $("#node-config-input-" + id);
    if (!el.val()) el.val(value);
  }
  if (node.minCoveragePercent === undefined) $("#node-config-input-minCoveragePercent").val("95");

  const updateVatRow = (): void => void $("#zev-community-row-vatNumber").toggle($("#node-config-input-vatRegistered").prop("checked") as boolean);
  $("#node-config-input-vatRegistered").on("change", updateVatRow);
  updateVatRow();

  $("#zev-community-copy-creditor").on("click", (evt) => {
    evt.preventDefault();
    for (const f of ["Name", "Street", "BuildingNumber", "PostalCode", "Town", "Country", "Email"])
      $("#node-config-input-owner" + f).val(val($("#node-config-input-creditor" + f)));
    scheduleCheck();
  });

  // ---------- helpers for the lists ----------
  interface FieldOpts {
    type?: string;
    cls?: string;
    css?: Record<string, string>;
    value?: unknown;
    placeholder?: string;
    title?: string;
    maxlength?: number;
  }
  function field(parent: JQuery, opts: FieldOpts): JQuery {
    const el = $("<input/>", { type: opts.type || "text", class: opts.cls || "" })
      .css(opts.css || {})
      .val(str(opts.value))
      .appendTo(parent);
    if (opts.placeholder) el.attr("placeholder", opts.placeholder);
    if (opts.title || opts.placeholder) el.attr("title", opts.title || opts.placeholder || "");
    if (opts.maxlength) el.attr("maxlength", opts.maxlength);
    return el;
  }
  function select(parent: JQuery, css: Record<string, string>, title?: string): JQuery {
    const el = $("<select/>").css(css).appendTo(parent);
    if (title) el.attr("title", title);
    return el;
  }
  function languageSelect(parent: JQuery, value: unknown): JQuery {
    const el = select(parent, { flex: "0 0 95px" }, t("label.language"));
    for (const l of LANGUAGES)
      $("<option/>")
        .val(l)
        .text(t("language." + l))
        .appendTo(el);
    el.val((LANGUAGES as readonly unknown[]).includes(value) ? (value as string) : "de");
    return el;
  }
  // Fills a select with [value,text] pairs; keeps a value that is not (or no longer) in the list visible.
  function fillSelect(el: JQuery, choices: readonly Choice[], value: string | undefined, emptyText?: string): void {
    const cache = cacheOf(choices);
    let html = (emptyText !== undefined ? `<option value="">${esc(emptyText)}</option>` : "") + cache.html;
    if (value && !cache.known.has(value)) html += `<option value="${esc(value)}">${esc(t("label.unknownRef", { id: value }))}</option>`;
    el[0]!.innerHTML = html;
    el.val(value || "");
  }
  function rowAt(list: JQuery, i: number): JQuery {
    const items = list.editableList("items");
    return i >= 0 && i < items.length ? $(items[i]!) : $();
  }
  function listRows(list: JQuery): JQuery[] {
    const rows: JQuery[] = [];
    list.editableList("items").each(function () {
      rows.push($(this));
    });
    return rows;
  }

  // ---------- buildings ----------
  const buildingsList = $("#zev-community-buildings")
    .css({ "min-height": "60px", "min-width": "450px" })
    .editableList<Partial<BuildingConfig>>({
      sortable: true,
      removable: true,
      height: 130,
      addButton: t("button.addBuilding"),
      addItem: (row, _index, data) => {
        const line = $("<div/>", { class: "zev-line" }).appendTo(row);
        const id = field(line, { value: data.id, placeholder: t("placeholder.buildingId"), css: { flex: "0 0 140px" } });
        field(line, { value: data.name, placeholder: t("placeholder.buildingName"), css: { flex: "1 1 200px" } }).addClass("zev-b-name");
        id.addClass("zev-b-id");
        trackRename(id, "building");
        if (!ui.bulk) refreshBuildingSelects();
        scheduleCheck();
      },
      removeItem: () => {
        refreshBuildingSelects();
        scheduleCheck();
      },
    });
  ui.buildings = buildingsList;

  const readBuildings = (): BuildingConfig[] =>
    listRows(buildingsList).map((row) => buildingFromRow({ id: val(row.find(".zev-b-id")), name: val(row.find(".zev-b-name")) }));
  const currentBuildingChoices = (): Choice[] => buildingChoices(readBuildings());
  function refreshBuildingSelects(oldId?: string, newId?: string): void {
    if (ui.tariffs) refreshPlanBuildings(oldId, newId);
    if (!ui.units) return;
    const choices = currentBuildingChoices();
    $("#zev-community-units select.zev-u-building").each(function () {
      const el = $(this);
      fillSelect(el, choices, val(el), t("placeholder.selectBuilding"));
    });
  }

  // ---------- units ----------
  // Unit selects (one per tenancy and meter) hold only their current option until they are
  // opened: a community with hundreds of units and tenancies would otherwise need
  // units x rows option elements.
  let unitCache: Choice[] | null = null;
  const unitsList = $("#zev-community-units")
    .css({ "min-height": "100px", "min-width": "450px" })
    .editableList<Partial<UnitConfig>>({
      sortable: true,
      removable: true,
      addButton: t("button.addUnit"),
      addItem: (row, index, data) => {
        // a new row continues the building of the row above, else takes the only building
        const prev = !data.building && index > 0 ? rowAt(unitsList, index - 1) : $();
        data.building = defaultUnitBuilding(
          data.building,
          prev.length ? val(prev.find(".zev-u-building")) : undefined,
          data.building ? [] : currentBuildingChoices(),
        );
        const line = $("<div/>", { class: "zev-line" }).appendTo(row);
        const b = select(line, { flex: "0 0 150px" }, t("label.building")).addClass("zev-u-building");
        fillSelect(b, currentBuildingChoices(), str(data.building), t("placeholder.selectBuilding"));
        const id = field(line, { value: data.id, placeholder: t("placeholder.unitId"), css: { flex: "0 1 110px" } }).addClass("zev-u-id");
        field(line, { value: data.label, placeholder: t("placeholder.unitLabel"), css: { flex: "1 1 150px" } }).addClass("zev-u-label");
        field(line, { value: data.floorArea, placeholder: t("placeholder.floorArea"), css: { flex: "0 0 90px", "text-align": "right" } }).addClass(
          "zev-u-area",
        );
        trackRename(id, "unit");
        row.find(".zev-u-label").on("change", () => refreshUnitSelects());
        unitCache = null;
        if (!ui.bulk) refreshUnitSelects();
        scheduleCheck();
      },
      removeItem: () => {
        refreshUnitSelects();
        scheduleCheck();
      },
    });
  ui.units = unitsList;

  const readUnits = (): UnitConfig[] =>
    listRows(unitsList).map((row) =>
      unitFromRow({
        building: val(row.find(".zev-u-building")),
        id: val(row.find(".zev-u-id")),
        label: val(row.find(".zev-u-label")),
        floorArea: val(row.find(".zev-u-area")),
      }),
    );
  const currentUnitChoices = (): Choice[] => (unitCache ??= unitChoices(readUnits()));
  function setUnitSelect(el: JQuery, value: string, emptyText: string): void {
    const text = cacheOf(currentUnitChoices()).text;
    let html = `<option value="">${esc(emptyText)}</option>`;
    if (value) html += `<option value="${esc(value)}">${esc(text.has(value) ? text.get(value) : t("label.unknownRef", { id: value }))}</option>`;
    el[0]!.innerHTML = html;
    el.val(value || "");
    el.data("zev-empty", emptyText).data("zev-filled", false);
  }
  $("#zev-community-editor").on("mousedown focusin", "select.zev-t-unit, select.zev-m-unit, select.zev-c-unit", function () {
    const el = $(this);
    if (el.data("zev-filled")) return;
    fillSelect(el, currentUnitChoices(), val(el), el.data("zev-empty") as string);
    el.data("zev-filled", true);
  });
  // Rebuilds the unit selects after the units changed; a rename carries references from oldId to newId.
  function refreshUnitSelects(oldId?: string, newId?: string): void {
    unitCache = null;
    if (!ui.tenancies || !ui.meters || !ui.chargingIds) return;
    $("#zev-community-tenancies select.zev-t-unit, #zev-community-meters select.zev-m-unit, #zev-community-chargingIds select.zev-c-unit").each(function () {
      const el = $(this);
      const v = val(el);
      setUnitSelect(el, oldId && v === oldId ? str(newId) : v, el.data("zev-empty") as string);
    });
  }

  // Renaming a building or unit id carries the references along.
  function trackRename(input: JQuery, what: "building" | "unit"): void {
    input.on("focus", () => void input.data("zev-old", val(input).trim()));
    input.on("change", () => {
      const oldId = str(input.data("zev-old"));
      const newId = val(input).trim();
      input.data("zev-old", newId);
      const renamed = !!oldId && !!newId && oldId !== newId;
      if (what === "unit") {
        if (renamed) renameShare(ui.shares, oldId, newId);
        refreshUnitSelects(renamed ? oldId : undefined, newId);
        return;
      }
      const refs = renamed ? $("#zev-community-units select.zev-u-building").filter((_i, el) => val($(el)) === oldId) : $();
      refreshBuildingSelects(renamed ? oldId : undefined, newId);
      refs.each(function () {
        fillSelect($(this), currentBuildingChoices(), newId, t("placeholder.selectBuilding"));
      });
    });
  }

  // ---------- tenancies ----------
  type TenancyItem = Partial<TenancyConfig> & { __row?: JQuery };
  const tenanciesList = $("#zev-community-tenancies")
    .css({ "min-height": "150px", "min-width": "450px" })
    .editableList<TenancyItem>({
      sortable: true,
      removable: true,
      addButton: t("button.addTenancy"),
      addItem: (row, _index, data) => {
        row.data("zev-id", data.id || "");
        const l1 = $("<div/>", { class: "zev-line" }).appendTo(row);
        const unit = select(l1, { flex: "0 0 130px" }, t("label.unit")).addClass("zev-t-unit");
        setUnitSelect(unit, str(data.unit), t("placeholder.selectUnit"));
        field(l1, { value: data.name, placeholder: t("placeholder.tenantName"), css: { flex: "1 1 120px" } }).addClass("zev-t-name");
        $("<span/>", { class: "zev-small" }).text(t("label.from")).appendTo(l1);
        field(l1, { type: "date", value: data.from, title: t("label.fromTitle"), css: { flex: "0 0 135px" } }).addClass("zev-t-from");
        $("<span/>", { class: "zev-small" }).text(t("label.to")).appendTo(l1);
        field(l1, { type: "date", value: data.to, title: t("label.toTitle"), css: { flex: "0 0 135px" } }).addClass("zev-t-to");

        const l2 = $("<div/>", { class: "zev-line" }).appendTo(row);
        field(l2, { value: data.street, placeholder: t("placeholder.street"), css: { flex: "2 1 110px" } }).addClass("zev-t-street");
        field(l2, { value: data.buildingNumber, placeholder: t("placeholder.buildingNumber"), css: { flex: "0 0 50px" } }).addClass("zev-t-nr");
        field(l2, { value: data.postalCode, placeholder: t("placeholder.postalCode"), css: { flex: "0 0 60px" } }).addClass("zev-t-plz");
        field(l2, { value: data.town, placeholder: t("placeholder.town"), css: { flex: "1 1 90px" } }).addClass("zev-t-town");
        field(l2, {
          value: data.country || "CH",
          placeholder: t("placeholder.country"),
          title: t("label.country"),
          maxlength: 2,
          css: { flex: "0 0 42px" },
        }).addClass("zev-t-country");
        field(l2, { value: data.email, placeholder: t("placeholder.email"), css: { flex: "1 1 110px" } }).addClass("zev-t-email");
        languageSelect(l2, data.language).addClass("zev-t-language");
        scheduleCheck();
      },
      filter: (data) => {
        const q = val($("#zev-community-tenancies-filter"));
        const row = data && data.__row;
        const values = row
          ? row
              .find("input, select")
              .map((_i, el) => val($(el)))
              .get()
          : [JSON.stringify(data)];
        return matchesFilter(q, values);
      },
      removeItem: () => scheduleCheck(),
    });
  ui.tenancies = tenanciesList;
  $("#zev-community-tenancies-filter").on("input", () => {
    tenanciesList.editableList("items").each(function () {
      ($(this).data("data") as TenancyItem).__row = $(this);
    });
    tenanciesList.editableList("filter");
  });

  const readTenancies = (): TenancyConfig[] =>
    listRows(tenanciesList).map((row) =>
      tenancyFromRow(
        {
          unit: val(row.find(".zev-t-unit")),
          name: val(row.find(".zev-t-name")),
          street: val(row.find(".zev-t-street")),
          buildingNumber: val(row.find(".zev-t-nr")),
          postalCode: val(row.find(".zev-t-plz")),
          town: val(row.find(".zev-t-town")),
          country: val(row.find(".zev-t-country")),
          email: val(row.find(".zev-t-email")),
          language: val(row.find(".zev-t-language")),
          from: val(row.find(".zev-t-from")),
          to: val(row.find(".zev-t-to")),
        },
        str(row.data("zev-id")) || undefined,
      ),
    );

  // ---------- meters ----------
  const metersList = $("#zev-community-meters")
    .css({ "min-height": "150px", "min-width": "450px" })
    .editableList<Partial<MeterConfig>>({
      sortable: true,
      removable: true,
      addButton: t("button.addMeter"),
      addItem: (row, _index, data) => {
        const line = $("<div/>", { class: "zev-line" }).appendTo(row);
        field(line, { value: data.id, placeholder: t("placeholder.meterId"), css: { flex: "0 1 130px" } }).addClass("zev-m-id");
        const role = select(line, { flex: "0 0 160px" }, t("label.role")).addClass("zev-m-role");
        for (const r of ROLES)
          $("<option/>")
            .val(r)
            .text(t("role." + r))
            .appendTo(role);
        role.val((ROLES as readonly unknown[]).includes(data.role) ? str(data.role) : "unit");
        const unit = select(line, { flex: "0 0 140px" }, t("label.unit")).addClass("zev-m-unit");
        setUnitSelect(unit, str(data.unit), t("placeholder.noUnit"));
        field(line, { value: data.label, placeholder: t("placeholder.meterLabel"), css: { flex: "1 1 120px" } }).addClass("zev-m-label");
        field(line, { value: data.meteringPoint, placeholder: t("placeholder.meteringPoint"), css: { flex: "1 1 150px" } }).addClass("zev-m-point");
        scheduleCheck();
      },
      removeItem: () => scheduleCheck(),
    });
  ui.meters = metersList;

  const readMeters = (): MeterConfig[] =>
    listRows(metersList).map((row) =>
      meterFromRow({
        id: val(row.find(".zev-m-id")),
        role: val(row.find(".zev-m-role")),
        unit: val(row.find(".zev-m-unit")),
        label: val(row.find(".zev-m-label")),
        meteringPoint: val(row.find(".zev-m-point")),
      }),
    );

  // ---------- charging ids ----------
  const chargingIdsList = $("#zev-community-chargingIds")
    .css({ "min-height": "60px", "min-width": "450px" })
    .editableList<Partial<ChargingIdConfig>>({
      sortable: true,
      removable: true,
      height: 150,
      addButton: t("button.addChargingId"),
      addItem: (row, _index, data) => {
        const line = $("<div/>", { class: "zev-line" }).appendTo(row);
        field(line, { value: data.id, placeholder: t("placeholder.chargingId"), title: t("label.chargingIdTitle"), css: { flex: "0 1 170px" } }).addClass(
          "zev-c-id",
        );
        const unit = select(line, { flex: "0 0 150px" }, t("label.chargingUnit")).addClass("zev-c-unit");
        setUnitSelect(unit, str(data.unit), t("placeholder.selectUnit"));
        field(line, { value: data.label, placeholder: t("placeholder.chargingLabel"), css: { flex: "1 1 120px" } }).addClass("zev-c-label");
        scheduleCheck();
      },
      removeItem: () => scheduleCheck(),
    });
  ui.chargingIds = chargingIdsList;

  const readChargingIds = (): ChargingIdConfig[] =>
    listRows(chargingIdsList).map((row) =>
      chargingIdFromRow({ id: val(row.find(".zev-c-id")), unit: val(row.find(".zev-c-unit")), label: val(row.find(".zev-c-label")) }),
    );

  // ---------- tariffs: billing rules ----------
  // unit id -> typed share; the inputs write through, so the shares survive re-rendering and hidden tabs
  const stored = (node.customShares ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(stored)) ui.shares[k] = str(stored[k]);
  function renderShares(): void {
    const custom = val($("#node-config-input-commonAreaKey")) === "custom";
    $("#zev-community-row-shares").toggle(custom);
    if (!custom) return;
    const box = $("#zev-community-shares").empty();
    const choices = unitChoices(readUnits());
    const known = new Set(choices.map((c) => c[0]));
    const items = choices.map((c) => ({ id: c[0], text: c[1] }));
    for (const id of Object.keys(ui.shares)) if (!known.has(id) && str(ui.shares[id]).trim() !== "") items.push({ id, text: t("label.unknownRef", { id }) });
    if (!items.length) {
      $("<div/>", { class: "zev-hint" }).css("margin", "4px 0").text(t("hint.noUnits")).appendTo(box);
      return;
    }
    const grid = $("<div/>", { class: "zev-share-grid" }).appendTo(box);
    for (const it of items) {
      const cell = $("<div/>", { class: "zev-share" }).attr("data-unit", it.id).appendTo(grid);
      $("<span/>").text(it.text).attr("title", it.text).appendTo(cell);
      $("<input/>", { type: "text" })
        .val(str(ui.shares[it.id]))
        .attr("title", t("label.customShares") + ": " + it.id)
        .on("input change", function () {
          ui.shares[it.id] = val($(this));
        })
        .appendTo(cell);
    }
  }
  ui.renderShares = renderShares;
  $("#node-config-input-commonAreaKey").on("change", () => {
    renderShares();
    if ($("#zev-community-tab-tariffs").is(":visible")) RED.tray.resize();
  });

  // ---------- tariffs: price plans ----------
  const gridLabel = (grid: JQuery, key: string, cls?: string): JQuery =>
    $("<div/>", { class: "zev-l" + (cls ? " " + cls : "") })
      .text(key ? t(key) : "")
      .appendTo(grid);
  const gridValue = (grid: JQuery, wide?: boolean, cls?: string): JQuery =>
    $("<div/>", { class: "zev-v" + (wide ? " zev-wide" : "") + (cls ? " " + cls : "") }).appendTo(grid);
  function priceCell(
    grid: JQuery,
    labelKey: string,
    value: unknown,
    cls: string,
    unitKey: string,
    opts: { group?: string; wide?: boolean; placeholder?: string } = {},
  ): JQuery {
    gridLabel(grid, labelKey, opts.group);
    const v = gridValue(grid, opts.wide, opts.group);
    field(v, { value, cls: "zev-price " + cls, placeholder: opts.placeholder, title: t(labelKey) });
    $("<span/>", { class: "zev-unit" }).text(t(unitKey)).appendTo(v);
    return v;
  }
  function modeSelect(parent: JQuery, cls: string, value: string, title: string): JQuery {
    const el = select(parent, { flex: "0 1 180px", width: "auto" }, title).addClass(cls);
    $("<option/>").val("single").text(t("gridMode.single")).appendTo(el);
    $("<option/>").val("htnt").text(t("gridMode.htnt")).appendTo(el);
    el.val(value);
    return el;
  }
  function checkbox(parent: JQuery, cls: string, checked: boolean, labelText: string): JQuery {
    const lab = $("<label/>", { class: "zev-check" }).appendTo(parent);
    $("<input/>", { type: "checkbox", class: cls }).prop("checked", checked).appendTo(lab);
    $("<span/>").text(labelText).appendTo(lab);
    return lab;
  }
  const copyWindows = (schedule: Schedule | undefined): TimeWindow[] => (schedule?.ht ?? []).map((w) => structuredCopy(w));
  // HT windows and NT days of one schedule: two grid rows (label + wide cell).
  function scheduleEditor(grid: JQuery, schedule: Schedule | undefined, group: string): ScheduleEditor {
    // the windows take the full width: seven weekdays and two times per row
    gridLabel(grid, "label.htWindows", "zev-full " + group);
    const cell = $("<div/>", { class: "zev-full " + group }).appendTo(grid);
    const ol = $("<ol/>").appendTo(cell);
    const list = ol.editableList<Partial<TimeWindow>>({
      height: "auto",
      sortable: false,
      removable: true,
      addButton: t("button.addWindow"),
      addItem: (row, _index, w) => {
        const line = $("<div/>", { class: "zev-line" }).appendTo(row);
        const days = (w && w.days) || [];
        for (let d = 1; d <= 7; d++)
          checkbox(line, "zev-w-day", days.includes(d), t("weekday." + d))
            .find("input")
            .val(String(d));
        $("<span/>", { class: "zev-small" }).text(t("label.from")).appendTo(line);
        field(line, { value: w && w.from, cls: "zev-w-time zev-w-from", placeholder: "07:00", title: t("label.windowTitle") });
        $("<span/>", { class: "zev-small" }).text(t("label.to")).appendTo(line);
        field(line, { value: w && w.to, cls: "zev-w-time zev-w-to", placeholder: "20:00", title: t("label.windowTitle") });
        scheduleCheck();
      },
      removeItem: () => scheduleCheck(),
    });
    ol.closest(".red-ui-editableList").addClass("zev-windows-list");
    list.editableList("addItems", copyWindows(schedule));
    gridLabel(grid, "label.ntDays", group);
    const nv = gridValue(grid, true, group);
    const nt = field(nv, {
      value: (schedule?.ntDays ?? []).join(", "),
      cls: "zev-ntdays",
      placeholder: t("placeholder.ntDays"),
      title: t("label.ntDaysTitle"),
      css: { flex: "1 1 auto" },
    });
    return { list, ntDays: nt };
  }
  function readSchedule(ed: ScheduleEditor): Schedule | undefined {
    const rows = listRows(ed.list).map((row) => ({
      days: row
        .find(".zev-w-day:checked")
        .map((_i, el) => Number(val($(el))))
        .get(),
      from: val(row.find(".zev-w-from")),
      to: val(row.find(".zev-w-to")),
    }));
    return scheduleFromRows(rows, val(ed.ntDays));
  }
  function fillSchedule(ed: ScheduleEditor, schedule: Schedule): void {
    ed.list.editableList("empty");
    ed.list.editableList("addItems", copyWindows(schedule));
    if (schedule.ntDays && !val(ed.ntDays).trim()) ed.ntDays.val(schedule.ntDays.join(", "));
  }
  // Building checkboxes of a plan; none ticked = the whole community.
  function renderPlanBuildings(cell: JQuery, selected: string[]): void {
    cell.empty();
    const choices = currentBuildingChoices();
    const known = new Set(choices.map((c) => c[0]));
    const items = choices.map((c) => ({ id: c[0], text: c[0], title: c[1] }));
    for (const id of selected) if (!known.has(id)) items.push({ id, text: t("label.unknownRef", { id }), title: id });
    for (const it of items) checkbox(cell, "zev-p-b", selected.includes(it.id), it.text).attr("title", it.title).find("input").val(it.id);
    $("<span/>", { class: "zev-unit" }).text(t("label.wholeCommunity")).appendTo(cell);
  }
  const planBuildings = (cell: JQuery): string[] =>
    cell
      .find("input.zev-p-b:checked")
      .map((_i, el) => val($(el)))
      .get();
  function refreshPlanBuildings(oldId?: string, newId?: string): void {
    $("#zev-community-tariffs .zev-p-buildings").each(function () {
      const cell = $(this);
      renderPlanBuildings(
        cell,
        planBuildings(cell).map((id) => (oldId && id === oldId ? str(newId) : id)),
      );
    });
  }

  const tariffsList = $("#zev-community-tariffs")
    .css({ "min-height": "40px", "min-width": "450px" })
    .editableList<Plan>({
      height: "auto",
      sortable: true,
      removable: true,
      addButton: t("button.addPlan"),
      addItem: (row, index, given) => {
        let data = given;
        const added = !ui.loading && Object.keys(data).length === 0;
        if (added && index > 0) {
          // a new plan starts from the prices of the plan above: usually only some of them change
          const prev = rowAt(tariffsList, index - 1);
          if (prev.length && prev.data("zev-plan")) {
            data = readPlan(prev);
            delete data.id;
            delete data.validFrom;
          }
        }
        const extra = planExtra(data);
        const sp = (data.standardProduct ?? {}) as Plan;
        const modes = planModes(data);

        const head = $("<div/>", { class: "zev-line" }).appendTo(row);
        const toggle = $("<a/>", { href: "#", class: "zev-p-toggle" })
          .attr("title", t("label.details"))
          .append($("<i/>", { class: "fa fa-caret-right" }))
          .appendTo(head);
        field(head, { value: data.id, cls: "zev-p-id", placeholder: t("placeholder.planId"), css: { flex: "0 1 110px" } });
        $("<span/>", { class: "zev-small" }).text(t("label.validFrom")).appendTo(head);
        field(head, { type: "date", value: data.validFrom, cls: "zev-p-from", title: t("label.validFromTitle"), css: { flex: "0 0 135px" } });
        const summary = $("<span/>", { class: "zev-p-summary" }).appendTo(head);

        const details = $("<div/>", { class: "zev-p-details" }).appendTo(row);
        const grid = $("<div/>", { class: "zev-grid" }).appendTo(details);

        gridLabel(grid, "label.buildings");
        renderPlanBuildings(gridValue(grid, true).addClass("zev-p-buildings"), ((data.buildings as unknown[] | undefined) ?? []).map(String));

        gridLabel(grid, "label.method");
        const method = select(gridValue(grid, true), { flex: "1 1 auto", width: "auto" }, t("label.method")).addClass("zev-p-method");
        for (const m of METHODS)
          $("<option/>")
            .val(m)
            .text(t("method." + m))
            .appendTo(method);
        method.val((METHODS as readonly unknown[]).includes(data.method) ? str(data.method) : "flat-rate");

        gridLabel(grid, "label.vat");
        checkbox(gridValue(grid, true), "zev-p-vat", data.pricesIncludeVat === true || data.pricesIncludeVat === "true", t("label.pricesIncludeVat"));

        priceCell(grid, "label.solar", data.solarPerKWh, "zev-p-solar", "unit.perKWh");
        priceCell(grid, "label.battery", data.batteryPerKWh, "zev-p-battery", "unit.perKWh", { placeholder: t("placeholder.sameAsSolar") });

        gridLabel(grid, "label.grid");
        const gridMode = modeSelect(gridValue(grid, true), "zev-p-gridmode", modes.grid, t("label.grid"));
        priceCell(grid, "label.gridPrice", data.gridPerKWh, "zev-p-grid", "unit.perKWh", { group: "zev-g-single", wide: true });
        priceCell(grid, "label.gridHt", data.gridHtPerKWh, "zev-p-ght", "unit.perKWh", { group: "zev-g-htnt" });
        priceCell(grid, "label.gridNt", data.gridNtPerKWh, "zev-p-gnt", "unit.perKWh", { group: "zev-g-htnt" });
        const gridSched = scheduleEditor(grid, data.gridSchedule as Schedule | undefined, "zev-g-htnt");
        $("<div/>", { class: "zev-hint zev-wide zev-g-htnt" }).text(t("hint.windows")).appendTo(grid);

        priceCell(grid, "label.evNormal", data.evNormalPerKWh, "zev-p-evn", "unit.perKWh");
        priceCell(grid, "label.evPriority", data.evPriorityPerKWh, "zev-p-evp", "unit.perKWh");
        priceCell(grid, "label.baseFee", data.baseFeePerMonth, "zev-p-base", "unit.perMonth");
        priceCell(grid, "label.meteringFee", data.meteringFeePerMonth, "zev-p-meter", "unit.perMonth");

        $("<div/>", { class: "zev-sub zev-full" }).text(t("section.standardProduct")).appendTo(grid);
        gridLabel(grid, "label.productName");
        field(gridValue(grid, true), { value: sp.name, cls: "zev-s-name", placeholder: t("placeholder.productName"), css: { flex: "1 1 auto" } });
        gridLabel(grid, "label.productPrices");
        const spMode = modeSelect(gridValue(grid, true), "zev-s-mode", modes.product, t("label.productPrices"));
        priceCell(grid, "label.productPrice", sp.perKWh, "zev-s-price", "unit.perKWh", { group: "zev-s-single", wide: true });
        priceCell(grid, "label.productHt", sp.htPerKWh, "zev-s-ht", "unit.perKWh", { group: "zev-s-htnt" });
        priceCell(grid, "label.productNt", sp.ntPerKWh, "zev-s-nt", "unit.perKWh", { group: "zev-s-htnt" });
        gridLabel(grid, "", "zev-s-htnt");
        const own = checkbox(gridValue(grid, true, "zev-s-htnt"), "zev-s-own", !!sp.schedule, t("label.ownSchedule")).find("input");
        const spSched = scheduleEditor(grid, sp.schedule as Schedule | undefined, "zev-s-htnt zev-s-sched");
        priceCell(grid, "label.productBaseFee", sp.baseFeePerMonth, "zev-s-base", "unit.perMonth", { wide: true });
        $("<div/>", { class: "zev-hint zev-full" }).text(t("hint.art16")).appendTo(grid);

        const state: PlanRowState = { extra, gridSched, spSched };
        row.data("zev-plan", state);

        function updateModes(): void {
          const g = val(gridMode) === "htnt";
          grid.children(".zev-g-single").toggle(!g);
          grid.children(".zev-g-htnt").toggle(g);
          const s = val(spMode) === "htnt";
          grid.children(".zev-s-single").toggle(!s);
          grid.children(".zev-s-htnt").toggle(s);
          grid.children(".zev-s-sched").toggle(s && (own.prop("checked") as boolean));
        }
        gridMode.on("change", () => {
          // switching to HT/NT offers a common Swiss schedule to adapt
          if (val(gridMode) === "htnt" && !gridSched.list.editableList("length")) fillSchedule(gridSched, { ht: [...TYPICAL_HT] });
          updateModes();
        });
        spMode.on("change", updateModes);
        own.on("change", () => {
          if ((own.prop("checked") as boolean) && !spSched.list.editableList("length"))
            fillSchedule(spSched, readSchedule(gridSched) ?? { ht: [...TYPICAL_HT] });
          updateModes();
        });
        updateModes();

        function updateSummary(): void {
          summary.text(
            planSummary(t, {
              buildings: planBuildings(row.find(".zev-p-buildings")),
              solar: val(row.find(".zev-p-solar")),
              gridMode: val(gridMode),
              grid: val(row.find(".zev-p-grid")),
              gridHt: val(row.find(".zev-p-ght")),
              gridNt: val(row.find(".zev-p-gnt")),
            }),
          );
          summary.attr("title", summary.text());
        }
        row.on("input change", updateSummary);
        updateSummary();

        let open = false;
        function setOpen(v: boolean): void {
          open = !!v;
          details.toggle(open);
          toggle.find("i").toggleClass("fa-caret-right", !open).toggleClass("fa-caret-down", open);
        }
        toggle.on("click", (evt) => {
          evt.preventDefault();
          setOpen(!open);
          RED.tray.resize();
        });
        row.data("zev-open", setOpen);
        // loaded plans start folded when there are several; a new plan starts open
        setOpen(!ui.loading || ((node.tariffs as unknown[] | undefined) ?? []).length <= 1);
        scheduleCheck();
      },
      removeItem: () => scheduleCheck(),
    });
  ui.tariffs = tariffsList;

  function readPlan(row: JQuery): Plan {
    const ed = row.data("zev-plan") as PlanRowState;
    const checked = (cls: string): boolean => row.find(cls).prop("checked") as boolean;
    const text = (cls: string): string => val(row.find(cls));
    const gridHtnt = text(".zev-p-gridmode") === "htnt";
    const productHtnt = text(".zev-s-mode") === "htnt";
    return planFromForm(
      {
        id: text(".zev-p-id"),
        validFrom: text(".zev-p-from"),
        buildings: planBuildings(row.find(".zev-p-buildings")),
        pricesIncludeVat: checked(".zev-p-vat"),
        method: text(".zev-p-method"),
        solar: text(".zev-p-solar"),
        battery: text(".zev-p-battery"),
        gridMode: text(".zev-p-gridmode"),
        grid: text(".zev-p-grid"),
        gridHt: text(".zev-p-ght"),
        gridNt: text(".zev-p-gnt"),
        gridSchedule: gridHtnt ? readSchedule(ed.gridSched) : undefined,
        evNormal: text(".zev-p-evn"),
        evPriority: text(".zev-p-evp"),
        baseFee: text(".zev-p-base"),
        meteringFee: text(".zev-p-meter"),
        productName: text(".zev-s-name"),
        productMode: text(".zev-s-mode"),
        productPrice: text(".zev-s-price"),
        productHt: text(".zev-s-ht"),
        productNt: text(".zev-s-nt"),
        productOwnSchedule: checked(".zev-s-own"),
        productSchedule: productHtnt && checked(".zev-s-own") ? readSchedule(ed.spSched) : undefined,
        productBaseFee: text(".zev-s-base"),
      },
      ed.extra,
    );
  }
  const readTariffs = (): Plan[] => listRows(tariffsList).map(readPlan);

  // ---------- charges ----------
  // Building and tenancy selects are filled when opened, from the lists as they are then.
  const currentTenancyChoices = (): Choice[] =>
    tenancyChoices(
      listRows(tenanciesList).map((row) => ({
        id: str(row.data("zev-id")) || undefined,
        unit: val(row.find(".zev-t-unit")),
        from: val(row.find(".zev-t-from")),
        name: val(row.find(".zev-t-name")),
      })),
    );
  const chargesList = $("#zev-community-charges")
    .css({ "min-height": "40px", "min-width": "450px" })
    .editableList<ChargeRow>({
      height: "auto",
      sortable: true,
      removable: true,
      addButton: t("button.addCharge"),
      addItem: (row, _index, data) => {
        row.data("zev-charge-extra", chargeExtra(data));
        const l1 = $("<div/>", { class: "zev-line" }).appendTo(row);
        field(l1, { value: data.id, placeholder: t("placeholder.chargeId"), css: { flex: "0 1 120px" } }).addClass("zev-ch-id");
        field(l1, { value: data.label, placeholder: t("placeholder.chargeLabel"), css: { flex: "1 1 160px" } }).addClass("zev-ch-label");
        field(l1, { value: data.amount, placeholder: "0.00", title: t("label.chargeAmount"), css: { flex: "0 0 80px", "text-align": "right" } }).addClass(
          "zev-ch-amount",
        );
        const vat = select(l1, { flex: "0 0 150px" }, t("label.chargeVat")).addClass("zev-ch-vat");
        for (const v of ["", "incl", "excl"])
          $("<option/>")
            .val(v)
            .text(t("chargeVat." + (v || "plan")))
            .appendTo(vat);
        vat.val(chargeVatChoice(data));

        const l2 = $("<div/>", { class: "zev-line" }).appendTo(row);
        const rhythm = select(l2, { flex: "0 0 130px" }, t("label.chargeRhythm")).addClass("zev-ch-rhythm");
        for (const r of CHARGE_RHYTHMS)
          $("<option/>")
            .val(r)
            .text(t("chargeRhythm." + r))
            .appendTo(rhythm);
        rhythm.val((CHARGE_RHYTHMS as readonly unknown[]).includes(data.rhythm) ? str(data.rhythm) : "monthly");
        $("<span/>", { class: "zev-small" }).text(t("label.from")).appendTo(l2);
        field(l2, { type: "date", value: data.from, title: t("label.chargeFromTitle"), css: { flex: "0 0 135px" } }).addClass("zev-ch-from");
        const toLabel = $("<span/>", { class: "zev-small" }).text(t("label.to")).appendTo(l2);
        const to = field(l2, { type: "date", value: data.to, title: t("label.chargeToTitle"), css: { flex: "0 0 135px" } }).addClass("zev-ch-to");
        const scope = select(l2, { flex: "0 0 130px" }, t("label.chargeScope")).addClass("zev-ch-scope");
        for (const sc of CHARGE_SCOPES)
          $("<option/>")
            .val(sc)
            .text(t("chargeScope." + sc))
            .appendTo(scope);
        scope.val((CHARGE_SCOPES as readonly unknown[]).includes(data.scope) ? str(data.scope) : "community");
        const building = select(l2, { flex: "1 1 120px" }, t("label.building")).addClass("zev-ch-building");
        fillSelect(building, currentBuildingChoices(), str(data.building), t("placeholder.selectBuilding"));
        const tenancy = select(l2, { flex: "1 1 160px" }, t("label.chargeTenancy")).addClass("zev-ch-tenancy");
        fillSelect(tenancy, currentTenancyChoices(), str(data.tenancy), t("placeholder.selectTenancy"));
        building.on("mousedown focusin", () => fillSelect(building, currentBuildingChoices(), val(building), t("placeholder.selectBuilding")));
        tenancy.on("mousedown focusin", () => fillSelect(tenancy, currentTenancyChoices(), val(tenancy), t("placeholder.selectTenancy")));
        const showFields = (): void => {
          const once = val(rhythm) === "once";
          toLabel.toggle(!once);
          to.toggle(!once);
          building.toggle(val(scope) === "building");
          tenancy.toggle(val(scope) === "tenancy");
        };
        rhythm.on("change", showFields);
        scope.on("change", showFields);
        showFields();
        scheduleCheck();
      },
      removeItem: () => scheduleCheck(),
    });
  ui.charges = chargesList;
  const readCharges = (): ChargeRow[] =>
    listRows(chargesList).map((row) =>
      chargeFromRow(
        {
          id: val(row.find(".zev-ch-id")),
          label: val(row.find(".zev-ch-label")),
          amount: val(row.find(".zev-ch-amount")),
          vat: val(row.find(".zev-ch-vat")),
          rhythm: val(row.find(".zev-ch-rhythm")),
          from: val(row.find(".zev-ch-from")),
          to: val(row.find(".zev-ch-to")),
          scope: val(row.find(".zev-ch-scope")),
          building: val(row.find(".zev-ch-building")),
          tenancy: val(row.find(".zev-ch-tenancy")),
        },
        (row.data("zev-charge-extra") as ChargeRow | undefined) ?? {},
      ),
    );

  // ---------- fill the lists ----------
  const stored2 = <T>(key: string): T[] => ((node[key] as T[] | undefined) ?? []).map((x) => ({ ...x }));
  ui.loading = true;
  buildingsList.editableList("addItems", stored2<BuildingConfig>("buildings"));
  unitsList.editableList("addItems", stored2<UnitConfig>("units"));
  tenanciesList.editableList("addItems", stored2<TenancyConfig>("tenancies"));
  metersList.editableList("addItems", stored2<MeterConfig>("meters"));
  chargingIdsList.editableList("addItems", stored2<ChargingIdConfig>("chargingIds"));
  tariffsList.editableList(
    "addItems",
    ((node.tariffs as Plan[] | undefined) ?? []).map((p) => structuredCopy(p)),
  );
  chargesList.editableList(
    "addItems",
    ((node.charges as ChargeRow[] | undefined) ?? []).map((c) => structuredCopy(c)),
  );
  ui.loading = false;
  renderShares();

  // ---------- CSV import ----------
  type ImportKind = "units" | "tenancies" | "chargingIds";
  function importCsv(kind: ImportKind, fileInput: JQuery<HTMLInputElement>): void {
    const file = fileInput[0]?.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      $.ajax({
        url: "zev-community/parse-csv",
        type: "POST",
        contentType: "application/json",
        dataType: "json",
        data: JSON.stringify({ kind, text: String(reader.result) }),
        success: (res: { buildings?: ImportedBuilding[]; tenancies?: ImportedTenancy[]; chargingIds?: Partial<ChargingIdConfig>[] }) => {
          const n =
            kind === "units"
              ? addImportedUnits(res.buildings || [])
              : kind === "chargingIds"
                ? addImportedChargingIds(res.chargingIds || [])
                : addImportedTenancies(res.tenancies || []);
          RED.notify(t("import." + kind + "Done", { count: n, file: file.name }), "success");
          scheduleCheck(0);
        },
        error: (xhr) => RED.notify(t("import.failed", { file: file.name, error: requestErrorText(xhr, t) }), "error"),
      });
    };
    reader.onerror = () => RED.notify(t("import.failed", { file: file.name, error: String(reader.error) }), "error");
    reader.readAsText(file, "UTF-8");
    fileInput.val("");
  }
  function addImportedUnits(buildings: ImportedBuilding[]): number {
    const plan = planUnitsImport(readBuildings(), readUnits(), buildings);
    ui.bulk = true; // refresh the selects once at the end, not per row
    try {
      for (const e of plan.buildings) {
        if (e.kind === "add") buildingsList.editableList("addItem", e.data);
        else rowAt(buildingsList, e.index).find(".zev-b-name").val(e.data.name);
      }
      const bchoices = currentBuildingChoices();
      const rows = listRows(unitsList);
      for (const e of plan.units) {
        if (e.kind === "add") {
          unitsList.editableList("addItem", e.data);
          continue;
        }
        const urow = rows[e.index]!;
        fillSelect(urow.find(".zev-u-building"), bchoices, e.data.building, t("placeholder.selectBuilding"));
        urow.find(".zev-u-label").val(e.data.label);
        urow.find(".zev-u-area").val(str(e.data.floorArea));
      }
    } finally {
      ui.bulk = false;
    }
    refreshBuildingSelects();
    refreshUnitSelects();
    return plan.count;
  }
  function addImportedTenancies(list: ImportedTenancy[]): number {
    const rows = listRows(tenanciesList);
    for (const e of planTenanciesImport(
      rows.map((r) => str(r.data("zev-id")) || undefined),
      list,
    )) {
      if (e.kind === "add") {
        tenanciesList.editableList("addItem", e.data);
        continue;
      }
      const existing = listRows(tenanciesList)[e.index]!;
      tenanciesList.editableList("removeItem", existing.data("data") as object);
      insertItemAt(tenanciesList, e.data, e.index);
    }
    return list.length;
  }
  function addImportedChargingIds(list: Partial<ChargingIdConfig>[]): number {
    const rows = listRows(chargingIdsList);
    for (const e of planChargingIdsImport(
      rows.map((r) => val(r.find(".zev-c-id"))),
      list,
    )) {
      if (e.kind === "add") {
        chargingIdsList.editableList("addItem", e.data);
        continue;
      }
      const row = rows[e.index]!;
      setUnitSelect(row.find(".zev-c-unit"), e.data.unit, t("placeholder.selectUnit"));
      row.find(".zev-c-label").val(str(e.data.label));
    }
    return list.length;
  }
  $("#zev-community-units-import").on("click", (evt) => {
    evt.preventDefault();
    $("#zev-community-units-file").trigger("click");
  });
  $("#zev-community-tenancies-import").on("click", (evt) => {
    evt.preventDefault();
    $("#zev-community-tenancies-file").trigger("click");
  });
  $("#zev-community-chargingIds-import").on("click", (evt) => {
    evt.preventDefault();
    $("#zev-community-chargingIds-file").trigger("click");
  });
  $<HTMLInputElement>("#zev-community-units-file").on("change", function () {
    importCsv("units", $(this));
  });
  $<HTMLInputElement>("#zev-community-tenancies-file").on("change", function () {
    importCsv("tenancies", $(this));
  });
  $<HTMLInputElement>("#zev-community-chargingIds-file").on("change", function () {
    importCsv("chargingIds", $(this));
  });

  // ---------- check ----------
  function collect(): CollectedConfig {
    const c: Record<string, unknown> = {};
    for (const d of Object.keys(node._def.defaults)) {
      const input = $("#node-config-input-" + d);
      if (input.length) c[d] = input.attr("type") === "checkbox" ? input.prop("checked") : input.val();
    }
    return {
      ...(c as Partial<CommunityConfig>),
      buildings: readBuildings(),
      units: readUnits(),
      tenancies: readTenancies(),
      meters: readMeters(),
      chargingIds: readChargingIds(),
      tariffs: readTariffs(),
      charges: readCharges(),
      reminders: (node.reminders as unknown[] | undefined) ?? [],
      customShares: sharesFromInputs(ui.shares),
      minCoveragePercent: decimalText(c.minCoveragePercent),
    };
  }
  ui.collect = collect;

  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const box = $("#zev-community-check-result");
  scheduleCheck = (delay) => {
    if (ui.loading || ui.closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(runCheck, delay === undefined ? 900 : delay);
  };

  function rowOfIssue(path: string, cfg: CollectedConfig): JQuery | null {
    const target = issueTarget(path, cfg);
    if (!target) return null;
    if ("share" in target) return $("#zev-community-shares .zev-share").filter((_i, el) => $(el).attr("data-unit") === target.share);
    const lists = {
      tenancies: tenanciesList,
      meters: metersList,
      chargingIds: chargingIdsList,
      tariffs: tariffsList,
      charges: chargesList,
      buildings: buildingsList,
      units: unitsList,
    };
    return rowAt(lists[target.list], target.index);
  }
  function showIssue(issue: CheckIssue, cfg: CollectedConfig): void {
    tabs.activateTab(tabOfPath(issue.path));
    const row = rowOfIssue(str(issue.path), cfg);
    if (!row || !row.length) return;
    const open = row.data("zev-open") as ((v: boolean) => void) | undefined;
    if (open) open(true);
    const li = row.parent();
    if (li.is(":hidden")) {
      $("#zev-community-tenancies-filter").val("");
      tenanciesList.editableList("filter");
    }
    const container = li.closest(".red-ui-editableList-container");
    container.scrollTop((container.scrollTop() ?? 0) + (li.position()?.top ?? 0) - 20);
    // lists that grow with their rows (price plans) scroll with the tray
    li[0]?.scrollIntoView?.({ block: "nearest" });
    row.addClass("zev-flash");
    setTimeout(() => row.removeClass("zev-flash"), 2500);
  }

  function runCheck(): void {
    timer = null;
    if (ui.closed) return;
    const mySeq = ++seq;
    const cfg = collect();
    box.removeClass("zev-ok zev-bad").text(t("check.running"));
    $.ajax({
      url: "zev-community/check",
      type: "POST",
      contentType: "application/json",
      dataType: "json",
      data: JSON.stringify({ config: cfg }),
      success: (res: { issues?: CheckIssue[] } | undefined) => {
        if (mySeq !== seq || ui.closed) return;
        const view = checkView((res && res.issues) || [], cfg, t);
        box.empty();
        if (view.ok) {
          box.addClass("zev-ok").text(view.text);
          return;
        }
        box.addClass("zev-bad");
        $("<div/>").text(view.heading).appendTo(box);
        const ul = $("<ul/>").appendTo(box);
        for (const item of view.items) {
          const li = $("<li/>").appendTo(ul);
          const a = $("<a/>").attr("title", t("check.goTo")).appendTo(li);
          $("<span/>")
            .text(item.tab + " · ")
            .appendTo(a);
          $("<span/>", { class: "zev-path" }).text(item.path).appendTo(a);
          $("<span/>")
            .text(": " + item.text)
            .appendTo(li);
          a.on("click", (evt) => {
            evt.preventDefault();
            showIssue(item.issue, cfg);
          });
        }
      },
      error: (xhr) => {
        if (mySeq !== seq || ui.closed) return;
        box
          .removeClass("zev-ok")
          .addClass("zev-bad")
          .text(t("check.failed", { error: requestErrorText(xhr, t) }));
      },
    });
  }

  $("#zev-community-check-button").on("click", (evt) => {
    evt.preventDefault();
    scheduleCheck(0);
  });
  $("#zev-community-editor").on("input change", "input:not([type=file]), select", (evt) => {
    if ((evt.target as HTMLElement).id === "zev-community-tenancies-filter") return;
    scheduleCheck();
  });

  tabs.activateTab("zev-community-tab-community");
  scheduleCheck(300);
}

export function oneditsave(this: ZevNode): void {
  const ui = this._zevUi;
  if (!ui || !ui.collect) return;
  ui.closed = true;
  const c = ui.collect();
  this.buildings = c.buildings;
  this.units = c.units;
  this.tenancies = c.tenancies;
  this.meters = c.meters;
  this.chargingIds = c.chargingIds;
  this.tariffs = c.tariffs;
  this.charges = c.charges;
  this.customShares = c.customShares;
  this.allocation = c.allocation;
  this.commonAreaKey = c.commonAreaKey;
  this.minCoveragePercent = c.minCoveragePercent;
  // the properties pane reads the inputs after oneditsave: give it the normalized value
  $("#node-config-input-minCoveragePercent").val(c.minCoveragePercent);
  delete this._zevUi;
}

export function oneditcancel(this: ZevNode): void {
  if (this._zevUi) this._zevUi.closed = true;
  delete this._zevUi;
}

export function oneditresize(size: { height: number }): void {
  // The main list of the visible tab fills the height left over by the
  // name row, the tab bar, the check box and the other rows of that tab.
  let fixed = 0;
  $("#zev-community-editor")
    .children(":not(#zev-community-tabs-content)")
    .each(function () {
      fixed += $(this).outerHeight(true) ?? 0;
    });
  // reserve the full height of the check box (it grows up to its max-height)
  fixed += Math.max(0, 140 - ($("#zev-community-check-result").outerHeight(true) ?? 0));
  const tab = $("#zev-community-tabs-content").children(":visible");
  // (the price plans are long forms: their list grows with its rows and the tray scrolls)
  const list = tab.find("#zev-community-units, #zev-community-tenancies, #zev-community-meters");
  if (!list.length) return;
  const top = list.closest(".red-ui-editableList");
  let others = 0;
  tab.children().each(function () {
    if (this !== top[0]) others += $(this).outerHeight(true) ?? 0;
  });
  list.editableList("height", Math.max(160, size.height - fixed - others - 12));
}
