import assert from "node:assert/strict";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import type { CommunityDefinition } from "../../../lib/community/types";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import type { PricePlan } from "../../../lib/tariffs/types";
import { fillMeter, openBillingStore, person, SIMPLE_PLAN, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

const lines = (inv: InvoiceSnapshot): string[] => inv.lines.map((l) => `${l.kind} ${l.from}..${l.to} ${l.quantity} x ${l.unitPrice} = ${l.amount}`);

/** The building of compute-month.spec.ts without the charger: u1 100, u2 200, u3 100, common 40 Wh; PV 220 Wh each :00 quarter. */
function fillStandardMonth(store: SqliteStore, month: string): void {
  fillMeter(store, "drei", "unit-1", month, () => 100);
  fillMeter(store, "drei", "unit-2", month, () => 200);
  fillMeter(store, "drei", "unit-3", month, () => 100);
  fillMeter(store, "drei", "common", month, () => 40);
  fillMeter(store, "drei", "pv", month, (i) => (i % 4 === 0 ? 220 : 0));
}

/** One unit, no PV, no common area: every kWh is grid. */
function oneUnitCommunity(plan: Partial<PricePlan>, overrides: Partial<CommunityDefinition> = {}): CommunityDefinition {
  return threeUnitCommunity({
    buildings: [{ id: "A", name: "Haus A", units: [{ id: "1", label: "Wohnung 1", floorArea: 100 }] }],
    tenancies: [{ id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2020-01-01", to: null }],
    meters: [{ id: "unit-1", role: "unit", unit: "1" }],
    tariffs: [{ ...SIMPLE_PLAN, baseFeePerMonth: undefined, meteringFeePerMonth: undefined, ...plan } as PricePlan],
    ...overrides,
  });
}

describe("billing scenarios computed by hand", () => {
  const tmp = useTmpDir();

  it("a tenant moving out on the 10th, a vacancy, and a new tenant from the 16th: each pays only their days, the owner the vacancy", () => {
    const def = threeUnitCommunity();
    def.tenancies[1] = { id: "t2", unit: "2", tenant: person("Luc Dubois", "fr"), from: "2025-01-01", to: "2026-11-10" };
    def.tenancies.push({ id: "t2b", unit: "2", tenant: person("Giulia Rossi", "it"), from: "2026-11-16", to: null });
    const store = openBillingStore(tmp(), def);
    try {
      fillStandardMonth(store, "2026-11");
      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      const luc = res.invoices.find((i) => i.tenancyKey === "t2")!;
      const owner = res.invoices.find((i) => i.tenancyKey === "owner:2")!;
      const giulia = res.invoices.find((i) => i.tenancyKey === "t2b")!;
      // unit 2 per day: solar 24 x 100 = 2.4 kWh, grid 24 x 100 + 72 x 200 = 16.8 kWh; common share 1/2: 0.24 + 1.68 kWh
      assert.deepEqual(lines(luc), [
        "solar 2026-11-01..2026-11-10 24.000 x 0.2 = 4.80",
        "grid 2026-11-01..2026-11-10 168.000 x 0.3 = 50.40",
        "common-solar 2026-11-01..2026-11-10 2.400 x 0.2 = 0.48",
        "common-grid 2026-11-01..2026-11-10 16.800 x 0.3 = 5.04",
        "base-fee 2026-11-01..2026-11-10 10/30 x 5 = 1.67",
        "metering-fee 2026-11-01..2026-11-10 10/30 x 3.5 = 1.17",
      ]);
      assert.equal(luc.totals.total, "63.55");
      assert.equal(luc.totals.rounding, "-0.01");
      assert.deepEqual(lines(owner), [
        "solar 2026-11-11..2026-11-15 12.000 x 0.2 = 2.40",
        "grid 2026-11-11..2026-11-15 84.000 x 0.3 = 25.20",
        "common-solar 2026-11-11..2026-11-15 1.200 x 0.2 = 0.24",
        "common-grid 2026-11-11..2026-11-15 8.400 x 0.3 = 2.52",
        "base-fee 2026-11-11..2026-11-15 5/30 x 5 = 0.83",
        "metering-fee 2026-11-11..2026-11-15 5/30 x 3.5 = 0.58",
      ]);
      assert.equal(owner.totals.total, "31.75");
      assert.equal(owner.recipient.name, "Owner AG");
      assert.equal(owner.recipientKind, "owner");
      assert.equal(giulia.totals.gross, "95.33");
      assert.equal(giulia.totals.total, "95.35");
      assert.equal(giulia.language, "it");
      assert.equal(res.invoices.length, 5);
    } finally {
      store.close();
    }
  });

  it("a tariff change on the 16th bills the period piecewise, each part at its plan's prices", () => {
    const p2: PricePlan = { ...SIMPLE_PLAN, id: "p2", validFrom: "2026-11-16", solarPerKWh: "0.22", gridPerKWh: "0.32", baseFeePerMonth: "6.00" };
    const store = openBillingStore(tmp(), threeUnitCommunity({ tariffs: [SIMPLE_PLAN, p2] }));
    try {
      fillStandardMonth(store, "2026-11");
      const inv = computeInvoices(loadBillingInput(store, "drei", "2026-11")).invoices.find((i) => i.tenancyKey === "t1")!;
      assert.deepEqual(lines(inv), [
        "solar 2026-11-01..2026-11-15 18.000 x 0.2 = 3.60",
        "grid 2026-11-01..2026-11-15 126.000 x 0.3 = 37.80",
        "common-solar 2026-11-01..2026-11-15 1.800 x 0.2 = 0.36",
        "common-grid 2026-11-01..2026-11-15 12.600 x 0.3 = 3.78",
        "solar 2026-11-16..2026-11-30 18.000 x 0.22 = 3.96",
        "grid 2026-11-16..2026-11-30 126.000 x 0.32 = 40.32",
        "common-solar 2026-11-16..2026-11-30 1.800 x 0.22 = 0.40",
        "common-grid 2026-11-16..2026-11-30 12.600 x 0.32 = 4.03",
        "base-fee 2026-11-01..2026-11-15 15/30 x 5 = 2.50",
        "metering-fee 2026-11-01..2026-11-15 15/30 x 3.5 = 1.75",
        "base-fee 2026-11-16..2026-11-30 15/30 x 6 = 3.00",
        "metering-fee 2026-11-16..2026-11-30 15/30 x 3.5 = 1.75",
      ]);
      assert.equal(inv.totals.total, "103.25");
      assert.deepEqual(inv.plans, ["p2026", "p2"]);
    } finally {
      store.close();
    }
  });

  it("HT/NT follows local time across both DST changes: March has 92-interval day, October a 100-interval day", () => {
    const plan: Partial<PricePlan> = {
      gridPerKWh: undefined,
      gridHtPerKWh: "0.30",
      gridNtPerKWh: "0.20",
      gridSchedule: { ht: [{ days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" }] },
    };
    const store = openBillingStore(tmp(), oneUnitCommunity(plan));
    try {
      fillMeter(store, "drei", "unit-1", "2026-03", () => 100);
      fillMeter(store, "drei", "unit-1", "2026-10", () => 100);
      // October 2026: 22 weekdays x 52 HT quarter hours = 1144 HT; 31 x 96 + 4 = 2980 in all -> 1836 NT
      const oct = computeInvoices(loadBillingInput(store, "drei", "2026-10")).invoices[0]!;
      assert.deepEqual(lines(oct), ["grid-ht 2026-10-01..2026-10-31 114.400 x 0.3 = 34.32", "grid-nt 2026-10-01..2026-10-31 183.600 x 0.2 = 36.72"]);
      assert.equal(oct.totals.total, "71.05");
      // March 2026: 22 weekdays -> 1144 HT; 31 x 96 - 4 = 2972 in all -> 1828 NT
      const mar = computeInvoices(loadBillingInput(store, "drei", "2026-03")).invoices[0]!;
      assert.deepEqual(lines(mar), ["grid-ht 2026-03-01..2026-03-31 114.400 x 0.3 = 34.32", "grid-nt 2026-03-01..2026-03-31 182.800 x 0.2 = 36.56"]);
    } finally {
      store.close();
    }
  });

  describe("VAT", () => {
    const november = (vatRegistered: boolean, pricesIncludeVat: boolean): InvoiceSnapshot => {
      const def = oneUnitCommunity({ pricesIncludeVat, baseFeePerMonth: "5.00" });
      def.creditor = { ...def.creditor, vatRegistered, vatNumber: vatRegistered ? "CHE-123.456.789 MWST" : undefined };
      const store = openBillingStore(tmp(), def);
      try {
        fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
        return computeInvoices(loadBillingInput(store, "drei", "2026-11")).invoices[0]!;
      } finally {
        store.close();
      }
    };

    it("off for a community that is not VAT-registered: the prices are final", () => {
      const inv = november(false, false);
      // 2880 x 100 Wh = 288 kWh x 0.30 = 86.40, base fee 5.00
      assert.equal(inv.totals.gross, "91.40");
      assert.deepEqual(inv.totals.vat, []);
      assert.equal(inv.totals.total, "91.40");
      assert.ok(inv.lines.every((l) => l.vatRate === null));
    });

    it("on, prices entered without VAT: 8.1 % is added", () => {
      const inv = november(true, false);
      assert.deepEqual(inv.totals.vat, [{ rate: "0.081", net: "91.40", vat: "7.40", gross: "98.80", pricesIncludeVat: false }]);
      assert.equal(inv.totals.total, "98.80");
    });

    it("on, prices entered with VAT: the 8.1 % contained is shown, the total stays", () => {
      const inv = november(true, true);
      // 91.40 x 0.081 / 1.081 = 6.8488... -> 6.85
      assert.deepEqual(inv.totals.vat, [{ rate: "0.081", net: "84.55", vat: "6.85", gross: "91.40", pricesIncludeVat: true }]);
      assert.equal(inv.totals.total, "91.40");
    });

    it("a period across 1.1.2024 is taxed 7.7 % before and 8.1 % after", () => {
      const def = oneUnitCommunity({ validFrom: "2023-01-01" });
      def.creditor = { ...def.creditor, vatRegistered: true, vatNumber: "CHE-123.456.789 MWST" };
      const store = openBillingStore(tmp(), def);
      try {
        fillMeter(store, "drei", "unit-1", "2023-12-16..2024-01-15", () => 100);
        const inv = computeInvoices(loadBillingInput(store, "drei", "2023-12-16..2024-01-15")).invoices[0]!;
        assert.deepEqual(lines(inv), ["grid 2023-12-16..2023-12-31 153.600 x 0.3 = 46.08", "grid 2024-01-01..2024-01-15 144.000 x 0.3 = 43.20"]);
        assert.deepEqual(
          inv.totals.vat.map((v) => [v.rate, v.net, v.vat]),
          [
            ["0.077", "46.08", "3.55"],
            ["0.081", "43.20", "3.50"],
          ],
        );
        assert.equal(inv.totals.gross, "96.33");
        assert.equal(inv.totals.total, "96.35");
        assert.equal(inv.totals.rounding, "0.02");
      } finally {
        store.close();
      }
    });
  });

  it("EnV Art. 16: warns when internal supply with fees costs more than 80 % of the standard product", () => {
    const standardProduct = { name: "EW Basic", perKWh: "0.30", baseFeePerMonth: "10.00" };
    const run = (solar: string): ReturnType<typeof computeInvoices> => {
      const store = openBillingStore(tmp(), threeUnitCommunity({ tariffs: [{ ...SIMPLE_PLAN, solarPerKWh: solar, standardProduct }] }));
      try {
        fillStandardMonth(store, "2026-11");
        return computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      } finally {
        store.close();
      }
    };
    // unit 1: 36 + 3.6 kWh internal; cap = 0.8 x (39.6 x 0.30 + 10.00) = 17.50
    const ok = run("0.20").invoices.find((i) => i.tenancyKey === "t1")!;
    assert.deepEqual(ok.art16, { method: "flat-rate", internalCost: "16.42", cap: "17.50", ok: true });
    // 316.8 kWh x 0.30 + 10.00 vs 7.20 + 75.60 + 0.72 + 7.56 + 5.00 + 3.50
    assert.deepEqual(ok.comparison, { name: "EW Basic", standardCost: "105.04", invoiceCost: "99.58", saving: "5.46" });
    const bad = run("0.30");
    const inv = bad.invoices.find((i) => i.tenancyKey === "t1")!;
    assert.deepEqual(inv.art16, { method: "flat-rate", internalCost: "20.38", cap: "17.50", ok: false });
    assert.ok(
      bad.warnings.some((w) => /EnV Art\. 16: internal supply for t1 costs 20\.38 CHF, more than 80 %/.test(w)),
      bad.warnings.join("\n"),
    );
    assert.ok(bad.warnings.some((w) => /plan p2026: solar price 0\.3 is above 80 % of the standard product's 0\.3/.test(w)));
  });
});
