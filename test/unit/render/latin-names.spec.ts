import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommunityDefinition } from "../../../lib/community/types";
import type { Party } from "../../../lib/model/party";
import { writeInvoiceDocument } from "../../../lib/render/documents";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText, pdfTextArea } from "../../support/pdf-tools";
import { billedSonnenhof, sonnenhof } from "../../support/render-fixture";
import { requireTools } from "../../support/system-tools";

/*
 * Names outside WinAnsi (Latin Extended-A) on the invoice body, the receipt
 * and the payment part, read back with pdftotext area by area, and the QR
 * code decoded: all four say the same name, exactly as the tenant wrote it.
 */

const NAMES = { t1: "Ivana Čović", t2: "Dragan Đurić", t3: "Ayşe Şahin", t4: "Łukasz Żółć", owner: "Zoë Ødegård" } as const;
const CREDITOR = "ZEV Sunčani Dvor Šibenik";

function community(): CommunityDefinition {
  const def = sonnenhof();
  def.creditor.name = CREDITOR;
  def.creditor.address.street = "Obala Ivana Meštrovića";
  def.owner = { ...def.owner, name: NAMES.owner };
  for (const t of def.tenancies) t.tenant = { ...t.tenant, name: NAMES[t.id as keyof typeof NAMES] } as Party;
  def.tenancies[0]!.tenant.address = { ...def.tenancies[0]!.tenant.address, street: "Šetalište Łódź" };
  return def;
}

const baseLetters = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/Ł/g, "L")
    .replace(/ł/g, "l")
    .replace(/Đ/g, "D")
    .replace(/đ/g, "d")
    .replace(/Ø/g, "O")
    .replace(/ø/g, "o");

/** Page areas in mm: the letter above the payment part, the receipt, the payment part. */
const BODY = { xMm: 0, yMm: 0, wMm: 210, hMm: 190 };
const RECEIPT = { xMm: 0, yMm: 192, wMm: 62, hMm: 105 };
const PAYMENT = { xMm: 62, yMm: 192, wMm: 148, hMm: 105 };

describe("names print as written: Latin Extended on the invoice, the receipt and the payment part", function () {
  requireTools("pdftotext", "pdftoppm", "pdfinfo", "zbarimg");
  let dir = "";
  const files = new Map<string, { file: string; rec: InvoiceRecord }>();

  before(async function () {
    this.timeout(60000);
    dir = mkdtempSync(join(tmpdir(), "zev-names-"));
    const { store, report } = billedSonnenhof(join(dir, "db"), community());
    try {
      for (const rec of report.records) files.set(rec.snapshot.recipient.name, { file: (await writeInvoiceDocument(rec, join(dir, "out"))).path!, rec });
    } finally {
      store.close();
    }
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("bills one invoice for each of the five names", () => {
    assert.deepEqual([...files.keys()].sort(), Object.values(NAMES).sort());
  });

  for (const name of Object.values(NAMES)) {
    it(`${name}: body, receipt and payment part print the name, and the QR code carries it`, function () {
      this.timeout(20000);
      const { file, rec } = files.get(name)!;
      assert.ok(rec.number, "issued");
      const last = pdfPages(file);
      assert.ok(pdfTextArea(file, 1, BODY).includes(name), `the letter's address shows ${name}`);
      const receipt = pdfTextArea(file, last, RECEIPT);
      const payment = pdfTextArea(file, last, PAYMENT);
      assert.match(receipt, /Empfangsschein|Récépissé|Ricevuta|Receipt/);
      assert.match(payment, /Zahlteil|Section paiement|Sezione pagamento|Payment part/);
      for (const [part, text] of [
        ["receipt", receipt],
        ["payment part", payment],
      ] as const) {
        assert.ok(text.includes(name), `${part} shows ${name}:\n${text}`);
        assert.ok(text.includes(CREDITOR), `${part} shows the creditor ${CREDITOR}`);
      }
      const q = parseQrPayload(decodeQrBill(file, last).lines);
      assert.equal(q.debtor.name, name);
      assert.equal(q.debtor.name, rec.snapshot.recipient.name);
      assert.equal(q.creditor.name, CREDITOR);
      assert.equal(q.creditor.street, "Obala Ivana Meštrovića");
      assert.ok(payment.includes(q.creditor.street) && receipt.includes(q.creditor.street), "the creditor's street as in the QR code");
      // nothing replaced anywhere in the document: no base-letter fallback ("Ivana Covic")
      assert.ok(!pdfText(file).includes(baseLetters(name)), `a base-letter form of ${name} is printed`);
    });
  }

  it("the files are named with the base letters", () => {
    const names = [...files.values()].map((f) => f.file.split("/").pop()).sort();
    assert.deepEqual(names, [
      "2026-0001_unit-1_Ivana_Covic.pdf",
      "2026-0002_unit-2_Dragan_Duric.pdf",
      "2026-0003_unit-3_Ayse_Sahin.pdf",
      "2026-0004_unit-4_Lukasz_Zolc.pdf",
      "2026-0005_unit-4_Zoe_Odegard.pdf",
    ]);
  });

  it("a street with Latin Extended letters prints as written on the letter and the slip", () => {
    const { file } = files.get(NAMES.t1)!;
    const last = pdfPages(file);
    assert.ok(pdfTextArea(file, 1, BODY).includes("Šetalište Łódź"));
    assert.ok(pdfTextArea(file, last, PAYMENT).includes("Šetalište Łódź"));
    assert.equal(parseQrPayload(decodeQrBill(file, last).lines).debtor.street, "Šetalište Łódź");
  });
});
