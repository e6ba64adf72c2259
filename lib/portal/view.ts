import { createHmac } from "node:crypto";
import { intervalsOfLayout, layoutOf } from "../aggregation/community-intervals";
import type { CommunityDefinition, Tenancy } from "../community/types";
import { LANGUAGES, type Language } from "../model/party";
import { invoicePayment, type PaymentStatus } from "../payments/status";
import type { InvoiceRecord } from "../store/invoice-repo";
import { paidAmount } from "../store/payment-repo";
import { documentsOfTenancy, sessionsOfUnit } from "../store/portal-token-repo";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { addDays, compareLocalDates, localClock, localDateOf, type LocalDate, startOfLocalDay } from "../time/local-date";

/*
 * What one tenant sees (docs/portal.md): built from the store for one
 * tenancy only. Energy is clipped to the tenancy's own days, so the unit's
 * earlier or later occupants never show; invoices are the tenancy's issued
 * documents, named by opaque references that mean nothing outside the
 * token that asked.
 */

/** How far back the portal looks: this month and the 12 before it. */
export const HISTORY_MONTHS = 13;

export interface EnergyRow {
  /** YYYY-MM or YYYY-MM-DD. */
  key: string;
  consumptionKWh: number;
  solarKWh: number;
  batteryKWh: number;
  gridKWh: number;
  /** (solar + battery) / consumption, 0..1 with 3 decimals; null without consumption. */
  solarShare: number | null;
  productionKWh: number;
}

export interface PortalInvoice {
  /** Opaque, per link: the only name of this document in URLs. */
  ref: string;
  number: string;
  kind: "invoice" | "credit-note";
  status: "issued" | "paid" | "cancelled";
  periodFrom: LocalDate;
  periodTo: LocalDate;
  invoiceDate: LocalDate | null;
  dueDate: LocalDate | null;
  currency: string;
  total: string;
  /** For live invoices: the payment state and what is still open (two decimals); null for credit notes and cancelled invoices. */
  payment: { status: PaymentStatus; paid: string; open: string } | null;
}

export interface PortalSession {
  date: LocalDate;
  /** Local HH:MM. */
  start: string;
  end: string | null;
  kWh: number;
  priorityKWh: number;
  normalKWh: number;
  /** The last 4 characters of the charging id, for the tenant to recognise the card. */
  idTail: string | null;
}

export interface PortalView {
  language: Language;
  community: { name: string; kind: string };
  tenant: { name: string };
  unit: { id: string; label: string };
  tenancy: { from: LocalDate; to: LocalDate | null };
  /** The days the energy figures cover: [from, to], inside the tenancy. */
  range: { from: LocalDate; to: LocalDate } | null;
  months: EnergyRow[];
  /** Days of `month`. */
  month: string | null;
  days: EnergyRow[];
  invoices: PortalInvoice[];
  sessions: PortalSession[];
  generatedMs: number;
}

/** An invoice's reference for one link: HMAC of the invoice id keyed by the link's hash (never the token). */
export function invoiceRef(tokenHash: string, invoiceId: number): string {
  return createHmac("sha256", tokenHash).update(`invoice:${invoiceId}`).digest("base64url").slice(0, 22);
}

const kwh = (mWh: number): number => Math.round(mWh / 1000) / 1000;

interface Acc {
  c: number;
  s: number;
  b: number;
  g: number;
  p: number;
}
const acc = (): Acc => ({ c: 0, s: 0, b: 0, g: 0, p: 0 });
function row(key: string, a: Acc): EnergyRow {
  return {
    key,
    consumptionKWh: kwh(a.c),
    solarKWh: kwh(a.s),
    batteryKWh: kwh(a.b),
    gridKWh: kwh(a.g),
    solarShare: a.c > 0 ? Math.round(((a.s + a.b) / a.c) * 1000) / 1000 : null,
    productionKWh: kwh(a.p),
  };
}

export function tenantLanguage(t: Tenancy): Language {
  return LANGUAGES.includes(t.tenant.language) ? t.tenant.language : "de";
}

/** The tenancy's days that the portal shows at `nowMs`: its own, within the last HISTORY_MONTHS months, up to today. */
export function energyRange(t: Tenancy, nowMs: number, zone: string): { from: LocalDate; to: LocalDate } | null {
  const today = localDateOf(nowMs, zone);
  const [y, m] = today.split("-").map(Number) as [number, number];
  const back = new Date(Date.UTC(y, m - 1 - (HISTORY_MONTHS - 1), 1)).toISOString().slice(0, 10);
  const from = compareLocalDates(t.from, back) > 0 ? t.from : back;
  const to = t.to && compareLocalDates(t.to, today) < 0 ? t.to : today;
  return compareLocalDates(from, to) <= 0 ? { from, to } : null;
}

function toPortalInvoice(store: Store, rec: InvoiceRecord, tokenHash: string): PortalInvoice {
  const live = rec.kind === "invoice" && (rec.status === "issued" || rec.status === "paid");
  const pay = live ? invoicePayment(rec.total, paidAmount(store, rec.id)) : null;
  return {
    ref: invoiceRef(tokenHash, rec.id),
    number: rec.number!,
    kind: rec.kind,
    status: rec.status === "draft" ? "issued" : rec.status,
    periodFrom: rec.periodFrom,
    periodTo: rec.periodTo,
    invoiceDate: rec.snapshot.invoiceDate ?? null,
    dueDate: rec.snapshot.dueDate ?? null,
    currency: rec.currency,
    total: rec.total,
    payment: pay ? { status: pay.paymentStatus, paid: pay.paidAmount, open: pay.openAmount } : null,
  };
}

/** The tenancy's issued documents addressed to its tenant (an owner's vacancy invoice never, whatever a tenancy is called). */
function ownDocuments(store: Store, communityId: string, tenancyId: string): InvoiceRecord[] {
  return documentsOfTenancy(store, communityId, tenancyId).filter((r) => r.snapshot.recipientKind === "tenant");
}

/** The tenancy's documents, each with its reference for this link (for serving a PDF: found only among them). */
export function tenancyDocuments(store: Store, def: CommunityDefinition, tenancy: Tenancy, tokenHash: string): { ref: string; record: InvoiceRecord }[] {
  return ownDocuments(store, def.id, tenancy.id).map((record) => ({ ref: invoiceRef(tokenHash, record.id), record }));
}

const hhmm = (ms: number, zone: string): string => {
  const c = localClock(ms, zone);
  return `${String(Math.floor(c.minuteOfDay / 60)).padStart(2, "0")}:${String(c.minuteOfDay % 60).padStart(2, "0")}`;
};

export function portalView(
  store: Store,
  def: CommunityDefinition,
  tenancy: Tenancy,
  tokenHash: string,
  nowMs: number,
  opts: { month?: string } = {},
): PortalView {
  const zone = def.timeZone;
  const unit = def.buildings.flatMap((b) => b.units).find((u) => u.id === tenancy.unit);
  const range = energyRange(tenancy, nowMs, zone);
  const months: EnergyRow[] = [];
  const dayRows: EnergyRow[] = [];
  let sessions: PortalSession[] = [];
  if (range) {
    const fromMs = startOfLocalDay(range.from, zone);
    const endMs = startOfLocalDay(addDays(range.to, 1), zone);
    const untilMs = Math.max(fromMs, Math.min(endMs, Math.floor(nowMs / INTERVAL_MS) * INTERVAL_MS));
    const layout = layoutOf(store, def.id);
    const mine = layout.consumers.flatMap((c, i) => (c.role === "unit" && c.unit === tenancy.unit ? [i] : []));
    const method = def.billing?.allocation ?? "proportional";
    const days: LocalDate[] = [];
    for (let day = range.from; compareLocalDates(day, range.to) <= 0; day = addDays(day, 1)) days.push(day);
    const dayEnds = days.map((day) => startOfLocalDay(addDays(day, 1), zone));
    const perDay = days.map(acc);
    let k = 0;
    if (untilMs > fromMs) {
      for (const ci of intervalsOfLayout(store, layout, fromMs, untilMs, method)) {
        while (ci.startMs >= dayEnds[k]!) k++;
        const d = perDay[k]!;
        const a = ci.allocation;
        for (const i of mine) {
          d.c += a.consumptionMWh[i]!;
          d.s += a.solarMWh[i]!;
          d.b += a.batteryMWh[i]!;
          d.g += a.gridMWh[i]!;
        }
        d.p += a.productionMWh;
      }
    }
    const byMonth = new Map<string, Acc>();
    days.forEach((day, i) => {
      const d = perDay[i]!;
      dayRows.push(row(day, d));
      const key = day.slice(0, 7);
      const m = byMonth.get(key) ?? acc();
      m.c += d.c;
      m.s += d.s;
      m.b += d.b;
      m.g += d.g;
      m.p += d.p;
      byMonth.set(key, m);
    });
    for (const [key, m] of byMonth) months.push(row(key, m));
    sessions = sessionsOfUnit(store, def.id, tenancy.unit, fromMs, endMs).map((s) => ({
      date: localDateOf(s.startedMs, zone),
      start: hhmm(s.startedMs, zone),
      end: s.endedMs === null ? null : hhmm(s.endedMs, zone),
      kWh: kwh((s.priorityWh + s.normalWh) * 1000),
      priorityKWh: kwh(s.priorityWh * 1000),
      normalKWh: kwh(s.normalWh * 1000),
      idTail: s.userId ? s.userId.slice(-4) : null,
    }));
  }
  const monthKeys = months.map((m) => m.key);
  const month = opts.month && monthKeys.includes(opts.month) ? opts.month : (monthKeys[monthKeys.length - 1] ?? null);
  return {
    language: tenantLanguage(tenancy),
    community: { name: def.name, kind: def.kind },
    tenant: { name: tenancy.tenant.name },
    unit: { id: tenancy.unit, label: unit?.label ?? tenancy.unit },
    tenancy: { from: tenancy.from, to: tenancy.to ?? null },
    range,
    months,
    month,
    days: month ? dayRows.filter((r) => r.key.startsWith(`${month}-`)) : [],
    invoices: ownDocuments(store, def.id, tenancy.id).map((r) => toPortalInvoice(store, r, tokenHash)),
    sessions,
    generatedMs: nowMs,
  };
}
