import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { Decimal } from "../../lib/util/money";
import { threeUnitCommunity } from "../support/billing-fixture";
import { buildCamt } from "../support/camt";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText } from "../support/pdf-tools";
import { issuedNovemberByCli, listInvoicesByCli, type InvoiceJson } from "../support/issued-month";
import { useTmpDir } from "../support/tmp";

const IBAN = "CH93 0076 2011 6238 5295 7";

describe("zev reminders (command line on a real SQLite file, PDFs read back)", function () {
  this.timeout(120_000);
  const tmp = useTmpDir();

  async function setUp(): Promise<{ db: string; invoices: InvoiceJson[]; pay: (inv: InvoiceJson, amount: string, date: string) => Promise<void> }> {
    const def = threeUnitCommunity({
      reminders: [
        { afterDays: 10, fee: "0.00" },
        { afterDays: 30, fee: "20.00" },
        { afterDays: 45, fee: "30.00" },
      ],
    });
    const { db, invoices: issued } = await issuedNovemberByCli(tmp(), def);
    let n = 0;
    const pay = async (inv: InvoiceJson, amount: string, date: string): Promise<void> => {
      const f = join(tmp(), `camt-${++n}.xml`);
      writeFileSync(
        f,
        buildCamt({
          iban: IBAN,
          entries: [
            {
              amount,
              bookingDate: date,
              valueDate: date,
              acctSvcrRef: `K${n}`,
              txs: [{ refType: "SCOR", ref: inv.reference, debtor: "Tenant", acctSvcrRef: `K${n}` }],
            },
          ],
        }),
      );
      const r = await run(["payments", "import", f, "--db", db, "--community", "drei"]);
      assert.equal(r.code, 0, r.err);
    };
    return { db, invoices: issued, pay };
  }

  const invoices = (db: string): Promise<InvoiceJson[]> => listInvoicesByCli(db);

  it("reminds only what is still open, one level at a time after its days, numbered; the QR bill asks for the open amount with the fee and pays the invoice", async () => {
    const {
      db,
      invoices: [a, b, c],
      pay,
    } = await setUp();
    const out = join(tmp(), "reminders");
    const remind = (date: string, ...more: string[]) => run(["reminders", "run", "--db", db, "--community", "drei", "--date", date, "--out", out, ...more]);
    await pay(a!, a!.total, "2026-12-20");
    const half = new Decimal(b!.total).div(2).toFixed(2);
    await pay(b!, half, "2026-12-20");

    // Due 2026-12-31: five days late is not yet ten.
    let r = await remind("2027-01-05");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^0 reminder\(s\) sent on 2027-01-05/m);

    const dry = await remind("2027-01-12", "--dry-run");
    assert.match(dry.out, /2 reminder\(s\) due on 2027-01-12; nothing recorded/);
    r = await remind("2027-01-12");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`M2027-0001 level 1 for ${b!.number}: ${new Decimal(b!.total).minus(half).toFixed(2)} CHF, to pay by 2027-01-22`));
    assert.match(r.out, new RegExp(`M2027-0002 level 1 for ${c!.number}: ${c!.total} CHF`));
    assert.ok(!r.out.includes(a!.number), "a paid invoice is never reminded");
    assert.match((await remind("2027-01-12")).out, /^0 reminder\(s\) sent/m, "a level is sent once");

    // Level 2 waits for its 30 days and for the first reminder's date to pay.
    assert.match((await remind("2027-01-25")).out, /^0 reminder\(s\) sent/m);
    r = await remind("2027-02-01");
    assert.match(r.out, new RegExp(`M2027-0004 level 2 for ${c!.number}: ${new Decimal(c!.total).plus(20).toFixed(2)} CHF`));

    const files = readdirSync(out).sort();
    assert.equal(files.length, 4);
    const frPdf = join(
      out,
      files.find((f) => f.startsWith("M2027-0001"))!,
    );
    const fr = pdfText(frPdf).replace(/\s+/g, " ");
    assert.match(fr, /Rappel de paiement/);
    assert.match(fr, new RegExp(`facture ${b!.number} du 01\\.12\\.2026`));
    assert.match(fr, /Déjà payé/);
    assert.equal(pdfPages(frPdf), 1);
    const enPdf = join(
      out,
      files.find((f) => f.startsWith("M2027-0004"))!,
    );
    const en = pdfText(enPdf).replace(/\s+/g, " ");
    assert.match(en, /Reminder 1/);
    assert.match(en, /Reminder fee 20\.00/);
    const qr = parseQrPayload(decodeQrBill(enPdf, 1).lines);
    assert.equal(qr.amount, new Decimal(c!.total).plus(20).toFixed(2));
    assert.equal(qr.reference, c!.reference.replace(/\s/g, ""));
    assert.equal(qr.message, `M2027-0004 / ${c!.number}`);
    assert.equal(qr.billInformation, undefined, "the invoice's payment conditions (Swico) are not repeated on a reminder");

    // The fee is owed: paying the invoice's total leaves 20.00 open; the QR bill's amount pays it in full.
    let inv = (await invoices(db)).find((i) => i.id === c!.id)!;
    assert.deepEqual([inv.reminderFees, inv.openAmount, inv.paymentStatus], ["20.00", new Decimal(c!.total).plus(20).toFixed(2), "open"]);
    await pay(c!, c!.total, "2027-02-05");
    inv = (await invoices(db)).find((i) => i.id === c!.id)!;
    assert.deepEqual([inv.status, inv.paymentStatus, inv.openAmount], ["issued", "partial", "20.00"]);
    await pay(c!, "20.00", "2027-02-06");
    inv = (await invoices(db)).find((i) => i.id === c!.id)!;
    assert.deepEqual([inv.status, inv.paymentStatus, inv.openAmount], ["paid", "paid", "0.00"]);

    // The last level is the final notice, and after it nothing more.
    r = await remind("2027-02-20");
    assert.match(r.out, new RegExp(`M2027-0005 level 3 \\(final\\) for ${b!.number}`));
    const final = pdfText(
      join(
        out,
        readdirSync(out).find((f) => f.startsWith("M2027-0005"))!,
      ),
    ).replace(/\s+/g, " ");
    assert.match(final, /Dernier rappel/);
    assert.match(final, /dernier rappel/);
    assert.match((await remind("2027-04-01")).out, /^0 reminder\(s\) sent/m);

    const list = JSON.parse((await run(["reminders", "list", "--db", db, "--community", "drei", "--json"])).out) as {
      number: string;
      level: number;
      fee: string;
    }[];
    assert.deepEqual(
      list.map((x) => [x.number, x.level, x.fee]),
      [
        ["M2027-0001", 1, "0.00"],
        ["M2027-0002", 1, "0.00"],
        ["M2027-0003", 2, "20.00"],
        ["M2027-0004", 2, "20.00"],
        ["M2027-0005", 3, "30.00"],
      ],
    );
    const again = await run(["reminders", "render", "--db", db, "--community", "drei", "--number", "M2027-0004", "--out", join(tmp(), "again")]);
    assert.equal(again.code, 0, again.err);
  });

  it("open items and the journal carry the reminder fees", async () => {
    const {
      db,
      invoices: [, , c],
    } = await setUp();
    await run(["reminders", "run", "--db", db, "--community", "drei", "--date", "2027-01-12", "--out", join(tmp(), "r")]);
    await run(["reminders", "run", "--db", db, "--community", "drei", "--date", "2027-02-01", "--out", join(tmp(), "r")]);
    const csv = join(tmp(), "open.csv");
    assert.equal((await run(["export", "--db", db, "--community", "drei", "--kind", "open-items", "--period", "2027-02", "--out", csv])).code, 0);
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(csv, "utf8")
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    const head = lines[0]!.split(";");
    const row = lines.map((l) => l.split(";")).find((x) => x[head.indexOf("number")] === c!.number)!;
    assert.equal(row[head.indexOf("reminder_fees")], "20.00");
    assert.equal(row[head.indexOf("open")], new Decimal(c!.total).plus(20).toFixed(2));
    const jcsv = join(tmp(), "journal.csv");
    await run(["export", "--db", db, "--community", "drei", "--kind", "journal", "--period", "2027-02", "--out", jcsv]);
    const j = readFileSync(jcsv, "utf8");
    assert.match(j, /2027-02-01;M2027-0004;M2027-0004 reminder fee [^;]+;1100;3200;20\.00;CHF;;reminder/);
  });
});
