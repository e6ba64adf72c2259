import assert from "node:assert/strict";
import { CamtError, classifyReference, parseCamt } from "../../../lib/payments/camt";
import { parseXml, XmlSyntaxError } from "../../../lib/payments/xml";
import { buildCamt, type CamtVersion } from "../../support/camt";

const IBAN = "CH93 0076 2011 6238 5295 7";
const QRR = "210000000003139471430009017"; // SIX example
const SCOR = "RF18539007547034"; // ISO 11649 example

describe("camt.054 / camt.053 parser", () => {
  for (const message of ["camt.054", "camt.053"] as const) {
    for (const version of ["04", "08"] as CamtVersion[]) {
      it(`${message}.001.${version}: reads account, amount, dates, QRR reference and debtor of a booked credit`, () => {
        const xml = buildCamt({
          message,
          version,
          iban: IBAN,
          entries: [
            {
              amount: "120.5",
              bookingDate: "2026-12-04",
              valueDate: "2026-12-05",
              acctSvcrRef: "E1",
              txs: [{ refType: "QRR", ref: QRR, debtor: "Anna Meier", debtorIban: "CH56 0483 5012 3456 7800 9", acctSvcrRef: "T1" }],
            },
          ],
        });
        const doc = parseCamt(xml);
        assert.equal(doc.message, message);
        assert.equal(doc.version, version);
        assert.equal(doc.messageId, "MSG-20261205-1");
        const st = doc.statements[0]!;
        assert.equal(st.accountIban, "CH9300762011623852957");
        assert.equal(st.payments.length, 1);
        const p = st.payments[0]!;
        assert.equal(p.amount, "120.50");
        assert.equal(p.currency, "CHF");
        assert.equal(p.bookingDate, "2026-12-04");
        assert.equal(p.valueDate, "2026-12-05");
        assert.equal(p.referenceType, "QRR");
        assert.equal(p.reference, QRR);
        assert.equal(p.debtorName, "Anna Meier");
        assert.equal(p.debtorIban, "CH5604835012345678009");
        assert.equal(p.entryRef, "E1");
        assert.equal(p.txRef, "T1");
      });
    }
  }

  it("a debtor name NOTPROVIDED is no name", () => {
    const doc = parseCamt(buildCamt({ version: "04", iban: IBAN, entries: [{ amount: "10", txs: [{ debtor: "NOTPROVIDED", ref: QRR, refType: "ISR" }] }] }));
    assert.equal(doc.statements[0]!.payments[0]!.debtorName, null);
  });

  it("reads any namespace prefix", () => {
    const doc = parseCamt(buildCamt({ prefix: "camt", iban: IBAN, entries: [{ amount: "10.00", txs: [{ refType: "SCOR", ref: SCOR }] }] }));
    assert.equal(doc.statements[0]!.payments[0]!.referenceType, "SCOR");
  });

  it("SCOR in Tp/CdOrPrtry/Cd and the ISR reference by its proprietary type", () => {
    const doc = parseCamt(
      buildCamt({
        version: "04",
        iban: IBAN,
        entries: [
          { amount: "10", txs: [{ refType: "SCOR", ref: "RF18 5390 0754 7034" }] },
          { amount: "20", txs: [{ refType: "ISR", ref: "21 00000 00003 13947 14300 09017" }] },
        ],
      }),
    );
    const [a, b] = doc.statements[0]!.payments;
    assert.deepEqual([a!.referenceType, a!.reference], ["SCOR", SCOR]);
    assert.deepEqual([b!.referenceType, b!.reference], ["ISR", QRR]);
  });

  it("an empty or absent reference type is classified by the reference's form (RF checksum, 27 digits mod 10)", () => {
    const doc = parseCamt(
      buildCamt({
        iban: IBAN,
        entries: [
          { amount: "1", txs: [{ refType: "", ref: SCOR }] },
          { amount: "2", txs: [{ refType: undefined, ref: QRR }] },
          { amount: "3", txs: [{ refType: "", ref: "210000000003139471430009018" }] },
        ],
      }),
    );
    assert.deepEqual(
      doc.statements[0]!.payments.map((p) => p.referenceType),
      ["SCOR", "QRR", null],
    );
    assert.equal(classifyReference("RF19539007547034", undefined, undefined), null);
  });

  it("debit entries are not payments; pending and information entries and reversals are skipped and counted", () => {
    const doc = parseCamt(
      buildCamt({
        iban: IBAN,
        entries: [
          { amount: "50", creditDebit: "DBIT", txs: [{ ref: QRR, refType: "QRR" }] },
          { amount: "60", status: "PDNG" },
          { amount: "70", status: "INFO" },
          { amount: "80", reversal: true },
          { amount: "90" },
        ],
      }),
    );
    const st = doc.statements[0]!;
    assert.equal(st.entries, 5);
    assert.deepEqual(
      st.skipped.map((s) => s.reason),
      ["debit", "not-booked", "not-booked", "reversal"],
    );
    assert.deepEqual(
      st.payments.map((p) => p.amount),
      ["90.00"],
    );
  });

  it("the .04 status as text and the .08 status as Sts/Cd are both read", () => {
    for (const version of ["04", "08"] as CamtVersion[]) {
      const doc = parseCamt(buildCamt({ version, iban: IBAN, entries: [{ amount: "1", status: "PDNG" }, { amount: "2" }] }));
      assert.equal(doc.statements[0]!.payments.length, 1, version);
      assert.equal(doc.statements[0]!.skipped[0]!.status, "PDNG");
    }
  });

  it("a batch entry is split into its transactions, each with its own amount, reference and debtor", () => {
    const doc = parseCamt(
      buildCamt({
        iban: IBAN,
        entries: [
          {
            amount: "300.00",
            txs: [
              { amount: "100.00", ref: QRR, refType: "QRR", debtor: "A" },
              { amount: "150.00", ref: SCOR, refType: "SCOR", debtor: "B" },
              { amount: "50.00", amountInDetailsOnly: true, debtor: "C" },
            ],
          },
        ],
      }),
    );
    const ps = doc.statements[0]!.payments;
    assert.deepEqual(
      ps.map((p) => [p.amount, p.referenceType, p.debtorName, p.txIndex]),
      [
        ["100.00", "QRR", "A", 1],
        ["150.00", "SCOR", "B", 2],
        ["50.00", null, "C", 3],
      ],
    );
    assert.equal(new Set(ps.map((p) => p.key)).size, 3);
    assert.equal(doc.statements[0]!.warnings.length, 0);
  });

  it("a batch whose transactions do not add up to the entry is booked as the transactions say, with a warning", () => {
    const doc = parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "300.00", txs: [{ amount: "100.00" }, { amount: "150.00" }] }] }));
    assert.equal(doc.statements[0]!.warnings[0]!.code, "camt.batchSum");
  });

  it("an entry without details is one payment with the entry's amount; amounts without decimals are exact", () => {
    const doc = parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "1234" }] }));
    assert.equal(doc.statements[0]!.payments[0]!.amount, "1234.00");
    assert.equal(doc.statements[0]!.payments[0]!.reference, null);
  });

  it("a booking date as DtTm with an offset is the Swiss local date; without offset its own date", () => {
    const a = parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "1", bookingDateTime: "2026-12-04T23:30:00Z" }] }));
    assert.equal(a.statements[0]!.payments[0]!.bookingDate, "2026-12-05");
    const b = parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "1", bookingDateTime: "2026-12-04T23:30:00" }] }));
    assert.equal(b.statements[0]!.payments[0]!.bookingDate, "2026-12-04");
    const c = parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "1", bookingDateTime: "2026-12-05T00:30:00+01:00" }] }));
    assert.equal(c.statements[0]!.payments[0]!.bookingDate, "2026-12-05");
  });

  it("the bank's keys are stable: the same booking in a camt.054 and a camt.053 has the same key", () => {
    const spec = { iban: IBAN, entries: [{ amount: "10", acctSvcrRef: "E9", txs: [{ amount: "10", acctSvcrRef: "T9" }] }] };
    const a = parseCamt(buildCamt({ ...spec, message: "camt.054", version: "04" }));
    const b = parseCamt(buildCamt({ ...spec, message: "camt.053", version: "08", msgId: "OTHER" }));
    assert.equal(a.statements[0]!.payments[0]!.key, b.statements[0]!.payments[0]!.key);
  });

  it("without the bank's reference two equal payments stay two (numbered), and stay stable across files", () => {
    const spec = {
      iban: IBAN,
      entries: [
        { amount: "10", acctSvcrRef: "", txs: [{ ref: QRR, refType: "QRR" as const }] },
        { amount: "10", acctSvcrRef: "", txs: [{ ref: QRR, refType: "QRR" as const }] },
      ],
    };
    const keys = parseCamt(buildCamt(spec)).statements[0]!.payments.map((p) => p.key);
    assert.equal(new Set(keys).size, 2);
    assert.deepEqual(
      parseCamt(buildCamt({ ...spec, msgId: "X" })).statements[0]!.payments.map((p) => p.key),
      keys,
    );
  });

  it("reads elements nested 64 deep and refuses the first one deeper, however deep the file goes (the parser's time grows with the square of the depth)", () => {
    const nested = (depth: number): string =>
      `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">${"<a>".repeat(depth - 1)}${"</a>".repeat(depth - 1)}</Document>`;
    let el = parseXml(nested(64));
    let depth = 1;
    while (el.children.length > 0) [el, depth] = [el.children[0]!, depth + 1];
    assert.equal(depth, 64);
    assert.throws(
      () => parseXml(nested(65)),
      (e: unknown) => e instanceof XmlSyntaxError && /nested deeper than 64 levels/.test(e.message),
    );
    assert.throws(
      () => parseCamt(nested(200_000)),
      (e: unknown) => e instanceof CamtError && e.code === "camt.xml" && /nested deeper than 64 levels/.test(e.message),
    );
  });

  it("refuses what is not a camt document, malformed XML and bad amounts with a coded error", () => {
    assert.throws(
      () => parseCamt("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'/>"),
      (e: unknown) => e instanceof CamtError && e.code === "camt.notCamt",
    );
    assert.throws(
      () => parseCamt("<Document><Ntry>"),
      (e: unknown) => e instanceof CamtError && e.code === "camt.xml",
    );
    assert.throws(
      () => parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "1.234" }] })),
      (e: unknown) => e instanceof CamtError && e.code === "camt.amount",
    );
    assert.throws(
      () => parseCamt(buildCamt({ iban: IBAN, entries: [{ amount: "-5" }] })),
      (e: unknown) => e instanceof CamtError && e.code === "camt.amount",
    );
  });
});
