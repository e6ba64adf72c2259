import type { CommunityKind, Creditor, Currency, Language, Party } from "./party";
import type { LocalDate } from "../time/local-date";
import type { TimeWindow } from "../time/tariff-windows";
import type { ChargeMode } from "./charging-session";
import type { LegInvoiceFacts } from "./leg";

export type LineKind =
  | "solar"
  | "battery"
  | "grid"
  | "grid-ht"
  | "grid-nt"
  | "common-solar"
  | "common-battery"
  | "common-grid"
  | "common-grid-ht"
  | "common-grid-nt"
  | "ev-normal"
  | "ev-priority"
  | "base-fee"
  | "metering-fee"
  | "charge"
  /** A LEG member's local energy (docs/decisions/0130): the only energy a LEG bills. */
  | "leg-local";

/**
 * One invoice line. Decimal values are text; quantity × unit price = amount (rounded half-up to 0.01),
 * except for days of a month of a charge, whose cumulative rounding can differ by 0.01 (docs/decisions/0103).
 */
export interface InvoiceLine {
  pos: number;
  kind: LineKind;
  /** The days the line covers (a period spanning a tariff change has one line per plan). */
  from: LocalDate;
  to: LocalDate;
  /** kWh with 3 decimals, or "15/31" (days of a month) / "3" (whole months) for fees. */
  quantity: string;
  /** "piece" for one-off charges (quantity "1"). */
  unit: "kWh" | "month" | "piece";
  unitPrice: string;
  amount: string;
  /** VAT rate as a decimal fraction ("0.081"), or null when the community is not VAT-registered. */
  vatRate: string | null;
  pricesIncludeVat: boolean;
  planId: string;
  /** Number of meters for metering fees. */
  meters?: number;
  /** For kind "charge": the charge's id and its printed label, in the recipient's language. */
  chargeId?: string;
  label?: string;
}

export interface VatSummary {
  rate: string;
  /** Net base, VAT and gross of the lines with this rate. */
  net: string;
  vat: string;
  gross: string;
  pricesIncludeVat: boolean;
}

export interface InvoiceTotals {
  /** Sum of line amounts as entered (net or gross). */
  linesTotal: string;
  net: string;
  vat: VatSummary[];
  vatTotal: string;
  /** Total before cash rounding. */
  gross: string;
  /** Cash rounding to 0.05 CHF (0 for EUR). */
  rounding: string;
  total: string;
}

export interface EnergySummary {
  /** kWh, 3 decimals: own consumption by source, common-area share, EV charging. */
  ownSolarKWh: string;
  ownBatteryKWh: string;
  ownGridKWh: string;
  commonKWh: string;
  evKWh: string;
  totalKWh: string;
  /** (solar + battery) / (own + common), 0..1 as text with 4 decimals; null without consumption. */
  selfSufficiency: string | null;
}

export interface StandardComparison {
  name: string | null;
  /** What the same energy would have cost on the utility's standard product, with its base fee (same VAT basis as the lines). */
  standardCost: string;
  /** The lines of this invoice (energy and fees), same basis. */
  invoiceCost: string;
  saving: string;
}

/** What the comparison with the standard product compares (beside StandardComparison, whose figures are household energy and fees). */
export interface ComparisonDetail {
  /** The amounts' VAT basis: the plans' prices without VAT ("net"), with VAT ("gross"), or both in one period. */
  basis: "net" | "gross" | "mixed";
  /** Wallbox charging, shown apart: not household energy, so not in the comparison's figures. */
  ev: { kWh: string; amount: string; standardCost: string } | null;
}

export interface Art16Check {
  method: "flat-rate" | "actual-cost";
  /** Internal supply (solar + battery) with internal fees vs 80 % of the standard product for that energy. */
  internalCost: string;
  cap: string;
  ok: boolean;
}

/** The common-area share: the community's common energy, the key, this unit's weight and days, the share billed. */
export interface CommonShareFacts {
  key: "equal" | "floorArea" | "custom";
  /** This unit's weight and the sum over all units: units (equal), m² (floorArea) or the custom shares, as text. */
  weight: string;
  totalWeight: string;
  /** Common-area energy of the whole community in the period, kWh with 3 decimals. */
  communityKWh: string;
  /** Days of this invoice and of the period. */
  days: number;
  periodDays: number;
  /** The share on this invoice (the common-* lines), kWh with 3 decimals. */
  shareKWh: string;
}

/** One charging session (or its part in one mode) attributed to this invoice. */
export interface EvSessionFact {
  /** Local date and time of its first quarter hour on this invoice. */
  date: LocalDate;
  time: string;
  kWh: string;
  mode: ChargeMode;
  /** The last 4 characters of the RFID / user id; null when the session had none. */
  idTail: string | null;
}

/** A meter's counter at one end of a reading span (decision 0133). */
export interface BoundaryReading {
  /** The local date at whose 00:00 the reading is (for the end of a span: the day after its last day). */
  date: LocalDate;
  /** The counter as the meter shows it, kWh with 3 decimals; null when there is none to print. */
  kWh: string | null;
  /**
   * counter: from the meter's own counter; operator: the meter's data are operator data or a load profile,
   * which carry no counter; none: no data at this instant; replaced: the meter was replaced at this instant
   * (kWh is then the recorded old final / new initial reading when there is one); break: the counter was reset
   * or jumped around this instant, so there is no reading to print.
   */
  source: "counter" | "operator" | "none" | "replaced" | "break";
  /** measured: readings within 15 min on both sides; interpolated: across a longer gap; estimated: across a break or a data gap. */
  quality: "measured" | "interpolated" | "estimated" | null;
}

/** One unit meter's readings at the start and end of one service span, and the energy between them. */
export interface MeterReadingFact {
  meter: string;
  start: BoundaryReading;
  end: BoundaryReading;
  /** end - start, kWh; null unless both are counter readings of the same meter. */
  counterKWh: string | null;
  /** The energy of the meter's intervals in the span (what the lines are built from), kWh. */
  intervalKWh: string;
  /** Replacements of this meter inside the span: the two counters then belong to different meters. */
  replaced: LocalDate[];
}

/** The utility's components of a grid price, as the community entered them (information only). */
export interface GridComponentFact {
  planId: string;
  /** Which grid price they make up. */
  tariff: "single" | "ht" | "nt";
  components: { kind: "energy" | "network" | "levies" | "surcharge" | "other"; label: string | null; perKWh: string }[];
}

/** Consumption and solar share of an earlier period, for the comparison (decision 0135). */
export interface PeriodUsageFact {
  which: "previous" | "lastYear";
  from: LocalDate;
  to: LocalDate;
  /** invoice: from the invoice issued for that period; intervals: computed from stored data; none: no data. */
  source: "invoice" | "intervals" | "none";
  /** Household consumption (own + common-area share), kWh with 3 decimals; null with source "none". */
  kWh: string | null;
  /** (solar + battery) / consumption, 4 decimals; null without data or consumption. */
  solarShare: string | null;
}

/** The internal solar price beside the utility's standard product (EnV Art. 16), per plan. */
export interface StandardPriceFact {
  planId: string;
  solarPerKWh: string;
  name: string | null;
  /** The standard product's energy price: one price, or HT and NT. */
  perKWh: string | null;
  htPerKWh: string | null;
  ntPerKWh: string | null;
}

/**
 * What the invoice explains beside its lines (absent on invoices issued before it existed: they
 * keep their layout, byte for byte). Its presence also selects the compact one-page layout and
 * unit prices in Rp./kWh (ct/kWh for EUR).
 */
export interface InvoiceExplanation {
  version: 1;
  common: CommonShareFacts | null;
  /** HT windows per plan with HT/NT grid prices on this invoice. */
  tariffWindows: { planId: string; ht: TimeWindow[]; ntDays: LocalDate[] }[];
  evSessions: EvSessionFact[];
  /** Counter readings of the unit's meters (absent on snapshots made before they existed, decision 0133). */
  readings?: MeterReadingFact[];
  /** Grid price components per plan and tariff, when the community entered them (decision 0134). */
  gridComponents?: GridComponentFact[];
  /** The previous period and the same period last year (decision 0135). */
  history?: PeriodUsageFact[];
  /** The solar price beside the standard product, per plan with a standard product (decision 0134). */
  standardPrice?: StandardPriceFact[];
}

/** Everything an invoice needs to be printed and reproduced: frozen when issued. */
export interface InvoiceSnapshot {
  schema: 1;
  communityId: string;
  communityName: string;
  communityKind: CommunityKind;
  revisionId: number;
  currency: Currency;
  language: Language;
  creditor: Creditor;
  recipient: Party;
  recipientKind: "tenant" | "owner";
  tenancyKey: string;
  unit: { id: string; label: string; building: string; meters: string[] };
  period: { label: string; from: LocalDate; to: LocalDate };
  /** The days of this tenancy (or vacancy) inside the period. */
  service: { from: LocalDate; to: LocalDate }[];
  lines: InvoiceLine[];
  totals: InvoiceTotals;
  energy: EnergySummary;
  comparison: StandardComparison | null;
  /** Absent on invoices made before it existed. */
  comparisonDetail?: ComparisonDetail | null;
  art16: Art16Check | null;
  quality: { meter: string; measured: number; interpolated: number; estimated: number; missing: number; total: number }[];
  plans: string[];
  /** Set when issued. */
  number?: string;
  invoiceDate?: LocalDate;
  dueDate?: LocalDate;
  reference?: string;
  /** For credit notes: the invoice it cancels. */
  cancels?: { id: number; number: string };
  /** Replacements of this unit's meters in the period (old final and new initial reading, kWh with 3 decimals). */
  meterChanges?: { meter: string; date: LocalDate; oldFinalKWh: string; newInitialKWh: string }[];
  /** Absent on invoices made before it existed (decision 0107). */
  explain?: InvoiceExplanation;
  /** Set on an advance invoice (Akonto, docs/payments.md "Advance payments and the annual statement"). */
  advance?: AdvanceFacts;
  /** Set on an annual final statement: `totals` are then the balance, `statement.yearTotals` the year's bill. */
  statement?: StatementFacts;
  /** A LEG member's invoice: its local, residual and grid-fee figures (docs/decisions/0130). */
  leg?: LegInvoiceFacts;
}

export type AdvanceRhythm = "monthly" | "quarterly";

export interface AdvanceFacts {
  year: number;
  rhythm: AdvanceRhythm;
  /** "2027-01" or "2027-Q1". */
  period: string;
}

/** One advance invoice of the year as the statement lists it. */
export interface StatementAdvance {
  id: number;
  number: string;
  invoiceDate: LocalDate;
  from: LocalDate;
  to: LocalDate;
  /** The advance invoice's total. */
  amount: string;
  /** Paid on it by the statement (counting payments). */
  paid: string;
  /** Deducted on the statement: the advance's total when paid in full, else 0.00. */
  deducted: string;
  /** "paid": deducted; "unpaid": not deducted, cancelled by `creditNote` when the statement was issued. */
  state: "paid" | "unpaid";
  /** The advance's own VAT (deducted with it), per rate. */
  vat: VatSummary[];
  creditNote?: string;
}

export interface StatementFacts {
  year: number;
  /** The year's (or the tenancy's part of it) bill, exactly as the engine computes an invoice for that period. */
  yearTotals: InvoiceTotals;
  advances: StatementAdvance[];
  /** Sum of `deducted`. */
  deducted: string;
  /** = totals.total: positive payable, negative to be refunded (no QR bill). */
  balance: string;
}
