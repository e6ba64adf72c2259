import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isValidCreditorReference, isValidQrReference, mod10Recursive } from "../../../lib/billing/reference";
import { cancelInvoice, runBilling } from "../../../lib/billing/run";
import type { InvoiceLine } from "../../../lib/model/invoice";
import { renderInvoiceDocument, writeInvoiceDocument } from "../../../lib/render/documents";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { normalizeIban } from "../../../lib/util/iban";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText } from "../../support/pdf-tools";
import { billedSonnenhof } from "../../support/render-fixture";
import { requireTools } from "../../support/system-tools";
import { tinyPng } from "../../support/tiny-png";

/*
 * Real invoices from a real billing run, rendered and read back the way a
 * tenant's tools would: pdftotext for the text, pdftoppm + zbarimg for the
 * QR code. Expected figures are formatted here independently of lib/render.
 */

/** 1234.5 -> "1'234.50": the test's own Swiss formatter. */
function swiss(decimal: string, places: number): string {
  const [i, f = ""] = decimal.replace("-", "").split(".");
  const frac = (f + "0".repeat(places)).slice(0, places);
  return `${decimal.startsWith("-") ? "-" : ""}${i!.replace(/\B(?=(\d{3})+$)/g, "'")}${places ? `.${frac}` : ""}`;
}
const price = (p: string): string => swiss(p.replace(/0+$/, "").replace(/\.$/, ""), Math.max(2, (p.split(".")[1] ?? "").replace(/0+$/, "").length));
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Expect {
  lang: string;
  title: string;
  labels: Record<string, string>;
  fee: (q: string) => string;
  month: string;
  vat: (rate: string, base: string) => string;
  rounding: string;
  total: string;
  payment: string;
  due: string;
}

const EXPECT: Record<string, Expect> = {
  t1: {
    lang: "de",
    title: "Rechnung",
    labels: {
      solar: "Solarstrom",
      battery: "Batteriestrom",
      "grid-ht": "Netzstrom Hochtarif",
      "grid-nt": "Netzstrom Niedertarif",
      "common-solar": "Allgemeinstrom Anteil Solar",
      "common-battery": "Allgemeinstrom Anteil Batterie",
      "common-grid-ht": "Allgemeinstrom Anteil Netz Hochtarif",
      "common-grid-nt": "Allgemeinstrom Anteil Netz Niedertarif",
      "ev-normal": "E-Mobilität Normal",
      "ev-priority": "E-Mobilität Priorität",
      "base-fee": "Grundgebühr",
      "metering-fee": "Messgebühr",
    },
    fee: (q) => q,
    month: "Monat",
    vat: (r, b) => `MWST ${r} auf ${b}`,
    rounding: "Rundung",
    total: "Total CHF",
    payment: "Zahlteil",
    due: "Zahlbar bis",
  },
  t2: {
    lang: "fr",
    title: "Facture",
    labels: {
      solar: "Électricité solaire",
      battery: "Électricité de la batterie",
      "grid-ht": "Électricité du réseau haut tarif",
      "grid-nt": "Électricité du réseau bas tarif",
      "common-solar": "Parties communes, part solaire",
      "common-battery": "Parties communes, part batterie",
      "common-grid-ht": "Parties communes, part réseau haut tarif",
      "common-grid-nt": "Parties communes, part réseau bas tarif",
      "base-fee": "Taxe de base",
      "metering-fee": "Frais de comptage",
    },
    fee: (q) => q,
    month: "mois",
    vat: (r, b) => `TVA ${r} sur ${b}`,
    rounding: "Arrondi",
    total: "Total CHF",
    payment: "Section paiement",
    due: "Payable jusqu'au",
  },
  t3: {
    lang: "it",
    title: "Fattura",
    labels: {
      solar: "Energia solare",
      battery: "Energia dalla batteria",
      "grid-ht": "Energia di rete tariffa alta",
      "grid-nt": "Energia di rete tariffa bassa",
      "common-solar": "Parti comuni, quota solare",
      "common-battery": "Parti comuni, quota batteria",
      "common-grid-ht": "Parti comuni, quota rete tariffa alta",
      "common-grid-nt": "Parti comuni, quota rete tariffa bassa",
      "base-fee": "Tassa di base",
      "metering-fee": "Tassa di misurazione",
    },
    fee: (q) => q,
    month: "mese",
    vat: (r, b) => `IVA ${r} su ${b}`,
    rounding: "Arrotondamento",
    total: "Totale CHF",
    payment: "Sezione pagamento",
    due: "Pagabile entro il",
  },
  t4: {
    lang: "en",
    title: "Invoice",
    labels: {
      solar: "Solar electricity",
      battery: "Battery electricity",
      "grid-ht": "Grid electricity high tariff",
      "grid-nt": "Grid electricity low tariff",
      "common-solar": "Common areas, solar share",
      "common-battery": "Common areas, battery share",
      "common-grid-ht": "Common areas, grid share high tariff",
      "common-grid-nt": "Common areas, grid share low tariff",
      "base-fee": "Base fee",
      "metering-fee": "Metering fee",
    },
    fee: (q) => {
      const [d, m] = q.split("/");
      return `${d} of ${m} days`;
    },
    month: "month",
    vat: (r, b) => `VAT ${r} on ${b}`,
    rounding: "Rounding",
    total: "Total CHF",
    payment: "Payment part",
    due: "Due date",
  },
};

function expectedRow(l: InvoiceLine, e: Expect): RegExp {
  const qty = l.unit === "kWh" ? swiss(l.quantity, 3) : e.fee(l.quantity);
  const unit = l.unit === "kWh" ? "kWh" : e.month;
  // Issue 15 (decision 0107): energy prices in hundredths per kWh, Rp./kWh (de, en) or ct./kWh (fr, it); fees in CHF.
  const cents = (p: string): string => {
    const [i, f = ""] = p.split(".");
    const c = `${i}${(f + "00").slice(0, 2)}.${f.slice(2)}`.replace(/^0+(?=\d)/, "");
    return price(c.endsWith(".") ? `${c}00` : c);
  };
  const unitPrice = l.unit === "kWh" ? `${cents(l.unitPrice)} ${e.lang === "fr" || e.lang === "it" ? "ct./kWh" : "Rp./kWh"}` : price(l.unitPrice);
  const label = e.labels[l.kind];
  assert.ok(label, `test has no ${e.lang} label for ${l.kind}`);
  return new RegExp(`^\\s*${l.pos}\\s+${esc(label)}\\s+${esc(qty)}\\s+${esc(unit)}\\s+${esc(unitPrice)}\\s+${esc(swiss(l.amount, 2))}\\s*$`, "m");
}

describe("invoice PDFs read back: text and Swiss QR bill", function () {
  requireTools("pdftotext", "pdftoppm", "pdfinfo", "zbarimg");
  let dir = "";
  let records: InvoiceRecord[] = [];
  const files = new Map<string, string>();

  before(async function () {
    this.timeout(60000);
    dir = mkdtempSync(join(tmpdir(), "zev-pdf-"));
    const { store, report } = billedSonnenhof(join(dir, "db"));
    records = report.records;
    for (const r of records) {
      const doc = await writeInvoiceDocument(r, join(dir, "out"));
      files.set(r.tenancyKey, doc.path!);
    }
    const { creditNote } = cancelInvoice(store, records.find((r) => r.tenancyKey === "t3")!.id, "test", "meter reading corrected", "2026-12-05");
    files.set("credit", (await writeInvoiceDocument(creditNote, join(dir, "out"))).path!);
    store.close();
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const key of ["t1", "t2", "t3", "t4"]) {
    const e = EXPECT[key]!;
    it(`${e.lang}: every line, quantity, unit price, amount, VAT, rounding and total is printed`, () => {
      const rec = records.find((r) => r.tenancyKey === key)!;
      const s = rec.snapshot;
      assert.equal(s.language, e.lang);
      const text = pdfText(files.get(key)!);
      assert.match(text, new RegExp(`${e.title} ${s.number}`));
      assert.ok(s.lines.length >= 8, "a realistic invoice");
      for (const l of s.lines) assert.match(text, expectedRow(l, e), `line ${l.pos} ${l.kind}`);
      const t = s.totals;
      const vat = t.vat[0]!;
      assert.match(text, new RegExp(`${esc(e.vat("8.1 %", swiss(vat.net, 2)))}\\s+${esc(swiss(vat.vat, 2))}\\s*$`, "m"));
      if (t.rounding !== "0.00") assert.match(text, new RegExp(`${esc(e.rounding)}\\s+${esc(swiss(t.rounding, 2))}\\s*$`, "m"));
      assert.match(text, new RegExp(`${esc(e.total)}\\s+${esc(swiss(t.total, 2))}\\s*$`, "m"));
      assert.match(text, new RegExp(`${esc(e.due)}\\s+31\\.12\\.2026`));
      assert.match(text, /01\.11\.2026 – 30\.11\.2026/);
      assert.match(text, /CHE-123\.456\.789 MWST/);
      assert.match(text, new RegExp(esc(e.payment)));
      assert.match(text, new RegExp(`${s.unit.meters[0]}`));
    });

    it(`${e.lang}: the QR code decodes to the invoice's IBAN, amount, reference, addresses and bill information`, function () {
      this.timeout(20000);
      const rec = records.find((r) => r.tenancyKey === key)!;
      const s = rec.snapshot;
      const file = files.get(key)!;
      const { lines, sizeMm, leftMm, topMm } = decodeQrBill(file, pdfPages(file));
      // SIX: a 46 mm code, 5 mm into the payment part (which starts 62 mm from the left), in the page's lower 105 mm.
      assert.ok(Math.abs(sizeMm - 46) < 0.5, `QR code is ${sizeMm.toFixed(1)} mm, SIX wants 46 mm`);
      assert.ok(Math.abs(leftMm - 67) < 0.5, `QR code starts ${leftMm.toFixed(1)} mm from the left`);
      assert.ok(Math.abs(topMm - (297 - 105 + 17)) < 0.5, `QR code starts ${topMm.toFixed(1)} mm from the top`);
      const q = parseQrPayload(lines);
      assert.deepEqual(q.header, ["SPC", "0200", "1"]);
      assert.equal(q.iban, normalizeIban(s.creditor.iban));
      assert.deepEqual(q.creditor, {
        type: "S",
        name: "ZEV Sonnenhof",
        street: "Bahnhofstrasse",
        buildingNumber: "17",
        postalCode: "8400",
        town: "Winterthur",
        country: "CH",
      });
      assert.deepEqual(q.ultimateCreditor, ["", "", "", "", "", "", ""]);
      assert.equal(q.amount, s.totals.total);
      assert.equal(q.currency, "CHF");
      const a = s.recipient.address;
      assert.deepEqual(q.debtor, {
        type: "S",
        name: s.recipient.name,
        street: a.street,
        buildingNumber: a.buildingNumber,
        postalCode: a.postalCode,
        town: a.town,
        country: "CH",
      });
      assert.equal(q.referenceType, "QRR");
      assert.equal(q.reference, s.reference);
      assert.equal(q.reference, rec.reference, "the reference stored on the invoice for payment matching");
      assert.match(q.reference, /^\d{27}$/);
      assert.equal(mod10Recursive(q.reference.slice(0, 26)), Number(q.reference[26]));
      assert.ok(isValidQrReference(q.reference));
      assert.equal(q.trailer, "EPD");
      assert.equal(q.billInformation, `//S1/10/${s.number}/11/261201/30/123456789/31/261101261130/32/8.1/40/0:30`);
    });
  }

  it("the owner's invoice for the vacant days decodes too, with a name outside ASCII", function () {
    this.timeout(20000);
    const rec = records.find((r) => r.snapshot.recipientKind === "owner")!;
    const file = files.get(rec.tenancyKey)!;
    const text = pdfText(file);
    assert.match(text, /Leerstand: Verbrauch und Gebühren/);
    assert.match(text, /Leistungszeitraum\s+16\.11\.2026 – 30\.11\.2026/);
    assert.match(text, /Grundgebühr\s+15 von 30 Tagen\s+Monat/);
    const q = parseQrPayload(decodeQrBill(file, pdfPages(file)).lines);
    assert.equal(q.debtor.name, "Müller & Söhne Immobilien AG");
    assert.equal(q.debtor.street, "Marktgässli");
    assert.equal(q.amount, rec.total);
  });

  it("a credit note has no payment part and says what it cancels", () => {
    const text = pdfText(files.get("credit")!);
    assert.match(text, /Nota di credito 2026-0006/);
    assert.match(text, /Questa nota di credito annulla la fattura 2026-0003\./);
    assert.match(text, /Totale CHF\s+-\d+\.\d{2}/);
    assert.doesNotMatch(text, /Sezione pagamento|Ricevuta/);
  });

  it("a draft is marked and has no payment part; it is rendered but not written", async function () {
    this.timeout(20000);
    const { store, report } = billedSonnenhof(join(dir, "drafts"), undefined, "draft");
    try {
      const doc = await writeInvoiceDocument(report.records[0]!, join(dir, "drafts-out"));
      assert.equal(doc.path, null);
      assert.match(doc.filename, /^draft-1_unit-1_Anna_Meier\.pdf$/);
      const file = join(dir, "draft.pdf");
      writeFileSync(file, doc.buffer);
      const text = pdfText(file);
      // The watermark is set at an angle: in the raw text its letters come as "ENTW" and "URF", once per page.
      const marks = pdfText(file, { raw: true }).match(/E\s*N\s*T\s*W\s*U\s*R\s*F/g) ?? [];
      assert.equal(marks.length, pdfPages(file));
      assert.match(text, /Rechnungsentwurf/);
      assert.doesNotMatch(text, /Zahlteil|Empfangsschein/);
    } finally {
      store.close();
    }
  });

  it("re-renders byte-identically from the issued invoice's snapshot", async () => {
    const rec = records[0]!;
    const again = await renderInvoiceDocument(JSON.parse(JSON.stringify(rec)) as InvoiceRecord);
    assert.ok(again.buffer.equals(readFileSync(files.get(rec.tenancyKey)!)), "two renders of one snapshot differ");
  });

  it("a logo goes into the letterhead; the same logo gives the same bytes; a long sender line stays one line", async () => {
    const rec = structuredClone(records[0]!);
    rec.snapshot.creditor.name = "Zusammenschluss zum Eigenverbrauch Sonnenhof Winterthur-Seen";
    const logo = tinyPng(300, 100);
    const a = await renderInvoiceDocument(rec, { logo });
    const b = await renderInvoiceDocument(rec, { logo });
    assert.ok(a.buffer.equals(b.buffer));
    assert.match(a.buffer.toString("latin1"), /\/Subtype \/Image/);
    const file = join(dir, "logo.pdf");
    writeFileSync(file, a.buffer);
    const senderLines = pdfText(file, { page: 1 })
      .split("\n")
      .filter((l) => l.includes("Zusammenschluss zum Eigenverbrauch Sonnenhof Winterthur-Seen,"));
    assert.equal(senderLines.length, 1);
    assert.match(senderLines[0]!, /…\s*$/);
  });

  it("with a normal IBAN the QR code carries a SCOR creditor reference; without VAT no VAT in S1", async function () {
    this.timeout(20000);
    const store = openBillingStore(join(dir, "scor"), threeUnitCommunity());
    try {
      fillConsumers(store, "drei", "2026-11");
      fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
      const rec = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" }).records[0]!;
      const file = (await writeInvoiceDocument(rec, join(dir, "scor-out"))).path!;
      const q = parseQrPayload(decodeQrBill(file, pdfPages(file)).lines);
      assert.equal(q.iban, "CH9300762011623852957");
      assert.equal(q.referenceType, "SCOR");
      assert.equal(q.reference, rec.reference);
      assert.ok(isValidCreditorReference(q.reference));
      assert.equal(q.billInformation, "//S1/10/2026-0001/11/261201/40/0:30");
      assert.match(pdfText(file), /Nicht mehrwertsteuerpflichtig/);
    } finally {
      store.close();
    }
  });
});
