import type { CommunityDefinition } from "../community/types";
import type { EvSessionFact, GridComponentFact, InvoiceExplanation, StandardPriceFact } from "../model/invoice";
import type { GridPriceComponent, PricePlan } from "../tariffs/types";
import type { SessionIntervalEnergy } from "../store/charger-session-repo";
import { INTERVAL_MS } from "../time/interval";
import { localClock } from "../time/local-date";
import { Decimal, kwhFromMWh, parseDecimal } from "../util/money";
import type { BillingLayout } from "./layout";

/*
 * The facts an invoice prints to explain itself (decision 0107), taken from
 * the same layout and ledger input the lines come from, so the explanation
 * and the lines cannot tell different stories. Nothing here changes a line.
 */

const SCALE = { equal: 1, floorArea: 10000, custom: 1e6 } as const;

export interface ExplainInput {
  def: CommunityDefinition;
  layout: BillingLayout;
  payer: number;
  /** The payer's days (indexes into layout.dates). */
  days: readonly number[];
  /** The invoice's common-area share, kWh with 3 decimals. */
  commonKWh: string;
  /** The community's common-area energy of the period, mWh. */
  communityCommonMWh: number;
  ev: readonly SessionIntervalEnergy[];
  fromMs: number;
  count: number;
}

export function explainInvoice(x: ExplainInput): InvoiceExplanation {
  const { layout, payer } = x;
  const D = layout.days;
  const u = layout.units.indexOf(layout.payers[payer]!.unit);
  const key = layout.rules.commonAreaKey;
  const scale = SCALE[key];
  const total = layout.commonWeights.reduce((a, b) => a + b, 0);
  const common =
    x.communityCommonMWh > 0 && total > 0
      ? {
          key,
          weight: new Decimal(layout.commonWeights[u]!).div(scale).toString(),
          totalWeight: new Decimal(total).div(scale).toString(),
          communityKWh: kwhFromMWh(x.communityCommonMWh).toFixed(3),
          days: x.days.length,
          periodDays: D,
          shareKWh: x.commonKWh,
        }
      : null;

  const tariffWindows: InvoiceExplanation["tariffWindows"] = [];
  const seen = new Set<string>();
  const plans: PricePlan[] = [];
  for (const d of x.days) {
    const plan = layout.segments[layout.seg[u * D + d]!]!.plan;
    if (!plans.includes(plan)) plans.push(plan);
    if (plan.gridPerKWh || !plan.gridSchedule || seen.has(plan.id)) continue;
    seen.add(plan.id);
    tariffWindows.push({
      planId: plan.id,
      ht: plan.gridSchedule.ht.map((w) => ({ days: [...w.days], from: w.from, to: w.to })),
      ntDays: [...(plan.gridSchedule.ntDays ?? [])],
    });
  }

  // The same attribution as the ledger: the unit of the session, the day of its quarter hour, who occupied it.
  const unitId = layout.payers[payer]!.unit;
  const parts = new Map<string, { startMs: number; wh: number; mode: EvSessionFact["mode"]; userId: string | null }>();
  for (const e of x.ev) {
    if (e.unitId !== unitId) continue;
    const i = (e.startMs - x.fromMs) / INTERVAL_MS;
    if (i < 0 || i >= x.count) continue;
    if (layout.occ[u * D + layout.dayOfInterval[i]!] !== payer) continue;
    const k = `${e.sessionId}|${e.mode}`;
    const p = parts.get(k);
    if (p) {
      p.wh += e.energyWh;
      p.startMs = Math.min(p.startMs, e.startMs);
    } else parts.set(k, { startMs: e.startMs, wh: e.energyWh, mode: e.mode, userId: e.userId });
  }
  const evSessions = [...parts.values()]
    .sort((a, b) => a.startMs - b.startMs || a.mode.localeCompare(b.mode))
    .map((p): EvSessionFact => {
      const c = localClock(p.startMs, x.def.timeZone);
      const hh = String(Math.floor(c.minuteOfDay / 60)).padStart(2, "0");
      const mm = String(c.minuteOfDay % 60).padStart(2, "0");
      return { date: c.date, time: `${hh}:${mm}`, kWh: new Decimal(p.wh).div(1000).toFixed(3), mode: p.mode, idTail: p.userId ? p.userId.slice(-4) : null };
    });
  const out: InvoiceExplanation = { version: 1, common, tariffWindows, evSessions };
  // Only when entered: an ordinary community's snapshot stays as it was.
  const gridComponents = plans.flatMap(gridComponentFacts);
  if (gridComponents.length) out.gridComponents = gridComponents;
  const standardPrice = plans.flatMap(standardPriceFacts);
  if (standardPrice.length) out.standardPrice = standardPrice;
  return out;
}

/** The plan's grid price components per tariff, as decimal text (decision 0134). */
function gridComponentFacts(plan: PricePlan): GridComponentFact[] {
  const list = plan.gridComponents;
  if (!list?.length) return [];
  const fact = (tariff: GridComponentFact["tariff"], pick: (c: GridPriceComponent) => string | undefined): GridComponentFact => ({
    planId: plan.id,
    tariff,
    components: list.map((c) => ({ kind: c.kind, label: c.label?.trim() || null, perKWh: parseDecimal(pick(c), "grid component").toString() })),
  });
  if (plan.gridPerKWh) return [fact("single", (c) => c.perKWh)];
  return [fact("ht", (c) => c.perKWh || c.htPerKWh), fact("nt", (c) => c.perKWh || c.ntPerKWh)];
}

/** The solar price beside the standard product's energy price (EnV Art. 16), when the plan names one. */
function standardPriceFacts(plan: PricePlan): StandardPriceFact[] {
  const sp = plan.standardProduct;
  const dec = (v: string | undefined): string | null => (v === undefined || v === "" ? null : parseDecimal(v, "price").toString());
  if (!sp || (!dec(sp.perKWh) && !dec(sp.htPerKWh))) return [];
  return [
    {
      planId: plan.id,
      solarPerKWh: dec(plan.solarPerKWh)!,
      name: sp.name?.trim() || null,
      perKWh: dec(sp.perKWh),
      htPerKWh: dec(sp.perKWh) ? null : dec(sp.htPerKWh),
      ntPerKWh: dec(sp.perKWh) ? null : dec(sp.ntPerKWh),
    },
  ];
}
