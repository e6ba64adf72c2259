import { allUnits, CommunityDefinition } from "../community/types";
import { planFor } from "../tariffs/plans";
import { DEFAULT_BILLING_RULES, type BillingRules, type PricePlan } from "../tariffs/types";
import { vatRateOn } from "../tariffs/vat";
import { INTERVAL_MS } from "../time/interval";
import { addDays, daysBetween, LocalDate, startOfLocalDay } from "../time/local-date";
import type { BillingPeriod } from "../time/periods";
import { bandAt, tariffBand, TariffSchedule } from "../time/tariff-windows";
import type { LedgerLayout } from "./ledger";
import { occupancies, Occupancy } from "../community/occupancy";

export class BillingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BillingError";
  }
}

/** A run of days with one price plan and one VAT rate. */
export interface Segment {
  plan: PricePlan;
  /** null: the community is not VAT-registered. */
  vatRate: string | null;
}

/** An invoice's payer over the period: one tenancy, or one unit's vacant days (all of them). */
export interface Payer {
  key: string;
  kind: "tenant" | "owner";
  unit: string;
  building: string;
  spans: Occupancy[];
}

export interface BillingLayout extends LedgerLayout {
  dates: LocalDate[];
  /** Index of each day's first interval. */
  firstInterval: Int32Array;
  segments: Segment[];
  payers: Payer[];
  rules: BillingRules;
}

export function billingRules(def: CommunityDefinition): BillingRules {
  return { ...DEFAULT_BILLING_RULES, ...(def.billing ?? {}) };
}

interface DayClock {
  dates: readonly LocalDate[];
  dayOfInterval: Int32Array;
  /** Index of each day's first interval. */
  firstInterval: Int32Array;
}

/**
 * HT(1)/NT(0) per interval. On ordinary days the wall clock is the day's
 * first interval plus 15 minutes each; only the DST days ask luxon.
 */
function bandsFor(
  schedule: TariffSchedule | undefined,
  fromMs: number,
  count: number,
  zone: string,
  clock: DayClock,
  cache: Map<string, Uint8Array>,
): Uint8Array {
  const key = schedule ? JSON.stringify(schedule) : "single";
  let bands = cache.get(key);
  if (bands) return bands;
  bands = new Uint8Array(count);
  if (!schedule) bands.fill(1);
  else {
    for (let d = 0; d < clock.dates.length; d++) {
      const first = clock.firstInterval[d]!;
      const end = d + 1 < clock.dates.length ? clock.firstInterval[d + 1]! : count;
      const date = clock.dates[d]!;
      if (end - first === 96) {
        const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
        for (let i = first; i < end; i++) bands[i] = bandAt(weekday, (i - first) * 15, date, schedule) === "HT" ? 1 : 0;
      } else {
        for (let i = first; i < end; i++) bands[i] = tariffBand(fromMs + i * INTERVAL_MS, schedule, zone) === "HT" ? 1 : 0;
      }
    }
  }
  cache.set(key, bands);
  return bands;
}

function commonWeights(def: CommunityDefinition, rules: BillingRules): number[] {
  return allUnits(def).map((u) => {
    // Integer weights for the exact split: m² to the cm², custom shares to 1e-6.
    if (rules.commonAreaKey === "floorArea") return Math.round((u.floorArea ?? 0) * 10000);
    if (rules.commonAreaKey === "custom") return Math.round((rules.customShares?.[u.id] ?? 0) * 1e6);
    return 1;
  });
}

export function buildLayout(def: CommunityDefinition, period: BillingPeriod, intervalCount: number): BillingLayout {
  const rules = billingRules(def);
  const plans = def.tariffs ?? [];
  if (!plans.length) throw new BillingError(`community ${def.id} has no price plan (tariffs): add one before billing`);
  const zone = def.timeZone;
  const dates: LocalDate[] = [];
  for (let d = period.from; daysBetween(d, period.to) >= 0; d = addDays(d, 1)) dates.push(d);
  const D = dates.length;
  const dayOfInterval = new Int32Array(intervalCount);
  let d = 0;
  let nextDayStart = D > 1 ? startOfLocalDay(dates[1]!, zone) : Infinity;
  for (let i = 0; i < intervalCount; i++) {
    const t = period.startMs + i * INTERVAL_MS;
    while (t >= nextDayStart) {
      d++;
      nextDayStart = d + 1 < D ? startOfLocalDay(dates[d + 1]!, zone) : Infinity;
    }
    dayOfInterval[i] = d;
  }

  const units = allUnits(def);
  const payers: Payer[] = [];
  const payerIndex = new Map<string, number>();
  const occ = new Int32Array(units.length * D).fill(-1);
  const unitIndex = new Map<string, number>();
  units.forEach((x, i) => {
    if (!unitIndex.has(x.id)) unitIndex.set(x.id, i);
  });
  for (const o of occupancies(def, period.from, period.to)) {
    let p = payerIndex.get(o.key);
    if (p === undefined) {
      p = payers.length;
      payerIndex.set(o.key, p);
      payers.push({ key: o.key, kind: o.kind, unit: o.unit, building: o.building, spans: [] });
    }
    payers[p]!.spans.push(o);
    const u = unitIndex.get(o.unit) ?? -1;
    const last = daysBetween(period.from, o.to);
    for (let day = daysBetween(period.from, o.from); day <= last; day++) occ[u * D + day] = p;
  }

  const segments: Segment[] = [];
  const segIndex = new Map<string, number>();
  const seg = new Int32Array(units.length * D);
  const vatRegistered = def.creditor.vatRegistered;
  const missing = new Set<string>();
  const planByBuildingDay = new Map<string, (PricePlan | undefined)[]>();
  for (const b of def.buildings)
    planByBuildingDay.set(
      b.id,
      dates.map((date) => planFor(plans, b.id, date)),
    );
  const vatByDay = dates.map((date) => (vatRegistered ? vatRateOn(date).toString() : null));
  units.forEach((unit, u) => {
    const planOfDay = planByBuildingDay.get(unit.building)!;
    dates.forEach((date, day) => {
      const plan = planOfDay[day];
      if (!plan) {
        missing.add(`building ${unit.building} on ${date}`);
        return;
      }
      const vatRate = vatByDay[day]!;
      const key = `${plan.id}|${vatRate}`;
      let s = segIndex.get(key);
      if (s === undefined) {
        s = segments.length;
        segIndex.set(key, s);
        segments.push({ plan, vatRate });
      }
      seg[u * D + day] = s;
    });
  });
  if (missing.size)
    throw new BillingError(
      `no price plan in force for ${[...missing].slice(0, 3).join(", ")}${missing.size > 3 ? ` and ${missing.size - 3} more days` : ""}: add a plan valid from an earlier date`,
    );

  const cache = new Map<string, Uint8Array>();
  const firstInterval = new Int32Array(D);
  for (let i = intervalCount - 1; i >= 0; i--) firstInterval[dayOfInterval[i]!] = i;
  const clock: DayClock = { dates, dayOfInterval, firstInterval };
  const gridHt = segments.map((s) => bandsFor(s.plan.gridPerKWh ? undefined : s.plan.gridSchedule, period.startMs, intervalCount, zone, clock, cache));
  const stdHt = segments.map((s) => {
    const sp = s.plan.standardProduct;
    return bandsFor(sp && !sp.perKWh ? (sp.schedule ?? s.plan.gridSchedule) : undefined, period.startMs, intervalCount, zone, clock, cache);
  });
  return {
    dates,
    dayOfInterval,
    firstInterval,
    days: D,
    units: units.map((u) => u.id),
    occ,
    seg,
    occupancyCount: payers.length,
    segmentCount: segments.length,
    gridHt,
    stdHt,
    commonWeights: commonWeights(def, rules),
    segments,
    payers,
    rules,
  };
}
