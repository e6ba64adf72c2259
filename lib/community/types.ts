import type { BillingRules, PricePlan } from "../tariffs/types";
import type { LocalDate } from "../time/local-date";
import type { MeterRole } from "../model/meter";
import type { CommunityKind, Creditor, Currency, Language, Party, StructuredAddress } from "../model/party";

export interface Unit {
  id: string;
  label: string;
  /** m², for common-area keys by floor area. */
  floorArea?: number;
}

export interface Building {
  id: string;
  name: string;
  address?: StructuredAddress;
  /** Owner of this building's vacant units when it is not the community's owner. */
  owner?: Party;
  units: Unit[];
}

/** A tenant's occupation of a unit, local dates, both inclusive; no `to` = still running. */
export interface Tenancy {
  id: string;
  unit: string;
  tenant: Party;
  from: LocalDate;
  to?: LocalDate | null;
  /** In a LEG: the tenant as a producer, when registered for VAT (their producer statements add VAT, docs/decisions/0131). */
  producer?: ProducerVat;
}

export interface ProducerVat {
  vatRegistered: boolean;
  /** As printed, e.g. CHE-123.456.789 MWST; required when registered. */
  vatNumber?: string;
}

/** How the grid operator names the local and residual shares in its SDAT-CH documents (E66), by product id (docs/operator-data.md "LEG"). */
export interface LegProducts {
  local: string[];
  residual: string[];
}

export interface MeterDefinition {
  id: string;
  role: MeterRole;
  /** The unit whose consumption the meter measures (role unit; optional for charger). */
  unit?: string;
  label?: string;
  /**
   * The grid operator's id of the metering point this meter is, exactly as the
   * operator writes it in SDAT-CH documents (VSENationalID, e.g.
   * CH1234567890123456789012345678901); unique within a community
   * (docs/operator-data.md).
   */
  meteringPoint?: string;
}

/**
 * A charging id (RFID tag, Loxone user id) and the unit whose occupant pays
 * for the sessions charged with it. Ids not listed here are kept on the
 * session and reported, never billed to anyone (docs/chargers.md).
 */
export interface ChargingId {
  /** As the charger reports it (AC SMART RFID tag UID, Loxone Uid); trimmed, compared without regard to case (hex UIDs are written both ways). */
  id: string;
  unit: string;
  /** Whose card or car it is, for people reading a report (not printed on invoices). */
  label?: string;
}

/**
 * One ZEV, vZEV or LEG: everything billing needs that is not measured. The
 * canonical file format (docs/community-file.md) is this object as JSON.
 */
export interface CommunityDefinition {
  /** Stable key: lower-case letters, digits, '-' and '_'. */
  id: string;
  name: string;
  kind: CommunityKind;
  currency: Currency;
  timeZone: string;
  creditor: Creditor;
  /** Receives the invoices of vacant units. */
  owner: Party;
  buildings: Building[];
  tenancies: Tenancy[];
  meters?: MeterDefinition[];
  /** RFID tags and user ids of the chargers, each mapped to a unit (docs/community-file.md). */
  chargingIds?: ChargingId[];
  /** Price plans with their validity (docs/community-file.md, "Tariffs"). */
  tariffs?: PricePlan[];
  /** Allocation method, common-area key, coverage threshold; defaults in lib/tariffs/types.ts. */
  billing?: Partial<BillingRules>;
  /** Line items besides the base and metering fees: meter rent, a service fee, a one-off connection charge (docs/community-file.md "Charges"). */
  charges?: Charge[];
  /** Reminder levels for unpaid invoices, first to last (docs/payments.md "Reminders"); absent: the defaults of lib/payments/reminders.ts. */
  reminders?: ReminderLevel[];
  /**
   * LEG only (docs/decisions/0129-0131): how the local energy of each quarter hour is split among
   * the members: in proportion to their draw (default) or by fixed shares (`legShares`, unit id -> weight).
   */
  legAllocation?: "proportional" | "static";
  legShares?: Record<string, number>;
  /** Network-fee reduction on local energy, percent: 40 within one transformer circuit, 20 otherwise (StromVV Art. 19h). Shown, not billed. */
  legGridFeeReduction?: 20 | 40;
  /** The grid fee per kWh the members pay their operator (same VAT basis as the plans): with it the reduction is shown in CHF too. */
  legGridFeePerKWh?: string;
  /** What the LEG pays its producers per kWh delivered into the community, without VAT. */
  producerPrice?: string;
  /** Bill from the operator's per-member split (E66 local/residual values) or from the suite's own computation (default). */
  legSplitSource?: "own" | "operator";
  legProducts?: LegProducts;
}

export type ChargeRhythm = "once" | "monthly" | "quarterly" | "yearly";
export const CHARGE_RHYTHMS: readonly ChargeRhythm[] = ["once", "monthly", "quarterly", "yearly"];
export type ChargeScope = "community" | "building" | "tenancy";
export const CHARGE_SCOPES: readonly ChargeScope[] = ["community", "building", "tenancy"];

/**
 * A custom line item (docs/decisions/0103). `amount` is per rhythm period
 * (a month, a calendar quarter, a calendar year) or, for `once`, the whole
 * charge, billed on the day `from`. Periodic charges run from `from` to `to`
 * (inclusive, no `to` = open) and are billed pro rata by days.
 */
export interface Charge {
  /** Stable key: lower-case letters, digits, '-' and '_'. */
  id: string;
  /** Printed on the invoice; `labels` overrides it in the recipient's language. */
  label: string;
  labels?: Partial<Record<Language, string>>;
  /** Decimal text with up to 2 decimals, e.g. "5.00". */
  amount: string;
  /** Whether `amount` includes VAT; absent: the basis of the price plan of the day. */
  pricesIncludeVat?: boolean;
  rhythm: ChargeRhythm;
  from: LocalDate;
  to?: LocalDate | null;
  /** community: every unit; building: the units of `building`; tenancy: only the tenancy `tenancy`. */
  scope: ChargeScope;
  building?: string;
  tenancy?: string;
}

/** One reminder level: sent when an invoice is this many days past its due date, with this fee (text, 2 decimals; 0.00 for none). */
export interface ReminderLevel {
  afterDays: number;
  fee: string;
}

export interface UnitRef extends Unit {
  building: string;
}

export function allUnits(def: Pick<CommunityDefinition, "buildings">): UnitRef[] {
  return def.buildings.flatMap((b) => b.units.map((u) => ({ ...u, building: b.id })));
}
