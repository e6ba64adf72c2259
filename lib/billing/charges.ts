import type { Charge } from "../community/types";
import type { Language } from "../model/party";
import type { InvoiceLine } from "../model/invoice";
import { daysBetween, LocalDate } from "../time/local-date";
import { monthSlices } from "../time/periods";
import { Decimal, money, roundCents } from "../util/money";
import type { BillingLayout } from "./layout";

const MONTHS_PER: Record<Exclude<Charge["rhythm"], "once">, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/**
 * The share of a periodic charge that falls on one calendar month
 * (docs/decisions/0103): the period's amount in Rappen split over its months,
 * the earlier months taking the Rappen left over, so the months add up to the
 * amount exactly. Quarters and years are calendar quarters and years.
 */
export function monthShareOfCharge(amount: Decimal, rhythm: Exclude<Charge["rhythm"], "once">, month: string): Decimal {
  const k = MONTHS_PER[rhythm];
  const m = Number(month.slice(5, 7)) - 1;
  const idx = m % k;
  const cents = amount.mul(100);
  const base = cents.divToInt(k);
  const left = cents.minus(base.mul(k));
  return base.plus(left.gt(idx) ? 1 : 0).div(100);
}

/**
 * Days `first`..`last` (day of month, 1-based) of a month whose share is `month`:
 * cumulative rounding, so that any split of the month's days (a move-out on
 * the 17th, a tariff change) adds up to the month's share to the Rappen.
 */
export function partialMonth(month: Decimal, first: number, last: number, daysInMonth: number): Decimal {
  return roundCents(month.mul(last).div(daysInMonth)).minus(roundCents(month.mul(first - 1).div(daysInMonth)));
}

function applies(c: Charge, payer: BillingLayout["payers"][number]): boolean {
  if (c.scope === "community") return true;
  if (c.scope === "building") return payer.building === c.building;
  return payer.kind === "tenant" && payer.key === c.tenancy;
}

function inValidity(c: Charge, date: LocalDate): boolean {
  return daysBetween(c.from, date) >= 0 && (c.to === undefined || c.to === null || daysBetween(date, c.to) >= 0);
}

/**
 * The charge lines of one payer: `days` are the payer's day indices in the
 * layout (ascending), `language` the recipient's (for the printed label).
 */
export function chargeLines(layout: BillingLayout, payer: number, days: readonly number[], charges: readonly Charge[], language: Language): InvoiceLine[] {
  const p = layout.payers[payer]!;
  const u = layout.units.indexOf(p.unit);
  const D = layout.days;
  const out: InvoiceLine[] = [];
  for (const c of charges) {
    if (!applies(c, p)) continue;
    const amount = new Decimal(c.amount);
    // As a zero base fee: no line.
    if (amount.isZero()) continue;
    const label = c.labels?.[language] ?? c.label;
    const base = (seg: number): Pick<InvoiceLine, "pos" | "kind" | "vatRate" | "pricesIncludeVat" | "planId" | "chargeId" | "label"> => {
      const s = layout.segments[seg]!;
      return {
        pos: 0,
        kind: "charge",
        vatRate: s.vatRate,
        pricesIncludeVat: c.pricesIncludeVat ?? s.plan.pricesIncludeVat,
        planId: s.plan.id,
        chargeId: c.id,
        label,
      };
    };
    if (c.rhythm === "once") {
      const d = days.find((x) => layout.dates[x] === c.from);
      if (d === undefined) continue;
      out.push({
        ...base(layout.seg[u * D + d]!),
        from: c.from,
        to: c.from,
        quantity: "1",
        unit: "piece",
        unitPrice: amount.toString(),
        amount: money(amount),
      });
      continue;
    }
    // Runs of consecutive valid days with one segment, then their calendar months.
    const runs: { from: number; to: number; seg: number }[] = [];
    for (const d of days) {
      if (!inValidity(c, layout.dates[d]!)) continue;
      const seg = layout.seg[u * D + d]!;
      const last = runs[runs.length - 1];
      if (last && d === last.to + 1 && last.seg === seg) last.to = d;
      else runs.push({ from: d, to: d, seg });
    }
    let whole: InvoiceLine | null = null;
    for (const run of runs) {
      for (const m of monthSlices(layout.dates[run.from]!, layout.dates[run.to]!)) {
        const share = monthShareOfCharge(amount, c.rhythm, m.month);
        if (m.days === m.daysInMonth) {
          // Consecutive whole months of the same share and basis in one line, as for base fees.
          if (
            whole &&
            whole.unitPrice === share.toString() &&
            whole.planId === layout.segments[run.seg]!.plan.id &&
            whole.vatRate === layout.segments[run.seg]!.vatRate &&
            daysBetween(whole.to, m.from) === 1
          ) {
            whole.to = m.to;
            whole.quantity = String(Number(whole.quantity) + 1);
            whole.amount = money(new Decimal(whole.amount).plus(share));
            continue;
          }
          whole = { ...base(run.seg), from: m.from, to: m.to, quantity: "1", unit: "month", unitPrice: share.toString(), amount: money(share) };
          out.push(whole);
          continue;
        }
        whole = null;
        const first = Number(m.from.slice(8, 10));
        const last = Number(m.to.slice(8, 10));
        out.push({
          ...base(run.seg),
          from: m.from,
          to: m.to,
          quantity: `${m.days}/${m.daysInMonth}`,
          unit: "month",
          unitPrice: share.toString(),
          amount: money(partialMonth(share, first, last, m.daysInMonth)),
        });
      }
    }
  }
  return out;
}
