import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { cancelInvoice, runBilling } from "../../../lib/billing/run";
import { DEFAULT_JOURNAL_ACCOUNTS, documentEntries, journal, JournalError, openItems } from "../../../lib/payments/accounting";
import { importCamt } from "../../../lib/payments/match";
import { buildExport } from "../../../lib/render/export";
import { listInvoices, type InvoiceRecord } from "../../../lib/store/invoice-repo";
import { listPayments } from "../../../lib/store/payment-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { Decimal } from "../../../lib/util/money";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { buildCamt } from "../../support/camt";
import { useTmpDir } from "../../support/tmp";

const IBAN = "CH93 0076 2011 6238 5295 7";
const ZONE = "Europe/Zurich";

function issued(dir: string): { store: SqliteStore; invoices: InvoiceRecord[] } {
  const def = threeUnitCommunity();
  def.creditor = { ...def.creditor, iban: IBAN };
  const store = openBillingStore(dir, def);
  fillConsumers(store, "drei", "2026-11");
  fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
  runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
  return { store, invoices: listInvoices(store, "drei") };
}

/** The three invoices paid in three ways: in full on 12-05, half on 12-10, 5.00 too much on 12-20. */
function payThreeWays(store: SqliteStore, [a, b, c]: InvoiceRecord[]): void {
  const pay = (amount: string, ref: string, date: string, key: string) =>
    importCamt(
      store,
      buildCamt({
        iban: IBAN,
        entries: [{ amount, bookingDate: date, valueDate: date, acctSvcrRef: key, txs: [{ refType: "SCOR", ref, debtor: "Tenant", acctSvcrRef: key }] }],
      }),
      { communityId: "drei", fileName: `${key}.xml`, actor: "test" },
    );
  pay(a!.total, a!.reference!, "2026-12-05", "A");
  pay(new Decimal(b!.total).div(2).toFixed(2), b!.reference!, "2026-12-10", "B");
  pay(new Decimal(c!.total).plus(5).toFixed(2), c!.reference!, "2026-12-20", "C");
}

describe("payments: open items and the booking journal", () => {
  const tmp = useTmpDir();

  it("open items on a day count only the payments booked by then: partial and overpaid stay listed, paid ones leave, overdue days from the due date", () => {
    const { store, invoices } = issued(tmp());
    try {
      assert.equal(invoices.length, 3);
      payThreeWays(store, invoices);
      const [a, b, c] = invoices;
      const on = (day: string) => openItems(listInvoices(store, "drei"), listPayments(store, "drei"), day as never, ZONE);
      assert.deepEqual(on("2026-11-30"), [], "nothing was issued before the invoice date");
      assert.deepEqual(
        on("2026-12-01").map((i) => [i.invoice.number, i.open, i.paymentStatus]),
        invoices.map((r) => [r.number, new Decimal(r.total).toFixed(2), "open"]),
      );
      const mid = on("2026-12-15");
      assert.deepEqual(
        mid.map((i) => i.invoice.number),
        [b!.number, c!.number],
      );
      assert.equal(mid[0]!.open, new Decimal(b!.total).minus(new Decimal(b!.total).div(2).toFixed(2)).toFixed(2));
      assert.equal(mid[0]!.paymentStatus, "partial");
      const late = on("2027-01-31");
      assert.deepEqual(
        late.map((i) => [i.invoice.number, i.open, i.paymentStatus]),
        [
          [b!.number, mid[0]!.open, "partial"],
          [c!.number, "-5.00", "overpaid"],
        ],
      );
      const due = b!.snapshot.dueDate!;
      assert.ok(late[0]!.daysOverdue > 0 && late[0]!.dueDate === due, `due ${due}, ${late[0]!.daysOverdue} days overdue`);
      assert.ok(a);
    } finally {
      store.close();
    }
  });

  it("the journal balances: per invoice net, VAT and rounding on the receivables add up to its total, payments take them off, a credit note books it back", () => {
    const { store, invoices } = issued(tmp());
    try {
      payThreeWays(store, invoices);
      cancelInvoice(store, invoices[1]!.id, "test", "wrong tenant", "2026-12-28");
      const all = listInvoices(store, "drei");
      const entries = journal(all, listPayments(store, "drei"), "2026-12-01", "2026-12-31", ZONE);
      const balance = new Map<string, Decimal>();
      for (const e of entries) {
        balance.set(e.debit, (balance.get(e.debit) ?? new Decimal(0)).plus(e.amount));
        balance.set(e.credit, (balance.get(e.credit) ?? new Decimal(0)).minus(e.amount));
        assert.ok(new Decimal(e.amount).gt(0), `amounts are positive: ${JSON.stringify(e)}`);
      }
      const A = DEFAULT_JOURNAL_ACCOUNTS;
      const sum = (rs: InvoiceRecord[]) => rs.reduce((s, r) => s.plus(r.total), new Decimal(0));
      const paidIn = listPayments(store, "drei").reduce((s, p) => s.plus(p.amount), new Decimal(0));
      // Receivables: issued totals (credit note negative) minus what came in.
      assert.equal(balance.get(A.receivables)!.toFixed(2), sum(all).minus(paidIn).toFixed(2));
      assert.equal(balance.get(A.bank)!.toFixed(2), paidIn.toFixed(2));
      const credit = all.find((r) => r.kind === "credit-note")!;
      assert.ok(
        entries.some((e) => e.document === credit.number && e.kind === "credit-note" && e.debit === A.revenue && e.credit === A.receivables),
        "the credit note books revenue back",
      );
      const total = [...balance.values()].reduce((s, v) => s.plus(v), new Decimal(0));
      assert.equal(total.toFixed(2), "0.00", "every booking has a debit and a credit");
      assert.deepEqual(journal(all, listPayments(store, "drei"), "2027-01-01", "2027-01-31", ZONE), [], "nothing in a month without documents or payments");
    } finally {
      store.close();
    }
  });

  it("zev export kinds open-items and journal: CSV with the documented columns", async () => {
    const { store, invoices } = issued(tmp());
    try {
      payThreeWays(store, invoices);
      const open = await buildExport(store, { communityId: "drei", kind: "open-items", format: "csv", period: "2026-12" });
      const rows = parse(open.buffer.toString("utf8").replace(/^\ufeff/, ""), { delimiter: ";", columns: true }) as Record<string, string>[];
      assert.equal(open.filename, "zev_drei_open-items_2026-12.csv");
      assert.deepEqual(
        rows.map((r) => [r.as_of, r.number, r.payment_status]),
        [
          ["2026-12-31", invoices[1]!.number, "partial"],
          ["2026-12-31", invoices[2]!.number, "overpaid"],
        ],
      );
      const j = await buildExport(store, { communityId: "drei", kind: "journal", format: "csv", period: "2026-12" });
      const head = j.buffer
        .toString("utf8")
        .replace(/^\ufeff/, "")
        .split("\r\n")[0];
      assert.equal(head, "Date;Doc;Description;AccountDebit;AccountCredit;Amount;Currency;VatRate;Kind");
      assert.equal(j.rows, journal(listInvoices(store, "drei"), listPayments(store, "drei"), "2026-12-01", "2026-12-31", ZONE).length);
    } finally {
      store.close();
    }
  });

  it("VAT per rate goes to the VAT account, net to revenue, with prices with and without VAT; a document whose parts miss its total is refused, not booked half", () => {
    const { store, invoices } = issued(tmp());
    try {
      const base = invoices[0]!;
      const withTotals = (totals: InvoiceRecord["snapshot"]["totals"], total: string): InvoiceRecord => ({
        ...base,
        total,
        snapshot: { ...base.snapshot, totals },
      });
      const A = DEFAULT_JOURNAL_ACCOUNTS;
      const excl = documentEntries(
        withTotals(
          {
            linesTotal: "91.40",
            net: "91.40",
            vat: [{ rate: "0.081", net: "91.40", vat: "7.40", gross: "98.80", pricesIncludeVat: false }],
            vatTotal: "7.40",
            gross: "98.80",
            rounding: "0.00",
            total: "98.80",
          },
          "98.80",
        ),
        "2026-12-01",
        A,
      );
      assert.deepEqual(
        excl.map((e) => [e.debit, e.credit, e.amount, e.vatRate]),
        [
          [A.receivables, A.revenue, "91.40", "8.1"],
          [A.receivables, A.vat, "7.40", "8.1"],
        ],
      );
      const incl = documentEntries(
        withTotals(
          {
            linesTotal: "91.43",
            net: "84.58",
            vat: [{ rate: "0.081", net: "84.58", vat: "6.85", gross: "91.43", pricesIncludeVat: true }],
            vatTotal: "6.85",
            gross: "91.43",
            rounding: "0.02",
            total: "91.45",
          },
          "91.45",
        ),
        "2026-12-01",
        A,
      );
      assert.deepEqual(
        incl.map((e) => [e.credit, e.amount]),
        [
          [A.revenue, "84.58"],
          [A.vat, "6.85"],
          [A.revenue, "0.02"],
        ],
      );
      assert.throws(
        () => documentEntries(withTotals(base.snapshot.totals, "100.00"), "2026-12-01", A),
        (e: unknown) => e instanceof JournalError && e.code === "journal.unbalanced" && /add up to 99\.60, its total is 100\.00/.test(e.message),
      );
    } finally {
      store.close();
    }
  });
});
