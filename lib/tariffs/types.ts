import type { LocalDate } from "../time/local-date";
import type { TariffSchedule } from "../time/tariff-windows";

/**
 * A price plan: in force from `validFrom` until the next plan of the same
 * scope starts. Prices are decimal text per kWh or per month, in the
 * community's currency, with or without VAT as `pricesIncludeVat` says.
 */
export interface PricePlan {
  id: string;
  validFrom: LocalDate;
  /** Buildings this plan is for; absent or empty = the whole community. A building's own plan wins. */
  buildings?: string[];
  pricesIncludeVat: boolean;
  /** Internal solar energy, per kWh. */
  solarPerKWh: string;
  /** Energy from the community's battery, per kWh (defaults to the solar price). */
  batteryPerKWh?: string;
  /** Grid energy: either one price... */
  gridPerKWh?: string;
  /** ...or HT and NT prices with the HT windows. */
  gridHtPerKWh?: string;
  gridNtPerKWh?: string;
  gridSchedule?: TariffSchedule;
  /** EV charging by mode, per kWh. */
  evNormalPerKWh?: string;
  evPriorityPerKWh?: string;
  /** Per unit and month, pro rata by days. */
  baseFeePerMonth?: string;
  /** Per meter and month, pro rata by days. */
  meteringFeePerMonth?: string;
  /**
   * The utility's components of the grid price (energy, network use, levies, KEV/Netzzuschlag), printed under
   * the grid lines as information; they must add up to the grid price (decision 0134). The billed price stays gridPerKWh / gridHt/NtPerKWh.
   */
  gridComponents?: GridPriceComponent[];
  /** The utility's external standard product, for the EnV Art. 16 check and the tenant's comparison. */
  standardProduct?: StandardProduct;
  /** EnV Art. 16 method the community bills by. */
  method?: "flat-rate" | "actual-cost";
}

export type GridComponentKind = "energy" | "network" | "levies" | "surcharge" | "other";
export const GRID_COMPONENT_KINDS: readonly GridComponentKind[] = ["energy", "network", "levies", "surcharge", "other"];

/** One component of the grid price, same VAT basis as the plan: one price, or HT and NT for a plan with HT/NT grid prices. */
export interface GridPriceComponent {
  kind: GridComponentKind;
  /** The printed name; required for "other", else it replaces the standard name. */
  label?: string;
  /** The component per kWh; on an HT/NT plan, the same in both. */
  perKWh?: string;
  htPerKWh?: string;
  ntPerKWh?: string;
}

export interface StandardProduct {
  /** Single price, or HT/NT with a schedule (the utility's own windows). Per kWh, same VAT basis as the plan. */
  perKWh?: string;
  htPerKWh?: string;
  ntPerKWh?: string;
  schedule?: TariffSchedule;
  /** The utility's monthly base and metering fees on that product: part of what the tenant would pay. */
  baseFeePerMonth?: string;
  name?: string;
}

export type CommonAreaKey = "equal" | "floorArea" | "custom";
export const COMMON_AREA_KEYS: readonly CommonAreaKey[] = ["equal", "floorArea", "custom"];

/** How a community bills, besides its prices. */
export interface BillingRules {
  allocation: "proportional" | "equal";
  commonAreaKey: CommonAreaKey;
  /** unit id -> weight, for commonAreaKey "custom". */
  customShares?: Record<string, number>;
  /** Share of intervals that must be measured or interpolated for a run to proceed, 0..1. */
  minCoverage: number;
}

export const DEFAULT_BILLING_RULES: BillingRules = { allocation: "proportional", commonAreaKey: "floorArea", minCoverage: 0.95 };
