import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import { runBilling, type BillingRunReport } from "../../../lib/billing/run";
import type { CommunityDefinition } from "../../../lib/community/types";
import { renderInvoiceDocument } from "../../../lib/render/documents";
import { invoiceView } from "../../../lib/render/invoice-view";
import { backfill } from "../../../lib/simulator/backfill";
import { SONNENHOF_SITE, withSiteMeters } from "../../../lib/simulator/site";
import { saveCommunity } from "../../../lib/store/community-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import type { PricePlan } from "../../../lib/tariffs/types";
import { demoCommunity } from "../../../scripts/flows/demo";
import { fillMeter, openBillingStore, person, SIMPLE_PLAN, threeUnitCommunity } from "../../support/billing-fixture";
import { exampleCommunity } from "../../support/community-fixture";
import { pdfText } from "../../support/pdf-tools";
import { useTmpDir } from "../../support/tmp";

const art16 = (r: BillingRunReport): string[] => r.warnings.filter((w) => /Art\. 16/.test(w));

describe("EnV Art. 16: the example community passes the product's own checks", function () {
  this.timeout(60000);
  const tmp = useTmpDir();

  it("a month of the example community (simulated as the demo does) bills without an Art. 16 warning; a 5-day vacancy does not trigger it either", async () => {
    const store = SqliteStore.open(join(tmp(), "example.sqlite"));
    try {
      const def = withSiteMeters(exampleCommunity(), SONNENHOF_SITE);
      saveCommunity(store, def, { source: "test", actor: "test" });
      const from = Date.parse("2026-10-01T00:00:00+02:00") - 15 * 60_000;
      const to = Date.parse("2026-11-01T00:15:00+01:00");
      backfill(store, { communityId: "sonnenhof", site: SONNENHOF_SITE, fromMs: from, toMs: to, now: () => to + 60_000 });

      const r = runBilling(store, { communityId: "sonnenhof", period: "2026-10", mode: "draft", force: true, actor: "test" });
      assert.deepEqual(art16(r), []);
      assert.ok(r.records.length >= 4);
      for (const rec of r.records) {
        const s = rec.snapshot;
        assert.equal(s.art16?.ok, true, `${s.tenancyKey}: ${JSON.stringify(s.art16)}`);
        assert.ok(Number(s.comparison!.saving) >= 0, `${s.tenancyKey} pays more than on the standard product: ${JSON.stringify(s.comparison)}`);
        assert.equal(s.comparisonDetail!.basis, "net");
      }
      // Unit 1 charges a car: the wallbox energy is shown apart, not in the household comparison.
      const anna = r.records.find((x) => x.snapshot.unit.id === "1")!.snapshot;
      const ev = anna.lines.filter((l) => l.kind.startsWith("ev-"));
      assert.ok(ev.length > 0);
      assert.equal(anna.comparisonDetail!.ev!.amount, ev.reduce((a, l) => a + Number(l.amount), 0).toFixed(2));
      const householdLines = anna.lines.filter((l) => !l.kind.startsWith("ev-")).reduce((a, l) => a + Math.round(Number(l.amount) * 100), 0);
      assert.equal(Math.round(Number(anna.comparison!.invoiceCost) * 100), householdLines);

      // The invoice says so, read back from the PDF.
      const pdf = join(tmp(), "anna.pdf");
      writeFileSync(pdf, (await renderInvoiceDocument(r.records.find((x) => x.snapshot.unit.id === "1")!)).buffer);
      const text = pdfText(pdf).replace(/\s+/g, " ");
      assert.match(text, /Vergleich mit dem Standardprodukt \(Nettobeträge, ohne MWST; ohne E-Mobilität\)/);
      assert.match(text, /E-Mobilität \(Laden an der Wallbox, [\d'.]+ kWh\), separat verrechnet, nicht im Vergleich/);
      assert.doesNotMatch(text, /Mehrkosten/);

      // Luc moves out on 26 October: unit 2 is vacant for 5 days, the owner's invoice passes too.
      const vacancy: CommunityDefinition = {
        ...def,
        tenancies: def.tenancies.map((t) => (t.unit === "2" && t.to === "2026-10-15" ? { ...t, to: "2026-10-26" } : t)),
      };
      saveCommunity(store, vacancy, { source: "test", actor: "test" });
      const v = runBilling(store, { communityId: "sonnenhof", period: "2026-10", mode: "draft", force: true, actor: "test" });
      const owner = v.records.find((x) => x.snapshot.tenancyKey === "owner:2")!.snapshot;
      assert.deepEqual(owner.service, [{ from: "2026-10-27", to: "2026-10-31" }]);
      assert.equal(owner.art16!.ok, true, JSON.stringify(owner.art16));
      assert.deepEqual(art16(v), []);
    } finally {
      store.close();
    }
  });

  it("the demo bills with the example's own tariff", () => {
    assert.deepEqual(demoCommunity().tariffs, exampleCommunity().tariffs);
  });

  it("the invoice-level check compares like with like: fees pro rata on both sides, unrounded, so a 5-day vacancy at the cap does not misfire", () => {
    // Internal prices exactly at 80 %: solar 0.20 vs 0.25, fees 4.00 + 4.00 vs 10.00 a month.
    const plan: PricePlan = {
      ...SIMPLE_PLAN,
      baseFeePerMonth: "4.00",
      meteringFeePerMonth: "4.00",
      standardProduct: { name: "EW Basic", perKWh: "0.25", baseFeePerMonth: "10.00" },
    };
    const def = threeUnitCommunity({
      buildings: [{ id: "A", name: "Haus A", units: [{ id: "1", label: "Wohnung 1", floorArea: 100 }] }],
      tenancies: [{ id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2020-01-01", to: "2026-11-25" }],
      meters: [
        { id: "pv", role: "production" },
        { id: "unit-1", role: "unit", unit: "1" },
      ],
      tariffs: [plan],
    });
    const store = openBillingStore(tmp(), def);
    try {
      // The vacancy (26-30 November) gets 6.628 kWh of solar: 0.20 x 6.628 = 1.3256 -> 1.33 on the line.
      const firstVacant = 25 * 96;
      fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
      fillMeter(store, "drei", "pv", "2026-11", (i) => (i >= firstVacant && i < firstVacant + 66 ? 100 : i === firstVacant + 66 ? 28 : 0));
      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      const owner = res.invoices.find((i) => i.tenancyKey === "owner:1")!;
      assert.deepEqual(
        owner.lines.filter((l) => l.kind !== "grid").map((l) => `${l.kind} ${l.quantity} = ${l.amount}`),
        ["solar 6.628 = 1.33", "base-fee 5/30 = 0.67", "metering-fee 5/30 = 0.67"],
      );
      // Rounded per line, 2.67 against 80 % of (1.657 + 1.67) = 2.66 would warn; the prices are exactly at the cap.
      assert.deepEqual(owner.art16, { method: "flat-rate", internalCost: "2.67", cap: "2.66", ok: true });
      assert.deepEqual(
        res.notices.filter((n) => n.code.startsWith("art16.")),
        [],
      );
    } finally {
      store.close();
    }
  });

  it("a tariff above the cap still warns, with the code art16.invoice", () => {
    const plan: PricePlan = {
      ...SIMPLE_PLAN,
      baseFeePerMonth: "4.00",
      meteringFeePerMonth: "4.01",
      standardProduct: { perKWh: "0.25", baseFeePerMonth: "10.00" },
    };
    const def = threeUnitCommunity({
      buildings: [{ id: "A", name: "Haus A", units: [{ id: "1", label: "Wohnung 1", floorArea: 100 }] }],
      tenancies: [{ id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2020-01-01", to: null }],
      meters: [
        { id: "pv", role: "production" },
        { id: "unit-1", role: "unit", unit: "1" },
      ],
      tariffs: [plan],
    });
    const store = openBillingStore(tmp(), def);
    try {
      fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
      fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 100 : 0));
      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      assert.equal(res.invoices[0]!.art16!.ok, false);
      assert.deepEqual(
        res.notices.filter((n) => n.code.startsWith("art16.")).map((n) => [n.code, n.params.tenancy]),
        [["art16.invoice", "t1"]],
      );
    } finally {
      store.close();
    }
  });

  it("the comparison states whether it compares net or gross amounts, in the data and on the invoice", () => {
    const bill = (pricesIncludeVat: boolean): ReturnType<typeof computeInvoices>["invoices"][number] => {
      const def = threeUnitCommunity({
        tariffs: [{ ...SIMPLE_PLAN, pricesIncludeVat, standardProduct: { name: "EW Basic", perKWh: "0.30", baseFeePerMonth: "10.00" } }],
      });
      def.creditor = { ...def.creditor, vatRegistered: true, uid: "CHE-123.456.789", vatNumber: "CHE-123.456.789 MWST" };
      const store = openBillingStore(join(tmp(), String(pricesIncludeVat)), def);
      try {
        for (const [m, wh] of [
          ["unit-1", 100],
          ["unit-2", 200],
          ["unit-3", 100],
          ["common", 40],
        ] as const)
          fillMeter(store, "drei", m, "2026-11", () => wh);
        fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
        return computeInvoices(loadBillingInput(store, "drei", "2026-11")).invoices.find((i) => i.tenancyKey === "t1")!;
      } finally {
        store.close();
      }
    };
    const net = bill(false);
    const gross = bill(true);
    assert.deepEqual(net.comparisonDetail, { basis: "net", ev: null });
    assert.deepEqual(gross.comparisonDetail, { basis: "gross", ev: null });
    assert.equal(invoiceView({ ...net, language: "de" }).comparison!.title, "Vergleich mit dem Standardprodukt (Nettobeträge, ohne MWST)");
    assert.equal(invoiceView({ ...gross, language: "fr" }).comparison!.title, "Comparaison avec le produit standard (montants bruts, TVA incluse)");
    assert.equal(invoiceView({ ...net, language: "it" }).comparison!.title, "Confronto con il prodotto standard (importi netti, IVA esclusa)");
    assert.equal(invoiceView({ ...gross, language: "en" }).comparison!.title, "Comparison with the standard product (gross amounts, including VAT)");
  });
});
