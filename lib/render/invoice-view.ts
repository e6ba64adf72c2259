import { formatReference } from "swissqrbill/utils";
import { documentKind, isPayable } from "../billing/issuable";
import type { BoundaryReading, GridComponentFact, InvoiceExplanation, InvoiceLine, InvoiceSnapshot, LineKind } from "../model/invoice";
import type { StructuredAddress } from "../model/party";
import { Decimal, ZERO } from "../util/money";
import { formatAmount, formatDate, formatDateRange, formatKWh, formatPrice, formatShare, formatVatRate, parseFeeQuantity } from "./format";
import { legInvoiceNotes } from "./leg-view";
import { invoiceTexts, type InvoiceTexts } from "./i18n";

/*
 * Snapshot -> printable strings. Pure: no pdfkit, no I/O, so that what an
 * invoice says is unit-tested apart from where it is drawn (pdf-invoice.ts).
 */

export type DocumentKind = "invoice" | "credit-note" | "draft";

export interface ViewLine {
  pos: string;
  label: string;
  /** Second, smaller line: the days of the line when they are not the whole service period, the meter count. */
  detail: string | null;
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: string;
}

export interface ViewTotal {
  label: string;
  amount: string;
  /** The invoice total: printed bold. */
  strong?: boolean;
  /** Information only (VAT contained in gross prices): not added up. */
  info?: boolean;
}

export type EnergySource = "solar" | "battery" | "grid";

export interface EnergyView {
  title: string;
  rows: { label: string; kwh: string; share: string }[];
  /** Own consumption and common-area share, for the line under the table. */
  split: { label: string; kwh: string }[];
  selfSufficiency: { label: string; value: string } | null;
  /** The bar: shares 0..1 of solar, battery and grid (own + common area). */
  chart: { title: string; parts: { source: EnergySource; label: string; share: number; text: string }[] } | null;
}

export interface ExplainView {
  common: { title: string; text: string } | null;
  windows: { title: string; rows: string[] } | null;
  ev: { title: string; columns: string[]; rows: string[][]; note: string } | null;
  /** Counter readings per meter and service span (decision 0133); null on snapshots without them. */
  readings: { title: string; rows: string[] } | null;
  /** This period, the previous one and the same period last year (decision 0135): label with the dates, kWh, solar share. */
  history: { title: string; rows: { label: string; kWh: string; share: string }[]; note: string | null } | null;
  /** The solar price beside the standard product (EnV Art. 16), one sentence per plan. */
  priceNotes: string[];
}

export interface InvoiceView {
  kind: DocumentKind;
  language: string;
  title: string;
  /** Invoice or credit-note number; null for drafts. */
  number: string | null;
  watermark: string | null;
  creditor: { name: string; address: string[]; ids: string[]; contact: string[] };
  /** Small sender line above the recipient, as a window envelope shows it. */
  senderLine: string;
  recipient: string[];
  meta: { label: string; value: string }[];
  columns: { pos: string; description: string; quantity: string; unit: string; unitPrice: string; amount: string };
  lines: ViewLine[];
  totals: ViewTotal[];
  energy: EnergyView | null;
  comparison: { title: string; rows: { label: string; amount: string }[] } | null;
  quality: { title: string; rows: string[] } | null;
  notes: string[];
  /** What the invoice explains (snapshots with `explain`); null on older snapshots, which keep their layout. */
  explain: ExplainView | null;
  /** True when the document carries a QR payment part (an issued invoice with a positive total). */
  payable: boolean;
  page: (n: number, of: number) => string;
  /** PDF metadata. */
  pdfTitle: string;
}

// One definition for render and the check before issuing.
export { documentKind, isPayable };

function addressLines(a: StructuredAddress, homeCountry = "CH"): string[] {
  const street = [a.street, a.buildingNumber].filter((x) => x !== undefined && String(x).trim() !== "").join(" ");
  const out = [street, `${a.postalCode} ${a.town}`].filter((x) => x.trim() !== "");
  if (a.country.toUpperCase() !== homeCountry) out.push(a.country.toUpperCase());
  return out;
}

function sameRange(l: Pick<InvoiceLine, "from" | "to">, spans: readonly { from: string; to: string }[]): boolean {
  return spans.length === 1 && spans[0]!.from === l.from && spans[0]!.to === l.to;
}

/** An energy price per kWh in hundredths of the currency (Rp. or ct), 2 to 3 decimals: "0.2150" -> "21.50". */
function formatCents(value: string): string {
  const d = new Decimal(value).mul(100);
  return formatPrice(d.toDecimalPlaces(3, Decimal.ROUND_HALF_UP));
}

function lineView(l: InvoiceLine, t: InvoiceTexts, spans: readonly { from: string; to: string }[], kwhPriceUnit: string | null = null): ViewLine {
  const details: string[] = [];
  if (!sameRange(l, spans)) details.push(formatDateRange(l.from, l.to));
  if (l.kind === "metering-fee" && (l.meters ?? 1) !== 1) details.push(t.meterCount(l.meters ?? 1));
  let quantity: string;
  let unit: string;
  if (l.unit === "kWh") {
    quantity = formatKWh(l.quantity);
    unit = "kWh";
  } else if (l.unit === "piece") {
    quantity = l.quantity;
    unit = t.piece;
  } else {
    const q = parseFeeQuantity(l.quantity);
    quantity = q.kind === "days" ? t.feeDays(q.days, q.daysInMonth) : String(q.months);
    unit = t.month(q.kind === "months" ? Math.abs(q.months) : 1);
  }
  const unitPrice = kwhPriceUnit && l.unit === "kWh" ? `${formatCents(l.unitPrice)} ${kwhPriceUnit}` : formatPrice(l.unitPrice);
  return {
    pos: String(l.pos),
    label: l.label ?? t.lineKinds[l.kind],
    detail: details.length ? details.join(", ") : null,
    quantity,
    unit,
    unitPrice,
    amount: formatAmount(l.amount),
  };
}

function totalsView(s: InvoiceSnapshot, t: InvoiceTexts): ViewTotal[] {
  const tt = s.totals;
  const rows: ViewTotal[] = [];
  const rounding = new Decimal(tt.rounding);
  if (tt.vat.length || !rounding.isZero()) rows.push({ label: t.totals.subtotal, amount: formatAmount(tt.linesTotal) });
  for (const v of tt.vat) {
    const rate = formatVatRate(v.rate);
    rows.push(
      v.pricesIncludeVat
        ? { label: t.totals.vatIncluded(rate, formatAmount(v.gross)), amount: formatAmount(v.vat), info: true }
        : { label: t.totals.vatAdded(rate, formatAmount(v.net)), amount: formatAmount(v.vat) },
    );
  }
  if (!rounding.isZero()) rows.push({ label: t.totals.rounding, amount: formatAmount(rounding) });
  rows.push({ label: t.totals.total(s.currency), amount: formatAmount(tt.total), strong: true });
  return rows;
}

const SOURCE_OF: Partial<Record<LineKind, EnergySource>> = {
  solar: "solar",
  "common-solar": "solar",
  battery: "battery",
  "common-battery": "battery",
  grid: "grid",
  "grid-ht": "grid",
  "grid-nt": "grid",
  "common-grid": "grid",
  "common-grid-ht": "grid",
  "common-grid-nt": "grid",
  "leg-local": "solar",
};

/** Where the period's electricity came from, from the invoice's own kWh lines (so the table adds up to them). */
function energyView(s: InvoiceSnapshot, t: InvoiceTexts): EnergyView | null {
  if (documentKind(s) === "credit-note") return null;
  const sums: Record<EnergySource, Decimal> = { solar: ZERO, battery: ZERO, grid: ZERO };
  let ev = ZERO;
  for (const l of s.lines) {
    if (l.unit !== "kWh") continue;
    const src = SOURCE_OF[l.kind];
    if (src) sums[src] = sums[src].plus(l.quantity);
    else ev = ev.plus(l.quantity);
  }
  if (s.leg) {
    // A LEG bills only the local part: the table shows the member's whole draw, local and residual (decision 0130).
    sums.solar = new Decimal(s.leg.localKWh);
    sums.grid = new Decimal(s.leg.residualKWh);
  }
  const total = sums.solar.plus(sums.battery).plus(sums.grid);
  if (total.isZero() && ev.isZero()) return null;
  const label: Record<EnergySource, string> = { solar: t.energy.solar, battery: t.energy.battery, grid: t.energy.grid };
  const sources: EnergySource[] = sums.battery.isZero() ? ["solar", "grid"] : ["solar", "battery", "grid"];
  const share = (x: Decimal): Decimal => (total.isZero() ? ZERO : x.div(total));
  const rows = sources.map((src) => ({ label: label[src], kwh: formatKWh(sums[src]), share: formatShare(share(sums[src])) }));
  rows.push({ label: t.energy.total, kwh: formatKWh(total), share: total.isZero() ? "" : "100.0 %" });
  if (!ev.isZero()) rows.push({ label: t.energy.ev, kwh: formatKWh(ev), share: "" });
  const e = s.energy;
  const own = new Decimal(e.ownSolarKWh).plus(e.ownBatteryKWh).plus(e.ownGridKWh);
  return {
    title: t.energy.title,
    rows,
    split: [
      { label: t.energy.own, kwh: formatKWh(own) },
      { label: t.energy.common, kwh: formatKWh(e.commonKWh) },
    ],
    selfSufficiency: e.selfSufficiency === null ? null : { label: t.energy.selfSufficiency, value: formatShare(e.selfSufficiency) },
    chart: total.isZero()
      ? null
      : {
          title: t.energy.chartTitle,
          parts: sources.map((src) => ({ source: src, label: label[src], share: share(sums[src]).toNumber(), text: formatShare(share(sums[src])) })),
        },
  };
}

function comparisonView(s: InvoiceSnapshot, t: InvoiceTexts): InvoiceView["comparison"] {
  const c = s.comparison;
  if (!c || documentKind(s) === "credit-note") return null;
  const saving = new Decimal(c.saving);
  const d = s.comparisonDetail;
  // Say what is compared: the VAT basis of the amounts, and that wallbox charging is apart.
  const notes = d ? [t.comparison.basis[d.basis], ...(d.ev ? [t.comparison.household] : [])] : [];
  const rows = [
    { label: t.comparison.standard(c.name), amount: formatAmount(c.standardCost) },
    { label: t.comparison.invoice, amount: formatAmount(c.invoiceCost) },
    saving.gte(0) ? { label: t.comparison.saving, amount: formatAmount(saving) } : { label: t.comparison.extraCost, amount: formatAmount(saving.neg()) },
  ];
  if (d?.ev) rows.push({ label: t.comparison.ev(formatKWh(d.ev.kWh)), amount: formatAmount(d.ev.amount) });
  return { title: notes.length ? `${t.comparison.title} (${notes.join("; ")})` : t.comparison.title, rows };
}

function qualityView(s: InvoiceSnapshot, t: InvoiceTexts): InvoiceView["quality"] {
  const rows = s.quality
    .filter((q) => q.total > 0 && q.estimated + q.missing > 0)
    .map((q) => t.quality.estimated(q.meter, formatShare(new Decimal(q.estimated + q.missing).div(q.total))));
  return rows.length ? { title: t.quality.title, rows } : null;
}

/** "1,2,3,4,5" -> "Mo–Fr"; runs of consecutive weekdays joined, others listed. */
function weekdayText(days: readonly number[], t: InvoiceTexts): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const a = t.explain.weekdays[sorted[i]! - 1]!;
    const b = t.explain.weekdays[sorted[j]! - 1]!;
    runs.push(i === j ? a : j === i + 1 ? `${a}, ${b}` : `${a}–${b}`);
    i = j + 1;
  }
  return runs.join(", ");
}

function explainView(s: InvoiceSnapshot, t: InvoiceTexts): ExplainView | null {
  const x = s.explain;
  if (!x || documentKind(s) === "credit-note") return null;
  const e = t.explain;
  const c = x.common;
  const hasCommon = s.lines.some((l) => l.kind.startsWith("common-"));
  const common =
    c && hasCommon
      ? {
          title: e.commonTitle,
          text: e.common(formatKWh(c.communityKWh), e.commonKey[c.key](c.weight, c.totalWeight), c.days, c.periodDays, formatKWh(c.shareKWh)),
        }
      : null;
  const planned = new Set(
    s.lines.filter((l) => l.kind === "grid-ht" || l.kind === "grid-nt" || l.kind === "common-grid-ht" || l.kind === "common-grid-nt").map((l) => l.planId),
  );
  const plans = x.tariffWindows.filter((w) => planned.has(w.planId));
  const windowRows = plans.map((w) => {
    const ht = w.ht.map((h) => `${weekdayText(h.days, t)} ${h.from}–${h.to}`).join("; ");
    const text = [e.windows(ht), ...(w.ntDays.length ? [e.ntDays(w.ntDays.map(formatDate).join(", "))] : [])].join(" ");
    return plans.length > 1 ? `${w.planId}: ${text}` : text;
  });
  const hasEv = s.lines.some((l) => l.kind === "ev-normal" || l.kind === "ev-priority");
  const ev =
    hasEv && x.evSessions.length
      ? {
          title: e.evTitle,
          columns: [e.evColumns.date, e.evColumns.time, e.evColumns.kWh, e.evColumns.mode, e.evColumns.id],
          rows: x.evSessions.map((r) => [formatDate(r.date), r.time, formatKWh(r.kWh), e.evModes[r.mode], r.idTail ? `…${r.idTail}` : "–"]),
          note: e.evModesMeaning,
        }
      : null;
  return {
    common,
    windows: windowRows.length ? { title: e.windowsTitle, rows: windowRows } : null,
    ev,
    readings: readingsView(x.readings, t),
    history: historyView(s, t),
    priceNotes: priceNotes(s, t),
  };
}

function readingsView(readings: InvoiceExplanation["readings"], t: InvoiceTexts): ExplainView["readings"] {
  if (!readings?.length) return null;
  const e = t.explain;
  const end = (r: BoundaryReading): string => {
    const at = `${formatDate(r.date)} 00:00`;
    if (r.source === "counter" && r.kWh !== null && r.quality) return e.readingAt(at, formatKWh(r.kWh), e.readingQuality[r.quality]);
    if (r.source === "replaced" && r.kWh !== null) return e.readingReplaced(at, formatKWh(r.kWh));
    return e.readingWithout(at, e.readingWhy[r.source === "counter" ? "none" : r.source]);
  };
  const rows = readings.map((r) => {
    if (r.start.source === r.end.source && (r.start.source === "operator" || r.start.source === "none")) {
      // Neither end has a counter, for the same reason: say it once, with the energy of the span.
      const span = `${formatDate(r.start.date)} 00:00 – ${formatDate(r.end.date)} 00:00`;
      return e.readingNoCounter(r.meter, span, e.readingWhy[r.start.source], e.readingIntervals(formatKWh(r.intervalKWh)));
    }
    const energy: string[] = [];
    if (r.counterKWh !== null) energy.push(e.readingDifference(formatKWh(r.counterKWh)));
    if (r.counterKWh === null || !new Decimal(r.counterKWh).eq(r.intervalKWh)) energy.push(e.readingIntervals(formatKWh(r.intervalKWh)));
    if (r.replaced.length) energy.push(e.readingReplacedInside(r.replaced.map(formatDate).join(", ")));
    return e.reading(r.meter, end(r.start), end(r.end), energy.join("; "));
  });
  return { title: e.readingsTitle, rows };
}

function historyView(s: InvoiceSnapshot, t: InvoiceTexts): ExplainView["history"] {
  const h = s.explain?.history;
  if (!h?.length) return null;
  const e = t.explain;
  const share = (v: string | null): string => (v === null ? "" : formatShare(v));
  const now = new Decimal(s.energy.ownSolarKWh).plus(s.energy.ownBatteryKWh).plus(s.energy.ownGridKWh).plus(s.energy.commonKWh);
  const rows = [
    { label: `${e.historyLabels.current} ${shortRange(s.period.from, s.period.to)}`, kWh: `${formatKWh(now)} kWh`, share: share(s.energy.selfSufficiency) },
    ...h.map((u) => ({
      label: `${e.historyLabels[u.which]} ${shortRange(u.from, u.to)}`,
      kWh: u.source === "none" || u.kWh === null ? e.historyNoData : `${formatKWh(u.kWh)} kWh${u.source === "intervals" ? "*" : ""}`,
      share: u.source === "none" ? "" : share(u.solarShare),
    })),
  ];
  return { title: e.historyTitle, rows, note: h.some((u) => u.source === "intervals") ? `* ${e.historyComputed}` : null };
}

/** "01.10.–31.10.2026" within one year, else the full range. */
function shortRange(from: string, to: string): string {
  if (from.slice(0, 4) !== to.slice(0, 4)) return formatDateRange(from, to);
  return `${formatDate(from).slice(0, 6)}–${formatDate(to)}`;
}

function priceNotes(s: InvoiceSnapshot, t: InvoiceTexts): string[] {
  const facts = s.explain?.standardPrice ?? [];
  const e = t.explain;
  const unit = e.priceUnit(s.currency);
  const cents = (v: string): string => `${formatCents(v)} ${unit}`;
  const used = new Set(s.lines.map((l) => l.planId));
  const mine = facts.filter((f) => used.has(f.planId));
  return mine.map((f) => {
    const standard = f.perKWh !== null ? cents(f.perKWh) : e.htnt(cents(f.htPerKWh ?? "0"), cents(f.ntPerKWh ?? "0"));
    const text = e.standardPrice(cents(f.solarPerKWh), standard, f.name);
    return mine.length > 1 ? `${f.planId}: ${text}` : text;
  });
}

const GRID_TARIFF: Partial<Record<LineKind, GridComponentFact["tariff"]>> = {
  grid: "single",
  "grid-ht": "ht",
  "grid-nt": "nt",
  "common-grid": "single",
  "common-grid-ht": "ht",
  "common-grid-nt": "nt",
};

/** "davon Energie 9.50, Netznutzung 10.20 Rp./kWh" under a grid line, when the community entered the components (decision 0134). */
function gridComponentDetail(l: InvoiceLine, s: InvoiceSnapshot, t: InvoiceTexts): string | null {
  const tariff = GRID_TARIFF[l.kind];
  const facts = s.explain?.gridComponents;
  if (!tariff || !facts) return null;
  // Under the tenant's own grid line; under the common-area grid line only when there is no own one of that price.
  if (l.kind.startsWith("common-") && s.lines.some((o) => o.planId === l.planId && GRID_TARIFF[o.kind] === tariff && !o.kind.startsWith("common-")))
    return null;
  const f = facts.find((x) => x.planId === l.planId && x.tariff === tariff);
  if (!f) return null;
  const e = t.explain;
  const list = f.components.map((c) => `${c.label ?? e.gridComponentKinds[c.kind]} ${formatCents(c.perKWh)}`).join(", ");
  return e.gridComponents(`${list} ${e.priceUnit(s.currency)}`);
}

export function invoiceView(s: InvoiceSnapshot): InvoiceView {
  const t = invoiceTexts(s.language);
  const kind = documentKind(s);
  const payable = isPayable(s);
  const c = s.creditor;
  const creditorAddress = addressLines(c.address);
  const title = kind === "credit-note" ? t.title.creditNote : kind === "draft" ? t.title.draft : t.title.invoice;

  const meta: InvoiceView["meta"] = [];
  if (s.invoiceDate) meta.push({ label: t.meta.invoiceDate, value: formatDate(s.invoiceDate) });
  if (payable && s.dueDate) meta.push({ label: t.meta.dueDate, value: formatDate(s.dueDate) });
  if (s.cancels) meta.push({ label: t.meta.cancels, value: s.cancels.number });
  meta.push({ label: t.meta.period, value: formatDateRange(s.period.from, s.period.to) });
  if (!sameRange(s.period, s.service)) meta.push({ label: t.meta.service, value: s.service.map((x) => formatDateRange(x.from, x.to)).join(", ") });
  meta.push({ label: t.meta.unit, value: s.unit.label === s.unit.id ? s.unit.id : `${s.unit.label} (${s.unit.id})` });
  if (s.unit.meters.length) meta.push({ label: t.meta.meters, value: s.unit.meters.join(", ") });
  if (payable && s.reference) meta.push({ label: t.meta.reference, value: formatReference(s.reference) });

  const notes: string[] = [];
  if (kind === "draft") notes.push(t.notes.draft);
  if (s.cancels) notes.push(t.notes.creditNote(s.cancels.number), t.notes.creditNoteNoPayment);
  if (s.recipientKind === "owner") notes.push(t.vacancy);
  for (const mc of s.meterChanges ?? [])
    notes.push(t.notes.meterReplaced(mc.meter, formatDate(mc.date), formatKWh(mc.oldFinalKWh), formatKWh(mc.newInitialKWh)));
  if (s.leg) notes.push(...legInvoiceNotes(s.leg, s.language, s.currency));
  if (!c.vatRegistered) notes.push(t.totals.notVatRegistered);
  if (payable && s.dueDate) notes.push(t.notes.payment(formatDate(s.dueDate)));
  else if (kind === "invoice") notes.push(t.notes.nothingToPay);
  const contact = [c.email, c.phone].filter((x): x is string => Boolean(x && x.trim()));
  if (contact.length) notes.push(t.notes.questions(contact.join(", ")));

  const ids: string[] = [];
  if (c.uid) ids.push(`${t.uid} ${c.uid}`);
  if (c.vatRegistered && c.vatNumber) ids.push(`${t.vatNumber} ${c.vatNumber}`);

  return {
    kind,
    language: s.language,
    title,
    number: s.number ?? null,
    watermark: kind === "draft" ? t.watermark : null,
    creditor: { name: c.name, address: creditorAddress, ids, contact },
    senderLine: [c.name, ...creditorAddress].join(", "),
    recipient: [s.recipient.name, ...addressLines(s.recipient.address)],
    meta,
    columns: {
      pos: t.columns.pos,
      description: t.columns.description,
      quantity: t.columns.quantity,
      unit: t.columns.unit,
      unitPrice: t.columns.unitPrice,
      amount: t.columns.amount(s.currency),
    },
    lines: s.lines.map((l) => {
      const v = lineView(l, t, s.service, s.explain ? t.explain.priceUnit(s.currency) : null);
      const parts = gridComponentDetail(l, s, t);
      return parts ? { ...v, detail: v.detail ? `${v.detail}; ${parts}` : parts } : v;
    }),
    totals: totalsView(s, t),
    energy: energyView(s, t),
    comparison: comparisonView(s, t),
    quality: qualityView(s, t),
    explain: explainView(s, t),
    notes,
    payable,
    page: t.page,
    pdfTitle: `${title}${s.number ? ` ${s.number}` : ""}, ${s.recipient.name}, ${formatDateRange(s.period.from, s.period.to)}`,
  };
}
