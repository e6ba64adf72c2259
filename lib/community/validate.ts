import { DateTime } from "luxon";
import { daysBetween, isLocalDate } from "../time/local-date";
import { planIssues } from "../tariffs/plans";
import { COMMON_AREA_KEYS } from "../tariffs/types";
import { Issue, issue, quoted } from "../util/issue";
import { accountIssue, isCountryCode, printableIssue, qrTextIssues, QrTextField } from "./payment-rules";
import { allUnits, Charge, CHARGE_RHYTHMS, CHARGE_SCOPES, ChargeRhythm, ChargeScope, CommunityDefinition, Tenancy } from "./types";
import { METER_ROLES } from "../model/meter";
import { COMMUNITY_KINDS, CURRENCIES, LANGUAGES, Party, StructuredAddress } from "../model/party";

/**
 * One problem in a community definition: where it is (`path`), what to do in
 * words for the admin (`message`, English), and the same as a stable `code`
 * with its `params` for translations ("zev-community.validation.<code>" in the
 * node's message catalogs; __name__ placeholders take the params).
 */
export interface ValidationIssue extends Issue {
  path: string;
}

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$/;
/** A metering point id as operators write it: VSENationalID (33 characters), EIC, or a portal's own id. */
export const METERING_POINT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,49}$/;
const UID_PATTERN = /^CHE-?\d{3}\.?\d{3}\.?\d{3}( ?(MWST|TVA|IVA|VAT))?$/;

export class CommunityValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`community definition has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n` + issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"));
    this.name = "CommunityValidationError";
  }
}

function at(path: string, i: Issue): ValidationIssue {
  return { path, ...i };
}

function isText(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0;
}

const UNKNOWN_UNIT = "unit __unit__ does not exist in any building";

/** The QR bill's rules for one text (length, SIX characters); required-ness is worded by the caller. */
function qrText(field: QrTextField, value: unknown, path: string, out: ValidationIssue[]): void {
  for (const i of qrTextIssues(field, value, false)) out.push(at(path, i));
}

/** A text printed on the invoice only (not in the QR code): the embedded font must have its characters. */
function printed(value: unknown, path: string, out: ValidationIssue[]): void {
  const i = printableIssue(value);
  if (i) out.push(at(path, i));
}

function checkAddress(a: StructuredAddress | undefined, path: string, out: ValidationIssue[]): void {
  if (!a || typeof a !== "object") {
    out.push(at(path, issue("address.required", "a structured address is required (street, postal code, town, country)")));
    return;
  }
  if (!isText(a.street)) out.push(at(`${path}.street`, issue("address.streetRequired", "street is required")));
  else qrText("street", a.street, `${path}.street`, out);
  if (a.buildingNumber !== undefined) qrText("buildingNumber", a.buildingNumber, `${path}.buildingNumber`, out);
  if (!isText(a.postalCode)) out.push(at(`${path}.postalCode`, issue("address.postalCodeRequired", "postal code is required")));
  else qrText("postalCode", a.postalCode, `${path}.postalCode`, out);
  if (!isText(a.town)) out.push(at(`${path}.town`, issue("address.townRequired", "town is required")));
  else qrText("town", a.town, `${path}.town`, out);
  if (!isText(a.country) || !isCountryCode(a.country))
    out.push(at(`${path}.country`, issue("address.country", "country must be a two-letter code such as CH")));
}

function checkParty(p: Party | undefined, path: string, out: ValidationIssue[]): void {
  if (!p || typeof p !== "object") {
    out.push(at(path, issue("party.required", "name, address and language are required")));
    return;
  }
  if (!isText(p.name)) out.push(at(`${path}.name`, issue("party.nameRequired", "name is required")));
  else qrText("name", p.name, `${path}.name`, out);
  checkAddress(p.address, `${path}.address`, out);
  if (!LANGUAGES.includes(p.language))
    out.push(at(`${path}.language`, issue("party.language", "language must be one of __allowed__", { allowed: LANGUAGES.join(", ") })));
  if (p.email !== undefined && p.email !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email))
    out.push(at(`${path}.email`, issue("party.email", "__email__ is not an e-mail address", { email: quoted(p.email) })));
}

function checkTenancyDates(t: Tenancy, path: string, out: ValidationIssue[]): boolean {
  let ok = true;
  if (!isLocalDate(t.from)) {
    out.push(at(`${path}.from`, issue("tenancy.fromFormat", "start date __from__ must be written YYYY-MM-DD", { from: quoted(t.from) })));
    ok = false;
  }
  if (t.to != null && t.to !== "") {
    if (!isLocalDate(t.to)) {
      out.push(
        at(`${path}.to`, issue("tenancy.toFormat", "end date __to__ must be written YYYY-MM-DD (or left empty while the tenancy runs)", { to: quoted(t.to) })),
      );
      ok = false;
    } else if (ok && daysBetween(t.from, t.to) < 0) {
      out.push(at(`${path}.to`, issue("tenancy.endsBeforeStart", "ends __to__, before it starts __from__", { from: t.from, to: t.to })));
      ok = false;
    }
  }
  return ok;
}

/** All problems of a definition; an empty list means it can be stored and billed. */
export function validateCommunity(def: CommunityDefinition): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const add = (path: string, i: Issue): void => void out.push(at(path, i));
  if (!def || typeof def !== "object") return [at("", issue("community.notObject", "the community definition must be an object"))];
  if (!isText(def.id) || !ID_PATTERN.test(def.id))
    add("id", issue("community.id", "id must be 1-64 lower-case letters, digits, '-' or '_' (it keys the community in the database)"));
  if (!isText(def.name)) add("name", issue("community.nameRequired", "name is required"));
  if (!COMMUNITY_KINDS.includes(def.kind)) add("kind", issue("community.kind", "kind must be one of __allowed__", { allowed: COMMUNITY_KINDS.join(", ") }));
  if (!CURRENCIES.includes(def.currency))
    add("currency", issue("community.currency", "currency must be __choices__", { choices: CURRENCIES.join(" or "), allowed: CURRENCIES.join(", ") }));
  if (!isText(def.timeZone) || !DateTime.now().setZone(def.timeZone).isValid)
    add("timeZone", issue("community.timeZone", "unknown time zone __timeZone__; Swiss communities use Europe/Zurich", { timeZone: quoted(def.timeZone) }));

  const c = def.creditor;
  if (!c || typeof c !== "object") add("creditor", issue("creditor.required", "creditor (who sends the invoices and receives the payments) is required"));
  else {
    if (!isText(c.name)) add("creditor.name", issue("party.nameRequired", "name is required"));
    else qrText("name", c.name, "creditor.name", out);
    checkAddress(c.address, "creditor.address", out);
    const problem = accountIssue(c.iban);
    if (problem) add("creditor.iban", problem);
    // Printed in the letterhead and the closing note.
    for (const f of ["email", "phone", "uid", "vatNumber"] as const) printed(c[f], `creditor.${f}`, out);
    if (typeof c.vatRegistered !== "boolean")
      add("creditor.vatRegistered", issue("creditor.vatRegistered", "say whether the community is registered for VAT (true or false)"));
    if (c.vatRegistered === true && !isText(c.vatNumber) && !isText(c.uid))
      add("creditor.vatNumber", issue("creditor.vatNumberRequired", "a VAT-registered community must give its VAT number (e.g. CHE-123.456.789 MWST)"));
    if (isText(c.uid) && !UID_PATTERN.test(c.uid.trim()))
      add("creditor.uid", issue("creditor.uidFormat", "__value__ is not written like CHE-123.456.789", { value: quoted(c.uid) }));
    if (isText(c.vatNumber) && !UID_PATTERN.test(c.vatNumber.trim()))
      add("creditor.vatNumber", issue("creditor.vatNumberFormat", "__value__ is not written like CHE-123.456.789 MWST", { value: quoted(c.vatNumber) }));
    if (c.paymentTermDays !== undefined && (!Number.isInteger(c.paymentTermDays) || c.paymentTermDays < 0 || c.paymentTermDays > 365))
      add("creditor.paymentTermDays", issue("creditor.paymentTerm", "payment term must be a whole number of days from 0 to 365"));
  }
  checkParty(def.owner, "owner", out);

  const buildingIds = new Set<string>();
  const unitIds = new Set<string>();
  if (!Array.isArray(def.buildings) || def.buildings.length === 0)
    add("buildings", issue("buildings.required", "at least one building with its units is required"));
  else
    def.buildings.forEach((b, bi) => {
      const bp = `buildings[${bi}]`;
      if (!isText(b.id) || !KEY_PATTERN.test(b.id)) add(`${bp}.id`, issue("building.id", "building id must be 1-64 letters, digits, space or . _ : / -"));
      else if (buildingIds.has(b.id)) add(`${bp}.id`, issue("building.duplicate", "building __building__ is listed twice", { building: b.id }));
      else buildingIds.add(b.id);
      if (!isText(b.name)) add(`${bp}.name`, issue("building.nameRequired", "building name is required"));
      if (b.address !== undefined) checkAddress(b.address, `${bp}.address`, out);
      if (b.owner !== undefined) checkParty(b.owner, `${bp}.owner`, out);
      if (!Array.isArray(b.units)) add(`${bp}.units`, issue("building.unitsNotList", "units must be a list"));
      else
        b.units.forEach((u, ui) => {
          const up = `${bp}.units[${ui}]`;
          if (!isText(u.id) || !KEY_PATTERN.test(u.id)) add(`${up}.id`, issue("unit.id", "unit id must be 1-64 letters, digits, space or . _ : / -"));
          else if (unitIds.has(u.id))
            add(`${up}.id`, issue("unit.duplicate", "unit __unit__ is listed twice (unit ids are unique across the community)", { unit: u.id }));
          else unitIds.add(u.id);
          if (!isText(u.label)) add(`${up}.label`, issue("unit.labelRequired", "unit label is required (it is printed on invoices)"));
          else printed(u.label, `${up}.label`, out);
          if (u.floorArea !== undefined && (typeof u.floorArea !== "number" || !Number.isFinite(u.floorArea) || u.floorArea < 0))
            add(`${up}.floorArea`, issue("unit.floorArea", "floor area must be a number of m² (0 or more)"));
        });
    });

  const tenancyIds = new Set<string>();
  const byUnit = new Map<string, { t: Tenancy; path: string }[]>();
  if (!Array.isArray(def.tenancies)) add("tenancies", issue("tenancies.notList", "tenancies must be a list (it may be empty)"));
  else
    def.tenancies.forEach((t, ti) => {
      const tp = `tenancies[${ti}]`;
      if (!isText(t.id)) add(`${tp}.id`, issue("tenancy.idRequired", "tenancy id is required"));
      else if (tenancyIds.has(t.id)) add(`${tp}.id`, issue("tenancy.duplicate", "tenancy __tenancy__ is listed twice", { tenancy: t.id }));
      else tenancyIds.add(t.id);
      if (!unitIds.has(t.unit)) add(`${tp}.unit`, issue("ref.unknownUnit", UNKNOWN_UNIT, { unit: quoted(t.unit) }));
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
        const params = { tenant: cur.t.tenant?.name ?? "?", from: cur.t.from, otherTenant: prev.t.tenant?.name ?? "?", unit, otherFrom: prev.t.from };
        add(
          cur.path,
          prev.t.to
            ? issue(
                "tenancy.overlap",
                "tenancy of __tenant__ from __from__ overlaps the tenancy of __otherTenant__ in unit __unit__ (__otherFrom__ to __otherTo__); a unit has one tenant at a time",
                { ...params, otherTo: prev.t.to },
              )
            : issue(
                "tenancy.overlapOpenEnd",
                "tenancy of __tenant__ from __from__ overlaps the tenancy of __otherTenant__ in unit __unit__ (__otherFrom__ to open end); a unit has one tenant at a time",
                params,
              ),
        );
      }
    }
  }

  if (def.meters !== undefined) {
    const meterIds = new Set<string>();
    const points = new Map<string, string>();
    if (!Array.isArray(def.meters)) add("meters", issue("meters.notList", "meters must be a list"));
    else
      def.meters.forEach((m, mi) => {
        const mp = `meters[${mi}]`;
        if (!isText(m.id) || !KEY_PATTERN.test(m.id)) add(`${mp}.id`, issue("meter.id", "meter id must be 1-64 letters, digits, space or . _ : / -"));
        else if (meterIds.has(m.id)) add(`${mp}.id`, issue("meter.duplicate", "meter __meter__ is listed twice", { meter: m.id }));
        else meterIds.add(m.id);
        if (!METER_ROLES.includes(m.role)) add(`${mp}.role`, issue("meter.role", "role must be one of __allowed__", { allowed: METER_ROLES.join(", ") }));
        if (m.role === "unit" && !isText(m.unit)) add(`${mp}.unit`, issue("meter.unitRequired", "a unit meter must name its unit"));
        if (isText(m.unit) && !unitIds.has(m.unit)) add(`${mp}.unit`, issue("ref.unknownUnit", UNKNOWN_UNIT, { unit: quoted(m.unit) }));
        if (m.meteringPoint !== undefined) {
          if (typeof m.meteringPoint !== "string" || !METERING_POINT_PATTERN.test(m.meteringPoint))
            add(
              `${mp}.meteringPoint`,
              issue(
                "meter.meteringPoint",
                "metering point __value__ must be 1-50 letters, digits or . _ : / - as the grid operator writes it (e.g. CH1234567890123456789012345678901)",
                { value: quoted(m.meteringPoint) },
              ),
            );
          else if (points.has(m.meteringPoint))
            add(
              `${mp}.meteringPoint`,
              issue("meter.meteringPointDuplicate", "metering point __value__ is given to meters __other__ and __meter__; one metering point is one meter", {
                value: m.meteringPoint,
                other: points.get(m.meteringPoint)!,
                meter: m.id,
              }),
            );
          else points.set(m.meteringPoint, m.id);
        }
      });
  }
  if (def.chargingIds !== undefined) {
    const seen = new Set<string>();
    if (!Array.isArray(def.chargingIds)) add("chargingIds", issue("chargingIds.notList", "chargingIds must be a list of { id, unit }"));
    else
      def.chargingIds.forEach((c, ci) => {
        const cp = `chargingIds[${ci}]`;
        if (!isText(c.id)) add(`${cp}.id`, issue("chargingId.idRequired", "the charging id (RFID tag or user id) is required"));
        else if (c.id.length > 64) add(`${cp}.id`, issue("chargingId.tooLong", "the charging id is longer than 64 characters"));
        else if (seen.has(c.id.toLowerCase()))
          add(
            `${cp}.id`,
            issue("chargingId.duplicate", "charging id __id__ is listed twice (one id pays for one unit; ids compare without regard to case)", { id: c.id }),
          );
        else seen.add(c.id.toLowerCase());
        if (!isText(c.unit)) add(`${cp}.unit`, issue("chargingId.unitRequired", "name the unit that pays for this id's charging"));
        else if (!unitIds.has(c.unit)) add(`${cp}.unit`, issue("ref.unknownUnit", UNKNOWN_UNIT, { unit: quoted(c.unit) }));
      });
  }
  if (def.tariffs !== undefined) {
    if (!Array.isArray(def.tariffs)) add("tariffs", issue("tariffs.notList", "tariffs must be a list of price plans"));
    else {
      out.push(...planIssues(def.tariffs, def.buildings?.map((b) => b.id) ?? []));
      // The standard product's name is printed in the invoice's comparison.
      def.tariffs.forEach((p, i) => printed(p?.standardProduct?.name, `tariffs[${i}].standardProduct.name`, out));
      // So are the labels of the grid price's components (decision 0134).
      def.tariffs.forEach((p, i) =>
        (Array.isArray(p?.gridComponents) ? p.gridComponents : []).forEach((c, k) => printed(c?.label, `tariffs[${i}].gridComponents[${k}].label`, out)),
      );
    }
  }
  const b = def.billing;
  if (b !== undefined) {
    if (b.allocation !== undefined && !["proportional", "equal"].includes(b.allocation))
      add("billing.allocation", issue("billing.allocation", "allocation must be proportional or equal"));
    if (b.commonAreaKey !== undefined && !COMMON_AREA_KEYS.includes(b.commonAreaKey))
      add("billing.commonAreaKey", issue("billing.commonAreaKey", "common-area key must be one of __allowed__", { allowed: COMMON_AREA_KEYS.join(", ") }));
    if (b.commonAreaKey === "custom") {
      const shares = b.customShares ?? {};
      for (const u of unitIds)
        if (!(typeof shares[u] === "number" && shares[u]! >= 0))
          add(
            `billing.customShares.${u}`,
            issue("billing.customShareMissing", "unit __unit__ needs a share (a number, 0 or more) for the custom common-area key", { unit: u }),
          );
      for (const k of Object.keys(shares))
        if (!unitIds.has(k)) add(`billing.customShares.${k}`, issue("billing.customShareUnknownUnit", "unit __unit__ does not exist", { unit: k }));
    }
    if (b.commonAreaKey === "floorArea") {
      for (const u of allUnits(def))
        if (u.floorArea === undefined)
          add("billing.commonAreaKey", issue("billing.floorAreaMissing", "the floor-area key needs the floor area of unit __unit__", { unit: u.id }));
    }
    if (b.minCoverage !== undefined && !(typeof b.minCoverage === "number" && b.minCoverage >= 0 && b.minCoverage <= 1))
      add("billing.minCoverage", issue("billing.minCoverage", "minimum coverage is a share from 0 to 1 (e.g. 0.95)"));
  }
  if (def.reminders !== undefined) reminderIssues(def.reminders).forEach((i) => out.push(i));
  out.push(...legIssues(def, unitIds));
  if (def.charges !== undefined) out.push(...chargeIssues(def.charges, buildingIds, Array.isArray(def.tenancies) ? def.tenancies : []));
  return out;
}

const CHARGE_AMOUNT = /^\d{1,5}(\.\d{1,2})?$/;

/** Custom line items (docs/community-file.md "Charges", docs/decisions/0103). */
function chargeIssues(charges: unknown, buildingIds: ReadonlySet<string>, tenancies: readonly Tenancy[]): ValidationIssue[] {
  if (!Array.isArray(charges)) return [at("charges", issue("charges.notList", "charges must be a list of { id, label, amount, rhythm, from, scope }"))];
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  charges.forEach((raw: unknown, i) => {
    const p = `charges[${i}]`;
    const c = (raw && typeof raw === "object" ? raw : {}) as Partial<Record<keyof Charge, unknown>>;
    if (typeof c.id !== "string" || !ID_PATTERN.test(c.id))
      out.push(at(`${p}.id`, issue("charge.id", "charge id must be 1-64 lower-case letters, digits, - or _")));
    else if (seen.has(c.id)) out.push(at(`${p}.id`, issue("charge.duplicate", "charge __charge__ is listed twice", { charge: c.id })));
    else seen.add(c.id);
    if (!isText(c.label)) out.push(at(`${p}.label`, issue("charge.label", "a charge needs a label (printed on the invoice)")));
    else printed(c.label, `${p}.label`, out);
    if (c.labels !== undefined) {
      if (!c.labels || typeof c.labels !== "object" || Array.isArray(c.labels))
        out.push(at(`${p}.labels`, issue("charge.labels", "labels must map languages (__allowed__) to texts", { allowed: LANGUAGES.join(", ") })));
      else
        for (const [lang, text] of Object.entries(c.labels as Record<string, unknown>)) {
          if (!(LANGUAGES as readonly string[]).includes(lang) || !isText(text))
            out.push(at(`${p}.labels.${lang}`, issue("charge.labels", "labels must map languages (__allowed__) to texts", { allowed: LANGUAGES.join(", ") })));
          else printed(text, `${p}.labels.${lang}`, out);
        }
    }
    if (typeof c.amount !== "string" || !CHARGE_AMOUNT.test(c.amount))
      out.push(at(`${p}.amount`, issue("charge.amount", 'amount must be a sum such as "5.00" (0 to 99999.99, up to 2 decimals)')));
    if (c.pricesIncludeVat !== undefined && typeof c.pricesIncludeVat !== "boolean")
      out.push(at(`${p}.pricesIncludeVat`, issue("charge.pricesIncludeVat", "pricesIncludeVat must be true or false (absent: as the price plan of the day)")));
    if (!CHARGE_RHYTHMS.includes(c.rhythm as ChargeRhythm))
      out.push(at(`${p}.rhythm`, issue("charge.rhythm", "rhythm must be one of __allowed__", { allowed: CHARGE_RHYTHMS.join(", ") })));
    const fromOk = isLocalDate(c.from);
    if (!fromOk) out.push(at(`${p}.from`, issue("charge.from", "from must be a date (YYYY-MM-DD): the first day, or the day of a one-off charge")));
    if (c.to !== undefined && c.to !== null) {
      if (c.rhythm === "once") out.push(at(`${p}.to`, issue("charge.onceTo", "a one-off charge has only its day (from), no end date")));
      else if (!isLocalDate(c.to)) out.push(at(`${p}.to`, issue("charge.to", "to must be a date (YYYY-MM-DD) or absent")));
      else if (fromOk && daysBetween(c.from as string, c.to) < 0)
        out.push(at(`${p}.to`, issue("charge.toBeforeFrom", "the charge ends (__to__) before it starts (__from__)", { from: c.from as string, to: c.to })));
    }
    if (!CHARGE_SCOPES.includes(c.scope as ChargeScope))
      out.push(at(`${p}.scope`, issue("charge.scope", "scope must be one of __allowed__", { allowed: CHARGE_SCOPES.join(", ") })));
    if (c.scope === "building" && !(typeof c.building === "string" && buildingIds.has(c.building)))
      out.push(
        at(
          `${p}.building`,
          issue("charge.unknownBuilding", "a building charge names an existing building: __building__ is none", { building: quoted(c.building) }),
        ),
      );
    if (c.scope === "tenancy") {
      const t = tenancies.find((x) => x.id === c.tenancy);
      if (!t)
        out.push(
          at(`${p}.tenancy`, issue("charge.unknownTenancy", "a tenancy charge names an existing tenancy: __tenancy__ is none", { tenancy: quoted(c.tenancy) })),
        );
      else if (c.rhythm === "once" && fromOk && (daysBetween(t.from, c.from as string) < 0 || (t.to && daysBetween(c.from as string, t.to) < 0)))
        out.push(
          at(
            `${p}.from`,
            issue("charge.outsideTenancy", "the one-off charge's day __date__ is outside tenancy __tenancy__", { date: c.from as string, tenancy: t.id }),
          ),
        );
    }
  });
  return out;
}

const FEE_PATTERN = /^\d{1,4}(\.\d{1,2})?$/;

/** Reminder levels: 1 to 5, each later than the one before, fees as amounts (a fee must be agreed with the tenants to be owed). */
function reminderIssues(levels: unknown): ValidationIssue[] {
  if (!Array.isArray(levels) || levels.length < 1 || levels.length > 5)
    return [at("reminders", issue("reminders.list", "reminders must be a list of 1 to 5 levels { afterDays, fee }"))];
  const out: ValidationIssue[] = [];
  let last = 0;
  levels.forEach((l: Partial<{ afterDays: unknown; fee: unknown }> | null, i) => {
    const p = `reminders[${i}]`;
    const days = l?.afterDays;
    if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 365)
      out.push(at(`${p}.afterDays`, issue("reminders.afterDays", "afterDays must be a whole number of days after the due date, from 1 to 365")));
    else if (days <= last)
      out.push(
        at(
          `${p}.afterDays`,
          issue("reminders.order", "each reminder level comes later than the one before: __days__ days is not after __last__", { days, last }),
        ),
      );
    else last = days;
    const fee = l?.fee;
    if (typeof fee !== "string" || !FEE_PATTERN.test(fee.trim()))
      out.push(at(`${p}.fee`, issue("reminders.fee", 'fee must be an amount such as "0.00" or "20.00"')));
  });
  return out;
}

const PRICE_PATTERN = /^\d+(\.\d+)?$/;

/** The LEG fields (docs/decisions/0129-0131): required for a LEG, refused elsewhere so that a ZEV never bills half a LEG. */
function legIssues(def: CommunityDefinition, unitIds: ReadonlySet<string>): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const leg = def.kind === "LEG";
  const fields = ["legAllocation", "legShares", "legGridFeeReduction", "legGridFeePerKWh", "producerPrice", "legSplitSource", "legProducts"] as const;
  if (!leg) {
    for (const f of fields) if (def[f] !== undefined) out.push(at(f, issue("leg.onlyForLeg", "__field__ is for a LEG only (kind LEG)", { field: f })));
    return out;
  }
  if (def.legAllocation !== undefined && !["proportional", "static"].includes(def.legAllocation))
    out.push(at("legAllocation", issue("leg.allocation", "legAllocation must be proportional or static")));
  if (def.legAllocation === "static") {
    const shares = def.legShares;
    if (!shares || typeof shares !== "object" || Array.isArray(shares) || !Object.keys(shares).length)
      out.push(at("legShares", issue("leg.sharesRequired", "the static key needs legShares: unit id -> share (a whole number, 0 or more)")));
    else
      for (const [u, w] of Object.entries(shares)) {
        if (!unitIds.has(u)) out.push(at(`legShares.${u}`, issue("leg.shareUnknownUnit", "unit __unit__ does not exist", { unit: u })));
        if (!(typeof w === "number" && Number.isSafeInteger(w) && w >= 0))
          out.push(at(`legShares.${u}`, issue("leg.share", "the share of unit __unit__ must be a whole number, 0 or more", { unit: u })));
      }
  }
  if (def.legGridFeeReduction !== 20 && def.legGridFeeReduction !== 40)
    out.push(at("legGridFeeReduction", issue("leg.gridFeeReduction", "legGridFeeReduction must be 40 (same transformer circuit) or 20 (percent)")));
  if (def.legGridFeePerKWh !== undefined && !(typeof def.legGridFeePerKWh === "string" && PRICE_PATTERN.test(def.legGridFeePerKWh)))
    out.push(at("legGridFeePerKWh", issue("leg.gridFeePerKWh", "legGridFeePerKWh must be a price per kWh such as 0.095")));
  if (!(typeof def.producerPrice === "string" && PRICE_PATTERN.test(def.producerPrice)))
    out.push(at("producerPrice", issue("leg.producerPrice", "a LEG needs producerPrice: what it pays its producers per kWh without VAT, such as 0.12")));
  if (def.legSplitSource !== undefined && !["own", "operator"].includes(def.legSplitSource))
    out.push(at("legSplitSource", issue("leg.splitSource", "legSplitSource must be own or operator")));
  const p = def.legProducts;
  const list = (v: unknown): v is string[] => Array.isArray(v) && v.every(isText);
  if (p !== undefined && !(p && typeof p === "object" && list(p.local) && list(p.residual)))
    out.push(at("legProducts", issue("leg.products", "legProducts must be { local: [product ids], residual: [product ids] }")));
  if (def.legSplitSource === "operator" && !(p && list(p.local) && p.local.length && list(p.residual) && p.residual.length))
    out.push(at("legProducts", issue("leg.productsRequired", "billing from the operator's split needs legProducts with the local and residual product ids")));
  (Array.isArray(def.tenancies) ? def.tenancies : []).forEach((t, i) => {
    const v = t?.producer;
    if (v === undefined) return;
    if (!v || typeof v.vatRegistered !== "boolean")
      out.push(at(`tenancies[${i}].producer.vatRegistered`, issue("leg.producerVat", "say whether the producer is registered for VAT (true or false)")));
    else if (v.vatRegistered && !isText(v.vatNumber))
      out.push(
        at(
          `tenancies[${i}].producer.vatNumber`,
          issue("leg.producerVatNumber", "a VAT-registered producer must give its VAT number (e.g. CHE-123.456.789 MWST)"),
        ),
      );
  });
  return out;
}

export function assertValidCommunity(def: CommunityDefinition): void {
  const issues = validateCommunity(def);
  if (issues.length) throw new CommunityValidationError(issues);
}
