/*
 * The community editor's rules without a browser: what a row of each list
 * stores, how imported CSV rows merge into the lists, where a problem of the
 * live check points. dialog.ts reads the inputs, calls these and writes the
 * result back; the unit tests call them directly
 * (test/unit/nodes/zev-community/editor/logic.spec.ts).
 *
 * Runs in the editor as an ES module (tsconfig.editor.json), so it imports
 * only types: lib/ needs Node (luxon, decimal.js) and the check itself runs
 * on the server (POST zev-community/check, the same validateCommunity as on
 * deploy).
 */
import type { BuildingConfig, ChargingIdConfig, MeterConfig, TenancyConfig, UnitConfig } from "../config";

/** The editor's translator: a key below "zev-community." and its __params__. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** lib/community/validate.ts ID_PATTERN (the community id keys its database); a unit test keeps them equal. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** lib/model/party.ts LANGUAGES, in the order the selects offer them. */
export const LANGUAGES = ["de", "fr", "it", "en"] as const;
/** lib/model/meter.ts METER_ROLES. */
export const ROLES = ["unit", "common", "production", "grid", "battery", "charger", "other"] as const;
export const METHODS = ["flat-rate", "actual-cost"] as const;

export interface TimeWindow {
  days: number[];
  from: string;
  to: string;
}
export interface Schedule {
  ht: TimeWindow[];
  ntDays?: string[];
}
/** A common Swiss utility schedule, offered when a plan switches to HT/NT: Mon-Fri 07-20, Sat 07-13. */
export const TYPICAL_HT: readonly TimeWindow[] = [
  { days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" },
  { days: [6], from: "07:00", to: "13:00" },
];
/** Plan fields the editor shows; anything else in a stored plan is kept as it is. */
export const PLAN_FIELDS = [
  "id",
  "validFrom",
  "buildings",
  "pricesIncludeVat",
  "method",
  "solarPerKWh",
  "batteryPerKWh",
  "gridPerKWh",
  "gridHtPerKWh",
  "gridNtPerKWh",
  "gridSchedule",
  "evNormalPerKWh",
  "evPriorityPerKWh",
  "baseFeePerMonth",
  "meteringFeePerMonth",
  "standardProduct",
] as const;

export function str(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

export function esc(v: unknown): string {
  return String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A price or percent as typed: trimmed, a decimal comma read as a point. */
export function decimalText(v: unknown): string {
  return str(v).trim().replace(",", ".");
}

/** "7:00" as "07:00"; anything else as typed (the check names it). */
export function clock(v: unknown): string {
  const s = str(v).trim();
  return /^\d:\d\d$/.test(s) ? "0" + s : s;
}

/** The minCoveragePercent property's validator: empty, or a plain number from 0 to 100. */
export function validMinCoverage(v: unknown): boolean {
  const s = decimalText(v);
  if (s === "") return true;
  const n = Number(s);
  return /^\d+(\.\d+)?$/.test(s) && n >= 0 && n <= 100;
}

/** [value, text] pairs for a select. */
export type Choice = readonly [string, string];

/** One choice per id, in list order, the first row of an id winning; blank ids are left out. */
export function idChoices(items: readonly { id: string; text?: string }[]): Choice[] {
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const it of items) {
    if (!it.id || seen.has(it.id)) continue;
    seen.add(it.id);
    out.push([it.id, it.text && it.text !== it.id ? `${it.id} – ${it.text}` : it.id]);
  }
  return out;
}

export const buildingChoices = (buildings: readonly BuildingConfig[]): Choice[] => idChoices(buildings.map((b) => ({ id: b.id, text: b.name })));
export const unitChoices = (units: readonly UnitConfig[]): Choice[] => idChoices(units.map((u) => ({ id: u.id, text: u.label })));

/** The building a new unit row starts with: its own, else the row above's, else the only building there is. */
export function defaultUnitBuilding(own: string | undefined, above: string | undefined, choices: readonly Choice[]): string | undefined {
  if (own) return own;
  if (above) return above;
  return choices.length === 1 ? choices[0]![0] : undefined;
}

export function buildingFromRow(f: { id: string; name: string }): BuildingConfig {
  return { id: f.id.trim(), name: f.name.trim() };
}

export function unitFromRow(f: { building: string; id: string; label: string; floorArea: string }): UnitConfig {
  const u: UnitConfig = { building: f.building || "", id: f.id.trim(), label: f.label.trim() };
  const area = f.floorArea.trim();
  if (area !== "") {
    // a number when it reads as one; otherwise the text, so the check can name it
    const n = Number(area.replace(",", "."));
    u.floorArea = isFinite(n) ? n : area;
  }
  return u;
}

export interface TenancyFields {
  unit: string;
  name: string;
  street: string;
  buildingNumber: string;
  postalCode: string;
  town: string;
  country: string;
  email: string;
  language: string;
  from: string;
  to: string;
}

/** A tenancy row as stored; the id (kept from a file or an import) comes first when there is one. */
export function tenancyFromRow(f: TenancyFields, id: string | undefined): TenancyConfig {
  const tn: TenancyConfig = {
    unit: f.unit || "",
    name: f.name.trim(),
    street: f.street.trim(),
    buildingNumber: f.buildingNumber.trim(),
    postalCode: f.postalCode.trim(),
    town: f.town.trim(),
    country: f.country.trim().toUpperCase(),
    email: f.email.trim(),
    language: f.language,
    from: f.from,
    to: f.to || "",
  };
  return id ? { id, ...tn } : tn;
}

export function meterFromRow(f: { id: string; role: string; unit: string; label: string; meteringPoint: string }): MeterConfig {
  const m: MeterConfig = { id: f.id.trim(), role: f.role };
  const label = f.label.trim();
  if (f.unit) m.unit = f.unit;
  if (label) m.label = label;
  const point = f.meteringPoint.trim();
  if (point) m.meteringPoint = point;
  return m;
}

export function chargingIdFromRow(f: { id: string; unit: string; label: string }): ChargingIdConfig {
  const c: ChargingIdConfig = { id: f.id.trim(), unit: f.unit || "" };
  const label = f.label.trim();
  if (label) c.label = label;
  return c;
}

/** lib/community/types.ts CHARGE_RHYTHMS and CHARGE_SCOPES, in the order the selects offer them; a unit test keeps them equal. */
export const CHARGE_RHYTHMS = ["monthly", "quarterly", "yearly", "once"] as const;
export const CHARGE_SCOPES = ["community", "building", "tenancy"] as const;
/** Charge fields the editor shows; anything else in a stored charge (its `labels` per language) is kept as it is. */
export const CHARGE_FIELDS = ["id", "label", "amount", "pricesIncludeVat", "rhythm", "from", "to", "scope", "building", "tenancy"] as const;

/** What a charge row's inputs hold, as typed; `vat` is "" (the price plan's basis), "incl" or "excl". */
export interface ChargeFields {
  id: string;
  label: string;
  amount: string;
  vat: string;
  rhythm: string;
  from: string;
  to: string;
  scope: string;
  building: string;
  tenancy: string;
}

export type ChargeRow = Record<string, unknown>;

/**
 * A charge as stored (docs/community-file.md "Charges"): the amount as decimal
 * text, `to` only when given (a one-off charge has none), the building or the
 * tenancy only for its scope, and the fields the editor does not show kept.
 */
export function chargeFromRow(f: ChargeFields, extra: Readonly<Record<string, unknown>>): ChargeRow {
  const c: ChargeRow = { id: f.id.trim(), label: f.label.trim(), amount: decimalText(f.amount), rhythm: f.rhythm, from: f.from };
  if (f.vat === "incl" || f.vat === "excl") c.pricesIncludeVat = f.vat === "incl";
  if (f.to && f.rhythm !== "once") c.to = f.to;
  c.scope = f.scope;
  if (f.scope === "building" && f.building) c.building = f.building;
  if (f.scope === "tenancy" && f.tenancy) c.tenancy = f.tenancy;
  for (const k of Object.keys(extra)) if (!(k in c) && !(CHARGE_FIELDS as readonly string[]).includes(k)) c[k] = structuredCopy(extra[k]);
  return c;
}

/** The VAT select's value for a stored charge. */
export function chargeVatChoice(c: Readonly<ChargeRow>): "" | "incl" | "excl" {
  return c.pricesIncludeVat === true ? "incl" : c.pricesIncludeVat === false ? "excl" : "";
}

/** The fields of a stored charge the editor does not show. */
export function chargeExtra(c: Readonly<ChargeRow>): ChargeRow {
  const extra: ChargeRow = {};
  for (const k of Object.keys(c)) if (!(CHARGE_FIELDS as readonly string[]).includes(k)) extra[k] = c[k];
  return extra;
}

/** The id a tenancy row has in the community (lib/community/file-format.ts: its own, else unit@from) and its text in a select. */
export function tenancyChoices(rows: readonly { id?: string; unit: string; from: string; name: string }[]): Choice[] {
  return idChoices(rows.filter((r) => r.unit && r.from).map((r) => ({ id: r.id || `${r.unit}@${r.from}`, text: r.name || undefined })));
}

/** The tenancies filter: a row matches when the text of its inputs contains the query (any case). */
export function matchesFilter(query: string, values: readonly string[]): boolean {
  const q = query.trim().toLowerCase();
  return !q || values.join(" ").toLowerCase().includes(q);
}

/** The custom common-area shares as stored: blanks dropped, numbers as numbers, anything else as typed. */
export function sharesFromInputs(shares: Readonly<Record<string, string>>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const id of Object.keys(shares)) {
    const v = decimalText(shares[id]);
    if (v === "") continue;
    out[id] = /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

/** A unit renamed from oldId to newId takes its typed share along, unless newId has one already. */
export function renameShare(shares: Record<string, string>, oldId: string, newId: string): void {
  if (oldId && newId && oldId !== newId && shares[oldId] !== undefined && shares[newId] === undefined) {
    shares[newId] = shares[oldId]!;
    delete shares[oldId];
  }
}

/** HT windows and NT days of a schedule editor; nothing entered is no schedule. */
export function scheduleFromRows(rows: readonly { days: number[]; from: string; to: string }[], ntDays: string): Schedule | undefined {
  const ht = rows.map((r) => ({ days: r.days, from: clock(r.from), to: clock(r.to) }));
  const nt = str(ntDays)
    .split(/[\s,;]+/)
    .filter((d) => d !== "");
  if (!ht.length && !nt.length) return undefined;
  const s: Schedule = { ht };
  if (nt.length) s.ntDays = nt;
  return s;
}

/** What a price plan's inputs hold, as typed. */
export interface PlanForm {
  id: string;
  validFrom: string;
  buildings: string[];
  pricesIncludeVat: boolean;
  method: string;
  solar: string;
  battery: string;
  gridMode: "single" | "htnt" | string;
  grid: string;
  gridHt: string;
  gridNt: string;
  gridSchedule: Schedule | undefined;
  evNormal: string;
  evPriority: string;
  baseFee: string;
  meteringFee: string;
  productName: string;
  productMode: "single" | "htnt" | string;
  productPrice: string;
  productHt: string;
  productNt: string;
  productOwnSchedule: boolean;
  productSchedule: Schedule | undefined;
  productBaseFee: string;
}

export type Plan = Record<string, unknown>;

/**
 * A price plan as stored: prices as decimal texts, optional ones only when
 * given, the hidden mode's prices left out, and the fields the editor does
 * not show (`extra`) kept as they were.
 */
export function planFromForm(f: PlanForm, extra: Readonly<Record<string, unknown>>): Plan {
  const p: Plan = { id: f.id.trim(), validFrom: f.validFrom };
  const opt = (obj: Plan, key: string, v: string): void => {
    const d = decimalText(v);
    if (d !== "") obj[key] = d;
  };
  if (f.buildings.length) p.buildings = f.buildings;
  p.pricesIncludeVat = f.pricesIncludeVat;
  p.method = f.method;
  p.solarPerKWh = decimalText(f.solar);
  opt(p, "batteryPerKWh", f.battery);
  if (f.gridMode === "htnt") {
    opt(p, "gridHtPerKWh", f.gridHt);
    opt(p, "gridNtPerKWh", f.gridNt);
    if (f.gridSchedule) p.gridSchedule = f.gridSchedule;
  } else {
    opt(p, "gridPerKWh", f.grid);
  }
  opt(p, "evNormalPerKWh", f.evNormal);
  opt(p, "evPriorityPerKWh", f.evPriority);
  opt(p, "baseFeePerMonth", f.baseFee);
  opt(p, "meteringFeePerMonth", f.meteringFee);
  const sp: Plan = {};
  const name = f.productName.trim();
  if (name) sp.name = name;
  if (f.productMode === "htnt") {
    opt(sp, "htPerKWh", f.productHt);
    opt(sp, "ntPerKWh", f.productNt);
    if (f.productOwnSchedule && f.productSchedule) sp.schedule = f.productSchedule;
  } else {
    opt(sp, "perKWh", f.productPrice);
  }
  opt(sp, "baseFeePerMonth", f.productBaseFee);
  if (Object.keys(sp).length) p.standardProduct = sp;
  for (const k of Object.keys(extra)) if (!(k in p)) p[k] = structuredCopy(extra[k]);
  return p;
}

/** The fields of a stored plan the editor does not show. */
export function planExtra(plan: Readonly<Plan>): Plan {
  const extra: Plan = {};
  for (const k of Object.keys(plan)) if (!(PLAN_FIELDS as readonly string[]).includes(k)) extra[k] = plan[k];
  return extra;
}

/** How a stored plan's grid price and standard product are shown: one price, or HT/NT. */
export function planModes(plan: Readonly<Plan>): { grid: "single" | "htnt"; product: "single" | "htnt" } {
  const sp = (plan.standardProduct ?? {}) as Plan;
  const hasHtnt = ["gridHtPerKWh", "gridNtPerKWh"].some((f) => str(plan[f]) !== "") || !!plan.gridSchedule;
  const spHtnt = (str(sp.htPerKWh) !== "" || str(sp.ntPerKWh) !== "") && str(sp.perKWh) === "";
  return { grid: hasHtnt && str(plan.gridPerKWh) === "" ? "htnt" : "single", product: spHtnt ? "htnt" : "single" };
}

/** The folded plan's one-line summary: its buildings, solar price, grid price(s). */
export function planSummary(t: Translate, f: { buildings: string[]; solar: string; gridMode: string; grid: string; gridHt: string; gridNt: string }): string {
  const parts = [f.buildings.length ? t("summary.buildings", { list: f.buildings.join(", ") }) : t("summary.wholeCommunity")];
  const solar = decimalText(f.solar);
  if (solar) parts.push(t("summary.solar", { price: solar }));
  if (f.gridMode === "htnt") {
    const ht = decimalText(f.gridHt);
    const nt = decimalText(f.gridNt);
    if (ht || nt) parts.push(t("summary.gridHtNt", { ht: ht || "?", nt: nt || "?" }));
  } else {
    const gp = decimalText(f.grid);
    if (gp) parts.push(t("summary.grid", { price: gp }));
  }
  return parts.join(" · ");
}

/** A plain deep copy of JSON-like data (the flow stores JSON). */
export function structuredCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

// ---------- CSV import (the server parses, POST zev-community/parse-csv; the lists merge) ----------

/** A building as zev-community/parse-csv returns it for units.csv. */
export interface ImportedBuilding {
  id: string;
  name?: string;
  units?: { id: string; label?: string; floorArea?: number | string }[];
}
/** A tenancy as zev-community/parse-csv returns it for tenancies.csv. */
export interface ImportedTenancy {
  id?: string;
  unit: string;
  from: string;
  to?: string | null;
  tenant?: {
    name?: string;
    email?: string;
    language?: string;
    address?: { street?: string; buildingNumber?: string; postalCode?: string; town?: string; country?: string };
  };
}

/** The data a list row is made from (the editableList's item data). */
export type TenancyRowData = Partial<TenancyConfig>;

export type RowEdit<T> = { kind: "add"; data: T } | { kind: "update"; index: number; data: T };

export interface UnitsImportPlan {
  buildings: RowEdit<BuildingConfig>[];
  units: RowEdit<UnitConfig>[];
  /** Units in the file (the number the notification says). */
  count: number;
}

/**
 * units.csv into the buildings and units lists: a new building is added (its
 * name defaults to its id), a listed one only gets a name when it had none; a
 * unit whose id is listed is updated in place (building, label, floor area),
 * any other is added.
 */
export function planUnitsImport(buildings: readonly BuildingConfig[], units: readonly UnitConfig[], imported: readonly ImportedBuilding[]): UnitsImportPlan {
  const plan: UnitsImportPlan = { buildings: [], units: [], count: 0 };
  const listed = buildings.map((b) => ({ ...b }));
  for (const b of imported) {
    const i = listed.findIndex((x) => x.id === b.id);
    if (i < 0) {
      const data = { id: b.id, name: b.name || b.id };
      listed.push(data);
      plan.buildings.push({ kind: "add", data });
    } else if (!listed[i]!.name && b.name) {
      listed[i]!.name = b.name;
      plan.buildings.push({ kind: "update", index: i, data: { ...listed[i]! } });
    }
  }
  // units already listed before the import, the last row of an id answering
  const existing = new Map<string, number>();
  units.forEach((u, i) => existing.set(u.id, i));
  for (const b of imported) {
    for (const u of b.units ?? []) {
      plan.count++;
      const i = existing.get(u.id);
      // a row shows what it is given as text; the floor area is read back by unitFromRow
      const data: UnitConfig = { building: b.id, id: u.id, label: str(u.label), floorArea: str(u.floorArea) };
      plan.units.push(i !== undefined ? { kind: "update", index: i, data } : { kind: "add", data });
    }
  }
  return plan;
}

/** An imported tenancy as the data of a tenancy row. */
export function tenancyRowData(x: ImportedTenancy): TenancyRowData {
  const tenant = x.tenant ?? {};
  const a = tenant.address ?? {};
  return {
    id: x.id,
    unit: x.unit,
    from: x.from,
    to: x.to || "",
    name: tenant.name,
    email: tenant.email,
    language: tenant.language,
    street: a.street,
    buildingNumber: a.buildingNumber,
    postalCode: a.postalCode,
    town: a.town,
    country: a.country,
  } as TenancyRowData;
}

/** tenancies.csv into the list: a tenancy whose id is listed replaces that row in its place; the others are added. */
export function planTenanciesImport(listedIds: readonly (string | undefined)[], imported: readonly ImportedTenancy[]): RowEdit<TenancyRowData>[] {
  const byId = new Map<string, number>();
  listedIds.forEach((id, i) => {
    if (id) byId.set(id, i);
  });
  return imported.map((x) => {
    const data = tenancyRowData(x);
    const i = x.id ? byId.get(x.id) : undefined;
    return i !== undefined ? { kind: "update", index: i, data } : { kind: "add", data };
  });
}

/** charging-ids.csv into the list: an id already listed (ignoring case, as the runtime compares them) is updated. */
export function planChargingIdsImport(listedIds: readonly string[], imported: readonly Partial<ChargingIdConfig>[]): RowEdit<ChargingIdConfig>[] {
  const byId = new Map<string, number>();
  listedIds.forEach((id, i) => byId.set(id.trim().toLowerCase(), i));
  return imported.map((c) => {
    const i = byId.get(String(c.id || "").toLowerCase());
    const data: ChargingIdConfig = { id: str(c.id), unit: str(c.unit), label: str(c.label) };
    return i !== undefined ? { kind: "update", index: i, data } : { kind: "add", data };
  });
}

// ---------- live check ----------

/** One problem as zev-community/check returns it (lib/community/validate.ts ValidationIssue). */
export interface CheckIssue {
  path?: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

export const TAB_KEYS = {
  "zev-community-tab-community": "tabs.community",
  "zev-community-tab-parties": "tabs.parties",
  "zev-community-tab-units": "tabs.units",
  "zev-community-tab-tenancies": "tabs.tenancies",
  "zev-community-tab-meters": "tabs.meters",
  "zev-community-tab-tariffs": "tabs.tariffs",
} as const;
export type TabId = keyof typeof TAB_KEYS;

/** The tab that shows the field an issue path names. */
export function tabOfPath(path: string | undefined): TabId {
  const head = str(path).split(/[.[]/)[0];
  if (head === "creditor" || head === "owner") return "zev-community-tab-parties";
  if (head === "buildings") return "zev-community-tab-units";
  if (head === "tenancies") return "zev-community-tab-tenancies";
  if (head === "meters" || head === "chargingIds") return "zev-community-tab-meters";
  if (head === "tariffs" || head === "billing" || head === "charges") return "zev-community-tab-tariffs";
  return "zev-community-tab-community";
}

export type IssueTarget = { list: "tenancies" | "meters" | "chargingIds" | "tariffs" | "charges" | "buildings" | "units"; index: number } | { share: string };

/**
 * The row an issue path points at. The server regroups buildings and units by
 * building (definition-from-config.ts): buildings in list order, then
 * buildings that only units name; units in list order within each.
 */
export function issueTarget(path: string, cfg: { buildings: readonly BuildingConfig[]; units: readonly UnitConfig[] }): IssueTarget | null {
  let m = /^(tenancies|meters|chargingIds)\[(\d+)\]/.exec(path);
  if (m) return { list: m[1] as "tenancies" | "meters" | "chargingIds", index: Number(m[2]) };
  m = /^(tariffs|charges)\[(\d+)\]/.exec(path);
  if (m) return { list: m[1] as "tariffs" | "charges", index: Number(m[2]) };
  m = /^billing\.customShares\.(.+)$/.exec(path);
  if (m) return { share: m[1]! };
  m = /^buildings\[(\d+)\](?:\.units\[(\d+)\])?/.exec(path);
  if (!m) return null;
  const ids = cfg.buildings.map((b) => b.id);
  for (const u of cfg.units) if (!ids.includes(u.building)) ids.push(u.building);
  const bid = ids[Number(m[1])];
  if (m[2] === undefined) {
    const bi = cfg.buildings.findIndex((b) => b.id === bid);
    return bi >= 0 ? { list: "buildings", index: bi } : null;
  }
  const want = Number(m[2]);
  let k = -1;
  const ui = cfg.units.findIndex((u) => u.building === bid && ++k === want);
  return ui >= 0 ? { list: "units", index: ui } : null;
}

/** A problem in the editor's language: the catalog text of its code with its values, else the English message. */
export function issueText(issue: CheckIssue, t: Translate): string {
  if (!issue.code) return issue.message;
  const key = "validation." + issue.code;
  const text = t(key, issue.params ?? {});
  return typeof text === "string" && text !== "" && !text.includes(key) ? text : issue.message;
}

/** The check's result as the box shows it. */
export type CheckView = { ok: true; text: string } | { ok: false; heading: string; items: { tab: string; path: string; text: string; issue: CheckIssue }[] };

export function checkView(issues: readonly CheckIssue[], files: { unitsFile?: string; tenanciesFile?: string }, t: Translate): CheckView {
  const filesNote = files.unitsFile || files.tenanciesFile ? " " + t("check.filesNotChecked") : "";
  if (!issues.length) return { ok: true, text: t("check.ok") + filesNote };
  return {
    ok: false,
    heading: t("check.problems", { count: issues.length }) + filesNote,
    items: issues.map((issue) => ({ tab: t(TAB_KEYS[tabOfPath(issue.path)]), path: issue.path || "–", text: issueText(issue, t), issue })),
  };
}

/** What went wrong with a request to the admin API, for a person: the server's error, the status, or that nobody answered. */
export function requestErrorText(xhr: { responseJSON?: { error?: unknown }; status?: number; statusText?: string } | undefined, t: Translate): string {
  if (xhr && xhr.responseJSON && xhr.responseJSON.error) return String(xhr.responseJSON.error);
  if (xhr && xhr.status) return xhr.status + " " + (xhr.statusText || "");
  return t("check.unreachable");
}
