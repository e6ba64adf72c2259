import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { monthShareOfCharge, partialMonth } from "../../../lib/billing/charges";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import type { Charge, CommunityDefinition } from "../../../lib/community/types";
import type { InvoiceLine, InvoiceSnapshot } from "../../../lib/model/invoice";
import { linesTable } from "../../../lib/render/export/invoices";
import { renderInvoiceDocument } from "../../../lib/render/documents";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import type { PricePlan } from "../../../lib/tariffs/types";
import { Decimal, money, ZERO } from "../../../lib/util/money";
import { openBillingStore, person, SIMPLE_PLAN, threeUnitCommunity } from "../../support/billing-fixture";
import { pdfText } from "../../support/pdf-tools";
import { requireTools } from "../../support/system-tools";
import { useTmpDir } from "../../support/tmp";

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);

const CHARGES: Charge[] = [
  {
    id: "rent",
    label: "Zählermiete",
    labels: { en: "Meter rent", fr: "Location du compteur" },
    amount: "4.55",
    rhythm: "monthly",
    from: "2026-01-01",
    scope: "community",
  },
  { id: "service", label: "Servicepauschale", amount: "20.00", rhythm: "quarterly", from: "2026-01-01", scope: "building", building: "A" },
  { id: "yearly", label: "Jahresgebühr", amount: "100.00", rhythm: "yearly", from: "2026-01-01", to: "2026-12-31", scope: "community" },
];

/** Unit 1: Anna moves out on 17 June 2026, Ben moves in the next day. */
function community(charges: Charge[] = CHARGES, over: Partial<CommunityDefinition> = {}): CommunityDefinition {
  const def = threeUnitCommunity({ charges, ...over });
  def.tenancies = [
    { id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2025-01-01", to: "2026-06-17" },
    { id: "t1b", unit: "1", tenant: person("Ben Frei", "en"), from: "2026-06-18", to: null },
    ...def.tenancies.filter((t) => t.unit !== "1"),
  ];
  return def;
}

const chargeLines = (inv: InvoiceSnapshot, id?: string): InvoiceLine[] =>
  inv.lines.filter((l) => l.kind === "charge" && (id === undefined || l.chargeId === id));
const sum = (lines: readonly InvoiceLine[]): string => money(lines.reduce((a, l) => a.plus(l.amount), ZERO));

describe("billing: recurring and one-off charges (docs/decisions/0103)", () => {
  const tmp = useTmpDir();

  function bill(def: CommunityDefinition, periods: readonly string[]): InvoiceSnapshot[] {
    const store = openBillingStore(tmp(), def);
    try {
      return periods.flatMap((p) => computeInvoices(loadBillingInput(store, def.id, p)).invoices);
    } finally {
      store.close();
    }
  }

  it("splits a quarter's and a year's amount over their months so that the months add up to the Rappen", () => {
    const year = MONTHS.map((m) => monthShareOfCharge(new Decimal("100.00"), "yearly", m));
    assert.deepEqual(year.map(String), ["8.34", "8.34", "8.34", "8.34", "8.33", "8.33", "8.33", "8.33", "8.33", "8.33", "8.33", "8.33"]);
    assert.equal(money(year.reduce((a, b) => a.plus(b), ZERO)), "100.00");
    const q = ["2026-04", "2026-05", "2026-06"].map((m) => monthShareOfCharge(new Decimal("20.00"), "quarterly", m).toString());
    assert.deepEqual(q, ["6.67", "6.67", "6.66"]);
    // Any split of a month's days adds up to the month's share (here 0.03 in halves of 1.5 Rappen each).
    assert.equal(money(partialMonth(new Decimal("0.03"), 1, 15, 30).plus(partialMonth(new Decimal("0.03"), 16, 30, 30))), "0.03");
  });

  it("a year of monthly invoices bills each unit exactly 12x the monthly, 4x the quarterly and 1x the yearly charge, with a move-out on the 17th", () => {
    const invoices = bill(community(), MONTHS);
    for (const unit of ["1", "2", "3"]) {
      const mine = invoices.filter((i) => i.unit.id === unit);
      assert.equal(sum(mine.flatMap((i) => chargeLines(i, "rent"))), "54.60", `unit ${unit} meter rent`);
      assert.equal(sum(mine.flatMap((i) => chargeLines(i, "service"))), "80.00", `unit ${unit} service fee`);
      assert.equal(sum(mine.flatMap((i) => chargeLines(i, "yearly"))), "100.00", `unit ${unit} yearly fee`);
    }
    // Nobody but the unit's occupants pays for unit 1, and the two tenants' shares meet on 17/18 June.
    const t1 = invoices.filter((i) => i.tenancyKey === "t1");
    const t1b = invoices.filter((i) => i.tenancyKey === "t1b");
    assert.equal(t1.length + t1b.length, 13);
    const june = (list: InvoiceSnapshot[]): InvoiceSnapshot => list.find((i) => i.period.label === "2026-06")!;
    const fmt = (l: InvoiceLine): string => `${l.chargeId} ${l.from}..${l.to} ${l.quantity} x ${l.unitPrice} = ${l.amount}`;
    assert.deepEqual(chargeLines(june(t1)).map(fmt), [
      "rent 2026-06-01..2026-06-17 17/30 x 4.55 = 2.58",
      "service 2026-06-01..2026-06-17 17/30 x 6.66 = 3.77",
      "yearly 2026-06-01..2026-06-17 17/30 x 8.33 = 4.72",
    ]);
    assert.deepEqual(chargeLines(june(t1b)).map(fmt), [
      "rent 2026-06-18..2026-06-30 13/30 x 4.55 = 1.97",
      "service 2026-06-18..2026-06-30 13/30 x 6.66 = 2.89",
      "yearly 2026-06-18..2026-06-30 13/30 x 8.33 = 3.61",
    ]);
    assert.equal(sum(t1.flatMap((i) => chargeLines(i, "rent"))), "25.33");
    assert.equal(sum(t1b.flatMap((i) => chargeLines(i, "rent"))), "29.27");
    // The recipient's language picks the label; without one for it, the main label.
    assert.equal(chargeLines(june(t1b), "rent")[0]!.label, "Meter rent");
    assert.equal(chargeLines(june(t1), "rent")[0]!.label, "Zählermiete");
    assert.equal(chargeLines(june(t1b), "service")[0]!.label, "Servicepauschale");
  });

  it("quarterly invoices bill each tenancy the same charges as the monthly invoices do", () => {
    const monthly = bill(community(), MONTHS);
    const quarterly = bill(community(), ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    for (const key of ["t1", "t1b", "t2", "t3"])
      for (const id of ["rent", "service", "yearly"]) {
        const a = sum(monthly.filter((i) => i.tenancyKey === key).flatMap((i) => chargeLines(i, id)));
        const b = sum(quarterly.filter((i) => i.tenancyKey === key).flatMap((i) => chargeLines(i, id)));
        assert.equal(b, a, `${key} ${id}`);
      }
    // Whole months of one share are one line, as for base fees.
    const q3 = quarterly.find((i) => i.tenancyKey === "t2" && i.period.label === "2026-Q3")!;
    assert.deepEqual(
      chargeLines(q3).map((l) => `${l.chargeId} ${l.quantity} x ${l.unitPrice} = ${l.amount}`),
      ["rent 3 x 4.55 = 13.65", "service 2 x 6.67 = 13.34", "service 1 x 6.66 = 6.66", "yearly 3 x 8.33 = 24.99"],
    );
  });

  it("a one-off charge is billed once, in the period of its day, to the tenancy occupying the unit that day", () => {
    const charges: Charge[] = [
      { id: "connect", label: "Anschlussgebühr", amount: "150.00", rhythm: "once", from: "2026-06-17", scope: "building", building: "A" },
      { id: "keys", label: "Schlüssel", amount: "35.50", rhythm: "once", from: "2026-09-01", scope: "tenancy", tenancy: "t1b" },
    ];
    const invoices = bill(community(charges), MONTHS);
    const connect = invoices.flatMap((i) => chargeLines(i, "connect").map((l) => ({ key: i.tenancyKey, period: i.period.label, l })));
    assert.deepEqual(
      connect.map((c) => `${c.key} ${c.period} ${c.l.quantity} ${c.l.unit} ${c.l.amount}`),
      ["t1 2026-06 1 piece 150.00", "t2 2026-06 1 piece 150.00", "t3 2026-06 1 piece 150.00"],
    );
    const keys = invoices.flatMap((i) => chargeLines(i, "keys").map((l) => `${i.tenancyKey} ${i.period.label} ${l.from} ${l.amount}`));
    assert.deepEqual(keys, ["t1b 2026-09 2026-09-01 35.50"]);
  });

  it("periodic charges stop at their end date and start at their first day, pro rata", () => {
    const charges: Charge[] = [
      { id: "rent", label: "Miete Zähler", amount: "3.10", rhythm: "monthly", from: "2026-03-11", to: "2026-05-20", scope: "tenancy", tenancy: "t2" },
    ];
    const invoices = bill(community(charges), ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    const got = invoices.flatMap((i) => chargeLines(i).map((l) => `${i.tenancyKey} ${l.from}..${l.to} ${l.quantity} = ${l.amount}`));
    // March: round(3.10 x 31/31) - round(3.10 x 10/31) = 3.10 - 1.00; May: round(3.10 x 20/31) = 2.00.
    assert.deepEqual(got, ["t2 2026-03-11..2026-03-31 21/31 = 2.10", "t2 2026-04-01..2026-04-30 1 = 3.10", "t2 2026-05-01..2026-05-20 20/31 = 2.00"]);
  });

  it("a charge takes the VAT rate of its day and its own VAT basis, else the plan's", () => {
    const plan: PricePlan = { ...SIMPLE_PLAN, id: "p2023", validFrom: "2023-01-01", baseFeePerMonth: undefined, meteringFeePerMonth: undefined };
    const charges: Charge[] = [
      { id: "gross", label: "Service brutto", amount: "10.00", pricesIncludeVat: true, rhythm: "monthly", from: "2023-01-01", scope: "tenancy", tenancy: "t2" },
      { id: "net", label: "Service netto", amount: "10.00", rhythm: "monthly", from: "2023-01-01", scope: "tenancy", tenancy: "t2" },
    ];
    const def = community(charges, { tariffs: [plan] });
    def.creditor = { ...def.creditor, vatRegistered: true, vatNumber: "CHE-123.456.789 MWST" };
    def.tenancies = def.tenancies.map((t) => (t.id === "t2" ? { ...t, from: "2020-01-01" } : t));
    const [inv] = bill(def, ["2023-12-17..2024-01-16"]).filter((i) => i.tenancyKey === "t2");
    assert.deepEqual(
      chargeLines(inv!).map((l) => `${l.chargeId} ${l.from}..${l.to} ${l.quantity} ${l.vatRate} ${l.pricesIncludeVat} ${l.amount}`),
      [
        "gross 2023-12-17..2023-12-31 15/31 0.077 true 4.84",
        "gross 2024-01-01..2024-01-16 16/31 0.081 true 5.16",
        "net 2023-12-17..2023-12-31 15/31 0.077 false 4.84",
        "net 2024-01-01..2024-01-16 16/31 0.081 false 5.16",
      ],
    );
    const vat = inv!.totals.vat.map((v) => `${v.rate} ${v.pricesIncludeVat} ${v.net} ${v.vat} ${v.gross}`);
    // Gross 5.16 at 8.1 % contains round(5.16 x 0.081 / 1.081) = 0.39; net 5.16 gets round(5.16 x 0.081) = 0.42 (energy lines are net too).
    assert.ok(vat.includes("0.081 true 4.77 0.39 5.16"), vat.join("; "));
    assert.ok(vat.includes("0.077 true 4.49 0.35 4.84"), vat.join("; "));
    assert.ok(vat.some((v) => v.startsWith("0.081 false ")));
  });

  it("charges stay out of the standard-product comparison and the Art. 16 internal cost", () => {
    const plan: PricePlan = { ...SIMPLE_PLAN, standardProduct: { name: "EW Basic", perKWh: "0.35", baseFeePerMonth: "6.00" } };
    const charges: Charge[] = [{ id: "connect", label: "Anschlussgebühr", amount: "150.00", rhythm: "once", from: "2026-06-10", scope: "community" }];
    const without = bill(community([], { tariffs: [plan] }), ["2026-06"]).find((i) => i.tenancyKey === "t2")!;
    const withCharge = bill(community(charges, { tariffs: [plan] }), ["2026-06"]).find((i) => i.tenancyKey === "t2")!;
    assert.equal(chargeLines(withCharge).length, 1);
    assert.ok(without.comparison);
    assert.deepEqual(withCharge.comparison, without.comparison);
    assert.deepEqual(withCharge.art16, without.art16);
    assert.equal(money(new Decimal(withCharge.totals.linesTotal).minus(without.totals.linesTotal)), "150.00");
  });

  it("the lines export shows a charge with its label, count and id", () => {
    const charges: Charge[] = [
      { id: "connect", label: "Anschlussgebühr", amount: "150.00", rhythm: "once", from: "2026-06-17", scope: "tenancy", tenancy: "t2" },
      { id: "rent", label: "Zählermiete", amount: "4.55", rhythm: "monthly", from: "2026-01-01", scope: "tenancy", tenancy: "t2" },
    ];
    const [inv] = bill(community(charges), ["2026-06"]).filter((i) => i.tenancyKey === "t2");
    const table = linesTable([{ id: 7, number: null, status: "draft", snapshot: inv! } as unknown as InvoiceRecord]);
    const cols = table.columns.map((c) => c.key);
    const rows = table.rows
      .filter((r) => r[cols.indexOf("kind")] === "charge")
      .map((r) => ["description", "months", "pieces", "amount", "charge"].map((c) => r[cols.indexOf(c)]));
    assert.deepEqual(rows, [
      ["Anschlussgebühr", null, 1, "150.00", "connect"],
      ["Zählermiete", 1, null, "4.55", "rent"],
    ]);
  });

  describe("on the PDF", () => {
    requireTools("pdftotext");

    it("prints the charge's label in the recipient's language (German and English)", async function () {
      this.timeout(30000);
      const invoices = bill(community(), ["2026-06"]);
      const text = async (key: string): Promise<string> => {
        const snap = invoices.find((i) => i.tenancyKey === key)!;
        const file = join(tmp(), `${key}.pdf`);
        writeFileSync(file, (await renderInvoiceDocument({ id: 1, snapshot: snap })).buffer);
        return pdfText(file);
      };
      const de = await text("t1");
      assert.match(de, /Zählermiete\s+17 von 30 Tagen\s+Monat\s+4\.55\s+2\.58/);
      assert.match(de, /Jahresgebühr/);
      const en = await text("t1b");
      assert.match(en, /Meter rent\s+13 of 30 days\s+month\s+4\.55\s+1\.97/);
    });

    it("prints a one-off charge as one piece", async function () {
      this.timeout(30000);
      const charges: Charge[] = [
        {
          id: "connect",
          label: "Anschlussgebühr",
          labels: { en: "Connection charge" },
          amount: "150.00",
          rhythm: "once",
          from: "2026-06-20",
          scope: "tenancy",
          tenancy: "t1b",
        },
      ];
      const snap = bill(community(charges), ["2026-06"]).find((i) => i.tenancyKey === "t1b")!;
      const file = join(tmp(), "once.pdf");
      writeFileSync(file, (await renderInvoiceDocument({ id: 2, snapshot: snap })).buffer);
      assert.match(pdfText(file), /Connection charge\s+(20\.06\.2026\s+)?1\s+pc\.\s+150\.00\s+150\.00/);
    });
  });
});
