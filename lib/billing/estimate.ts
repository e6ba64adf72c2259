import { dataQuality } from "../aggregation/data-quality";
import { allUnits } from "../community/types";
import type { Store } from "../store/store";
import { latestCommunity } from "../store/community-repo";
import { compareLocalDates, DEFAULT_TIME_ZONE, LocalDate, localDateOf } from "../time/local-date";
import { BillingPeriod, periodFromDates, resolvePeriod } from "../time/periods";
import { Decimal, money, ZERO } from "../util/money";
import { computeInvoices } from "./compute";
import { unitResolver } from "../charging/attribution";
import { BillingError } from "./layout";
import { loadBillingInput } from "./load";
import type { InvoiceSnapshot, LineKind } from "../model/invoice";
import type { UnbilledEnergy } from "./unbilled";
import type { Issue } from "../util/issue";
import type { LegComputation, LegMemberTotals, LegSettlement } from "./leg";

/*
 * "What would the invoices say so far": the billing computation of a period
 * (cut at today), grouped per unit, nothing stored. The dashboard's per-unit
 * figures and estimated costs come from here, so they are the invoices'
 * numbers and never a second calculation.
 */

export interface UnitEstimate {
  unit: string;
  label: string;
  building: string;
  /** Who would be billed for which days (tenants; the owner for vacant days). */
  payers: { name: string; kind: "tenant" | "owner"; from: LocalDate; to: LocalDate; total: string }[];
  /** The unit's own meters, kWh (3 decimals): solar + battery + grid. */
  consumptionKWh: number;
  /** Its share of the common areas, kWh. */
  commonKWh: number;
  /** Charging sessions attributed to it, kWh. */
  evKWh: number;
  /** Solar in its own and common energy, 0..1; null without consumption. */
  solarShare: number | null;
  /** Solar and battery in its own and common energy, 0..1 (as on the invoice); null without consumption. */
  selfSufficiency: number | null;
  /** Sum of the invoices' totals (with VAT and rounding), currency text. */
  cost: string;
}

export interface BillingEstimate {
  communityId: string;
  currency: string;
  period: { label: string; from: LocalDate; to: LocalDate };
  /** The computation runs to the end of this day (today for a period in progress). */
  through: LocalDate;
  units: UnitEstimate[];
  total: string;
  /** Lowest share of measured or interpolated quarter hours among the billed meters, up to now, 0..1. */
  coverage: number;
  warnings: string[];
  /** The warnings with their codes and values (lib/billing/unbilled.ts, compute.ts). */
  notices: Issue[];
  /** Energy the invoices so far leave to nobody, per finding, and its sum in kWh ("0.000" when every kWh is billed). */
  unbilled: UnbilledEnergy[];
  unbilledKWh: string;
  /**
   * A LEG only (docs/operator-data.md "LEG"): per member its draw, local, residual (informational: the
   * operator bills it), feed-in and credited kWh with the producer credit so far; the LEG's totals.
   */
  leg?: {
    members: (LegMemberTotals & { credit: string })[];
    totals: LegSettlement["totals"];
    /** Sum of the producer credits (statements' totals), currency text. */
    producerCredits: string;
  };
}

const OWN: LineKind[] = ["solar", "battery", "grid", "grid-ht", "grid-nt"];
const COMMON: LineKind[] = ["common-solar", "common-battery", "common-grid", "common-grid-ht", "common-grid-nt"];
const EV: LineKind[] = ["ev-normal", "ev-priority"];
const SOLAR: LineKind[] = ["solar", "common-solar"];
const BATTERY: LineKind[] = ["battery", "common-battery"];

function qty(invoices: InvoiceSnapshot[], kinds: LineKind[]): Decimal {
  let sum = ZERO;
  for (const inv of invoices) for (const l of inv.lines) if (kinds.includes(l.kind)) sum = sum.plus(l.quantity);
  return sum;
}

/**
 * Computes the invoices of `period` (text like "current-month", "2026-10",
 * or a BillingPeriod) up to today without storing anything, and sums them per
 * unit. A period that has not started yet is refused.
 */
export function estimateBilling(store: Store, communityId: string, period: unknown, opts: { nowMs?: number } = {}): BillingEstimate {
  const nowMs = opts.nowMs ?? Date.now();
  const zone = latestCommunity(store, communityId)?.definition.timeZone ?? DEFAULT_TIME_ZONE;
  const p: BillingPeriod =
    typeof period === "object" && period !== null && "startMs" in period ? (period as BillingPeriod) : resolvePeriod(period ?? "current-month", nowMs, zone);
  const today = localDateOf(nowMs, zone);
  if (compareLocalDates(p.from, today) > 0) throw new BillingError(`period ${p.label} has not started yet`);
  const through = compareLocalDates(p.to, today) > 0 ? today : p.to;
  const cut = through === p.to ? p : periodFromDates(p.from, through, zone, p.kind, p.label);
  const loaded = loadBillingInput(store, communityId, cut);
  // Sessions whose id the community maps by now are billed by the next run (it attributes them first): so here too.
  const unitFor = unitResolver(loaded.def);
  const input = {
    ...loaded,
    ev: loaded.ev.map((e) => (e.unitId === null && e.userId !== null && unitFor(e.userId) !== null ? { ...e, unitId: unitFor(e.userId) } : e)),
  };
  const comp = computeInvoices(input);
  const units = allUnits(input.def).map((u): UnitEstimate => {
    const inv = comp.invoices.filter((i) => i.unit.id === u.id);
    // A LEG member's invoice bills only the local part: its consumption is its draw, its "solar" the local energy.
    const legInv = inv.filter((i) => i.leg);
    const own = legInv.length ? legInv.reduce((a, i) => a.plus(i.leg!.drawKWh), ZERO) : qty(inv, OWN);
    const common = qty(inv, COMMON);
    const all = own.plus(common);
    const solar = legInv.length ? legInv.reduce((a, i) => a.plus(i.leg!.localKWh), ZERO) : qty(inv, SOLAR);
    const battery = qty(inv, BATTERY);
    return {
      unit: u.id,
      label: u.label,
      building: u.building,
      payers: inv.map((i) => ({
        name: i.recipient.name,
        kind: i.recipientKind,
        from: i.service[0]!.from,
        to: i.service[i.service.length - 1]!.to,
        total: i.totals.total,
      })),
      consumptionKWh: own.toNumber(),
      commonKWh: common.toNumber(),
      evKWh: qty(inv, EV).toNumber(),
      solarShare: all.isZero() ? null : solar.div(all).toDecimalPlaces(4).toNumber(),
      selfSufficiency: all.isZero() ? null : solar.plus(battery).div(all).toDecimalPlaces(4).toNumber(),
      cost: money(inv.reduce((s, i) => s.plus(i.totals.total), ZERO)),
    };
  });
  // Coverage of what is due: quarter hours up to now, not the rest of today.
  const due = dataQuality(store, communityId, cut.startMs, cut.endMs, { untilMs: Math.min(nowMs, cut.endMs) });
  const billed = due.meters
    .filter((m) => m.role !== "grid" && m.role !== "other")
    .map((m) => ({ coverage: m.expected ? (m.measured + m.interpolated) / m.expected : 1 }));
  return {
    communityId,
    currency: input.def.currency,
    period: { label: p.label, from: p.from, to: p.to },
    through,
    units,
    total: money(units.reduce((s, u) => s.plus(u.cost), ZERO)),
    coverage: billed.length ? Math.min(...billed.map((c) => c.coverage)) : 1,
    warnings: comp.warnings,
    notices: comp.notices,
    unbilled: comp.unbilled,
    unbilledKWh: comp.unbilledKWh,
    ...("leg" in comp ? { leg: legEstimate((comp as LegComputation).leg) } : {}),
  };
}

function legEstimate(leg: LegSettlement): NonNullable<BillingEstimate["leg"]> {
  const credit = new Map(leg.statements.map((s) => [s.tenancyKey, s.total]));
  return {
    members: leg.members.map((m) => ({ ...m, credit: credit.get(m.tenancyKey) ?? "0.00" })),
    totals: leg.totals,
    producerCredits: money(leg.statements.reduce((a, s) => a.plus(s.total), ZERO)),
  };
}
