import assert from "node:assert/strict";
import { computeInvoices } from "../../../lib/billing/compute";
import { computeLegInvoices, type LegComputation } from "../../../lib/billing/leg";
import { loadBillingInput } from "../../../lib/billing/load";
import { estimateBilling } from "../../../lib/billing/estimate";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { openBillingStore } from "../../support/billing-fixture";
import { fillLegMonth, legCommunity } from "../../support/leg-fixture";
import { useTmpDir } from "../../support/tmp";

const lines = (inv: InvoiceSnapshot): string[] => inv.lines.map((l) => `${l.kind} ${l.quantity} ${l.unit} x ${l.unitPrice} = ${l.amount} vat ${l.vatRate}`);

/*
 * The hand calculation (November 2026, 2880 quarter hours, 720 of them sunny):
 *
 * Sunny quarter: feed-in P = p1 300 + p2 100 = 400 Wh; draw D = m1 100 + m2 200 + m3 100 + m4 50 (+ p2 0) = 450 Wh;
 *   local L = min(400, 450) = 400 Wh.
 *   Proportional to draw: 400 x 100/450 = 88.89, x 200/450 = 177.78, x 100/450 = 88.89, x 50/450 = 44.44;
 *   floors 88 + 177 + 88 + 44 = 397, 3 Wh left to the largest remainders (in 1/450 Wh: m1 400, m3 400, m2 350,
 *   m4 200): m1 89, m2 178, m3 89, m4 44 (sum 400).
 *   Credits proportional to feed-in: p1 300, p2 100.
 * Other quarters: P = 0, no local energy; p2 draws 50 Wh.
 *
 * Month, local = 720 x share, draw = 2880 x draw per quarter:
 *   m1 64.080 of 288.000 kWh (residual 223.920), m2 128.160 of 576.000 (447.840),
 *   m3 64.080 of 288.000 (223.920), m4 31.680 of 144.000 (112.320), p2 0 of 108.000 (2160 x 50 Wh).
 *   Credited: p1 720 x 300 = 216.000 kWh, p2 720 x 100 = 72.000 kWh; 216 + 72 = 288 = 64.08 + 128.16 + 64.08 + 31.68.
 *
 * Money (local price 0.18 without VAT, the LEG VAT-registered at 8.1 %, totals cash-rounded to 0.05):
 *   m1: 64.080 x 0.18 = 11.5344 -> 11.53; VAT 11.53 x 0.081 = 0.93393 -> 0.93; 12.46 -> 12.45 (rounding -0.01)
 *   m2: 128.160 x 0.18 = 23.0688 -> 23.07; VAT 1.86867 -> 1.87; 24.94 -> 24.95 (+0.01)
 *   m3: as m1, 12.45
 *   m4: 31.680 x 0.18 = 5.7024 -> 5.70; VAT 0.4617 -> 0.46; 6.16 -> 6.15 (-0.01)
 *   Grid-fee reduction (information): local kWh x 0.10 x 40 %: m1 2.5632 -> 2.56, m2 5.1264 -> 5.13, m4 1.2672 -> 1.27.
 * Producers (0.12 per kWh without VAT):
 *   p1 (VAT-registered): 216.000 x 0.12 = 25.92; VAT 25.92 x 0.081 = 2.09952 -> 2.10; total 28.02
 *   p2 (not registered): 72.000 x 0.12 = 8.64; total 8.64
 */
describe("LEG billing: a month with 2 producers and 4 members, checked by hand", () => {
  const tmp = useTmpDir();

  function compute(overrides = {}): LegComputation {
    const store = openBillingStore(tmp(), legCommunity(overrides));
    try {
      fillLegMonth(store);
      return computeLegInvoices(loadBillingInput(store, "leg", "2026-11"));
    } finally {
      store.close();
    }
  }

  it("bills each member only its local energy at the LEG's price, with VAT, to the Rappen", () => {
    const res = compute();
    const inv = (k: string): InvoiceSnapshot => res.invoices.find((i) => i.tenancyKey === k)!;
    assert.deepEqual(lines(inv("t-m1")), ["leg-local 64.080 kWh x 0.18 = 11.53 vat 0.081"]);
    assert.deepEqual(lines(inv("t-m2")), ["leg-local 128.160 kWh x 0.18 = 23.07 vat 0.081"]);
    assert.deepEqual(lines(inv("t-m3")), ["leg-local 64.080 kWh x 0.18 = 11.53 vat 0.081"]);
    assert.deepEqual(lines(inv("t-m4")), ["leg-local 31.680 kWh x 0.18 = 5.70 vat 0.081"]);
    const t = (k: string): string[] => {
      const x = inv(k).totals;
      return [x.net, x.vatTotal, x.gross, x.rounding, x.total];
    };
    assert.deepEqual(t("t-m1"), ["11.53", "0.93", "12.46", "-0.01", "12.45"]);
    assert.deepEqual(t("t-m2"), ["23.07", "1.87", "24.94", "0.01", "24.95"]);
    assert.deepEqual(t("t-m3"), ["11.53", "0.93", "12.46", "-0.01", "12.45"]);
    assert.deepEqual(t("t-m4"), ["5.70", "0.46", "6.16", "-0.01", "6.15"]);
    // p2 drew only when nothing was fed in: an invoice with its residual, nothing local to pay; p1 drew nothing: none.
    assert.deepEqual(inv("t-p2").lines, []);
    assert.equal(inv("t-p2").totals.total, "0.00");
    assert.equal(inv("t-p2").leg!.residualKWh, "108.000");
    assert.equal(
      res.invoices.find((i) => i.tenancyKey === "t-p1"),
      undefined,
    );
  });

  it("shows the residual grid energy and the network-fee reduction as information, not as lines", () => {
    const res = compute();
    const m1 = res.invoices.find((i) => i.tenancyKey === "t-m1")!.leg!;
    assert.deepEqual(m1, {
      drawKWh: "288.000",
      localKWh: "64.080",
      residualKWh: "223.920",
      key: "proportional",
      source: "own",
      gridFeeReduction: 40,
      gridFeePerKWh: "0.10",
      gridFeeSaving: "2.56",
    });
    assert.equal(res.invoices.find((i) => i.tenancyKey === "t-m2")!.leg!.gridFeeSaving, "5.13");
    assert.equal(res.invoices.find((i) => i.tenancyKey === "t-m4")!.leg!.gridFeeSaving, "1.27");
    // Without a grid fee per kWh only the percentage is known.
    const bare = compute({ legGridFeePerKWh: undefined, legGridFeeReduction: 20 });
    const b1 = bare.invoices.find((i) => i.tenancyKey === "t-m1")!.leg!;
    assert.equal(b1.gridFeeSaving, null);
    assert.equal(b1.gridFeeReduction, 20);
  });

  it("credits the producers for what they delivered into the community, with VAT only for the registered one", () => {
    const res = compute();
    const st = (k: string) => res.leg.statements.find((s) => s.tenancyKey === k)!;
    assert.deepEqual(
      res.leg.statements.map((s) => s.tenancyKey),
      ["t-p1", "t-p2"],
    );
    assert.deepEqual(st("t-p1").lines, [{ from: "2026-11-01", to: "2026-11-30", quantity: "216.000", unitPrice: "0.12", amount: "25.92", vatRate: "0.081" }]);
    assert.deepEqual([st("t-p1").net, st("t-p1").vatTotal, st("t-p1").total], ["25.92", "2.10", "28.02"]);
    assert.equal(st("t-p1").producerVatNumber, "CHE-111.222.333 MWST");
    assert.deepEqual(st("t-p2").lines, [{ from: "2026-11-01", to: "2026-11-30", quantity: "72.000", unitPrice: "0.12", amount: "8.64", vatRate: null }]);
    assert.deepEqual([st("t-p2").net, st("t-p2").vatTotal, st("t-p2").total, st("t-p2").producerVatNumber], ["8.64", "0.00", "8.64", null]);
    assert.deepEqual([st("t-p1").feedInKWh, st("t-p1").creditedKWh, st("t-p1").surplusKWh], ["216.000", "216.000", "0.000"]);
  });

  it("balances the LEG's books: billed local kWh = credited kWh, exactly", () => {
    const res = compute();
    const billed = res.invoices.flatMap((i) => i.lines).reduce((a, l) => a + Math.round(Number(l.quantity) * 1000), 0);
    const credited = res.leg.statements.flatMap((s) => s.lines).reduce((a, l) => a + Math.round(Number(l.quantity) * 1000), 0);
    assert.equal(billed, 288000);
    assert.equal(credited, 288000);
    assert.deepEqual(res.leg.totals, {
      drawKWh: "1404.000",
      feedInKWh: "288.000",
      localKWh: "288.000",
      residualKWh: "1116.000",
      surplusKWh: "0.000",
      billedLocalKWh: "288.000",
      creditedKWh: "288.000",
    });
  });

  it("static key: equal shares of 1, what m4 cannot use goes to the member with uncovered draw", () => {
    // Sunny quarter: L = 400, shares m1-m4 1:1:1:1 -> 100 each; m4 draws 50 -> 50; 50 left;
    // uncovered draw: m2 100 (m1, m3 covered, p2 draws 0) -> m2 150. Month: m1 72, m2 108, m3 72, m4 36 kWh.
    const res = compute({ legAllocation: "static", legShares: { m1: 1, m2: 1, m3: 1, m4: 1 } });
    const local = (k: string): string => res.invoices.find((i) => i.tenancyKey === k)!.leg!.localKWh;
    assert.deepEqual(["t-m1", "t-m2", "t-m3", "t-m4"].map(local), ["72.000", "108.000", "72.000", "36.000"]);
    assert.equal(res.invoices.find((i) => i.tenancyKey === "t-m2")!.lines[0]!.amount, "19.44");
    assert.equal(res.leg.totals.creditedKWh, "288.000");
  });

  it("names the fees and charges a LEG does not bill instead of dropping them silently", () => {
    const res = compute({
      tariffs: [{ id: "leg2026", validFrom: "2026-01-01", pricesIncludeVat: false, solarPerKWh: "0.18", gridPerKWh: "0.30", baseFeePerMonth: "5.00" }],
      charges: [{ id: "admin", label: "Verwaltung", amount: "2.00", rhythm: "monthly", from: "2026-01-01", scope: "community" }],
    });
    assert.deepEqual(res.notices.map((n) => n.code).sort(), ["leg.chargesNotBilled", "leg.feesNotBilled"]);
    assert.deepEqual(lines(res.invoices.find((i) => i.tenancyKey === "t-m1")!), ["leg-local 64.080 kWh x 0.18 = 11.53 vat 0.081"]);
  });

  it("the ordinary billing entry point bills a LEG as a LEG", () => {
    const store = openBillingStore(tmp(), legCommunity());
    try {
      fillLegMonth(store);
      const res = computeInvoices(loadBillingInput(store, "leg", "2026-11"));
      assert.deepEqual(
        res.invoices.map((i) => `${i.tenancyKey} ${i.totals.total}`),
        ["t-m1 12.45", "t-m2 24.95", "t-m3 12.45", "t-m4 6.15", "t-p2 0.00"],
      );
    } finally {
      store.close();
    }
  });
});

describe("LEG estimate: the dashboard's figures carry local, residual and producer credits", () => {
  const tmp = useTmpDir();

  it("estimates a LEG month per member with the same numbers as the invoices and statements", () => {
    const store = openBillingStore(tmp(), legCommunity());
    try {
      fillLegMonth(store);
      const e = estimateBilling(store, "leg", "2026-11", { nowMs: Date.parse("2026-12-05T12:00:00Z") });
      const m1 = e.leg!.members.find((m) => m.tenancyKey === "t-m1")!;
      assert.deepEqual([m1.drawKWh, m1.localKWh, m1.residualKWh, m1.credit], ["288.000", "64.080", "223.920", "0.00"]);
      assert.equal(e.leg!.members.find((m) => m.tenancyKey === "t-p1")!.credit, "28.02");
      // 28.02 + 8.64
      assert.equal(e.leg!.producerCredits, "36.66");
      assert.equal(e.leg!.totals.creditedKWh, "288.000");
      const u1 = e.units.find((u) => u.unit === "m1")!;
      assert.equal(u1.consumptionKWh, 288);
      assert.equal(u1.solarShare, 0.2225);
      assert.equal(u1.cost, "12.45");
      // 12.45 + 24.95 + 12.45 + 6.15 + 0.00
      assert.equal(e.total, "56.00");
    } finally {
      store.close();
    }
  });
});
