import { issue, Issue } from "../util/issue";
import { parseDecimal } from "../util/money";
import { price } from "./plans";
import type { PricePlan } from "./types";

/**
 * EnV Art. 16 check of a plan's prices alone (flat-rate method): the solar
 * energy price may not exceed 80 % of the standard product's energy price.
 * The full check, with fees, is made per invoice. Code "art16.plan".
 */
export function art16PlanNotices(plans: readonly PricePlan[]): Issue[] {
  const out: Issue[] = [];
  for (const p of plans) {
    const sp = p.standardProduct;
    if (!sp || p.method === "actual-cost") continue;
    const solar = price(p.solarPerKWh);
    const refs = [sp.perKWh, sp.htPerKWh, sp.ntPerKWh].filter((x): x is string => x !== undefined && x !== "").map((x) => parseDecimal(x, "standard price"));
    if (!solar || !refs.length) continue;
    const cheapest = refs.reduce((a, b) => (a.lt(b) ? a : b));
    const cap = cheapest.mul("0.8");
    if (solar.gt(cap))
      out.push(
        issue(
          "art16.plan",
          "plan __plan__: solar price __solar__ is above 80 % of the standard product's __standard__ per kWh (__cap__): EnV Art. 16 caps internal electricity at 80 % of the standard product",
          {
            plan: p.id,
            solar: solar.toString(),
            standard: cheapest.toString(),
            cap: cap.toString(),
          },
        ),
      );
  }
  return out;
}
