import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { Decimal } from "../../lib/util/money";
import { buildCamt } from "../support/camt";
import { issuedNovemberByCli, type InvoiceJson } from "../support/issued-month";
import { useTmpDir } from "../support/tmp";

const IBAN = "CH93 0076 2011 6238 5295 7";

describe("zev payments (command line on a real SQLite file)", () => {
  const tmp = useTmpDir();

  const issued = (): Promise<{ db: string; invoices: InvoiceJson[] }> => issuedNovemberByCli(tmp());

  function file(name: string, xml: string): string {
    const f = join(tmp(), name);
    writeFileSync(f, xml);
    return f;
  }

  it("imports camt files, reports per file, lists payments as JSON and invoice payment statuses; a second import books nothing", async () => {
    const { db, invoices } = await issued();
    const [a, b, c] = invoices;
    assert.deepEqual(
      invoices.map((i) => [i.status, i.paymentStatus, i.paidAmount, i.openAmount]),
      invoices.map((i) => ["issued", "open", "0.00", i.total]),
    );
    const f1 = file(
      "n1.xml",
      buildCamt({
        version: "04",
        iban: IBAN,
        entries: [
          { amount: a!.total, bookingDate: "2026-12-04", valueDate: "2026-12-05", txs: [{ refType: "SCOR", ref: a!.reference, debtor: "Anna Meier" }] },
          {
            amount: "60.00",
            txs: [
              { amount: "50", refType: "", ref: b!.reference, debtor: "Luc Dubois" },
              { amount: "10", refType: "SCOR", ref: "RF18539007547034", debtor: "Unknown" },
            ],
          },
          { amount: "25.00", creditDebit: "DBIT" },
        ],
      }),
    );
    const f2 = file(
      "s1.xml",
      buildCamt({
        message: "camt.053",
        version: "08",
        iban: IBAN,
        msgId: "S1",
        entries: [{ amount: new Decimal(c!.total).plus(5).toFixed(2), acctSvcrRef: "X1", txs: [{ refType: "SCOR", ref: c!.reference }] }],
      }),
    );
    const res = await run(["payments", "import", f1, f2, "--db", db, "--community", "drei", "--actor", "erika"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /n1\.xml: camt\.054\.001\.04: 3 entries, 3 payments, 2 matched, 1 unmatched, 0 flagged, 0 duplicates skipped; not payments: 1 debit/);
    assert.match(res.out, /s1\.xml: camt\.053\.001\.08: 1 entries, 1 payments, 1 matched, 0 unmatched, 0 flagged, 0 duplicates skipped/);

    const list = await run(["payments", "list", "--db", db, "--community", "drei", "--json"]);
    const payments = JSON.parse(list.out) as Record<string, unknown>[];
    assert.equal(payments.length, 4);
    assert.deepEqual(
      {
        amount: payments[0]!.amount,
        currency: payments[0]!.currency,
        bookingDate: payments[0]!.bookingDate,
        valueDate: payments[0]!.valueDate,
        referenceType: payments[0]!.referenceType,
        reference: payments[0]!.reference,
        debtorName: payments[0]!.debtorName,
        invoice: payments[0]!.invoice,
      },
      {
        amount: a!.total,
        currency: "CHF",
        bookingDate: "2026-12-04",
        valueDate: "2026-12-05",
        referenceType: "SCOR",
        reference: a!.reference,
        debtorName: "Anna Meier",
        invoice: { id: a!.id, number: a!.number },
      },
    );
    assert.equal(payments[1]!.amount, "50.00");
    assert.equal(payments[1]!.referenceType, "SCOR");
    assert.equal(payments[2]!.invoice, null);

    const inv = JSON.parse((await run(["invoice", "list", "--db", db, "--community", "drei", "--json"])).out) as InvoiceJson[];
    assert.deepEqual(
      inv.map((i) => [i.number, i.status, i.paymentStatus, i.paidAmount, i.openAmount]),
      [
        [a!.number, "paid", "paid", a!.total, "0.00"],
        [b!.number, "issued", "partial", "50.00", new Decimal(b!.total).minus(50).toFixed(2)],
        [c!.number, "paid", "overpaid", new Decimal(c!.total).plus(5).toFixed(2), "-5.00"],
      ],
    );

    const again = await run(["payments", "import", f1, f2, "--db", db, "--community", "drei"]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /n1\.xml: .*0 matched, 0 unmatched, 0 flagged, 3 duplicates skipped/);
    assert.match(again.out, /s1\.xml: .*1 duplicates skipped/);
    assert.equal((JSON.parse((await run(["payments", "list", "--db", db, "--community", "drei", "--json"])).out) as unknown[]).length, 4);
  });

  it("assigns an unmatched payment by hand (by invoice number), refuses a second assignment", async () => {
    const { db, invoices } = await issued();
    const b = invoices[1]!;
    const f = file("u.xml", buildCamt({ iban: IBAN, entries: [{ amount: b.total, txs: [{ debtor: "Luc Dubois", unstructured: "Rechnung Dezember" }] }] }));
    assert.equal((await run(["payments", "import", f, "--db", db, "--community", "drei"])).code, 0);
    const [p] = JSON.parse((await run(["payments", "list", "--db", db, "--community", "drei", "--json"])).out) as { id: number; invoice: unknown }[];
    assert.equal(p!.invoice, null);
    const res = await run(["payments", "assign", "--db", db, "--community", "drei", "--payment", String(p!.id), "--invoice", b.number, "--actor", "erika"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, new RegExp(`assigned to invoice ${b.number}`));
    const inv = JSON.parse((await run(["invoice", "list", "--db", db, "--community", "drei", "--json"])).out) as InvoiceJson[];
    assert.equal(inv[1]!.paymentStatus, "paid");
    const twice = await run(["payments", "assign", "--db", db, "--community", "drei", "--payment", String(p!.id), "--invoice", b.number]);
    assert.equal(twice.code, 1);
    assert.match(twice.err, /already booked/);
  });

  it("a dry run writes nothing; a broken file fails the run naming the file, the good files are still booked", async () => {
    const { db, invoices } = await issued();
    const good = file(
      "good.xml",
      buildCamt({ iban: IBAN, entries: [{ amount: invoices[0]!.total, txs: [{ refType: "SCOR", ref: invoices[0]!.reference }] }] }),
    );
    const bad = file("bad.xml", "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.08'><BkToCstmrDbtCdtNtfctn><Ntfctn>");
    const missing = join(tmp(), "missing.xml");
    const dry = await run(["payments", "import", good, "--db", db, "--community", "drei", "--dry-run"]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /dry run, nothing written.*1 matched/);
    assert.equal((JSON.parse((await run(["payments", "list", "--db", db, "--community", "drei", "--json"])).out) as unknown[]).length, 0);
    const res = await run(["payments", "import", bad, good, missing, "--db", db, "--community", "drei"]);
    assert.equal(res.code, 1);
    assert.match(res.err, /bad\.xml: not well-formed XML/);
    assert.match(res.err, /missing\.xml: cannot read the file \(ENOENT\)/);
    assert.match(res.out, /good\.xml: .*1 matched/);
  });

  it("a file for another account: imported unmatched, with a warning on stderr", async () => {
    const { db, invoices } = await issued();
    const f = file(
      "o.xml",
      buildCamt({ iban: "CH56 0483 5012 3456 7800 9", entries: [{ amount: invoices[0]!.total, txs: [{ refType: "SCOR", ref: invoices[0]!.reference }] }] }),
    );
    const res = await run(["payments", "import", f, "--db", db, "--community", "drei"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /0 matched, 1 unmatched/);
    assert.match(res.err, /o\.xml: warning: the file is for account CH56 0483 5012 3456 7800 9, not the community's/);
  });

  it("a payment for a cancelled invoice is flagged on import and shown as flagged", async () => {
    const { db, invoices } = await issued();
    const a = invoices[0]!;
    assert.equal((await run(["invoice", "cancel", "--db", db, "--id", String(a.id), "--reason", "wrong meter"])).code, 0);
    const f = file("c.xml", buildCamt({ iban: IBAN, entries: [{ amount: a.total, txs: [{ refType: "SCOR", ref: a.reference }] }] }));
    const res = await run(["payments", "import", f, "--db", db, "--community", "drei"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /0 matched, 0 unmatched, 1 flagged/);
    assert.match(res.err, /flagged: .*the invoice is cancelled/);
    const text = await run(["payments", "list", "--db", db, "--community", "drei"]);
    assert.match(text.out, new RegExp(`FLAGGED \\(cancelled-invoice ${a.number}\\)`));
  });

  it("zev invoice paid still works: a manual payment with a note, the invoice paid", async () => {
    const { db, invoices } = await issued();
    const res = await run(["invoice", "paid", "--db", db, "--id", String(invoices[0]!.id), "--note", "cash at the door", "--date", "2026-12-09"]);
    assert.equal(res.code, 0, res.err);
    const inv = JSON.parse((await run(["invoice", "list", "--db", db, "--community", "drei", "--json"])).out) as InvoiceJson[];
    assert.deepEqual([inv[0]!.status, inv[0]!.paymentStatus, inv[0]!.openAmount], ["paid", "paid", "0.00"]);
    const [p] = JSON.parse((await run(["payments", "list", "--db", db, "--community", "drei", "--json"])).out) as {
      note: string;
      source: string;
      bookingDate: string;
    }[];
    assert.deepEqual([p!.source, p!.note, p!.bookingDate], ["manual", "cash at the door", "2026-12-09"]);
  });

  it("usage errors: no file, no community", async () => {
    assert.equal((await run(["payments", "import", "--db", "x.sqlite", "--community", "drei"])).code, 2);
    assert.equal((await run(["payments", "list", "--db", "x.sqlite"])).code, 2);
    const badAccount = await run(["payments", "import", "f.xml", "--db", "x.sqlite", "--community", "drei", "--account", "CH00 1234"]);
    assert.equal(badAccount.code, 2);
    assert.match(badAccount.err, /--account: IBAN/);
  });
});
