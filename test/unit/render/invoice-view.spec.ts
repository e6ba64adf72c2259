import assert from "node:assert/strict";
import type { InvoiceSnapshot, LineKind } from "../../../lib/model/invoice";
import { LANGUAGES } from "../../../lib/model/party";
import {
  formatAmount,
  formatDate,
  formatDateRange,
  formatKWh,
  formatPrice,
  formatShare,
  formatVatRate,
  parseFeeQuantity,
  swicoDate,
} from "../../../lib/render/format";
import { invoiceTexts } from "../../../lib/render/i18n";
import { invoiceView, isPayable } from "../../../lib/render/invoice-view";
import { printable } from "../../../lib/render/fonts";

const ALL_KINDS: LineKind[] = [
  "solar",
  "battery",
  "grid",
  "grid-ht",
  "grid-nt",
  "common-solar",
  "common-battery",
  "common-grid",
  "common-grid-ht",
  "common-grid-nt",
  "ev-normal",
  "ev-priority",
  "base-fee",
  "metering-fee",
  "charge",
  "leg-local",
];

const address = { street: "Sonnenweg", buildingNumber: "12", postalCode: "8400", town: "Winterthur", country: "CH" };

/** A small hand-made snapshot: the view is pure, it needs no database. */
function snapshot(over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot {
  const line = (
    pos: number,
    kind: LineKind,
    quantity: string,
    unitPrice: string,
    amount: string,
    extra: Partial<InvoiceSnapshot["lines"][number]> = {},
  ): InvoiceSnapshot["lines"][number] => ({
    pos,
    kind,
    from: "2026-11-01",
    to: "2026-11-30",
    quantity,
    unit: kind.endsWith("fee") ? "month" : "kWh",
    unitPrice,
    amount,
    vatRate: "0.081",
    pricesIncludeVat: false,
    planId: "p",
    ...extra,
  });
  return {
    schema: 1,
    communityId: "c",
    communityName: "ZEV Test",
    communityKind: "ZEV",
    revisionId: 1,
    currency: "CHF",
    language: "de",
    creditor: {
      name: "ZEV Test",
      address,
      iban: "CH4431999123000889012",
      uid: "CHE-123.456.789",
      vatNumber: "CHE-123.456.789 MWST",
      vatRegistered: true,
      email: "a@b.ch",
    },
    recipient: { name: "Anna Meier", address: { ...address, buildingNumber: "12a" }, language: "de" },
    recipientKind: "tenant",
    tenancyKey: "t1",
    unit: { id: "1", label: "Wohnung 1", building: "A", meters: ["unit-1", "unit-1b"] },
    period: { label: "2026-11", from: "2026-11-01", to: "2026-11-30" },
    service: [{ from: "2026-11-01", to: "2026-11-30" }],
    lines: [
      line(1, "solar", "1234.5", "0.2150", "265.42"),
      line(2, "grid-ht", "10.000", "0.3", "3.00", { from: "2026-11-01", to: "2026-11-15" }),
      line(3, "base-fee", "1", "5", "5.00"),
      line(4, "metering-fee", "15/30", "3.50", "3.50", { meters: 2, from: "2026-11-16", to: "2026-11-30" }),
    ],
    totals: {
      linesTotal: "276.92",
      net: "276.92",
      vat: [{ rate: "0.081", net: "276.92", vat: "22.43", gross: "299.35", pricesIncludeVat: false }],
      vatTotal: "22.43",
      gross: "299.35",
      rounding: "0.00",
      total: "299.35",
    },
    energy: {
      ownSolarKWh: "1234.500",
      ownBatteryKWh: "0.000",
      ownGridKWh: "10.000",
      commonKWh: "0.000",
      evKWh: "0.000",
      totalKWh: "1244.500",
      selfSufficiency: "0.9920",
    },
    comparison: { name: "EW Basic", standardCost: "310.00", invoiceCost: "276.92", saving: "33.08" },
    art16: null,
    quality: [{ meter: "unit-1", measured: 2800, interpolated: 0, estimated: 52, missing: 28, total: 2880 }],
    plans: ["p"],
    number: "2026-0042",
    invoiceDate: "2026-12-01",
    dueDate: "2026-12-31",
    reference: "561806202600000000000000427",
    ...over,
  };
}

describe("invoice texts and Swiss formats", () => {
  it("formats amounts, kWh, prices, shares, rates and dates the Swiss way", () => {
    assert.equal(formatAmount("1234.5"), "1'234.50");
    assert.equal(formatAmount("-1234567.891"), "-1'234'567.89");
    assert.equal(formatAmount("0"), "0.00");
    assert.equal(formatKWh("1234.5"), "1'234.500");
    assert.equal(formatKWh("-0.001"), "-0.001");
    assert.equal(formatPrice("0.2"), "0.20");
    assert.equal(formatPrice("0.2150"), "0.215");
    assert.equal(formatPrice("1250"), "1'250.00");
    assert.equal(formatShare("0.51234"), "51.2 %");
    assert.equal(formatVatRate("0.081"), "8.1 %");
    assert.equal(formatVatRate("0.077"), "7.7 %");
    assert.equal(formatDate("2026-03-05"), "05.03.2026");
    assert.equal(formatDateRange("2026-11-01", "2026-11-30"), "01.11.2026 – 30.11.2026");
    assert.equal(formatDateRange("2026-11-01", "2026-11-01"), "01.11.2026");
    assert.equal(swicoDate("2026-12-01"), "261201");
    assert.deepEqual(parseFeeQuantity("15/30"), { kind: "days", days: 15, daysInMonth: 30 });
    assert.deepEqual(parseFeeQuantity("3"), { kind: "months", months: 3 });
    assert.throws(() => formatAmount("12,5"), /not a decimal number/);
    assert.throws(() => parseFeeQuantity("half"), /neither/);
  });

  it("every language labels every line kind, differently per kind, and says fee days in words", () => {
    const expectDays: Record<string, string> = { de: "15 von 30 Tagen", fr: "15 jours sur 30", it: "15 giorni su 30", en: "15 of 30 days" };
    for (const lang of LANGUAGES) {
      const t = invoiceTexts(lang);
      const labels = ALL_KINDS.map((k) => t.lineKinds[k]);
      assert.ok(
        labels.every((l) => typeof l === "string" && l.trim().length > 0),
        lang,
      );
      assert.equal(new Set(labels).size, ALL_KINDS.length, `${lang}: two line kinds share a label`);
      assert.deepEqual(Object.keys(t.lineKinds).sort(), [...ALL_KINDS].sort(), lang);
      assert.equal(t.feeDays(15, 30), expectDays[lang]);
      // The embedded font prints every fixed text unchanged.
      for (const text of [...labels, t.title.invoice, t.title.creditNote, t.vacancy, t.notes.creditNoteNoPayment, t.energy.chartTitle])
        assert.equal(printable(text), text, `${lang}: ${text}`);
    }
    assert.equal(invoiceTexts("de").lineKinds["common-solar"], "Allgemeinstrom Anteil Solar");
    assert.equal(invoiceTexts("de").lineKinds["ev-normal"], "E-Mobilität Normal");
    assert.equal(invoiceTexts("de").lineKinds["grid-ht"], "Netzstrom Hochtarif");
  });

  it("shapes an issued invoice into printable rows", () => {
    const v = invoiceView(snapshot());
    assert.equal(v.kind, "invoice");
    assert.equal(v.title, "Rechnung");
    assert.equal(v.number, "2026-0042");
    assert.equal(v.payable, true);
    assert.deepEqual(v.recipient, ["Anna Meier", "Sonnenweg 12a", "8400 Winterthur"]);
    assert.deepEqual(v.creditor.ids, ["UID CHE-123.456.789", "MWST-Nr. CHE-123.456.789 MWST"]);
    const meta = Object.fromEntries(v.meta.map((m) => [m.label, m.value]));
    assert.equal(meta["Datum"], "01.12.2026");
    assert.equal(meta["Zahlbar bis"], "31.12.2026");
    assert.equal(meta["Abrechnungsperiode"], "01.11.2026 – 30.11.2026");
    assert.equal(meta["Zähler"], "unit-1, unit-1b");
    assert.equal(meta["Referenz"], "56 18062 02600 00000 00000 00427");
    assert.equal(meta["Leistungszeitraum"], undefined);
    assert.deepEqual(v.lines[0], { pos: "1", label: "Solarstrom", detail: null, quantity: "1'234.500", unit: "kWh", unitPrice: "0.215", amount: "265.42" });
    assert.equal(v.lines[1]!.detail, "01.11.2026 – 15.11.2026");
    assert.deepEqual([v.lines[2]!.quantity, v.lines[2]!.unit, v.lines[2]!.unitPrice], ["1", "Monat", "5.00"]);
    assert.deepEqual([v.lines[3]!.quantity, v.lines[3]!.detail], ["15 von 30 Tagen", "16.11.2026 – 30.11.2026, 2 Zähler"]);
    assert.deepEqual(v.totals, [
      { label: "Zwischentotal", amount: "276.92" },
      { label: "MWST 8.1 % auf 276.92", amount: "22.43" },
      { label: "Total CHF", amount: "299.35", strong: true },
    ]);
    assert.ok(v.notes.includes("Zahlbar bis 31.12.2026 mit dem QR-Zahlteil."));
    assert.deepEqual(
      v.comparison!.rows.map((r) => r.amount),
      ["310.00", "276.92", "33.08"],
    );
    assert.deepEqual(v.quality!.rows, ["Zähler unit-1: 2.8 % der Viertelstunden geschätzt oder fehlend"]);
    assert.deepEqual(
      v.energy!.rows.map((r) => [r.label, r.kwh, r.share]),
      [
        ["Solarstrom", "1'234.500", "99.2 %"],
        ["Netzstrom", "10.000", "0.8 %"],
        ["Total", "1'244.500", "100.0 %"],
      ],
    );
    assert.equal(v.energy!.selfSufficiency!.value, "99.2 %");
  });

  it("shows VAT contained in gross prices, the rounding, and no VAT for a non-registered community", () => {
    const gross = invoiceView(
      snapshot({
        language: "fr",
        totals: {
          linesTotal: "107.77",
          net: "99.70",
          vat: [{ rate: "0.081", net: "99.70", vat: "8.07", gross: "107.77", pricesIncludeVat: true }],
          vatTotal: "8.07",
          gross: "107.77",
          rounding: "-0.02",
          total: "107.75",
        },
      }),
    );
    assert.deepEqual(gross.totals, [
      { label: "Sous-total", amount: "107.77" },
      { label: "TVA 8.1 % incluse dans 107.77", amount: "8.07", info: true },
      { label: "Arrondi", amount: "-0.02" },
      { label: "Total CHF", amount: "107.75", strong: true },
    ]);
    const noVat = invoiceView(
      snapshot({
        language: "it",
        creditor: { ...snapshot().creditor, vatRegistered: false },
        totals: { linesTotal: "50.00", net: "50.00", vat: [], vatTotal: "0.00", gross: "50.00", rounding: "0.00", total: "50.00" },
      }),
    );
    assert.deepEqual(noVat.totals, [{ label: "Totale CHF", amount: "50.00", strong: true }]);
    assert.ok(noVat.notes.includes("Non assoggettato all'IVA: importi senza IVA."));
    assert.deepEqual(noVat.creditor.ids, ["IDI CHE-123.456.789"]);
  });

  it("credit notes and drafts carry no payment part; owner invoices say why the owner pays", () => {
    const credit = snapshot({
      language: "en",
      number: "2026-0050",
      cancels: { id: 7, number: "2026-0042" },
      totals: { ...snapshot().totals, total: "-299.35" },
      comparison: null,
    });
    const cv = invoiceView(credit);
    assert.equal(cv.kind, "credit-note");
    assert.equal(cv.title, "Credit note");
    assert.equal(cv.payable, false);
    assert.equal(isPayable(credit), false);
    assert.ok(cv.notes.includes("This credit note cancels invoice 2026-0042."));
    assert.ok(cv.notes.includes("The amount will be credited or refunded to you; please do not pay."));
    assert.equal(
      cv.meta.find((m) => m.label === "Due date"),
      undefined,
    );
    assert.equal(cv.energy, null);

    const draft = invoiceView(snapshot({ number: undefined, invoiceDate: undefined, dueDate: undefined, reference: undefined }));
    assert.equal(draft.kind, "draft");
    assert.equal(draft.watermark, "ENTWURF");
    assert.equal(draft.payable, false);
    assert.equal(draft.title, "Rechnungsentwurf");

    const owner = invoiceView(snapshot({ recipientKind: "owner", service: [{ from: "2026-11-16", to: "2026-11-30" }] }));
    assert.ok(owner.notes[0]!.startsWith("Leerstand:"));
    assert.equal(owner.meta.find((m) => m.label === "Leistungszeitraum")!.value, "16.11.2026 – 30.11.2026");

    const zero = invoiceView(snapshot({ totals: { ...snapshot().totals, total: "0.00" } }));
    assert.equal(zero.payable, false);
    assert.ok(zero.notes.includes("Kein Betrag zu bezahlen."));
  });

  it("prints Latin Extended names as written; only characters outside the font (older invoices) fall back", () => {
    for (const name of ["Zoë Müller-Łukasz, Őrség – 5 €", "Ivana Čović", "Dragan Đurić", "Ayşe Şahin", "Łukasz Żółć", "Zoë Ødegård", "Ștefan Țurcan"])
      assert.equal(printable(name), name);
    // NFD input (combining marks) prints as the composed letter
    assert.equal(printable("C\u030Covic\u0301"), "Čović");
    assert.equal(printable("Anna ǎ 東京 😀"), "Anna a ?? ?");
  });
});
