import { price } from "../tariffs/plans";
import type { PricePlan } from "../tariffs/types";
import { LocalDate } from "../time/local-date";
import { monthSlices as sliceMonths, type MonthSlice } from "../time/periods";
import { Decimal, kwhFromMWh, money, roundCents, ZERO } from "../util/money";
import type { Charge } from "../community/types";
import { chargeLines } from "./charges";
import type { BillingLayout } from "./layout";
import { BillingError } from "./layout";
import { CAT, NCAT } from "./ledger";
import type { Art16Check, ComparisonDetail, EnergySummary, InvoiceLine, LineKind, StandardComparison } from "../model/invoice";

/*
 * Every payer's fee lines and comparison ask for the months of the same few
 * day ranges (the period, a move-in, a move-out); luxon makes each answer
 * cost about a tenth of a millisecond, which a 1,000-unit run asks ten
 * thousand times. The answers are kept (read-only) for the ranges seen.
 */
const monthCache = new Map<string, readonly MonthSlice[]>();
function monthSlices(from: LocalDate, to: LocalDate): readonly MonthSlice[] {
  const key = `${from}|${to}`;
  let slices = monthCache.get(key);
  if (!slices) {
    if (monthCache.size >= 4096) monthCache.clear();
    slices = sliceMonths(from, to);
    monthCache.set(key, slices);
  }
  return slices;
}

interface EnergyEntry {
  kind: LineKind;
  seg: number;
  mwh: number;
  price: Decimal;
}

export interface PayerBill {
  lines: InvoiceLine[];
  energy: EnergySummary;
  comparison: StandardComparison | null;
  comparisonDetail: ComparisonDetail | null;
  art16: Art16Check | null;
  /** Day indices of the payer, for quality figures. */
  days: number[];
}

/**
 * Rounds mWh values to whole Wh so that they add up to the rounded total
 * (largest remainder): the lines of an invoice always sum to its total kWh.
 */
export function roundToWh(mwh: readonly number[]): number[] {
  const total = mwh.reduce((a, b) => a + b, 0);
  const target = Math.floor(total / 1000 + 0.5);
  const floors = mwh.map((v) => Math.floor(v / 1000));
  let left = target - floors.reduce((a, b) => a + b, 0);
  const order = mwh.map((v, i) => ({ i, r: v - floors[i]! * 1000 })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left--;
  }
  return floors;
}

function energyPrices(plan: PricePlan): {
  solar: Decimal;
  battery: Decimal;
  grid?: Decimal;
  ht?: Decimal;
  nt?: Decimal;
  evNormal?: Decimal;
  evPriority?: Decimal;
} {
  return {
    solar: price(plan.solarPerKWh)!,
    battery: price(plan.batteryPerKWh, plan.solarPerKWh)!,
    grid: price(plan.gridPerKWh),
    ht: price(plan.gridHtPerKWh),
    nt: price(plan.gridNtPerKWh),
    evNormal: price(plan.evNormalPerKWh),
    evPriority: price(plan.evPriorityPerKWh),
  };
}

export function payerBill(layout: BillingLayout, L: Float64Array, payer: number, unitMeters: number, charges: readonly Charge[] = []): PayerBill {
  const D = layout.days;
  const S = layout.segmentCount;
  const u = layout.units.indexOf(layout.payers[payer]!.unit);
  const segDays: number[][] = Array.from({ length: S }, () => []);
  const days: number[] = [];
  for (let d = 0; d < D; d++) {
    if (layout.occ[u * D + d] !== payer) continue;
    segDays[layout.seg[u * D + d]!]!.push(d);
    days.push(d);
  }
  const v = (s: number, cat: number): number => L[(payer * S + s) * NCAT + cat]!;

  const entries: EnergyEntry[] = [];
  for (let s = 0; s < S; s++) {
    const plan = layout.segments[s]!.plan;
    const p = energyPrices(plan);
    const single = p.grid !== undefined;
    const add = (kind: LineKind, mwh: number, pr: Decimal | undefined, what: string): void => {
      if (mwh === 0) return;
      if (pr === undefined)
        throw new BillingError(`plan ${plan.id} has no ${what} price, but ${layout.payers[payer]!.key} has ${kwhFromMWh(mwh).toFixed(3)} kWh of it`);
      entries.push({ kind, seg: s, mwh, price: pr });
    };
    add("solar", v(s, CAT.ownSolar), p.solar, "solar");
    add("battery", v(s, CAT.ownBattery), p.battery, "battery");
    if (single) add("grid", v(s, CAT.ownGridHt) + v(s, CAT.ownGridNt), p.grid, "grid");
    else {
      add("grid-ht", v(s, CAT.ownGridHt), p.ht, "grid HT");
      add("grid-nt", v(s, CAT.ownGridNt), p.nt, "grid NT");
    }
    add("common-solar", v(s, CAT.commonSolar), p.solar, "solar");
    add("common-battery", v(s, CAT.commonBattery), p.battery, "battery");
    if (single) add("common-grid", v(s, CAT.commonGridHt) + v(s, CAT.commonGridNt), p.grid, "grid");
    else {
      add("common-grid-ht", v(s, CAT.commonGridHt), p.ht, "grid HT");
      add("common-grid-nt", v(s, CAT.commonGridNt), p.nt, "grid NT");
    }
    add("ev-normal", v(s, CAT.evNormal), p.evNormal, "EV normal charging");
    add("ev-priority", v(s, CAT.evPriority), p.evPriority, "EV priority charging");
  }

  const wh = roundToWh(entries.map((e) => e.mwh));
  const lines: InvoiceLine[] = [];
  const range = (s: number): { from: LocalDate; to: LocalDate } => ({
    from: layout.dates[segDays[s]![0]!]!,
    to: layout.dates[segDays[s]![segDays[s]!.length - 1]!]!,
  });
  entries.forEach((e, i) => {
    if (wh[i] === 0) return;
    const qty = new Decimal(wh[i]!).div(1000);
    const seg = layout.segments[e.seg]!;
    lines.push({
      pos: 0,
      kind: e.kind,
      ...range(e.seg),
      quantity: qty.toFixed(3),
      unit: "kWh",
      unitPrice: e.price.toString(),
      amount: money(roundCents(qty.mul(e.price))),
      vatRate: seg.vatRate,
      pricesIncludeVat: seg.plan.pricesIncludeVat,
      planId: seg.plan.id,
    });
  });

  for (let s = 0; s < S; s++) {
    if (!segDays[s]!.length) continue;
    const seg = layout.segments[s]!;
    const fees: [LineKind, string | undefined, number][] = [
      ["base-fee", seg.plan.baseFeePerMonth, 1],
      ["metering-fee", seg.plan.meteringFeePerMonth, unitMeters],
    ];
    for (const [kind, feeText, count] of fees) {
      const fee = price(feeText);
      if (!fee || fee.isZero() || count === 0) continue;
      lines.push(...feeLines(kind, fee, count, segDays[s]!, layout.dates, seg, range(s)));
    }
  }
  if (charges.length) lines.push(...chargeLines(layout, payer, days, charges, layout.payers[payer]!.spans[0]!.party.language));
  lines.forEach((l, i) => (l.pos = i + 1));
  return { lines, days, ...summaries(layout, L, payer, lines, segDays, unitMeters) };
}

/** Whole months in one line, each partial month in its own line (pro rata by days). */
function feeLines(
  kind: LineKind,
  fee: Decimal,
  meters: number,
  days: readonly number[],
  dates: readonly LocalDate[],
  seg: { plan: PricePlan; vatRate: string | null },
  range: { from: LocalDate; to: LocalDate },
): InvoiceLine[] {
  const base = {
    pos: 0,
    kind,
    unit: "month" as const,
    unitPrice: fee.toString(),
    vatRate: seg.vatRate,
    pricesIncludeVat: seg.plan.pricesIncludeVat,
    planId: seg.plan.id,
    ...(kind === "metering-fee" ? { meters } : {}),
  };
  const out: InvoiceLine[] = [];
  let fullMonths = 0;
  // Consecutive runs of days, then their calendar months.
  const runs: { from: number; to: number }[] = [];
  for (const d of days) {
    const last = runs[runs.length - 1];
    if (last && d === last.to + 1) last.to = d;
    else runs.push({ from: d, to: d });
  }
  for (const run of runs) {
    for (const m of monthSlices(dates[run.from]!, dates[run.to]!)) {
      if (m.days === m.daysInMonth) fullMonths++;
      else
        out.push({
          ...base,
          from: m.from,
          to: m.to,
          quantity: `${m.days}/${m.daysInMonth}`,
          amount: money(roundCents(fee.mul(meters).mul(m.days).div(m.daysInMonth))),
        });
    }
  }
  if (fullMonths) out.unshift({ ...base, ...range, quantity: String(fullMonths), amount: money(roundCents(fee.mul(meters).mul(fullMonths))) });
  return out;
}

/** The days as months: whole months count 1, a partial month its days over the month's days. */
function monthShare(days: readonly number[], dates: readonly LocalDate[]): Decimal {
  let share = ZERO;
  let run: { from: number; to: number } | null = null;
  const flush = (): void => {
    if (!run) return;
    for (const m of monthSlices(dates[run.from]!, dates[run.to]!)) share = share.plus(new Decimal(m.days).div(m.daysInMonth));
  };
  for (const d of days) {
    if (run && d === run.to + 1) run.to = d;
    else {
      flush();
      run = { from: d, to: d };
    }
  }
  flush();
  return share;
}

function summaries(
  layout: BillingLayout,
  L: Float64Array,
  payer: number,
  lines: InvoiceLine[],
  segDays: number[][],
  unitMeters: number,
): Omit<PayerBill, "lines" | "days"> {
  const S = layout.segmentCount;
  const sumQty = (kinds: LineKind[]): Decimal => lines.filter((l) => kinds.includes(l.kind)).reduce((a, l) => a.plus(l.quantity), ZERO);
  const sumAmt = (kinds: LineKind[]): Decimal => lines.filter((l) => kinds.includes(l.kind)).reduce((a, l) => a.plus(l.amount), ZERO);
  const ownSolar = sumQty(["solar"]);
  const ownBattery = sumQty(["battery"]);
  const ownGrid = sumQty(["grid", "grid-ht", "grid-nt"]);
  const common = sumQty(["common-solar", "common-battery", "common-grid", "common-grid-ht", "common-grid-nt"]);
  const ev = sumQty(["ev-normal", "ev-priority"]);
  let local = 0;
  let all = 0;
  for (let s = 0; s < S; s++) {
    const b = (payer * S + s) * NCAT;
    local += L[b + CAT.ownSolar]! + L[b + CAT.ownBattery]! + L[b + CAT.commonSolar]! + L[b + CAT.commonBattery]!;
    all +=
      L[b + CAT.ownSolar]! +
      L[b + CAT.ownBattery]! +
      L[b + CAT.ownGridHt]! +
      L[b + CAT.ownGridNt]! +
      L[b + CAT.commonSolar]! +
      L[b + CAT.commonBattery]! +
      L[b + CAT.commonGridHt]! +
      L[b + CAT.commonGridNt]!;
  }
  const energy: EnergySummary = {
    ownSolarKWh: ownSolar.toFixed(3),
    ownBatteryKWh: ownBattery.toFixed(3),
    ownGridKWh: ownGrid.toFixed(3),
    commonKWh: common.toFixed(3),
    evKWh: ev.toFixed(3),
    totalKWh: ownSolar.plus(ownBattery).plus(ownGrid).plus(common).plus(ev).toFixed(3),
    selfSufficiency: all > 0 ? new Decimal(local).div(all).toFixed(4) : null,
  };

  let standard = ZERO;
  let evStandard = ZERO;
  let capBase = ZERO;
  // Like with like (docs/decisions/0069): internal energy and fees minus 80 % of the standard
  // product's for the same kWh and the same days, unrounded; the check passes when it is <= 0.
  let excess = ZERO;
  let hasStandard = false;
  let name: string | null = null;
  let method: "flat-rate" | "actual-cost" = "flat-rate";
  const bases = new Set<boolean>();
  for (let s = 0; s < S; s++) {
    if (!segDays[s]!.length) continue;
    const plan = layout.segments[s]!.plan;
    const sp = plan.standardProduct;
    if (!sp) continue;
    hasStandard = true;
    bases.add(plan.pricesIncludeVat);
    name = sp.name ?? name;
    method = plan.method ?? method;
    const b = (payer * S + s) * NCAT;
    const ht = price(sp.htPerKWh, sp.perKWh)!;
    const nt = price(sp.ntPerKWh, sp.perKWh)!;
    standard = standard.plus(
      roundCents(
        kwhFromMWh(L[b + CAT.stdHt]!)
          .mul(ht)
          .plus(kwhFromMWh(L[b + CAT.stdNt]!).mul(nt)),
      ),
    );
    evStandard = evStandard.plus(
      roundCents(
        kwhFromMWh(L[b + CAT.evStdHt]!)
          .mul(ht)
          .plus(kwhFromMWh(L[b + CAT.evStdNt]!).mul(nt)),
      ),
    );
    const internalStd = kwhFromMWh(L[b + CAT.internalStdHt]!)
      .mul(ht)
      .plus(kwhFromMWh(L[b + CAT.internalStdNt]!).mul(nt));
    capBase = capBase.plus(internalStd);
    const p = energyPrices(plan);
    const internalEnergy = kwhFromMWh(L[b + CAT.ownSolar]! + L[b + CAT.commonSolar]!)
      .mul(p.solar)
      .plus(kwhFromMWh(L[b + CAT.ownBattery]! + L[b + CAT.commonBattery]!).mul(p.battery));
    excess = excess.plus(internalEnergy).minus(internalStd.mul("0.8"));
    const fee = price(sp.baseFeePerMonth);
    const seg = layout.segments[s]!;
    const days = segDays[s]!;
    if (fee && !fee.isZero()) {
      for (const l of feeLines("base-fee", fee, 1, days, layout.dates, seg, { from: layout.dates[days[0]!]!, to: layout.dates[days[days.length - 1]!]! })) {
        capBase = capBase.plus(l.amount);
        standard = standard.plus(l.amount);
      }
    }
    // The community's fees and the standard product's, each month by the same share of its days.
    const ownFees = (price(plan.baseFeePerMonth) ?? ZERO).plus((price(plan.meteringFeePerMonth) ?? ZERO).mul(unitMeters));
    excess = excess.plus(ownFees.minus((fee ?? ZERO).mul("0.8")).mul(monthShare(days, layout.dates)));
  }
  const cap = roundCents(capBase.mul("0.8"));
  if (!hasStandard) return { energy, comparison: null, comparisonDetail: null, art16: null };
  const evKinds: LineKind[] = ["ev-normal", "ev-priority"];
  // Wallbox charging is no household energy: compared apart, not in the household figures;
  // charges (meter rent, a connection charge) have no counterpart in the standard product (docs/decisions/0103).
  const invoiceCost = lines.filter((l) => !evKinds.includes(l.kind) && l.kind !== "charge").reduce((a, l) => a.plus(l.amount), ZERO);
  const internal = sumAmt(["solar", "battery", "common-solar", "common-battery", "base-fee", "metering-fee"]);
  const hasInternal = lines.some((l) => ["solar", "battery", "common-solar", "common-battery"].includes(l.kind));
  const evLines = lines.filter((l) => evKinds.includes(l.kind));
  return {
    energy,
    comparison: { name, standardCost: money(standard), invoiceCost: money(invoiceCost), saving: money(standard.minus(invoiceCost)) },
    comparisonDetail: {
      basis: bases.size > 1 ? "mixed" : bases.has(true) ? "gross" : "net",
      ev: evLines.length ? { kWh: ev.toFixed(3), amount: money(sumAmt(evKinds)), standardCost: money(evStandard) } : null,
    },
    art16: hasInternal && method === "flat-rate" ? { method, internalCost: money(internal), cap: money(cap), ok: excess.lte(0) } : null,
  };
}
