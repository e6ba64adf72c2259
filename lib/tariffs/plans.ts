import { addDays, daysBetween, isLocalDate, LocalDate } from "../time/local-date";
import { scheduleIssues } from "../time/tariff-windows";
import { Issue, issue, quoted } from "../util/issue";
import { Decimal, parseDecimal } from "../util/money";
import { GRID_COMPONENT_KINDS, type PricePlan } from "./types";

/** One problem of the price plans: where (`tariffs[1].gridSchedule`), code, values and English text. */
export interface PlanIssue extends Issue {
  path: string;
}

function at(path: string, i: Issue): PlanIssue {
  return { path, ...i };
}

/** Why `value` is no decimal number (parseDecimal's own words), or null. */
function decimalIssue(value: unknown, field: string): Issue | null {
  try {
    parseDecimal(value, field);
    return null;
  } catch {
    return issue("price.notDecimal", "__field__ must be a decimal number like 0.215, got __value__", { field, value: quoted(value) });
  }
}

/**
 * Upper limits for prices, to catch typing errors ("2150" for 0.2150)
 * before they reach an invoice: about ten times the dearest Swiss household
 * tariff per kWh, and far above any base or metering fee. A real price above
 * them is not a ZEV's.
 */
export const PRICE_LIMITS = { perKWh: "5.00", perMonth: "1000.00" } as const;

const PER_MONTH = new Set(["baseFeePerMonth", "meteringFeePerMonth"]);

/** A price field's problem: not a decimal, negative, or above its limit. */
function priceIssue(v: unknown, f: string): Issue | null {
  const problem = decimalIssue(v, f);
  if (problem) return problem;
  const d = parseDecimal(v, f);
  if (d.isNegative()) return issue("price.negative", "a price cannot be negative");
  const monthly = PER_MONTH.has(f);
  const limit = monthly ? PRICE_LIMITS.perMonth : PRICE_LIMITS.perKWh;
  if (d.gt(limit))
    return monthly
      ? issue("price.tooHighPerMonth", "__field__ __value__ is above the limit of __limit__ per month (a typing error?)", {
          field: f,
          value: d.toString(),
          limit,
        })
      : issue("price.tooHighPerKWh", "__field__ __value__ is above the limit of __limit__ per kWh (a typing error?)", { field: f, value: d.toString(), limit });
  return null;
}

function priceProblems(plan: PricePlan, path: string): PlanIssue[] {
  const out: PlanIssue[] = [];
  const fields = [
    "solarPerKWh",
    "batteryPerKWh",
    "gridPerKWh",
    "gridHtPerKWh",
    "gridNtPerKWh",
    "evNormalPerKWh",
    "evPriorityPerKWh",
    "baseFeePerMonth",
    "meteringFeePerMonth",
  ] as const;
  for (const f of fields) {
    const v = plan[f];
    if (v === undefined || v === "") continue;
    const problem = priceIssue(v, f);
    if (problem) out.push(at(`${path}.${f}`, problem));
  }
  return out;
}

const filled = (v: string | undefined): v is string => v !== undefined && v !== "";

/**
 * The grid price's components (decision 0134): each a known kind with prices that fit the plan's grid
 * prices (one, or HT and NT), and together exactly the grid price, so that the line under the grid price
 * never tells a different story from the price billed.
 */
function gridComponentIssues(p: PricePlan, path: string): PlanIssue[] {
  const list = p.gridComponents;
  if (list === undefined) return [];
  const base = `${path}.gridComponents`;
  if (!Array.isArray(list) || list.length === 0) return [at(base, issue("plan.componentsEmpty", "give at least one component, or leave gridComponents out"))];
  const out: PlanIssue[] = [];
  const htnt = filled(p.gridHtPerKWh) || filled(p.gridNtPerKWh);
  const sums = { single: new Decimal(0), ht: new Decimal(0), nt: new Decimal(0) };
  let priced = true;
  list.forEach((c, i) => {
    const cp = `${base}[${i}]`;
    if (!GRID_COMPONENT_KINDS.includes(c.kind))
      out.push(at(`${cp}.kind`, issue("plan.componentKind", "kind must be one of __kinds__", { kinds: GRID_COMPONENT_KINDS.join(", ") })));
    if (c.kind === "other" && !(c.label ?? "").trim()) out.push(at(`${cp}.label`, issue("plan.componentLabel", "a component of kind other needs a label")));
    const single = filled(c.perKWh);
    const split = filled(c.htPerKWh) || filled(c.ntPerKWh);
    const shapeOk = htnt ? single !== split && (single || (filled(c.htPerKWh) && filled(c.ntPerKWh))) : single && !split;
    if (!shapeOk) {
      priced = false;
      out.push(
        at(
          cp,
          htnt
            ? issue("plan.componentHtNt", "on a plan with HT/NT grid prices, give a component either perKWh or both htPerKWh and ntPerKWh")
            : issue("plan.componentSingle", "on a plan with one grid price, give a component perKWh"),
        ),
      );
      return;
    }
    for (const f of ["perKWh", "htPerKWh", "ntPerKWh"] as const) {
      if (!filled(c[f])) continue;
      const problem = priceIssue(c[f], f);
      if (problem) {
        priced = false;
        out.push(at(`${cp}.${f}`, problem));
      }
    }
    if (!priced) return;
    if (single) {
      sums.single = sums.single.plus(parseDecimal(c.perKWh, "perKWh"));
      sums.ht = sums.ht.plus(parseDecimal(c.perKWh, "perKWh"));
      sums.nt = sums.nt.plus(parseDecimal(c.perKWh, "perKWh"));
    } else {
      sums.ht = sums.ht.plus(parseDecimal(c.htPerKWh, "htPerKWh"));
      sums.nt = sums.nt.plus(parseDecimal(c.ntPerKWh, "ntPerKWh"));
    }
  });
  if (!priced) return out;
  const check = (sum: Decimal, grid: string | undefined, field: string): void => {
    if (!filled(grid) || decimalIssue(grid, field)) return;
    if (!sum.eq(parseDecimal(grid, field)))
      out.push(
        at(
          base,
          issue("plan.componentsSum", "the components add up to __sum__ per kWh, not to the grid price __field__ __grid__", {
            sum: sum.toString(),
            field,
            grid: parseDecimal(grid, field).toString(),
          }),
        ),
      );
  };
  if (htnt) {
    check(sums.ht, p.gridHtPerKWh, "gridHtPerKWh");
    check(sums.nt, p.gridNtPerKWh, "gridNtPerKWh");
  } else check(sums.single, p.gridPerKWh, "gridPerKWh");
  return out;
}

/** Problems of the price plans, worded for the admin and with codes for translations; empty when they can bill. */
export function planIssues(plans: readonly PricePlan[], buildingIds: readonly string[]): PlanIssue[] {
  const out: PlanIssue[] = [];
  const ids = new Set<string>();
  plans.forEach((p, i) => {
    const path = `tariffs[${i}]`;
    if (!p.id) out.push(at(`${path}.id`, issue("plan.idRequired", "a plan needs an id")));
    else if (ids.has(p.id)) out.push(at(`${path}.id`, issue("plan.duplicate", "plan __plan__ is listed twice", { plan: p.id })));
    else ids.add(p.id);
    if (!isLocalDate(p.validFrom)) out.push(at(`${path}.validFrom`, issue("plan.validFrom", "must be a date written YYYY-MM-DD")));
    if (p.solarPerKWh === undefined || p.solarPerKWh === "") out.push(at(`${path}.solarPerKWh`, issue("plan.solarRequired", "the solar price is required")));
    const single = p.gridPerKWh !== undefined && p.gridPerKWh !== "";
    const htnt = (p.gridHtPerKWh ?? "") !== "" || (p.gridNtPerKWh ?? "") !== "";
    if (single === htnt) out.push(at(path, issue("plan.gridPriceChoice", "give either one grid price (gridPerKWh) or HT and NT prices with their windows")));
    if (htnt) {
      if (!p.gridHtPerKWh || !p.gridNtPerKWh) out.push(at(path, issue("plan.htntBoth", "HT/NT grid prices need both gridHtPerKWh and gridNtPerKWh")));
      if (!p.gridSchedule || !Array.isArray(p.gridSchedule.ht) || p.gridSchedule.ht.length === 0)
        out.push(at(`${path}.gridSchedule`, issue("plan.htWindowRequired", "HT/NT grid prices need at least one HT window (weekdays, from, to)")));
      else out.push(...scheduleIssues(p.gridSchedule).map((e) => at(`${path}.gridSchedule`, e)));
    }
    const sp = p.standardProduct;
    if (sp) {
      const spSingle = (sp.perKWh ?? "") !== "";
      const spHtnt = (sp.htPerKWh ?? "") !== "" || (sp.ntPerKWh ?? "") !== "";
      if (spSingle === spHtnt) out.push(at(`${path}.standardProduct`, issue("plan.productPriceChoice", "give either perKWh or htPerKWh and ntPerKWh")));
      if (spHtnt && !sp.schedule && !p.gridSchedule)
        out.push(at(`${path}.standardProduct`, issue("plan.productHtWindows", "HT/NT prices need the utility's HT windows (schedule)")));
      for (const f of ["perKWh", "htPerKWh", "ntPerKWh", "baseFeePerMonth"] as const) {
        if ((sp[f] ?? "") === "") continue;
        const problem = priceIssue(sp[f], f);
        if (problem) out.push(at(`${path}.standardProduct.${f}`, problem));
      }
    }
    out.push(...gridComponentIssues(p, path));
    for (const b of p.buildings ?? [])
      if (!buildingIds.includes(b))
        out.push(at(`${path}.buildings`, issue("plan.unknownBuilding", "building __building__ does not exist", { building: quoted(b) })));
    out.push(...priceProblems(p, path));
  });
  // Two plans of the same scope starting the same day make "the plan in force" ambiguous.
  const seen = new Set<string>();
  for (const p of plans) {
    const scopes = p.buildings?.length ? p.buildings : ["*"];
    for (const s of scopes) {
      const key = `${s}|${p.validFrom}`;
      if (seen.has(key))
        out.push(
          at(
            "tariffs",
            s === "*"
              ? issue("plans.sameStart", "two plans for the whole community start on __date__", { date: String(p.validFrom) })
              : issue("plans.sameStartBuilding", "two plans for building __building__ start on __date__", { building: s, date: String(p.validFrom) }),
          ),
        );
      seen.add(key);
    }
  }
  return out;
}

/** The same problems as "path: message" lines, in English. */
export function validatePlans(plans: readonly PricePlan[], buildingIds: readonly string[]): string[] {
  return planIssues(plans, buildingIds).map((i) => `${i.path}: ${i.message}`);
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
