import { addDays, daysBetween, isLocalDate, LocalDate } from "../time/local-date";
import { validateSchedule } from "../time/tariff-windows";
import { Decimal, parseDecimal } from "../util/money";
import type { PricePlan } from "./types";

function priceProblems(plan: PricePlan, path: string): string[] {
  const out: string[] = [];
  const fields = ["solarPerKWh", "batteryPerKWh", "gridPerKWh", "gridHtPerKWh", "gridNtPerKWh", "evNormalPerKWh", "evPriorityPerKWh", "baseFeePerMonth", "meteringFeePerMonth"] as const;
  for (const f of fields) {
    const v = plan[f];
    if (v === undefined || v === "") continue;
    try {
      if (parseDecimal(v, f).isNegative()) out.push(`${path}.${f}: a price cannot be negative`);
    } catch (e) {
      out.push(`${path}.${f}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Problems of the price plans, worded for the admin; empty when they can bill. */
export function validatePlans(plans: readonly PricePlan[], buildingIds: readonly string[]): string[] {
  const out: string[] = [];
  const ids = new Set<string>();
  plans.forEach((p, i) => {
    const path = `tariffs[${i}]`;
    if (!p.id) out.push(`${path}.id: a plan needs an id`);
    else if (ids.has(p.id)) out.push(`${path}.id: plan ${p.id} is listed twice`);
    else ids.add(p.id);
    if (!isLocalDate(p.validFrom)) out.push(`${path}.validFrom: must be a date written YYYY-MM-DD`);
    if (p.solarPerKWh === undefined || p.solarPerKWh === "") out.push(`${path}.solarPerKWh: the solar price is required`);
    const single = p.gridPerKWh !== undefined && p.gridPerKWh !== "";
    const htnt = (p.gridHtPerKWh ?? "") !== "" || (p.gridNtPerKWh ?? "") !== "";
    if (single === htnt) out.push(`${path}: give either one grid price (gridPerKWh) or HT and NT prices with their windows`);
    if (htnt) {
      if (!p.gridHtPerKWh || !p.gridNtPerKWh) out.push(`${path}: HT/NT grid prices need both gridHtPerKWh and gridNtPerKWh`);
      if (!p.gridSchedule) out.push(`${path}.gridSchedule: HT/NT grid prices need the HT windows`);
      else out.push(...validateSchedule(p.gridSchedule).map((e) => `${path}.gridSchedule: ${e}`));
    }
    const sp = p.standardProduct;
    if (sp) {
      const spSingle = (sp.perKWh ?? "") !== "";
      const spHtnt = (sp.htPerKWh ?? "") !== "" || (sp.ntPerKWh ?? "") !== "";
      if (spSingle === spHtnt) out.push(`${path}.standardProduct: give either perKWh or htPerKWh and ntPerKWh`);
      if (spHtnt && !sp.schedule && !p.gridSchedule) out.push(`${path}.standardProduct: HT/NT prices need the utility's HT windows (schedule)`);
      for (const f of ["perKWh", "htPerKWh", "ntPerKWh", "baseFeePerMonth"] as const) {
        if ((sp[f] ?? "") === "") continue;
        try {
          parseDecimal(sp[f], f);
        } catch (e) {
          out.push(`${path}.standardProduct.${f}: ${(e as Error).message}`);
        }
      }
    }
    for (const b of p.buildings ?? []) if (!buildingIds.includes(b)) out.push(`${path}.buildings: building ${JSON.stringify(b)} does not exist`);
    out.push(...priceProblems(p, path));
  });
  // Two plans of the same scope starting the same day make "the plan in force" ambiguous.
  const seen = new Set<string>();
  for (const p of plans) {
    const scopes = p.buildings?.length ? p.buildings : ["*"];
    for (const s of scopes) {
      const key = `${s}|${p.validFrom}`;
      if (seen.has(key)) out.push(`tariffs: two plans for ${s === "*" ? "the whole community" : `building ${s}`} start on ${p.validFrom}`);
      seen.add(key);
    }
  }
  return out;
}

/**
 * EnV Art. 16 check of a plan's prices alone (flat-rate method): the solar
 * energy price may not exceed 80 % of the standard product's energy price.
 * The full check, with fees, is made per invoice.
 */
export function art16PlanWarnings(plans: readonly PricePlan[]): string[] {
  const out: string[] = [];
  for (const p of plans) {
    const sp = p.standardProduct;
    if (!sp || p.method === "actual-cost") continue;
    const solar = price(p.solarPerKWh);
    const refs = [sp.perKWh, sp.htPerKWh, sp.ntPerKWh].filter((x): x is string => x !== undefined && x !== "").map((x) => parseDecimal(x, "standard price"));
    if (!solar || !refs.length) continue;
    const cheapest = refs.reduce((a, b) => (a.lt(b) ? a : b));
    const cap = cheapest.mul("0.8");
    if (solar.gt(cap)) out.push(`plan ${p.id}: solar price ${solar.toString()} is above 80 % of the standard product's ${cheapest.toString()} per kWh (${cap.toString()}): EnV Art. 16 caps internal electricity at 80 % of the standard product`);
  }
  return out;
}

/** The plan in force on `date` for a unit in `building`: the building's own plans win over community-wide ones. */
export function planFor(plans: readonly PricePlan[], building: string, date: LocalDate): PricePlan | undefined {
  const own = plans.filter((p) => p.buildings?.includes(building));
  const candidates = own.length ? own : plans.filter((p) => !p.buildings || p.buildings.length === 0);
  let best: PricePlan | undefined;
  for (const p of candidates) {
    if (daysBetween(p.validFrom, date) < 0) continue;
    if (!best || daysBetween(best.validFrom, p.validFrom) > 0) best = p;
  }
  return best;
}

export interface PlanSegment {
  from: LocalDate;
  to: LocalDate;
  plan: PricePlan | undefined;
}

/** Splits [from, to] (inclusive local dates) into runs of days with the same plan. */
export function planSegments(plans: readonly PricePlan[], building: string, from: LocalDate, to: LocalDate): PlanSegment[] {
  const out: PlanSegment[] = [];
  for (let d = from; daysBetween(d, to) >= 0; d = addDays(d, 1)) {
    const plan = planFor(plans, building, d);
    const last = out[out.length - 1];
    if (last && last.plan === plan) last.to = d;
    else out.push({ from: d, to: d, plan });
  }
  return out;
}

export function price(value: string | undefined, fallback?: string): Decimal | undefined {
  const v = value !== undefined && value !== "" ? value : fallback;
  return v === undefined || v === "" ? undefined : parseDecimal(v, "price");
}
