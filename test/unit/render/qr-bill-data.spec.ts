import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isValidCreditorReference, isValidQrReference, scorReference } from "../../../lib/billing/reference";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { writeInvoiceDocument } from "../../../lib/render/documents";
import { QrBillDataError, qrBillData, qrBillProblems, swicoBillInformation } from "../../../lib/render/qr-bill-data";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { billedSonnenhof, PLAIN_IBAN } from "../../support/render-fixture";
import { useTmpDir } from "../../support/tmp";

describe("QR bill data: checked before anything is drawn or written", () => {
  const tmp = useTmpDir();
  let invoice: InvoiceRecord;

  before(() => {
    const dir = mkdtempSync(join(tmpdir(), "zev-qrdata-"));
    const { store, report } = billedSonnenhof(dir);
    invoice = report.records.find((r) => r.tenancyKey === "t1")!;
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const withSnapshot = (change: (s: InvoiceSnapshot) => InvoiceSnapshot): InvoiceSnapshot => change(structuredClone(invoice.snapshot));
  const fields = (s: InvoiceSnapshot): string[] => qrBillProblems(s).map((p) => p.field);

  it("builds the data of an issued invoice with a QR-IBAN: QRR reference, structured addresses, Swico S1", () => {
    const s = invoice.snapshot;
    const d = qrBillData(s);
    assert.equal(d.creditor.account, "CH4431999123000889012");
    assert.equal(d.currency, "CHF");
    assert.equal(d.amount, Number(s.totals.total));
    assert.equal(d.reference, s.reference);
    assert.ok(isValidQrReference(d.reference!));
    assert.deepEqual(d.debtor, { name: "Anna Meier", address: "Sonnenweg", buildingNumber: "12a", zip: "8400", city: "Winterthur", country: "CH" });
    assert.equal(d.additionalInformation, `//S1/10/${s.number}/11/261201/30/123456789/31/261101261130/32/8.1/40/0:30`);
  });

  it("Swico S1 escapes slashes, lists several VAT rates and leaves out VAT for a non-registered community", () => {
    const multi = withSnapshot((s) => ({
      ...s,
      number: "2026/7",
      totals: {
        ...s.totals,
        vat: [
          { rate: "0.077", net: "10.00", vat: "0.77", gross: "10.77", pricesIncludeVat: false },
          { rate: "0.081", net: "20.50", vat: "1.66", gross: "22.16", pricesIncludeVat: false },
        ],
      },
    }));
    assert.match(swicoBillInformation(multi), /^\/\/S1\/10\/2026\\\/7\/11\/261201\/30\/123456789\/31\/261101261130\/32\/7\.7:10;8\.1:20\.5\/40\/0:30$/);
    const plain = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, vatRegistered: false } }));
    assert.equal(swicoBillInformation(plain), `//S1/10/${invoice.number}/11/261201/40/0:30`);
  });

  it("a normal IBAN takes a SCOR reference (or none) and refuses a QRR", () => {
    const scor = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: PLAIN_IBAN }, reference: scorReference(s.communityId, s.number!) }));
    assert.deepEqual(qrBillProblems(scor), []);
    assert.ok(isValidCreditorReference(qrBillData(scor).reference!));
    const none = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: PLAIN_IBAN }, reference: undefined }));
    assert.deepEqual(qrBillProblems(none), []);
    const qrr = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: PLAIN_IBAN } }));
    assert.deepEqual(qrBillProblems(qrr), [
      { field: "reference", message: "a QR reference (QRR) is only allowed with a QR-IBAN; with this IBAN use a creditor reference (SCOR, RF...)" },
    ]);
    const badScor = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: PLAIN_IBAN }, reference: "RF00ABC" }));
    assert.deepEqual(fields(badScor), ["reference"]);
  });

  it("refuses a QR-IBAN without QRR, a wrong check digit, a bad IBAN and a foreign IBAN, naming the field", () => {
    assert.throws(
      () => qrBillData(withSnapshot((s) => ({ ...s, reference: undefined }))),
      (e: unknown) =>
        e instanceof QrBillDataError &&
        /reference: the creditor account is a QR-IBAN, which needs a QR reference \(QRR, 27 digits\); this invoice has none/.test(e.message),
    );
    assert.throws(
      () => qrBillData(withSnapshot((s) => ({ ...s, reference: scorReference(s.communityId, s.number!) }))),
      /reference: the creditor account is a QR-IBAN, which needs a QR reference \(QRR, 27 digits\), not "RF/,
    );
    const wrongDigit = withSnapshot((s) => ({ ...s, reference: s.reference!.slice(0, 26) + String((Number(s.reference!.slice(26)) + 1) % 10) }));
    assert.throws(() => qrBillData(wrongDigit), /reference: QR reference \d{27} has a wrong check digit/);
    assert.throws(
      () => qrBillData(withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: "CH44 3199 9123 0008 8901 3" } }))),
      /creditor\.iban: IBAN CH44 3199 9123 0008 8901 3 has a wrong check digit/,
    );
    assert.throws(
      () => qrBillData(withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: "DE89 3704 0044 0532 0130 00" } }))),
      /creditor\.iban: a QR bill needs a CH or LI IBAN, got DE/,
    );
    assert.throws(() => qrBillData(withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: "" } }))), /creditor\.iban: an IBAN or QR-IBAN is required/);
  });

  it("refuses missing or too long address parts, a bad country, characters outside the SIX set, and amounts out of range", () => {
    const noTown = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, address: { ...s.creditor.address, town: " " } } }));
    assert.deepEqual(qrBillProblems(noTown), [{ field: "creditor.address.town", message: "is required for a QR bill (SIX v2.3 structured address)" }]);
    const noStreet = withSnapshot((s) => ({ ...s, recipient: { ...s.recipient, address: { ...s.recipient.address, street: "" } } }));
    assert.deepEqual(fields(noStreet), ["recipient.address.street"]);
    const noZip = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, address: { ...s.creditor.address, postalCode: "" } } }));
    assert.deepEqual(fields(noZip), ["creditor.address.postalCode"]);
    const long = withSnapshot((s) => ({ ...s, recipient: { ...s.recipient, name: "x".repeat(71) } }));
    assert.deepEqual(qrBillProblems(long), [{ field: "recipient.name", message: "has 71 characters; a QR bill allows at most 70" }]);
    const country = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, address: { ...s.creditor.address, country: "Schweiz" } } }));
    assert.deepEqual(fields(country), ["creditor.address.country"]);
    const chars = withSnapshot((s) => ({ ...s, recipient: { ...s.recipient, name: "Anna 東京" } }));
    assert.deepEqual(qrBillProblems(chars), [{ field: "recipient.name", message: 'contains characters a QR bill does not allow: "東京"' }]);
    const zero = withSnapshot((s) => ({ ...s, totals: { ...s.totals, total: "0.00" } }));
    assert.deepEqual(fields(zero), ["totals.total"]);
    const huge = withSnapshot((s) => ({ ...s, totals: { ...s.totals, total: "1000000000.00" } }));
    assert.match(qrBillProblems(huge)[0]!.message, /0\.01 to 999'999'999\.99/);
    const eur = withSnapshot((s) => ({ ...s, currency: "USD" as never }));
    assert.deepEqual(fields(eur), ["currency"]);
    // All problems at once, so an admin fixes them in one go.
    const many = withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, iban: "CH00", address: { ...s.creditor.address, town: "", postalCode: "" } } }));
    assert.deepEqual(fields(many), ["creditor.iban", "creditor.address.postalCode", "creditor.address.town"]);
  });

  it("Latin Extended names pass as written; a decomposed name (NFD) goes into the QR code composed (NFC)", () => {
    const ext = withSnapshot((s) => ({
      ...s,
      recipient: { ...s.recipient, name: "Łukasz Żółć", address: { ...s.recipient.address, street: "Șoseaua Țiglina" } },
    }));
    assert.deepEqual(qrBillProblems(ext), []);
    assert.equal(qrBillData(ext).debtor!.name, "Łukasz Żółć");
    const nfd = withSnapshot((s) => ({ ...s, recipient: { ...s.recipient, name: "Ivana C\u030Covic\u0301" } }));
    assert.deepEqual(qrBillProblems(nfd), []);
    assert.equal(qrBillData(nfd).debtor!.name, "Ivana Čović");
    assert.equal(qrBillData(nfd).debtor!.name.length, 11);
  });

  it("invalid creditor data fails with a clear message before any file or folder is written", async () => {
    const folder = join(tmp(), "out", "invoices");
    const bad = { id: invoice.id, snapshot: withSnapshot((s) => ({ ...s, creditor: { ...s.creditor, address: { ...s.creditor.address, street: "" } } })) };
    await assert.rejects(writeInvoiceDocument(bad, folder), /the QR bill cannot be made: creditor\.address\.street: is required/);
    assert.equal(existsSync(join(tmp(), "out")), false);
    const good = await writeInvoiceDocument(invoice, folder);
    assert.equal(good.path, join(folder, good.filename));
    assert.ok(existsSync(good.path!));
  });
});
