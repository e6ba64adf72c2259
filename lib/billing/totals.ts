import type { Currency } from "../model/party";
import { Decimal, money, roundCents, roundFiveCents, ZERO } from "../util/money";
import type { InvoiceLine, InvoiceTotals, VatSummary } from "../model/invoice";

/**
 * VAT and rounding (docs/billing.md "Rounding"):
 * - lines are already rounded half-up to 0.01;
 * - per VAT rate and price basis: net prices -> VAT = round(net × rate);
 *   gross prices -> VAT = round(gross × rate / (1 + rate)) contained in them;
 * - the total is rounded half-up to 0.05 for CHF (cash rounding), shown as its own figure.
 */
export function computeTotals(lines: readonly Pick<InvoiceLine, "amount" | "vatRate" | "pricesIncludeVat">[], currency: Currency): InvoiceTotals {
  const groups = new Map<string, { rate: Decimal | null; incl: boolean; sum: Decimal }>();
  let linesTotal = ZERO;
  for (const l of lines) {
    const key = `${l.vatRate ?? "none"}|${l.pricesIncludeVat}`;
    const g = groups.get(key) ?? { rate: l.vatRate === null ? null : new Decimal(l.vatRate), incl: l.pricesIncludeVat, sum: ZERO };
    g.sum = g.sum.plus(l.amount);
    groups.set(key, g);
    linesTotal = linesTotal.plus(l.amount);
  }
  const vat: VatSummary[] = [];
  let net = ZERO;
  let vatTotal = ZERO;
  let gross = ZERO;
  for (const g of groups.values()) {
    if (g.rate === null) {
      net = net.plus(g.sum);
      gross = gross.plus(g.sum);
      continue;
    }
    const tax = g.incl ? roundCents(g.sum.mul(g.rate).div(g.rate.plus(1))) : roundCents(g.sum.mul(g.rate));
    const gNet = g.incl ? g.sum.minus(tax) : g.sum;
    const gGross = g.incl ? g.sum : g.sum.plus(tax);
    vat.push({ rate: g.rate.toString(), net: money(gNet), vat: money(tax), gross: money(gGross), pricesIncludeVat: g.incl });
    net = net.plus(gNet);
    vatTotal = vatTotal.plus(tax);
    gross = gross.plus(gGross);
  }
  vat.sort((a, b) => Number(a.rate) - Number(b.rate));
  const total = currency === "CHF" ? roundFiveCents(gross) : roundCents(gross);
  return {
    linesTotal: money(linesTotal),
    net: money(net),
    vat,
    vatTotal: money(vatTotal),
    gross: money(gross),
    rounding: money(total.minus(gross)),
    total: money(total),
  };
}

/** Amounts of a credit note: every figure negated. */
export function negateTotals(t: InvoiceTotals): InvoiceTotals {
  const neg = (x: string): string => money(new Decimal(x).neg());
  return {
    linesTotal: neg(t.linesTotal),
    net: neg(t.net),
    vat: t.vat.map((v) => ({ ...v, net: neg(v.net), vat: neg(v.vat), gross: neg(v.gross) })),
    vatTotal: neg(t.vatTotal),
    gross: neg(t.gross),
    rounding: neg(t.rounding),
    total: neg(t.total),
  };
}
