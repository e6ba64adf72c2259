import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { PricePlan, StandardProduct } from "../tariffs/types";
import { DEFAULT_TIME_ZONE } from "../time/local-date";
import { normalizeIban } from "../util/iban";
import { readCsv } from "./csv";
import type { Building, Charge, ChargingId, CommunityDefinition, MeterDefinition, ReminderLevel, Tenancy } from "./types";
import type { MeterRole } from "../model/meter";
import type { Language, Party, StructuredAddress } from "../model/party";

/*
 * The community file format (docs/community-file.md): the definition as JSON,
 * where units, tenancies and meters may instead come from CSV files named
 * under "include" (paths relative to the JSON file), for large buildings.
 */

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === "" ? undefined : s;
}

function normalizeAddress(raw: unknown): StructuredAddress {
  const a = (raw ?? {}) as Json;
  const out: StructuredAddress = {
    street: str(a.street) ?? "",
    postalCode: str(a.postalCode) ?? "",
    town: str(a.town) ?? "",
    country: (str(a.country) ?? "CH").toUpperCase(),
  };
  const nr = str(a.buildingNumber);
  if (nr !== undefined) out.buildingNumber = nr;
  return out;
}

function normalizeParty(raw: unknown, fallbackLanguage: Language = "de"): Party {
  const p = (raw ?? {}) as Json;
  const out: Party = {
    name: str(p.name) ?? "",
    address: normalizeAddress(p.address),
    language: (str(p.language) ?? fallbackLanguage).toLowerCase() as Language,
  };
  const email = str(p.email);
  if (email !== undefined) out.email = email;
  return out;
}

function normalizeTenancy(raw: unknown): Tenancy {
  const t = (raw ?? {}) as Json;
  const unit = str(t.unit) ?? "";
  const from = str(t.from) ?? "";
  const out: Tenancy = {
    id: str(t.id) ?? `${unit}@${from}`,
    unit,
    tenant: normalizeParty(t.tenant),
    from,
    to: str(t.to) ?? null,
  };
  if (t.producer !== undefined && t.producer !== null) out.producer = t.producer as Tenancy["producer"];
  return out;
}

function normalizeBuilding(raw: unknown): Building {
  const b = (raw ?? {}) as Json;
  const out: Building = {
    id: str(b.id) ?? "",
    name: str(b.name) ?? str(b.id) ?? "",
    units: (Array.isArray(b.units) ? b.units : []).map((u: Json) => {
      const unit: Building["units"][number] = { id: str(u.id) ?? "", label: str(u.label) ?? str(u.id) ?? "" };
      if (u.floorArea !== undefined && u.floorArea !== null && u.floorArea !== "") unit.floorArea = Number(u.floorArea);
      return unit;
    }),
  };
  if (b.address !== undefined) out.address = normalizeAddress(b.address);
  if (b.owner !== undefined && b.owner !== null) out.owner = normalizeParty(b.owner);
  return out;
}

const PRICE_FIELDS = [
  "solarPerKWh",
  "batteryPerKWh",
  "gridPerKWh",
  "gridHtPerKWh",
  "gridNtPerKWh",
  "evNormalPerKWh",
  "evPriorityPerKWh",
  "baseFeePerMonth",
  "meteringFeePerMonth",
] as const;

/** Prices as decimal text (a number typed in JSON becomes its text; a decimal comma becomes a point). */
function priceText(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : s.replace(",", ".");
}

function normalizePlan(raw: unknown): PricePlan {
  const p = (raw ?? {}) as Json;
  const plan: PricePlan = {
    id: str(p.id) ?? str(p.validFrom) ?? "",
    validFrom: str(p.validFrom) ?? "",
    pricesIncludeVat: p.pricesIncludeVat === true || p.pricesIncludeVat === "true",
    solarPerKWh: priceText(p.solarPerKWh) ?? "",
  };
  for (const f of PRICE_FIELDS) {
    const v = priceText(p[f]);
    if (v !== undefined) (plan as unknown as Record<string, string>)[f] = v;
  }
  if (Array.isArray(p.buildings) && p.buildings.length) plan.buildings = p.buildings.map(String);
  if (p.gridSchedule) plan.gridSchedule = p.gridSchedule as PricePlan["gridSchedule"];
  if (p.method === "flat-rate" || p.method === "actual-cost") plan.method = p.method;
  if (p.standardProduct && typeof p.standardProduct === "object") {
    const sp = p.standardProduct as Json;
    const out: StandardProduct = {};
    for (const f of ["perKWh", "htPerKWh", "ntPerKWh", "baseFeePerMonth"] as const) {
      const v = priceText(sp[f]);
      if (v !== undefined) out[f] = v;
    }
    if (sp.schedule) out.schedule = sp.schedule as StandardProduct["schedule"];
    const name = str(sp.name);
    if (name !== undefined) out.name = name;
    plan.standardProduct = out;
  }
  return plan;
}

/**
 * Canonical form of a definition typed by a person or read from a file:
 * trimmed text, defaults (kind ZEV, CHF, Europe/Zurich), tenancy ids,
 * normalized IBAN. Validation is separate (validateCommunity).
 */
export function normalizeCommunity(raw: unknown): CommunityDefinition {
  const d = (raw ?? {}) as Json;
  const c = (d.creditor ?? {}) as Json;
  const creditor: CommunityDefinition["creditor"] = {
    name: str(c.name) ?? "",
    address: normalizeAddress(c.address),
    iban: normalizeIban(str(c.iban) ?? ""),
    vatRegistered: c.vatRegistered === true || c.vatRegistered === "true",
  };
  for (const key of ["uid", "vatNumber", "email", "phone"] as const) {
    const v = str(c[key]);
    if (v !== undefined) creditor[key] = v;
  }
  if (c.paymentTermDays !== undefined && c.paymentTermDays !== null && c.paymentTermDays !== "") creditor.paymentTermDays = Number(c.paymentTermDays);
  const def: CommunityDefinition = {
    id: str(d.id) ?? "",
    name: str(d.name) ?? "",
    kind: (str(d.kind) ?? "ZEV") as CommunityDefinition["kind"],
    currency: (str(d.currency) ?? "CHF").toUpperCase() as CommunityDefinition["currency"],
    timeZone: str(d.timeZone) ?? DEFAULT_TIME_ZONE,
    creditor,
    owner: normalizeParty(d.owner),
    buildings: (Array.isArray(d.buildings) ? d.buildings : []).map(normalizeBuilding),
    tenancies: (Array.isArray(d.tenancies) ? d.tenancies : []).map(normalizeTenancy),
  };
  if (Array.isArray(d.tariffs)) def.tariffs = d.tariffs.map(normalizePlan);
  if (d.billing && typeof d.billing === "object") def.billing = { ...(d.billing as object) } as CommunityDefinition["billing"];
  if (Array.isArray(d.meters)) {
    def.meters = d.meters.map((m: Json) => {
      const meter: MeterDefinition = { id: str(m.id) ?? "", role: (str(m.role) ?? "") as MeterRole };
      const unit = str(m.unit);
      if (unit !== undefined) meter.unit = unit;
      const label = str(m.label);
      if (label !== undefined) meter.label = label;
      const point = str(m.meteringPoint);
      if (point !== undefined) meter.meteringPoint = point;
      return meter;
    });
  }
  if (Array.isArray(d.chargingIds)) def.chargingIds = d.chargingIds.map(normalizeChargingId);
  // Not a list: kept as it is, so that validation names the mistake.
  if (d.charges !== undefined && d.charges !== null) def.charges = Array.isArray(d.charges) ? d.charges.map(normalizeCharge) : (d.charges as never);
  if (d.reminders !== undefined && d.reminders !== null)
    def.reminders = Array.isArray(d.reminders) ? d.reminders.map(normalizeReminder) : (d.reminders as never);
  // LEG fields: kept as typed (a number price as its text), validation names what is wrong.
  for (const k of ["legAllocation", "legShares", "legGridFeeReduction", "legSplitSource", "legProducts"] as const)
    if (d[k] !== undefined && d[k] !== null && d[k] !== "") (def as unknown as Json)[k] = k === "legGridFeeReduction" ? Number(d[k]) : d[k];
  for (const k of ["producerPrice", "legGridFeePerKWh"] as const) {
    const v = priceText(d[k]);
    if (v !== undefined) def[k] = v;
  }
  return def;
}

/** A reminder level as typed: days as a number, a fee as text (a number fee as its digits); the rest as given, for validation. */
function normalizeReminder(raw: unknown): ReminderLevel {
  if (!raw || typeof raw !== "object") return raw as ReminderLevel;
  const r = raw as Json;
  const days = typeof r.afterDays === "string" && r.afterDays.trim() !== "" ? Number(r.afterDays) : r.afterDays;
  const fee = typeof r.fee === "number" ? String(r.fee) : typeof r.fee === "string" ? r.fee.trim() : r.fee;
  return { afterDays: days, fee } as ReminderLevel;
}

/** A charge as typed: trimmed texts, a number amount as its text, "true"/"false" as booleans; the rest as given, for validation. */
function normalizeCharge(raw: unknown): Charge {
  if (!raw || typeof raw !== "object") return raw as Charge;
  const c = raw as Json;
  const out = { ...c } as Json;
  for (const k of ["id", "label", "rhythm", "from", "to", "scope", "building", "tenancy"] as const) {
    const v = str(c[k]);
    if (v !== undefined) out[k] = v;
    else if (c[k] === "" || c[k] === null) delete out[k];
  }
  const amount = priceText(c.amount);
  if (amount !== undefined) out.amount = amount;
  if (c.pricesIncludeVat === "true" || c.pricesIncludeVat === "false") out.pricesIncludeVat = c.pricesIncludeVat === "true";
  else if (c.pricesIncludeVat === "" || c.pricesIncludeVat === null) delete out.pricesIncludeVat;
  if (c.labels && typeof c.labels === "object" && !Array.isArray(c.labels)) {
    const labels: Json = {};
    for (const [lang, text] of Object.entries(c.labels as Json)) {
      const t = str(text);
      if (t !== undefined) labels[lang] = t;
      else if (text !== "" && text !== null && text !== undefined) labels[lang] = text;
    }
    if (Object.keys(labels).length) out.labels = labels;
    else delete out.labels;
  }
  return out as unknown as Charge;
}

function normalizeChargingId(raw: unknown): ChargingId {
  const c = (raw ?? {}) as Json;
  const out: ChargingId = { id: str(c.id) ?? "", unit: str(c.unit) ?? "" };
  const label = str(c.label);
  if (label !== undefined) out.label = label;
  return out;
}

/** Units CSV: building;unit;label;floorArea (buildingName optional). Merges into `buildings`. */
export function unitsFromCsv(text: string, fileName = "units.csv", buildings: Building[] = []): Building[] {
  const out = buildings.map((b) => ({ ...b, units: [...b.units] }));
  for (const row of readCsv(text, fileName, ["building", "unit"])) {
    const v = row.values;
    if (!v.building || !v.unit) throw new Error(`${fileName} line ${row.line}: building and unit are required`);
    let b = out.find((x) => x.id === v.building);
    if (!b) {
      b = { id: v.building, name: v.buildingname || v.building, units: [] };
      out.push(b);
    }
    const unit: Building["units"][number] = { id: v.unit, label: v.label || v.unit };
    if (v.floorarea) {
      const area = Number(v.floorarea.replace(",", "."));
      if (!Number.isFinite(area)) throw new Error(`${fileName} line ${row.line}: floor area ${JSON.stringify(v.floorarea)} is not a number`);
      unit.floorArea = area;
    }
    b.units.push(unit);
  }
  return out;
}

const TENANCY_COLUMNS = ["unit", "name", "street", "postalcode", "town", "from"] as const;

/** Tenancies CSV: unit;name;street;buildingNumber;postalCode;town;country;email;language;from;to (id optional). */
export function tenanciesFromCsv(text: string, fileName = "tenancies.csv"): Tenancy[] {
  return readCsv(text, fileName, TENANCY_COLUMNS).map((row) => {
    const v = row.values;
    return normalizeTenancy({
      id: v.id,
      unit: v.unit,
      from: v.from,
      to: v.to,
      tenant: {
        name: v.name,
        email: v.email,
        language: v.language || "de",
        address: { street: v.street, buildingNumber: v.buildingnumber, postalCode: v.postalcode, town: v.town, country: v.country || "CH" },
      },
    });
  });
}

/** Meters CSV: id;role;unit;label;meteringPoint (the last is optional). */
export function metersFromCsv(text: string, fileName = "meters.csv"): MeterDefinition[] {
  return readCsv(text, fileName, ["id", "role"]).map((row) => {
    const m: MeterDefinition = { id: row.values.id ?? "", role: (row.values.role ?? "") as MeterRole };
    if (row.values.unit) m.unit = row.values.unit;
    if (row.values.label) m.label = row.values.label;
    if (row.values.meteringpoint) m.meteringPoint = row.values.meteringpoint;
    return m;
  });
}

/** Charging ids CSV: id;unit;label (an RFID tag or user id and the unit that pays for it). */
export function chargingIdsFromCsv(text: string, fileName = "charging-ids.csv"): ChargingId[] {
  return readCsv(text, fileName, ["id", "unit"]).map((row) => {
    if (!row.values.id || !row.values.unit) throw new Error(`${fileName} line ${row.line}: id and unit are required`);
    return normalizeChargingId(row.values);
  });
}

export interface IncludeFiles {
  units?: string;
  tenancies?: string;
  meters?: string;
  chargingIds?: string;
}

/**
 * Reads a community file: a JSON definition, optionally with CSV includes.
 * A lone CSV cannot define a community (it has no creditor); use it through
 * "include" or the editor's import button.
 */
export function loadCommunityFile(path: string): CommunityDefinition {
  const full = resolve(path);
  let raw: Json;
  try {
    raw = JSON.parse(readFileSync(full, "utf8").replace(/^\uFEFF/, "")) as Json;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw new Error(`community file ${full} does not exist`);
    throw new Error(`community file ${full} is not valid JSON: ${err.message}`);
  }
  return applyIncludes(raw, dirname(full));
}

export function applyIncludes(raw: Json, baseDir: string): CommunityDefinition {
  const include = (raw.include ?? {}) as IncludeFiles;
  const read = (rel: string): string => {
    const p = resolve(baseDir, rel);
    try {
      return readFileSync(p, "utf8");
    } catch (e) {
      throw new Error(`included file ${p} cannot be read: ${(e as Error).message}`);
    }
  };
  const def = normalizeCommunity(raw);
  if (include.units) def.buildings = unitsFromCsv(read(include.units), include.units, def.buildings);
  if (include.tenancies) def.tenancies = [...def.tenancies, ...tenanciesFromCsv(read(include.tenancies), include.tenancies)];
  if (include.meters) def.meters = [...(def.meters ?? []), ...metersFromCsv(read(include.meters), include.meters)];
  if (include.chargingIds) def.chargingIds = [...(def.chargingIds ?? []), ...chargingIdsFromCsv(read(include.chargingIds), include.chargingIds)];
  return def;
}
