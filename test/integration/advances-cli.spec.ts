import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "mocha";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../support/billing-fixture";
import { buildCamt } from "../support/camt";
import { runCliCaptured } from "../support/cli";
import { listInvoicesByCli } from "../support/issued-month";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText } from "../support/pdf-tools";

/*
 * Advances and the annual statement through the real CLI, read back as a
 * tenant reads them: PDFs through pdftotext, the QR bills through zbarimg.
 * A community with a QR-IBAN (QRR references), not VAT-registered; 2027 with
 * unit 1 at 100 Wh and unit 2 at 200 Wh per quarter hour, common 40 Wh, no solar.
 *
 * t1 (de): 12 monthly advances of 110.00, all paid by camt (QRR): 1'320.00.
 *   Year: grid 3'504.000 kWh × 0.30 = 1'051.20, common 350.400 kWh × 0.30 = 105.12, base fee 60.00, metering
 *   42.00 = 1'258.32 -> 1'258.30 (rounding -0.02). Balance 1'258.30 - 1'320.00 = -61.70: a credit, no QR bill.
 * t2 (fr): 4 quarterly advances of 300.00, none paid: not deducted, each cancelled by a credit note.
 *   Year: grid 7'008.000 kWh × 0.30 = 2'102.40, common 700.800 kWh × 0.30 = 210.24, fees 102.00 = 2'414.64
 *   -> 2'414.65. Balance 2'414.65, payable with a QR bill of 2'414.65.
 * t3 (en): billed by periodic invoices.
 */
const QR_IBAN = "CH44 3199 9123 0008 8901 2";

describe("zev advances (CLI): advance invoices, camt, the annual statement", function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), "zev-advances-cli-"));
  const out = join(dir, "out");
  let db = "";
  const run = runCliCaptured;
  const base = (): string[] => ["--db", db, "--community", "drei"];

  before(() => {
    const def = threeUnitCommunity();
    const store = openBillingStore(dir, { ...def, creditor: { ...def.creditor, iban: QR_IBAN } });
    fillConsumers(store, "drei", "2027");
    fillMeter(store, "drei", "pv", "2027", () => 0);
    db = store.path;
    store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("proposes nothing without last year's invoices, and says so", async () => {
    const r = await run(["advances", "propose", ...base(), "--year", "2027"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /t1 .*no issued invoice of 2026 for this tenancy: set the amount by hand/);
  });

  it("stores the chosen amounts and refuses an amount that is not a multiple of 0.05 CHF", async () => {
    assert.equal((await run(["advances", "set", ...base(), "--year", "2027", "--tenancy", "t1", "--amount", "110"])).code, 0);
    const t2 = await run(["advances", "set", ...base(), "--year", "2027", "--tenancy", "t2", "--amount", "300", "--rhythm", "quarterly"]);
    assert.equal(t2.code, 0, t2.err);
    assert.match(t2.out, /t2 2027: quarterly advances of 300.00 CHF/);
    const bad = await run(["advances", "set", ...base(), "--year", "2027", "--tenancy", "t1", "--amount", "110.03"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /must be a multiple of 0\.05/);
  });

  it("issues January's advance as a PDF in German with a QR bill carrying its QR reference", async () => {
    const r = await run(["advances", "issue", ...base(), "--period", "2027-01", "--date", "2027-01-01", "--out", join(out, "01")]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2027-0001 +t1 .*110\.00 +issued/);
    assert.match(r.out, /t2 .*skipped: its advances are quarterly/);
    const pdf = join(
      out,
      "01",
      readdirSync(join(out, "01")).find((f) => f.startsWith("2027-0001"))!,
    );
    const text = pdfText(pdf);
    assert.match(text, /Akontorechnung 2027-0001/);
    assert.match(text, /Akontozahlung Januar 2027\s+110\.00/);
    assert.match(text, /Keine MWST/);
    assert.equal(pdfPages(pdf), 1);
    const qr = parseQrPayload(decodeQrBill(pdf, 1).lines);
    const [inv] = (await listInvoicesByCli(db)).filter((i) => i.number === "2027-0001");
    assert.equal(qr.amount, "110.00");
    assert.equal(qr.referenceType, "QRR");
    assert.equal(qr.reference, inv!.reference);
    assert.equal(qr.debtor.name, "Anna Meier");
  });

  it("issues the first quarter's advance in French", async () => {
    const r = await run(["advances", "issue", ...base(), "--period", "2027-Q1", "--date", "2027-01-01", "--out", join(out, "q1")]);
    assert.equal(r.code, 0, r.err);
    const pdf = join(out, "q1", readdirSync(join(out, "q1"))[0]!);
    const text = pdfText(pdf);
    assert.match(text, /Facture d'acompte 2027-0002/);
    assert.match(text, /Acompte T1 2027\s+300\.00/);
    assert.equal(parseQrPayload(decodeQrBill(pdf, 1).lines).amount, "300.00");
  });

  it("refuses a periodic invoice for a tenancy on advances, and advances for one billed periodically", async () => {
    const bill = await run(["bill", ...base(), "--period", "2027-01", "--issue", "--invoice-date", "2027-02-01", "--out", join(out, "bill")]);
    assert.equal(bill.code, 0, bill.err);
    assert.match(bill.out, /Anna Meier .*skipped: billed by advance payments and an annual statement in 2027/);
    assert.match(bill.out, /2027-0003 .*Sam Taylor .*issued/);
    const mix = await run(["advances", "set", ...base(), "--year", "2027", "--tenancy", "t3", "--amount", "100"]);
    assert.equal(mix.code, 1);
    assert.match(mix.err, /tenancy t3 has periodic invoices in 2027: 2027-0003 .*billed either by periodic invoices or by advances/);
  });

  it("books the advances paid by camt to them by their QR reference", async () => {
    for (let m = 2; m <= 12; m++) {
      const p = `2027-${String(m).padStart(2, "0")}`;
      assert.equal((await run(["advances", "issue", ...base(), "--period", p, "--date", `${p}-01`, "--out", join(out, p)])).code, 0);
    }
    for (const q of ["2027-Q2", "2027-Q3", "2027-Q4"])
      assert.equal(
        (
          await run([
            "advances",
            "issue",
            ...base(),
            "--period",
            q,
            "--date",
            `2027-0${Number(q.slice(-1)) * 3 - 2}-01`.replace("-010-", "-10-"),
            "--out",
            join(out, q),
          ])
        ).code,
        0,
      );
    const list = JSON.parse((await run(["advances", "list", ...base(), "--year", "2027", "--json"])).out) as {
      tenancyId: string;
      advances: { number: string; reference: string; total: string }[];
    }[];
    const t1 = list.find((p) => p.tenancyId === "t1")!.advances;
    assert.equal(t1.length, 12);
    assert.equal(list.find((p) => p.tenancyId === "t2")!.advances.length, 4);
    const camt = join(dir, "camt-2027.xml");
    writeFileSync(
      camt,
      buildCamt({
        iban: QR_IBAN.replace(/ /g, ""),
        entries: t1.map((a, i) => ({
          amount: a.total,
          bookingDate: "2027-06-30",
          acctSvcrRef: `ADV-${i}`,
          txs: [{ refType: "QRR", ref: a.reference, debtor: "Anna Meier" }],
        })),
      }),
    );
    const imp = await run(["payments", "import", camt, ...base()]);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /12 matched, 0 unmatched, 0 flagged/);
    const invoices = await listInvoicesByCli(db);
    for (const a of t1) assert.equal(invoices.find((i) => i.number === a.number)!.paymentStatus, "paid");
    // t2's advances stay open in the open items until the statement.
    const t2open = list.find((p) => p.tenancyId === "t2")!.advances.map((a) => invoices.find((i) => i.number === a.number)!.paymentStatus);
    assert.deepEqual(t2open, ["open", "open", "open", "open"]);
  });

  it("issues the statements: a German credit without QR bill, a French balance with its QR bill", async () => {
    const r = await run(["advances", "statement", ...base(), "--year", "2027", "--date", "2028-01-15", "--out", join(out, "st")]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /t1 .*-61\.70 +issued/);
    assert.match(r.out, /t2 .*2414\.65 +issued/);
    const files = readdirSync(join(out, "st"));
    const t1pdf = join(
      out,
      "st",
      files.find((f) => f.includes("statement") && f.includes("Anna"))!,
    );
    const t1text = pdfText(t1pdf);
    assert.match(t1text, /Jahresabrechnung 2027 – Gutschrift/);
    assert.match(t1text, /Effektive Kosten CHF\s+1.?258\.30/);
    assert.match(t1text, /Abzüglich bezahlte Akontozahlungen\s+-1.?320\.00/);
    assert.match(t1text, /Guthaben zu Ihren Gunsten CHF\s+61\.70/);
    assert.doesNotMatch(t1text, /Zahlteil/);
    const t2pdf = join(
      out,
      "st",
      files.find((f) => f.includes("statement") && f.includes("Luc"))!,
    );
    const t2text = pdfText(t2pdf);
    assert.match(t2text, /Décompte annuel 2027/);
    assert.match(pdfText(t2pdf, { raw: true }), /non payé, annulé \(note de crédit\s+2028-000\d\)/);
    assert.match(t2text, /Solde à votre charge CHF\s+2.?414\.65/);
    const qr = parseQrPayload(decodeQrBill(t2pdf, pdfPages(t2pdf)).lines);
    assert.equal(qr.amount, "2414.65");
    assert.equal(qr.referenceType, "QRR");
    assert.equal(qr.debtor.name, "Luc Dubois");
  });

  it("numbers invoices, advances, statements and credit notes from one sequence per year without a gap", async () => {
    const invoices = await listInvoicesByCli(db);
    for (const y of ["2027", "2028"]) {
      const nums = invoices
        .map((i) => i.number)
        .filter((n) => n?.startsWith(y))
        .sort();
      assert.deepEqual(
        nums,
        nums.map((_, i) => `${y}-${String(i + 1).padStart(4, "0")}`),
      );
    }
    // 2027: 12 + 4 advances and t3's January invoice; 2028: t1's statement, t2's 4 credit notes and statement.
    assert.equal(invoices.filter((i) => i.number?.startsWith("2027")).length, 17);
    assert.equal(invoices.filter((i) => i.number?.startsWith("2028")).length, 6);
  });
});
