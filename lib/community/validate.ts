import { DateTime } from "luxon";
import { daysBetween, isLocalDate } from "../time/local-date";
import { validatePlans } from "../tariffs/plans";
import { COMMON_AREA_KEYS } from "../tariffs/types";
import { ibanProblem } from "../util/iban";
import {
  allUnits,
  COMMUNITY_KINDS,
  CommunityDefinition,
  CURRENCIES,
  LANGUAGES,
  METER_ROLES,
  Party,
  StructuredAddress,
  Tenancy,
} from "./types";

/** One problem in a community definition: where it is, and what to do, in words for the admin. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$/;
const UID_PATTERN = /^CHE-?\d{3}\.?\d{3}\.?\d{3}( ?(MWST|TVA|IVA|VAT))?$/;

export class CommunityValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`community definition has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n` + issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"));
    this.name = "CommunityValidationError";
  }
}

function isText(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0;
}

function checkAddress(a: StructuredAddress | undefined, path: string, out: ValidationIssue[]): void {
  if (!a || typeof a !== "object") {
    out.push({ path, message: "a structured address is required (street, postal code, town, country)" });
    return;
  }
  if (!isText(a.street)) out.push({ path: `${path}.street`, message: "street is required" });
  else if (a.street.length > 70) out.push({ path: `${path}.street`, message: "street is longer than the 70 characters a QR bill allows" });
  if (a.buildingNumber !== undefined && String(a.buildingNumber).length > 16) out.push({ path: `${path}.buildingNumber`, message: "building number is longer than 16 characters" });
  if (!isText(a.postalCode)) out.push({ path: `${path}.postalCode`, message: "postal code is required" });
  else if (a.postalCode.length > 16) out.push({ path: `${path}.postalCode`, message: "postal code is longer than 16 characters" });
  if (!isText(a.town)) out.push({ path: `${path}.town`, message: "town is required" });
  else if (a.town.length > 35) out.push({ path: `${path}.town`, message: "town is longer than the 35 characters a QR bill allows" });
  if (!isText(a.country) || !/^[A-Z]{2}$/.test(a.country)) out.push({ path: `${path}.country`, message: "country must be a two-letter code such as CH" });
}

function checkParty(p: Party | undefined, path: string, out: ValidationIssue[]): void {
  if (!p || typeof p !== "object") {
    out.push({ path, message: "name, address and language are required" });
    return;
  }
  if (!isText(p.name)) out.push({ path: `${path}.name`, message: "name is required" });
  else if (p.name.length > 70) out.push({ path: `${path}.name`, message: "name is longer than the 70 characters a QR bill allows" });
  checkAddress(p.address, `${path}.address`, out);
  if (!LANGUAGES.includes(p.language)) out.push({ path: `${path}.language`, message: `language must be one of ${LANGUAGES.join(", ")}` });
  if (p.email !== undefined && p.email !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email)) out.push({ path: `${path}.email`, message: `${JSON.stringify(p.email)} is not an e-mail address` });
}

function checkTenancyDates(t: Tenancy, path: string, out: ValidationIssue[]): boolean {
  let ok = true;
  if (!isLocalDate(t.from)) {
    out.push({ path: `${path}.from`, message: `start date ${JSON.stringify(t.from)} must be written YYYY-MM-DD` });
    ok = false;
  }
  if (t.to != null && t.to !== "") {
    if (!isLocalDate(t.to)) {
      out.push({ path: `${path}.to`, message: `end date ${JSON.stringify(t.to)} must be written YYYY-MM-DD (or left empty while the tenancy runs)` });
      ok = false;
    } else if (ok && daysBetween(t.from, t.to) < 0) {
      out.push({ path: `${path}.to`, message: `ends ${t.to}, before it starts ${t.from}` });
      ok = false;
    }
  }
  return ok;
}

/** All problems of a definition; an empty list means it can be stored and billed. */
export function validateCommunity(def: CommunityDefinition): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (!def || typeof def !== "object") return [{ path: "", message: "the community definition must be an object" }];
  if (!isText(def.id) || !ID_PATTERN.test(def.id)) out.push({ path: "id", message: "id must be 1-64 lower-case letters, digits, '-' or '_' (it keys the community in the database)" });
  if (!isText(def.name)) out.push({ path: "name", message: "name is required" });
  if (!COMMUNITY_KINDS.includes(def.kind)) out.push({ path: "kind", message: `kind must be one of ${COMMUNITY_KINDS.join(", ")}` });
  if (!CURRENCIES.includes(def.currency)) out.push({ path: "currency", message: `currency must be ${CURRENCIES.join(" or ")}` });
  if (!isText(def.timeZone) || !DateTime.now().setZone(def.timeZone).isValid) out.push({ path: "timeZone", message: `unknown time zone ${JSON.stringify(def.timeZone)}; Swiss communities use Europe/Zurich` });

  const c = def.creditor;
  if (!c || typeof c !== "object") out.push({ path: "creditor", message: "creditor (who sends the invoices and receives the payments) is required" });
  else {
    if (!isText(c.name)) out.push({ path: "creditor.name", message: "name is required" });
    checkAddress(c.address, "creditor.address", out);
    const problem = isText(c.iban) ? ibanProblem(c.iban) : "IBAN or QR-IBAN is required";
    if (problem) out.push({ path: "creditor.iban", message: problem });
    else if (!/^(CH|LI)/i.test(c.iban.replace(/\s/g, ""))) out.push({ path: "creditor.iban", message: "a Swiss QR bill needs a CH or LI IBAN" });
    if (typeof c.vatRegistered !== "boolean") out.push({ path: "creditor.vatRegistered", message: "say whether the community is registered for VAT (true or false)" });
    if (c.vatRegistered === true && !isText(c.vatNumber) && !isText(c.uid)) out.push({ path: "creditor.vatNumber", message: "a VAT-registered community must give its VAT number (e.g. CHE-123.456.789 MWST)" });
    for (const key of ["uid", "vatNumber"] as const) {
      const v = c[key];
      if (isText(v) && !UID_PATTERN.test(v.trim())) out.push({ path: `creditor.${key}`, message: `${JSON.stringify(v)} is not written like CHE-123.456.789${key === "vatNumber" ? " MWST" : ""}` });
    }
    if (c.paymentTermDays !== undefined && (!Number.isInteger(c.paymentTermDays) || c.paymentTermDays < 0 || c.paymentTermDays > 365)) out.push({ path: "creditor.paymentTermDays", message: "payment term must be a whole number of days from 0 to 365" });
  }
  checkParty(def.owner, "owner", out);

  const buildingIds = new Set<string>();
  const unitIds = new Set<string>();
  if (!Array.isArray(def.buildings) || def.buildings.length === 0) out.push({ path: "buildings", message: "at least one building with its units is required" });
  else
    def.buildings.forEach((b, bi) => {
      const bp = `buildings[${bi}]`;
      if (!isText(b.id) || !KEY_PATTERN.test(b.id)) out.push({ path: `${bp}.id`, message: "building id must be 1-64 letters, digits, space or . _ : / -" });
      else if (buildingIds.has(b.id)) out.push({ path: `${bp}.id`, message: `building ${b.id} is listed twice` });
      else buildingIds.add(b.id);
      if (!isText(b.name)) out.push({ path: `${bp}.name`, message: "building name is required" });
      if (b.address !== undefined) checkAddress(b.address, `${bp}.address`, out);
      if (b.owner !== undefined) checkParty(b.owner, `${bp}.owner`, out);
      if (!Array.isArray(b.units)) out.push({ path: `${bp}.units`, message: "units must be a list" });
      else
        b.units.forEach((u, ui) => {
          const up = `${bp}.units[${ui}]`;
          if (!isText(u.id) || !KEY_PATTERN.test(u.id)) out.push({ path: `${up}.id`, message: "unit id must be 1-64 letters, digits, space or . _ : / -" });
          else if (unitIds.has(u.id)) out.push({ path: `${up}.id`, message: `unit ${u.id} is listed twice (unit ids are unique across the community)` });
          else unitIds.add(u.id);
          if (!isText(u.label)) out.push({ path: `${up}.label`, message: "unit label is required (it is printed on invoices)" });
          if (u.floorArea !== undefined && (typeof u.floorArea !== "number" || !Number.isFinite(u.floorArea) || u.floorArea < 0)) out.push({ path: `${up}.floorArea`, message: "floor area must be a number of m² (0 or more)" });
        });
    });

  const tenancyIds = new Set<string>();
  const byUnit = new Map<string, { t: Tenancy; path: string }[]>();
  if (!Array.isArray(def.tenancies)) out.push({ path: "tenancies", message: "tenancies must be a list (it may be empty)" });
  else
    def.tenancies.forEach((t, ti) => {
      const tp = `tenancies[${ti}]`;
      if (!isText(t.id)) out.push({ path: `${tp}.id`, message: "tenancy id is required" });
      else if (tenancyIds.has(t.id)) out.push({ path: `${tp}.id`, message: `tenancy ${t.id} is listed twice` });
      else tenancyIds.add(t.id);
      if (!unitIds.has(t.unit)) out.push({ path: `${tp}.unit`, message: `unit ${JSON.stringify(t.unit)} does not exist in any building` });
      checkParty(t.tenant, `${tp}.tenant`, out);
      if (checkTenancyDates(t, tp, out)) {
        const list = byUnit.get(t.unit) ?? [];
        list.push({ t, path: tp });
        byUnit.set(t.unit, list);
      }
    });
  for (const [unit, list] of byUnit) {
    list.sort((a, b) => daysBetween(b.t.from, a.t.from));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      if (prev.t.to == null || prev.t.to === "" || daysBetween(cur.t.from, prev.t.to) >= 0) {
        out.push({
          path: cur.path,
          message: `tenancy of ${cur.t.tenant?.name ?? "?"} from ${cur.t.from} overlaps the tenancy of ${prev.t.tenant?.name ?? "?"} in unit ${unit} (${prev.t.from} to ${prev.t.to || "open end"}); a unit has one tenant at a time`,
        });
      }
    }
  }

  if (def.meters !== undefined) {
    const meterIds = new Set<string>();
    if (!Array.isArray(def.meters)) out.push({ path: "meters", message: "meters must be a list" });
    else
      def.meters.forEach((m, mi) => {
        const mp = `meters[${mi}]`;
        if (!isText(m.id) || !KEY_PATTERN.test(m.id)) out.push({ path: `${mp}.id`, message: "meter id must be 1-64 letters, digits, space or . _ : / -" });
        else if (meterIds.has(m.id)) out.push({ path: `${mp}.id`, message: `meter ${m.id} is listed twice` });
        else meterIds.add(m.id);
        if (!METER_ROLES.includes(m.role)) out.push({ path: `${mp}.role`, message: `role must be one of ${METER_ROLES.join(", ")}` });
        if (m.role === "unit" && !isText(m.unit)) out.push({ path: `${mp}.unit`, message: "a unit meter must name its unit" });
        if (isText(m.unit) && !unitIds.has(m.unit)) out.push({ path: `${mp}.unit`, message: `unit ${JSON.stringify(m.unit)} does not exist in any building` });
      });
  }
  if (def.chargingIds !== undefined) {
    const seen = new Set<string>();
    if (!Array.isArray(def.chargingIds)) out.push({ path: "chargingIds", message: "chargingIds must be a list of { id, unit }" });
    else
      def.chargingIds.forEach((c, ci) => {
        const cp = `chargingIds[${ci}]`;
        if (!isText(c.id)) out.push({ path: `${cp}.id`, message: "the charging id (RFID tag or user id) is required" });
        else if (c.id.length > 64) out.push({ path: `${cp}.id`, message: "the charging id is longer than 64 characters" });
        else if (seen.has(c.id.toLowerCase())) out.push({ path: `${cp}.id`, message: `charging id ${c.id} is listed twice (one id pays for one unit; ids compare without regard to case)` });
        else seen.add(c.id.toLowerCase());
        if (!isText(c.unit)) out.push({ path: `${cp}.unit`, message: "name the unit that pays for this id's charging" });
        else if (!unitIds.has(c.unit)) out.push({ path: `${cp}.unit`, message: `unit ${JSON.stringify(c.unit)} does not exist in any building` });
      });
  }
  if (def.tariffs !== undefined) {
    if (!Array.isArray(def.tariffs)) out.push({ path: "tariffs", message: "tariffs must be a list of price plans" });
    else
      for (const msg of validatePlans(def.tariffs, def.buildings?.map((b) => b.id) ?? [])) {
        const m = /^([^:]+): (.*)$/s.exec(msg);
        out.push(m ? { path: m[1]!, message: m[2]! } : { path: "tariffs", message: msg });
      }
  }
  const b = def.billing;
  if (b !== undefined) {
    if (b.allocation !== undefined && !["proportional", "equal"].includes(b.allocation)) out.push({ path: "billing.allocation", message: "allocation must be proportional or equal" });
    if (b.commonAreaKey !== undefined && !COMMON_AREA_KEYS.includes(b.commonAreaKey)) out.push({ path: "billing.commonAreaKey", message: `common-area key must be one of ${COMMON_AREA_KEYS.join(", ")}` });
    if (b.commonAreaKey === "custom") {
      const shares = b.customShares ?? {};
      for (const u of unitIds) if (!(typeof shares[u] === "number" && shares[u]! >= 0)) out.push({ path: `billing.customShares.${u}`, message: `unit ${u} needs a share (a number, 0 or more) for the custom common-area key` });
      for (const k of Object.keys(shares)) if (!unitIds.has(k)) out.push({ path: `billing.customShares.${k}`, message: `unit ${k} does not exist` });
    }
    if (b.commonAreaKey === "floorArea") {
      for (const u of allUnits(def)) if (u.floorArea === undefined) out.push({ path: "billing.commonAreaKey", message: `the floor-area key needs the floor area of unit ${u.id}` });
    }
    if (b.minCoverage !== undefined && !(typeof b.minCoverage === "number" && b.minCoverage >= 0 && b.minCoverage <= 1)) out.push({ path: "billing.minCoverage", message: "minimum coverage is a share from 0 to 1 (e.g. 0.95)" });
  }
  return out;
}

export function assertValidCommunity(def: CommunityDefinition): void {
  const issues = validateCommunity(def);
  if (issues.length) throw new CommunityValidationError(issues);
}
