import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { advanceDraft, parseAdvancePeriod } from "../../../lib/billing/advances";
import { creditNoteSnapshot, issuableSnapshot } from "../../../lib/billing/issue";
import { statementTotals } from "../../../lib/billing/statement";
import { computeTotals } from "../../../lib/billing/totals";
import type { InvoiceLine, InvoiceSnapshot } from "../../../lib/model/invoice";
import type { Language } from "../../../lib/model/party";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { renderAdvanceDocumentPdf } from "../../../lib/render/advance-document";
import { renderInvoiceDocument } from "../../../lib/render/documents";
import { threeUnitCommunity } from "../../support/billing-fixture";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText } from "../../support/pdf-tools";
import { useTmpDir } from "../../support/tmp";

const def = threeUnitCommunity();

function advance(language: Language, period = "2027-02"): InvoiceSnapshot {
  const t = { ...def.tenancies[0]!, tenant: { ...def.tenancies[0]!.tenant, language } };
  const plan = { communityId: def.id, tenancyId: t.id, year: 2027, rhythm: "monthly" as const, amount: "95.00", setMs: 0, setBy: "test" };
  return issuableSnapshot(advanceDraft(def, 1, t, plan, parseAdvancePeriod(period)), "2027-0005", "2027-02-01");
}

/** A statement over a one-line year of 1'000.00 with two advances: one paid (deducted), one not. */
function statement(language: Language): InvoiceSnapshot {
  const a = advance(language);
  const line: InvoiceLine = {
    ...a.lines[0]!,
    kind: "grid",
    label: undefined,
    unit: "kWh",
    quantity: "3333.333",
    unitPrice: "0.30",
    amount: "1000.00",
    planId: "p2026",
  };
  delete (line as { chargeId?: string }).chargeId;
  const year = computeTotals([line], "CHF");
  const totals = statementTotals(year, [a.totals], "CHF");
  const draft: InvoiceSnapshot = {
    ...a,
    advance: undefined,
    period: { label: "2027", from: "2027-01-01", to: "2027-12-31" },
    service: [{ from: "2027-01-01", to: "2027-12-31" }],
    lines: [line],
    totals,
    statement: {
      year: 2027,
      yearTotals: year,
      deducted: a.totals.total,
      balance: totals.total,
      advances: [
        {
          id: 1,
          number: "2027-0005",
          invoiceDate: "2027-02-01",
          from: "2027-02-01",
          to: "2027-02-28",
          amount: "95.00",
          paid: "95.00",
          deducted: "95.00",
          state: "paid",
          vat: [],
        },
        {
          id: 2,
          number: "2027-0009",
          invoiceDate: "2027-03-01",
          from: "2027-03-01",
          to: "2027-03-31",
          amount: "95.00",
          paid: "0.00",
          deducted: "0.00",
          state: "unpaid",
          vat: [],
          creditNote: "2028-0001",
        },
      ],
    },
  };
  return issuableSnapshot(draft, "2028-0002", "2028-01-10");
}

describe("advance invoice and annual statement documents (lib/render/advance-document)", function () {
  this.timeout(60_000);
  const tmp = useTmpDir("zev-advance-doc-");
  const pdf = async (s: InvoiceSnapshot, name: string): Promise<string> => {
    const path = join(tmp(), name);
    writeFileSync(path, await renderAdvanceDocumentPdf(s));
    return path;
  };

  it("prints an Italian advance invoice with its QR bill for the advance", async () => {
    const path = await pdf(advance("it"), "it.pdf");
    const text = pdfText(path);
    assert.match(text, /Fattura d'acconto 2027-0005/);
    assert.match(text, /Acconto febbraio 2027\s+95\.00/);
    assert.match(text, /Senza IVA/);
    assert.equal(parseQrPayload(decodeQrBill(path, 1).lines).amount, "95.00");
  });

  it("prints an English quarterly advance invoice", async () => {
    const text = pdfText(await pdf(advance("en", "2027-Q2"), "en.pdf"));
    assert.match(text, /Advance invoice 2027-0005/);
    assert.match(text, /Advance payment Q2 2027\s+95\.00/);
  });

  it("prints the statements in Italian and English: the year, the advances paid or not, the balance and its QR bill", async () => {
    const itPath = await pdf(statement("it"), "st-it.pdf");
    const it = pdfText(itPath);
    assert.match(it, /Conteggio annuale 2027 2028-0002/);
    assert.match(it, /Costi effettivi CHF\s+1.?000\.00/);
    assert.match(it, /Dedotti gli acconti pagati\s+-95\.00/);
    assert.match(it, /Saldo a vostro carico CHF\s+905\.00/);
    assert.match(pdfText(itPath, { raw: true }), /non pagato, annullato \(nota di credito\s+2028-0001\)/);
    assert.equal(parseQrPayload(decodeQrBill(itPath, pdfPages(itPath)).lines).amount, "905.00");
    const en = pdfText(await pdf(statement("en"), "st-en.pdf"));
    assert.match(en, /Annual statement 2027 2028-0002/);
    assert.match(en, /Balance due CHF\s+905\.00/);
    assert.match(en, /Advances not paid are not deducted/);
  });

  it("renders advances and statements through renderInvoiceDocument with their own layout and file name", async () => {
    const doc = await renderInvoiceDocument({ id: 3, snapshot: statement("de") });
    assert.equal(doc.filename, "2028-0002_statement_unit-1_Anna_Meier.pdf");
    const path = join(tmp(), doc.filename);
    writeFileSync(path, doc.buffer);
    assert.match(pdfText(path), /Jahresabrechnung 2027 2028-0002/);
  });

  it("prints a statement's credit note with the year's lines and totals negated and the balance cancelled, no QR bill", async () => {
    const issued = statement("de");
    const credit = creditNoteSnapshot({ id: 3, number: "2028-0002", snapshot: issued } as InvoiceRecord, "2028-0003", "2028-02-01");
    const doc = await renderInvoiceDocument({ id: 4, snapshot: credit });
    assert.equal(doc.filename, "2028-0003_credit-note_unit-1_Anna_Meier.pdf");
    const path = join(tmp(), doc.filename);
    writeFileSync(path, doc.buffer);
    const text = pdfText(path);
    assert.match(text, /Storno Jahresabrechnung 2027 2028-0003/);
    assert.match(text, /storniert die Jahresabrechnung 2028-0002/);
    assert.match(text, /Effektive Kosten CHF\s+-1.?000\.00/);
    assert.match(text, /Abzüglich bezahlte Akontozahlungen\s+95\.00/);
    assert.match(text, /Saldo CHF\s+-905\.00/);
    assert.doesNotMatch(text, /Zahlteil/);
  });
});
