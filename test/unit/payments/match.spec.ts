import assert from "node:assert/strict";
import { runBilling, cancelInvoice } from "../../../lib/billing/run";
import { assignPayment, importCamt, invoiceViews, paymentViews, PaymentError } from "../../../lib/payments/match";
import { invoicePayment } from "../../../lib/payments/status";
import { auditLog } from "../../../lib/store/audit-repo";
import { getInvoice, listInvoices, markPaid, type InvoiceRecord } from "../../../lib/store/invoice-repo";

import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { buildCamt, type CamtVersion } from "../../support/camt";
import { useTmpDir } from "../../support/tmp";
import { Decimal } from "../../../lib/util/money";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { MIGRATIONS } from "../../../lib/store/migrations";
import { saveCommunity } from "../../../lib/store/community-repo";

const IBAN = "CH93 0076 2011 6238 5295 7";
const QR_IBAN = "CH44 3199 9123 0008 8901 2";
const OTHER_IBAN = "CH56 0483 5012 3456 7800 9";

function issuedStore(dir: string, iban = IBAN): { store: SqliteStore; invoices: InvoiceRecord[] } {
  const def = threeUnitCommunity();
  def.creditor = { ...def.creditor, iban };
  const store = openBillingStore(dir, def);
  fillConsumers(store, "drei", "2026-11");
  fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
  runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
  const invoices = listInvoices(store, "drei");
  assert.equal(invoices.length, 3);
  return { store, invoices };
}

const view = (store: SqliteStore, id: number) => invoiceViews(store, "drei").find((v) => v.id === id)!;

describe("payments: matching camt files to invoices", () => {
  const tmp = useTmpDir();

  it("payment status: open, partial, paid, overpaid with exact amounts (negative open when overpaid)", () => {
    assert.deepEqual(invoicePayment("99.60", "0"), { paymentStatus: "open", paidAmount: "0.00", openAmount: "99.60" });
    assert.deepEqual(invoicePayment("99.60", "50"), { paymentStatus: "partial", paidAmount: "50.00", openAmount: "49.60" });
    assert.deepEqual(invoicePayment("99.60", "99.6"), { paymentStatus: "paid", paidAmount: "99.60", openAmount: "0.00" });
    assert.deepEqual(invoicePayment("99.60", "100.00"), { paymentStatus: "overpaid", paidAmount: "100.00", openAmount: "-0.40" });
    assert.equal(invoicePayment("0.10", "0.20").openAmount, "-0.10");
  });

  for (const version of ["04", "08"] as CamtVersion[]) {
    it(`a QRR payment in a camt.054.001.${version} pays its invoice (QR-IBAN community)`, () => {
      const { store, invoices } = issuedStore(tmp(), QR_IBAN);
      try {
        const inv = invoices[0]!;
        assert.match(inv.reference!, /^\d{27}$/);
        const xml = buildCamt({
          version,
          iban: QR_IBAN,
          entries: [{ amount: inv.total, txs: [{ refType: "QRR", ref: inv.reference!, debtor: "Anna Meier" }] }],
        });
        const r = importCamt(store, xml, { communityId: "drei", fileName: "a.xml", actor: "cli:test" });
        assert.deepEqual([r.payments, r.matched, r.unmatched, r.flagged, r.duplicates], [1, 1, 0, 0, 0]);
        assert.deepEqual(r.paidInvoices, [inv.number]);
        assert.equal(getInvoice(store, inv.id)!.status, "paid");
        assert.deepEqual({ ...view(store, inv.id) }.paymentStatus, "paid");
        const p = paymentViews(store, "drei")[0]!;
        assert.deepEqual(p.invoice, { id: inv.id, number: inv.number });
        assert.equal(p.referenceType, "QRR");
        assert.equal(p.debtorName, "Anna Meier");
      } finally {
        store.close();
      }
    });
  }

  it("a SCOR payment (camt.053) pays its invoice; an ISR-typed 27-digit reference is matched the same way", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const inv = invoices[1]!;
      assert.match(inv.reference!, /^RF\d{2}/);
      const spaced = inv.reference!.replace(/(.{4})/g, "$1 ").trim();
      const r = importCamt(
        store,
        buildCamt({ message: "camt.053", version: "04", iban: IBAN, entries: [{ amount: inv.total, txs: [{ refType: "SCOR", ref: spaced }] }] }),
        { communityId: "drei", fileName: "s.xml", actor: "t" },
      );
      assert.equal(r.matched, 1);
      assert.equal(view(store, inv.id).paymentStatus, "paid");
    } finally {
      store.close();
    }
    const q = issuedStore(tmp() + "/q", QR_IBAN);
    try {
      const inv = q.invoices[2]!;
      const r = importCamt(
        q.store,
        buildCamt({ version: "04", iban: QR_IBAN, entries: [{ amount: "10.00", txs: [{ refType: "ISR", ref: inv.reference! }] }] }),
        { communityId: "drei", fileName: "i.xml", actor: "t" },
      );
      assert.equal(r.matched, 1);
      assert.equal(paymentViews(q.store, "drei")[0]!.referenceType, "ISR");
      assert.equal(view(q.store, inv.id).paymentStatus, "partial");
    } finally {
      q.store.close();
    }
  });

  it("partial, then the rest, then a double payment: partial -> paid -> overpaid with a negative open amount", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const inv = invoices[0]!; // 99.60
      const pay = (amount: string, ref: string) =>
        buildCamt({ iban: IBAN, msgId: ref, entries: [{ amount, acctSvcrRef: ref, txs: [{ refType: "SCOR", ref: inv.reference! }] }] });
      importCamt(store, pay("40.00", "A"), { communityId: "drei", fileName: "1.xml", actor: "t" });
      assert.deepEqual(
        { s: view(store, inv.id).paymentStatus, p: view(store, inv.id).paidAmount, o: view(store, inv.id).openAmount },
        { s: "partial", p: "40.00", o: "59.60" },
      );
      assert.equal(getInvoice(store, inv.id)!.status, "issued");
      importCamt(store, pay("59.60", "B"), { communityId: "drei", fileName: "2.xml", actor: "t" });
      assert.equal(view(store, inv.id).paymentStatus, "paid");
      assert.equal(getInvoice(store, inv.id)!.status, "paid");
      importCamt(store, pay("99.60", "C"), { communityId: "drei", fileName: "3.xml", actor: "t" });
      assert.deepEqual(
        { s: view(store, inv.id).paymentStatus, p: view(store, inv.id).paidAmount, o: view(store, inv.id).openAmount },
        { s: "overpaid", p: "199.20", o: "-99.60" },
      );
    } finally {
      store.close();
    }
  });

  it("importing the same file twice books nothing twice; the 053 of the same bookings adds nothing either", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const spec = {
        iban: IBAN,
        entries: [
          {
            amount: "150.00",
            acctSvcrRef: "E1",
            txs: [
              { amount: "50.00", acctSvcrRef: "T1", refType: "SCOR" as const, ref: invoices[0]!.reference! },
              { amount: "100.00", acctSvcrRef: "T2", refType: "SCOR" as const, ref: invoices[1]!.reference! },
            ],
          },
        ],
      };
      const first = importCamt(store, buildCamt(spec), { communityId: "drei", fileName: "n.xml", actor: "t" });
      assert.deepEqual([first.payments, first.matched, first.duplicates], [2, 2, 0]);
      const again = importCamt(store, buildCamt(spec), { communityId: "drei", fileName: "n.xml", actor: "t" });
      assert.deepEqual([again.payments, again.matched, again.duplicates], [2, 0, 2]);
      const statement = importCamt(store, buildCamt({ ...spec, message: "camt.053", version: "04", msgId: "S" }), {
        communityId: "drei",
        fileName: "s.xml",
        actor: "t",
      });
      assert.equal(statement.duplicates, 2);
      assert.equal(paymentViews(store, "drei").length, 2);
      assert.equal(view(store, invoices[0]!.id).paidAmount, "50.00");
    } finally {
      store.close();
    }
  });

  it("a statement's batch total without details, then the notification with its transactions: booked once, as the transactions", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const total = new Decimal(invoices[0]!.total).plus(invoices[1]!.total).toFixed(2);
      const summary = importCamt(
        store,
        buildCamt({ message: "camt.053", version: "04", iban: IBAN, msgId: "S", entries: [{ amount: total, acctSvcrRef: "B1" }] }),
        { communityId: "drei", fileName: "s.xml", actor: "t" },
      );
      assert.deepEqual([summary.payments, summary.unmatched], [1, 1]);
      const details = buildCamt({
        iban: IBAN,
        entries: [
          {
            amount: total,
            acctSvcrRef: "B1",
            txs: [
              { amount: invoices[0]!.total, acctSvcrRef: "T1", refType: "SCOR", ref: invoices[0]!.reference! },
              { amount: invoices[1]!.total, acctSvcrRef: "T2", refType: "SCOR", ref: invoices[1]!.reference! },
            ],
          },
        ],
      });
      const r = importCamt(store, details, { communityId: "drei", fileName: "n.xml", actor: "t" });
      assert.deepEqual([r.matched, r.replaced, r.duplicates], [2, 1, 0]);
      const all = paymentViews(store, "drei");
      assert.equal(all.length, 2);
      assert.ok(all.every((p) => p.state === "matched"));
      // and the statement once more: nothing
      const again = importCamt(
        store,
        buildCamt({ message: "camt.053", version: "04", iban: IBAN, msgId: "S", entries: [{ amount: total, acctSvcrRef: "B1" }] }),
        { communityId: "drei", fileName: "s.xml", actor: "t" },
      );
      assert.deepEqual([again.duplicates, again.unmatched], [1, 0]);
      assert.equal(paymentViews(store, "drei").length, 2);
    } finally {
      store.close();
    }
  });

  it("a batch total assigned by hand is not booked again when its transactions arrive (warning)", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      importCamt(store, buildCamt({ message: "camt.053", iban: IBAN, entries: [{ amount: invoices[0]!.total, acctSvcrRef: "B1" }] }), {
        communityId: "drei",
        fileName: "s.xml",
        actor: "t",
      });
      assignPayment(store, { communityId: "drei", paymentId: paymentViews(store, "drei")[0]!.id, invoice: invoices[0]!.number!, actor: "t" });
      const r = importCamt(
        store,
        buildCamt({
          iban: IBAN,
          entries: [{ amount: invoices[0]!.total, acctSvcrRef: "B1", txs: [{ acctSvcrRef: "T1", refType: "SCOR", ref: invoices[0]!.reference! }] }],
        }),
        { communityId: "drei", fileName: "n.xml", actor: "t" },
      );
      assert.deepEqual([r.matched, r.duplicates], [0, 1]);
      assert.equal(r.warnings[0]!.code, "payments.summaryBooked");
      assert.equal(view(store, invoices[0]!.id).paidAmount, invoices[0]!.total);
    } finally {
      store.close();
    }
  });

  it("a dry run reports what would be booked and writes nothing", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const r = importCamt(
        store,
        buildCamt({ iban: IBAN, entries: [{ amount: invoices[0]!.total, txs: [{ refType: "SCOR", ref: invoices[0]!.reference! }] }] }),
        { communityId: "drei", fileName: "d.xml", actor: "t", dryRun: true },
      );
      assert.equal(r.matched, 1);
      assert.equal(paymentViews(store, "drei").length, 0);
      assert.equal(getInvoice(store, invoices[0]!.id)!.status, "issued");
    } finally {
      store.close();
    }
  });

  it("unknown references, no reference and debit entries: unmatched or not booked at all", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const r = importCamt(
        store,
        buildCamt({
          iban: IBAN,
          entries: [
            { amount: "10", txs: [{ refType: "SCOR", ref: "RF18539007547034" }] },
            { amount: "20" },
            { amount: "30", creditDebit: "DBIT", txs: [{ refType: "SCOR", ref: invoices[0]!.reference! }] },
          ],
        }),
        { communityId: "drei", fileName: "u.xml", actor: "t" },
      );
      assert.deepEqual([r.entries, r.payments, r.matched, r.unmatched, r.skipped.debit], [3, 2, 0, 2, 1]);
      assert.ok(paymentViews(store, "drei").every((p) => p.invoice === null && p.state === "unmatched"));
      assert.equal(view(store, invoices[0]!.id).paymentStatus, "open");
    } finally {
      store.close();
    }
  });

  it("a file for another account is imported unmatched with a warning, never matched, and cannot be assigned", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const r = importCamt(
        store,
        buildCamt({ iban: OTHER_IBAN, entries: [{ amount: invoices[0]!.total, txs: [{ refType: "SCOR", ref: invoices[0]!.reference! }] }] }),
        { communityId: "drei", fileName: "o.xml", actor: "t" },
      );
      assert.deepEqual([r.matched, r.unmatched], [0, 1]);
      assert.equal(r.warnings[0]!.code, "payments.foreignAccount");
      const p = paymentViews(store, "drei")[0]!;
      assert.deepEqual([p.invoice, p.flag], [null, "foreign-account"]);
      assert.equal(view(store, invoices[0]!.id).paymentStatus, "open");
      assert.throws(
        () => assignPayment(store, { communityId: "drei", paymentId: p.id, invoice: invoices[0]!.number!, actor: "t" }),
        (e: unknown) => e instanceof PaymentError && e.code === "payments.foreignAccount",
      );
    } finally {
      store.close();
    }
  });

  it("with the account's IBAN given (--account) a QR-IBAN community's file is its own", () => {
    const { store, invoices } = issuedStore(tmp(), QR_IBAN);
    try {
      const xml = buildCamt({ iban: OTHER_IBAN, entries: [{ amount: invoices[0]!.total, txs: [{ refType: "QRR", ref: invoices[0]!.reference! }] }] });
      const r = importCamt(store, xml, { communityId: "drei", fileName: "o.xml", actor: "t", accounts: [OTHER_IBAN] });
      assert.equal(r.matched, 1);
    } finally {
      store.close();
    }
  });

  it("a payment for a cancelled invoice is flagged, not booked; it can be assigned to the corrected invoice by hand, audited", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const inv = invoices[0]!;
      cancelInvoice(store, inv.id, "t", "wrong meter", "2026-12-02");
      const r = importCamt(store, buildCamt({ iban: IBAN, entries: [{ amount: inv.total, txs: [{ refType: "SCOR", ref: inv.reference! }] }] }), {
        communityId: "drei",
        fileName: "c.xml",
        actor: "t",
      });
      assert.deepEqual([r.matched, r.flagged], [0, 1]);
      const p = paymentViews(store, "drei")[0]!;
      assert.equal(p.state, "flagged");
      assert.equal(p.flag, "cancelled-invoice");
      assert.equal(p.invoice, null);
      assert.deepEqual(p.flaggedInvoice, { id: inv.id, number: inv.number });
      assert.equal(view(store, inv.id).paymentStatus, null);
      // a cancelled invoice cannot take it; another issued one can
      assert.throws(
        () => assignPayment(store, { communityId: "drei", paymentId: p.id, invoice: inv.number!, actor: "t" }),
        (e: unknown) => e instanceof PaymentError && e.code === "payments.notPayable",
      );
      const target = invoices[1]!;
      const done = assignPayment(store, {
        communityId: "drei",
        paymentId: p.id,
        invoice: target.number!,
        actor: "user:erika",
        note: "Anna paid the old invoice",
      });
      assert.equal(done.state, "assigned");
      assert.equal(view(store, target.id).paidAmount, inv.total);
      const entry = auditLog(store, "drei").find((a) => a.action === "payment.assigned")!;
      assert.equal(entry.actor, "user:erika");
      assert.equal((entry.details as { invoice: string }).invoice, target.number);
      assert.throws(
        () => assignPayment(store, { communityId: "drei", paymentId: p.id, invoice: target.number!, actor: "t" }),
        (e: unknown) => e instanceof PaymentError && e.code === "payments.alreadyBooked",
      );
    } finally {
      store.close();
    }
  });

  it("an unmatched payment is assigned by invoice id or number; an import is audited with its counts and actor", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      importCamt(store, buildCamt({ iban: IBAN, entries: [{ amount: invoices[2]!.total }] }), { communityId: "drei", fileName: "x.xml", actor: "cli:erika" });
      const imp = auditLog(store, "drei").find((a) => a.action === "payments.imported")!;
      assert.equal(imp.actor, "cli:erika");
      assert.equal((imp.details as { unmatched: number }).unmatched, 1);
      const p = paymentViews(store, "drei")[0]!;
      assignPayment(store, { communityId: "drei", paymentId: p.id, invoice: String(invoices[2]!.id), actor: "t" });
      assert.equal(view(store, invoices[2]!.id).paymentStatus, "paid");
      assert.equal(getInvoice(store, invoices[2]!.id)!.status, "paid");
    } finally {
      store.close();
    }
  });

  it("marking an invoice paid by hand records a manual payment of the open amount with its note", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const inv = invoices[0]!;
      importCamt(store, buildCamt({ iban: IBAN, entries: [{ amount: "40.00", txs: [{ refType: "SCOR", ref: inv.reference! }] }] }), {
        communityId: "drei",
        fileName: "p.xml",
        actor: "t",
      });
      markPaid(store, inv.id, "cli:erika", Date.now(), { note: "rest in cash", date: "2026-12-10" });
      const manual = paymentViews(store, "drei").find((p) => p.source === "manual")!;
      assert.deepEqual([manual.amount, manual.note, manual.state, manual.bookingDate], ["59.60", "rest in cash", "manual", "2026-12-10"]);
      assert.equal(view(store, inv.id).paymentStatus, "paid");
      assert.equal(getInvoice(store, inv.id)!.status, "paid");
    } finally {
      store.close();
    }
  });

  it("a payment in another currency than the invoice is flagged", () => {
    const { store, invoices } = issuedStore(tmp());
    try {
      const r = importCamt(
        store,
        buildCamt({ iban: IBAN, entries: [{ amount: "99.60", currency: "EUR", txs: [{ refType: "SCOR", ref: invoices[0]!.reference! }] }] }),
        { communityId: "drei", fileName: "e.xml", actor: "t" },
      );
      assert.equal(r.flagged, 1);
      assert.equal(paymentViews(store, "drei")[0]!.flag, "currency");
    } finally {
      store.close();
    }
  });
});

describe("payments: migration 7", () => {
  const tmp = useTmpDir();

  it("an invoice marked paid before payments existed becomes a manual payment of its total: still paid", () => {
    const def = threeUnitCommunity();
    const file = `${tmp()}/old.sqlite`;
    const old = SqliteStore.open(file, { migrations: MIGRATIONS.filter((m) => m.version <= 5) });
    saveCommunity(old, def, { source: "test", actor: "test" });
    fillConsumers(old, "drei", "2026-11");
    runBilling(old, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test", force: true });
    const first = listInvoices(old, "drei")[0]!;
    old.db.prepare("UPDATE invoices SET status = 'paid', paid_ms = ? WHERE id = ?").run(Date.UTC(2026, 11, 20), first.id);
    old.close();
    const store = SqliteStore.open(file);
    try {
      assert.ok(store.schemaVersion() >= 7, "migrated past version 7");
      const p = paymentViews(store, "drei");
      assert.equal(p.length, 1);
      assert.deepEqual([p[0]!.source, p[0]!.amount, p[0]!.bookingDate, p[0]!.invoice?.id], ["manual", first.total, "2026-12-20", first.id]);
      const v = invoiceViews(store, "drei");
      assert.deepEqual(
        v.map((x) => x.paymentStatus),
        ["paid", "open", "open"],
      );
    } finally {
      store.close();
    }
  });
});
