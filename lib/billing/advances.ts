import type { CommunityDefinition, Tenancy } from "../community/types";
import type { AdvanceRhythm, InvoiceLine, InvoiceSnapshot } from "../model/invoice";
import type { Language } from "../model/party";
import {
  advanceInvoices,
  type AdvancePlan,
  getAdvancePlan,
  insertIssuedDocument,
  listAdvancePlans,
  periodicInvoicesOverlapping,
  saveAdvancePlan,
} from "../store/advance-repo";
import { latestCommunity } from "../store/community-repo";
import { type InvoiceRecord, listInvoices } from "../store/invoice-repo";
import type { Store } from "../store/store";
import { vatRateOn } from "../tariffs/vat";
import type { PricePlan } from "../tariffs/types";
import { compareLocalDates, daysBetween, daysInMonth, isLocalDate, type LocalDate } from "../time/local-date";
import { CodedError } from "../util/coded-error";
import { Decimal, money } from "../util/money";
import { InvoiceNotIssuableError, type SnapshotProblem } from "./issuable";
import { issuableSnapshot } from "./issue";
import { computeTotals } from "./totals";

/*
 * Advance payments (Akonto) per tenancy: the amounts proposed from last
 * year's bills at the new year's prices, stored per tenancy and year, and the
 * advance invoices of a month or quarter issued with numbers from the
 * invoices' sequence and a QR bill like any invoice (docs/payments.md
 * "Advance payments and the annual statement", docs/decisions/0123..0125).
 */

/** Something about advances a person must read: a code for translations, the values, the English text. */
export class AdvanceError extends CodedError {}

function fail(code: string, params: Record<string, string | number>, template: string): never {
  throw new AdvanceError(`advances.${code}`, params, template);
}

export function communityDefinition(store: Store, communityId: string): CommunityDefinition {
  const rev = latestCommunity(store, communityId);
  if (!rev) fail("noCommunity", { community: communityId }, "no community __community__ in the store; import it first (zev community import)");
  return rev.definition;
}

function tenancyOf(def: CommunityDefinition, tenancyId: string): Tenancy {
  const t = def.tenancies.find((x) => x.id === tenancyId);
  if (!t) fail("noTenancy", { tenancy: tenancyId, community: def.id }, "community __community__ has no tenancy __tenancy__");
  return t;
}

/** The tenancy's days inside [from, to], or null when it has none there. */
export function tenancySpan(t: Tenancy, from: LocalDate, to: LocalDate): { from: LocalDate; to: LocalDate } | null {
  const a = compareLocalDates(t.from, from) > 0 ? t.from : from;
  const b = t.to && compareLocalDates(t.to, to) < 0 ? t.to : to;
  return compareLocalDates(a, b) <= 0 ? { from: a, to: b } : null;
}

export const advancesPerYear = (rhythm: AdvanceRhythm): number => (rhythm === "monthly" ? 12 : 4);

/** An advance period "2027-01" or "2027-Q1": its rhythm, year and days. */
export function parseAdvancePeriod(text: string): { rhythm: AdvanceRhythm; year: number; label: string; from: LocalDate; to: LocalDate } {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { rhythm: "monthly", year: y, label: text, from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${String(daysInMonth(y, mo)).padStart(2, "0")}` };
  }
  const q = /^(\d{4})-Q([1-4])$/.exec(text);
  if (q) {
    const y = Number(q[1]);
    const first = (Number(q[2]) - 1) * 3 + 1;
    const last = first + 2;
    const mm = (n: number): string => String(n).padStart(2, "0");
    return { rhythm: "quarterly", year: y, label: text, from: `${q[1]}-${mm(first)}-01`, to: `${q[1]}-${mm(last)}-${mm(daysInMonth(y, last))}` };
  }
  return fail("period", { period: text }, "advance period __period__ must be a month (2027-01) or a quarter (2027-Q1)");
}

// ---------------------------------------------------------------------------------------------------------------
// Proposal

export interface AdvanceProposal {
  tenancyId: string;
  recipient: string;
  rhythm: AdvanceRhythm;
  /** Per advance (a multiple of 5.00), or null when there is nothing to propose from. */
  amount: string | null;
  /** The estimate for the tenancy's days of the new year, before dividing and rounding. */
  yearEstimate: string | null;
  basis: { invoices: string[]; billedDays: number; billedTotal: string; repriced: string; newDays: number } | null;
  reason?: string;
}

/** The plan in force on `date` for the whole community (building plans aside: the proposal is an estimate). */
function planOn(def: CommunityDefinition, date: LocalDate): PricePlan | undefined {
  let best: PricePlan | undefined;
  for (const p of def.tariffs ?? []) {
    if (p.buildings?.length) continue;
    if (compareLocalDates(p.validFrom, date) <= 0 && (!best || compareLocalDates(p.validFrom, best.validFrom) > 0)) best = p;
  }
  return best;
}

function kWhPrice(plan: PricePlan, kind: InvoiceLine["kind"]): string | undefined {
  switch (kind.replace(/^common-/, "")) {
    case "solar":
      return plan.solarPerKWh;
    case "battery":
      return plan.batteryPerKWh ?? plan.solarPerKWh;
    case "grid":
      return plan.gridPerKWh;
    case "grid-ht":
      return plan.gridHtPerKWh;
    case "grid-nt":
      return plan.gridNtPerKWh;
    case "ev-normal":
      return plan.evNormalPerKWh;
    case "ev-priority":
      return plan.evPriorityPerKWh;
    default:
      return undefined;
  }
}

/** "15/31" or "3" months as a number of months. */
function months(quantity: string): Decimal {
  const [a, b] = quantity.split("/");
  return b ? new Decimal(a!).div(b) : new Decimal(a!);
}

/**
 * One billed line at the new year's prices, with VAT at the new year's rate:
 * the same kWh (or months, meters) times the new plan's price; a line the new
 * plan has no price for (a one-off charge) keeps its billed amount.
 */
function repriced(l: InvoiceLine, plan: PricePlan | undefined, vatRegistered: boolean, newRate: Decimal): Decimal {
  let amount = new Decimal(l.amount);
  let incl = l.pricesIncludeVat;
  if (plan) {
    const price =
      l.unit === "kWh"
        ? kWhPrice(plan, l.kind)
        : l.kind === "base-fee"
          ? plan.baseFeePerMonth
          : l.kind === "metering-fee"
            ? plan.meteringFeePerMonth && new Decimal(plan.meteringFeePerMonth).mul(l.meters ?? 1).toString()
            : undefined;
    if (price !== undefined) {
      amount = (l.unit === "kWh" ? new Decimal(l.quantity) : months(l.quantity)).mul(price);
      incl = plan.pricesIncludeVat;
    }
  }
  return vatRegistered && !incl ? amount.mul(newRate.plus(1)) : amount;
}

/** Nearest multiple of 5 (half up), never below 5 for a positive estimate: advances are round sums. */
function roundToFive(x: Decimal): Decimal {
  if (x.lte(0)) return new Decimal(0);
  const r = x.div(5).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(5);
  return r.lt(5) ? new Decimal(5) : r;
}

/** Billed periodic invoices and statements of the tenancy in `year` (issued or paid), no advances. */
function billedInYear(store: Store, communityId: string, tenancyId: string, year: number): InvoiceRecord[] {
  return listInvoices(store, communityId, { from: `${year}-01-01`, to: `${year}-12-31` }).filter(
    (r) =>
      r.kind === "invoice" &&
      (r.status === "issued" || r.status === "paid") &&
      r.tenancyKey === tenancyId &&
      !r.snapshot.advance &&
      r.periodFrom.startsWith(String(year)) &&
      r.periodTo.startsWith(String(year)),
  );
}

/**
 * The rule (docs/payments.md): last year's issued invoices of the tenancy (or
 * its statement), each line repriced at the plan valid on 1 January of the new
 * year with the new year's VAT, summed, scaled from the days billed last year
 * to the tenancy's days in the new year, divided by the advances of the year
 * (12 or 4) and rounded to the nearest 5 CHF.
 */
export function proposeAdvances(store: Store, communityId: string, year: number, rhythm: AdvanceRhythm = "monthly"): AdvanceProposal[] {
  const def = communityDefinition(store, communityId);
  const plan = planOn(def, `${year}-01-01`);
  const newRate = def.creditor.vatRegistered ? vatRateOn(`${year}-01-01`) : new Decimal(0);
  const out: AdvanceProposal[] = [];
  for (const t of def.tenancies) {
    const span = tenancySpan(t, `${year}-01-01`, `${year}-12-31`);
    if (!span) continue;
    const base = { tenancyId: t.id, recipient: t.tenant.name, rhythm };
    const billed = billedInYear(store, communityId, t.id, year - 1);
    if (!billed.length) {
      out.push({ ...base, amount: null, yearEstimate: null, basis: null, reason: `no issued invoice of ${year - 1} for this tenancy: set the amount by hand` });
      continue;
    }
    let days = 0;
    let billedTotal = new Decimal(0);
    let estimate = new Decimal(0);
    for (const r of billed) {
      billedTotal = billedTotal.plus(r.snapshot.statement ? r.snapshot.statement.yearTotals.total : r.total);
      for (const s of r.snapshot.service) days += daysBetween(s.from, s.to) + 1;
      for (const l of r.snapshot.lines) estimate = estimate.plus(repriced(l, plan, def.creditor.vatRegistered, newRate));
    }
    const newDays = daysBetween(span.from, span.to) + 1;
    const yearEstimate = days > 0 ? estimate.mul(newDays).div(days) : new Decimal(0);
    const periods = Math.max(1, Math.round((advancesPerYear(rhythm) * newDays) / (daysBetween(`${year}-01-01`, `${year}-12-31`) + 1)));
    out.push({
      ...base,
      amount: money(roundToFive(yearEstimate.div(periods))),
      yearEstimate: money(yearEstimate),
      basis: { invoices: billed.map((r) => r.number ?? `#${r.id}`), billedDays: days, billedTotal: money(billedTotal), repriced: money(estimate), newDays },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Setting the amounts

export interface SetAdvanceRequest {
  communityId: string;
  tenancyId: string;
  year: number;
  rhythm: AdvanceRhythm;
  amount: string;
  actor: string;
}

/**
 * Stores a tenancy's advances for a year: the tenancy is then billed by
 * advances and an annual statement that year. Refused when periodic invoices
 * of the tenancy already cover part of the year (the same days must not be
 * billed twice), or when advances of another rhythm were already issued.
 */
export function setAdvancePlan(store: Store, req: SetAdvanceRequest): AdvancePlan {
  const def = communityDefinition(store, req.communityId);
  const t = tenancyOf(def, req.tenancyId);
  if (!Number.isInteger(req.year) || req.year < 2000 || req.year > 2999) fail("year", { year: String(req.year) }, "year __year__ must be written YYYY");
  if (req.rhythm !== "monthly" && req.rhythm !== "quarterly") fail("rhythm", { rhythm: String(req.rhythm) }, "rhythm __rhythm__ must be monthly or quarterly");
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(req.amount) || new Decimal(req.amount).lte(0))
    fail("amount", { amount: req.amount }, "advance amount __amount__ must be a positive amount with at most 2 decimals (e.g. 120 or 120.50)");
  const amount = new Decimal(req.amount);
  if (def.currency === "CHF" && !amount.mod("0.05").isZero())
    fail("amountRappen", { amount: req.amount }, "advance amount __amount__ CHF must be a multiple of 0.05 (cash rounding)");
  const span = tenancySpan(t, `${req.year}-01-01`, `${req.year}-12-31`);
  if (!span) fail("tenancyNotInYear", { tenancy: t.id, year: req.year }, "tenancy __tenancy__ has no day in __year__");
  refuseMix(store, req.communityId, t.id, span.from, span.to);
  const issued = advanceInvoices(store, req.communityId, t.id, req.year).filter((r) => r.status !== "cancelled");
  const other = issued.find((r) => r.snapshot.advance!.rhythm !== req.rhythm);
  if (other)
    fail(
      "rhythmIssued",
      { tenancy: t.id, year: req.year, number: other.number ?? "", rhythm: other.snapshot.advance!.rhythm },
      "tenancy __tenancy__ already has __rhythm__ advance __number__ in __year__: the rhythm cannot change within a year",
    );
  return saveAdvancePlan(store, { communityId: req.communityId, tenancyId: t.id, year: req.year, rhythm: req.rhythm, amount: money(amount), setBy: req.actor });
}

/** Throws when periodic invoices of the tenancy cover any of [from, to]: a tenancy is billed one way per year. */
export function refuseMix(store: Store, communityId: string, tenancyId: string, from: LocalDate, to: LocalDate): void {
  const periodic = periodicInvoicesOverlapping(store, communityId, tenancyId, from, to);
  if (periodic.length)
    fail(
      "mixed",
      {
        tenancy: tenancyId,
        invoices: periodic.map((r) => `${r.number ?? `draft #${r.id}`} (${r.periodFrom}..${r.periodTo}, ${r.status})`).join(", "),
        year: from.slice(0, 4),
      },
      "tenancy __tenancy__ has periodic invoices in __year__: __invoices__. A tenancy is billed either by periodic invoices or by advances and an annual statement in a year, not both: cancel (or delete the drafts of) those invoices first, or keep billing it periodically",
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Issuing the advance invoices of a period

const MONTHS: Record<Language, string[]> = {
  de: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
  fr: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
  it: ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};
const ADVANCE_WORD: Record<Language, string> = { de: "Akontozahlung", fr: "Acompte", it: "Acconto", en: "Advance payment" };

/** The line's printed label in the recipient's language: "Akontozahlung Januar 2027", "Acompte T1 2027". */
export function advanceLabel(language: Language, period: string): string {
  const lang: Language = language in ADVANCE_WORD ? language : "de";
  const [y, part] = period.split("-") as [string, string];
  const when = part.startsWith("Q") ? `${lang === "de" ? "Q" : lang === "en" ? "Q" : "T"}${part.slice(1)} ${y}` : `${MONTHS[lang][Number(part) - 1]} ${y}`;
  return `${ADVANCE_WORD[lang]} ${when}`;
}

export interface IssueAdvancesRequest {
  communityId: string;
  /** "2027-01" (monthly plans) or "2027-Q1" (quarterly plans). */
  period: string;
  invoiceDate: LocalDate;
  actor: string;
  /** Only this tenancy. */
  tenancyId?: string;
}

export interface AdvanceOutcome {
  tenancyId: string;
  recipient: string;
  action: "issued" | "skipped" | "refused";
  number: string | null;
  total: string | null;
  reason?: string;
  problems?: SnapshotProblem[];
  record?: InvoiceRecord;
}

/** The advance invoice of a tenancy and period before its number: one line, VAT included at the rate of the period's first day. */
export function advanceDraft(
  def: CommunityDefinition,
  revisionId: number,
  t: Tenancy,
  plan: AdvancePlan,
  period: ReturnType<typeof parseAdvancePeriod>,
): InvoiceSnapshot {
  const span = tenancySpan(t, period.from, period.to)!;
  const unit = def.buildings.flatMap((b) => b.units.map((u) => ({ ...u, building: b.id }))).find((u) => u.id === t.unit);
  const vatRate = def.creditor.vatRegistered ? vatRateOn(period.from).toString() : null;
  const line: InvoiceLine = {
    pos: 1,
    kind: "charge",
    from: period.from,
    to: period.to,
    quantity: "1",
    unit: "piece",
    unitPrice: plan.amount,
    amount: plan.amount,
    vatRate,
    pricesIncludeVat: true,
    planId: "advance",
    chargeId: "advance",
    label: advanceLabel(t.tenant.language, period.label),
  };
  return {
    schema: 1,
    communityId: def.id,
    communityName: def.name,
    communityKind: def.kind,
    revisionId,
    currency: def.currency,
    language: t.tenant.language,
    creditor: def.creditor,
    recipient: t.tenant,
    recipientKind: "tenant",
    tenancyKey: t.id,
    unit: {
      id: t.unit,
      label: unit?.label ?? t.unit,
      building: unit?.building ?? "",
      meters: (def.meters ?? []).filter((m) => m.role === "unit" && m.unit === t.unit).map((m) => m.id),
    },
    period: { label: period.label, from: period.from, to: period.to },
    service: [span],
    lines: [line],
    totals: computeTotals([line], def.currency),
    energy: { ownSolarKWh: "0.000", ownBatteryKWh: "0.000", ownGridKWh: "0.000", commonKWh: "0.000", evKWh: "0.000", totalKWh: "0.000", selfSufficiency: null },
    comparison: null,
    comparisonDetail: null,
    art16: null,
    quality: [],
    plans: [],
    advance: { year: plan.year, rhythm: plan.rhythm, period: period.label },
  };
}

/**
 * Issues the advance invoices of one month or quarter, one per tenancy whose
 * plan has that rhythm and who lives there some day of it. Idempotent: a
 * tenancy that has its advance for the period is skipped. One that cannot be
 * printed or paid is refused before its number is taken.
 */
export function issueAdvances(store: Store, req: IssueAdvancesRequest): AdvanceOutcome[] {
  if (!isLocalDate(req.invoiceDate)) fail("date", { date: String(req.invoiceDate) }, "invoice date __date__ must be written YYYY-MM-DD");
  const period = parseAdvancePeriod(req.period);
  const rev = latestCommunity(store, req.communityId);
  if (!rev) fail("noCommunity", { community: req.communityId }, "no community __community__ in the store; import it first (zev community import)");
  const def = rev.definition;
  const plans = listAdvancePlans(store, req.communityId, period.year).filter((p) => !req.tenancyId || p.tenancyId === req.tenancyId);
  if (req.tenancyId && !plans.length)
    fail("noPlan", { tenancy: req.tenancyId, year: period.year }, "tenancy __tenancy__ has no advances set for __year__ (zev advances set)");
  const out: AdvanceOutcome[] = [];
  store.write(() => {
    for (const plan of plans) {
      const t = def.tenancies.find((x) => x.id === plan.tenancyId);
      const row = { tenancyId: plan.tenancyId, recipient: t?.tenant.name ?? "", number: null, total: null };
      if (!t) {
        out.push({ ...row, action: "skipped", reason: "the community has no such tenancy any more" });
        continue;
      }
      if (plan.rhythm !== period.rhythm) {
        out.push({ ...row, action: "skipped", reason: `its advances are ${plan.rhythm}` });
        continue;
      }
      if (!tenancySpan(t, period.from, period.to)) {
        out.push({ ...row, action: "skipped", reason: `no day of the tenancy in ${period.label}` });
        continue;
      }
      const existing = advanceInvoices(store, req.communityId, t.id, period.year).find(
        (r) => r.snapshot.advance!.period === period.label && r.status !== "cancelled",
      );
      if (existing) {
        out.push({ ...row, action: "skipped", number: existing.number, total: existing.total, reason: `already issued as ${existing.number}` });
        continue;
      }
      const periodic = periodicInvoicesOverlapping(store, req.communityId, t.id, period.from, period.to);
      if (periodic.length) {
        out.push({
          ...row,
          action: "refused",
          reason: `periodic invoice(s) ${periodic.map((r) => r.number ?? `draft #${r.id}`).join(", ")} cover the period: a tenancy is billed either periodically or by advances`,
        });
        continue;
      }
      const draft = advanceDraft(def, rev.id, t, plan, period);
      try {
        const rec = insertIssuedDocument(store, draft, (n) => issuableSnapshot(draft, n, req.invoiceDate), Number(req.invoiceDate.slice(0, 4)), req.actor);
        out.push({ ...row, action: "issued", number: rec.number, total: rec.total, record: rec });
      } catch (e) {
        if (!(e instanceof InvoiceNotIssuableError)) throw e;
        out.push({
          ...row,
          action: "refused",
          reason: `not issued, it could not be printed: ${e.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          problems: e.problems,
        });
      }
    }
  });
  return out;
}

export { getAdvancePlan, listAdvancePlans };
