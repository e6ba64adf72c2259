import assert from "node:assert/strict";
import { after, before, describe, it } from "mocha";
import { AdvanceError, issueAdvances, proposeAdvances, setAdvancePlan } from "../../../lib/billing/advances";
import { listCorrections } from "../../../lib/billing/corrections";
import { runBilling } from "../../../lib/billing/run";
import { issueStatements, type StatementOutcome } from "../../../lib/billing/statement";
import type { CommunityDefinition } from "../../../lib/community/types";
import { journal, openItems } from "../../../lib/payments/accounting";
import { Decimal } from "../../../lib/util/money";
import { importCamt, invoiceViews } from "../../../lib/payments/match";
import { getInvoice, listInvoices, type InvoiceRecord } from "../../../lib/store/invoice-repo";
import { saveAdvancePlan } from "../../../lib/store/advance-repo";
import { listPayments } from "../../../lib/store/payment-repo";
import type { SqliteStore } from "../../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { buildCamt } from "../../support/camt";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * One year (2027) of a VAT-registered ZEV, checked by hand to the Rappen.
 *
 * Tariff (SIMPLE_PLAN, valid from 2026-01-01, prices without VAT): grid 0.30/kWh, base fee 5.00 and metering fee
 * 3.50 per month. VAT 8.1 %. No solar production (pv 0 Wh), so every kWh is grid. Common area 40 Wh per quarter
 * hour, split by floor area: unit 1 100 m², unit 2 200 m², unit 3 100 m² (400 m²).
 *
 * 2027 has 365 days = 35'040 quarter hours (the DST days 92 + 100 cancel out); 1 Jan to 30 Jun 2027 has 181 days
 * = 17'376 - 4 (28 March has 92) = 17'372 quarter hours.
 */
const YEAR = 2027;
const ADVANCE_T1 = "110.00";
const ADVANCE_T2 = "250.00";

// t1 (unit 1, 100 Wh per quarter hour, the whole year):
//   grid         35'040 × 0.1 kWh = 3'504.000 kWh × 0.30 = 1'051.20
//   common-grid  35'040 × 0.04 kWh = 1'401.600 kWh × 100/400 = 350.400 kWh × 0.30 = 105.12
//   base fee     12 × 5.00 = 60.00;  metering fee  12 × 3.50 = 42.00
//   lines 1'258.32; VAT 8.1 % of 1'258.32 = 101.92392 -> 101.92; gross 1'360.24; total 1'360.25 (rounding +0.01)
const T1 = { grid: "1051.20", common: "105.12", base: "60.00", metering: "42.00", net: "1258.32", vat: "101.92", gross: "1360.24", total: "1360.25" };
// Each advance of 110.00 includes VAT: 110 × 0.081 / 1.081 = 8.2424 -> 8.24, net 101.76.
// January to November paid by camt (11 × 110.00 = 1'210.00), December not paid.
// Statement: net 1'258.32 - 11 × 101.76 = 138.96; VAT 101.92 - 11 × 8.24 = 11.28; gross 1'360.24 - 1'210.00 = 150.24;
// balance 150.25 (rounding +0.01), payable with a QR bill. December's advance: not deducted, cancelled by a credit note.
const T1_STATEMENT = { net: "138.96", vat: "11.28", gross: "150.24", rounding: "0.01", balance: "150.25", deducted: "1210.00" };

// t2 (unit 2, 200 Wh per quarter hour) moves out on 30 June 2027:
//   grid         17'372 × 0.2 = 3'474.400 kWh × 0.30 = 1'042.32
//   common-grid  17'372 × 0.04 = 694.880 kWh × 200/400 = 347.440 kWh × 0.30 = 104.232 -> 104.23
//   base fee 6 × 5.00 = 30.00; metering fee 6 × 3.50 = 21.00
//   lines 1'197.55; VAT 97.00155 -> 97.00; gross 1'294.55; total 1'294.55
// Six advances of 250.00 (VAT 250 × 0.081 / 1.081 = 18.7327 -> 18.73, net 231.27), all paid: 1'500.00.
// Statement: net 1'197.55 - 6 × 231.27 = -190.07; VAT 97.00 - 6 × 18.73 = -15.38; gross -205.45: a credit of 205.45.
const T2_STATEMENT = { yearTotal: "1294.55", net: "-190.07", vat: "-15.38", balance: "-205.45", deducted: "1500.00" };

function vatCommunity(): CommunityDefinition {
  const def = threeUnitCommunity();
  return {
    ...def,
    creditor: { ...def.creditor, vatRegistered: true, vatNumber: "CHE-123.456.789 MWST" },
    tenancies: def.tenancies.map((t) => (t.id === "t2" ? { ...t, to: "2027-06-30" } : t)),
  };
}

function payByCamt(store: SqliteStore, advances: InvoiceRecord[], file: string): void {
  const xml = buildCamt({
    iban: "CH9300762011623852957",
    entries: advances.map((a, i) => ({
      amount: a.total,
      bookingDate: a.snapshot.invoiceDate!,
      acctSvcrRef: `${file}-${i}`,
      txs: [{ refType: "SCOR", ref: a.reference!, debtor: a.snapshot.recipient.name }],
    })),
  });
  const r = importCamt(store, xml, { communityId: "drei", fileName: file, actor: "test" });
  assert.equal(r.matched, advances.length, JSON.stringify(r));
}

describe("advance payments and the annual statement (lib/billing/advances, statement)", function () {
  this.timeout(120_000);
  // One store for the whole year: the tests follow each other through it.
  const dir = mkdtempSync(join(tmpdir(), "zev-advances-"));
  let store: SqliteStore;
  const advancesOf = (tenancy: string): InvoiceRecord[] =>
    listInvoices(store, "drei").filter((r) => r.tenancyKey === tenancy && r.snapshot.advance && r.kind === "invoice");

  before(() => {
    store = openBillingStore(dir, vatCommunity());
    fillConsumers(store, "drei", String(YEAR));
    fillMeter(store, "drei", "pv", String(YEAR), () => 0);
    setAdvancePlan(store, { communityId: "drei", tenancyId: "t1", year: YEAR, rhythm: "monthly", amount: "110", actor: "test" });
    setAdvancePlan(store, { communityId: "drei", tenancyId: "t2", year: YEAR, rhythm: "monthly", amount: "250", actor: "test" });
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("issues a month's advances with gapless numbers, a SCOR reference and the VAT included", () => {
    const out = issueAdvances(store, { communityId: "drei", period: "2027-01", invoiceDate: "2027-01-01", actor: "test" });
    assert.deepEqual(
      out.map((o) => [o.tenancyId, o.action, o.number, o.total]),
      [
        ["t1", "issued", "2027-0001", ADVANCE_T1],
        ["t2", "issued", "2027-0002", ADVANCE_T2],
      ],
    );
    const a = out[0]!.record!;
    assert.match(a.reference!, /^RF\d\d/);
    assert.equal(a.snapshot.lines[0]!.label, "Akontozahlung Januar 2027");
    assert.deepEqual(a.snapshot.totals.vat, [{ rate: "0.081", net: "101.76", vat: "8.24", gross: "110.00", pricesIncludeVat: true }]);
    assert.equal(a.snapshot.dueDate, "2027-01-31");
  });

  it("issues a period's advances once: a second run skips them", () => {
    const again = issueAdvances(store, { communityId: "drei", period: "2027-01", invoiceDate: "2027-01-02", actor: "test" });
    assert.deepEqual(
      again.map((o) => o.action),
      ["skipped", "skipped"],
    );
  });

  it("refuses periodic invoices for a tenancy billed by advances, and advances for one billed periodically", () => {
    const run = runBilling(store, { communityId: "drei", period: "2027-01", mode: "issue", invoiceDate: "2027-02-01", actor: "test" });
    const by = new Map(run.invoices.map((r) => [r.tenancyKey, r]));
    assert.equal(by.get("t1")!.action, "skipped");
    assert.match(by.get("t1")!.reason!, /billed by advance payments and an annual statement in 2027/);
    assert.equal(by.get("t2")!.action, "skipped");
    // t3 is billed periodically: its January invoice takes the next number of the same sequence.
    assert.equal(by.get("t3")!.action, "issued");
    assert.equal(by.get("t3")!.number, "2027-0003");
    assert.throws(
      () => setAdvancePlan(store, { communityId: "drei", tenancyId: "t3", year: YEAR, rhythm: "monthly", amount: "100", actor: "test" }),
      (e: unknown) => e instanceof AdvanceError && e.code === "advances.mixed" && /2027-0003/.test(e.message),
    );
  });

  it("skips a move-out's advances after the tenancy ended, and numbers the rest without gaps", () => {
    for (let m = 2; m <= 12; m++) {
      const p = `2027-${String(m).padStart(2, "0")}`;
      const out = issueAdvances(store, { communityId: "drei", period: p, invoiceDate: `${p}-01`, actor: "test" });
      const t2 = out.find((o) => o.tenancyId === "t2")!;
      assert.equal(t2.action, m <= 6 ? "issued" : "skipped", `${p}: ${t2.reason}`);
    }
    assert.equal(advancesOf("t1").length, 12);
    assert.equal(advancesOf("t2").length, 6);
    const numbers = listInvoices(store, "drei")
      .map((r) => r.number!)
      .sort();
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => `2027-${String(i + 1).padStart(4, "0")}`),
    );
  });

  it("matches a camt payment of an advance by its reference, and lists the unpaid advance as open", () => {
    payByCamt(store, advancesOf("t1").slice(0, 11), "camt-t1.xml");
    payByCamt(store, advancesOf("t2"), "camt-t2.xml");
    const dec = advancesOf("t1")[11]!;
    assert.equal(getInvoice(store, advancesOf("t1")[0]!.id)!.status, "paid");
    const views = invoiceViews(store, "drei");
    assert.equal(views.find((v) => v.id === dec.id)!.paymentStatus, "open");
    const open = openItems(listInvoices(store, "drei"), listPayments(store, "drei"), "2027-12-31", "Europe/Zurich");
    assert.deepEqual(
      open.filter((o) => o.invoice.snapshot.advance).map((o) => [o.invoice.number, o.open]),
      [[dec.number, ADVANCE_T1]],
    );
  });

  let t1: StatementOutcome;
  let t2: StatementOutcome;

  it("gives a move-out its statement after the tenancy's last day, and the others only after the year", () => {
    const july = issueStatements(store, { communityId: "drei", year: YEAR, invoiceDate: "2027-07-05", actor: "test" });
    t2 = july.find((o) => o.tenancyId === "t2")!;
    assert.equal(t2.action, "issued", t2.reason);
    const early = july.find((o) => o.tenancyId === "t1")!;
    assert.equal(early.action, "skipped");
    assert.match(early.reason!, /ends on 2027-12-31/);
  });

  it("credits a move-out's overpaid advances: the balance is negative, with no QR bill to pay", () => {
    const s = t2.record!.snapshot;
    assert.equal(s.period.from, "2027-01-01");
    assert.equal(s.period.to, "2027-06-30");
    assert.equal(s.statement!.yearTotals.total, T2_STATEMENT.yearTotal);
    assert.equal(s.statement!.deducted, T2_STATEMENT.deducted);
    assert.equal(s.totals.net, T2_STATEMENT.net);
    assert.equal(s.totals.vatTotal, T2_STATEMENT.vat);
    assert.equal(s.totals.total, T2_STATEMENT.balance);
    assert.equal(t2.record!.total, T2_STATEMENT.balance);
    assert.equal(invoiceViews(store, "drei").find((v) => v.id === t2.record!.id)!.openAmount, T2_STATEMENT.balance);
  });

  it("bills the year exactly as the engine does, minus the advances paid in full, to the Rappen", () => {
    const out = issueStatements(store, { communityId: "drei", year: YEAR, invoiceDate: "2028-01-10", actor: "test" });
    t1 = out.find((o) => o.tenancyId === "t1")!;
    assert.equal(t1.action, "issued", t1.reason);
    assert.equal(out.find((o) => o.tenancyId === "t2")!.action, "skipped");
    const s = t1.record!.snapshot;
    const amount = (kind: string): string | undefined => s.lines.find((l) => l.kind === kind)?.amount;
    assert.deepEqual(
      { grid: amount("grid"), common: amount("common-grid"), base: amount("base-fee"), metering: amount("metering-fee") },
      { grid: T1.grid, common: T1.common, base: T1.base, metering: T1.metering },
    );
    const y = s.statement!.yearTotals;
    assert.deepEqual({ net: y.net, vat: y.vatTotal, gross: y.gross, total: y.total }, { net: T1.net, vat: T1.vat, gross: T1.gross, total: T1.total });
    assert.equal(s.statement!.deducted, T1_STATEMENT.deducted);
    assert.deepEqual(
      { net: s.totals.net, vat: s.totals.vatTotal, gross: s.totals.gross, rounding: s.totals.rounding, balance: s.totals.total },
      { net: T1_STATEMENT.net, vat: T1_STATEMENT.vat, gross: T1_STATEMENT.gross, rounding: T1_STATEMENT.rounding, balance: T1_STATEMENT.balance },
    );
    assert.equal(t1.record!.total, T1_STATEMENT.balance);
    // The credit note of the unpaid advance (below) is numbered first, in the same transaction.
    assert.equal(t1.number, "2028-0002");
  });

  it("does not deduct the unpaid advance: it is listed and cancelled by a credit note, so nothing is owed twice", () => {
    const rows = t1.record!.snapshot.statement!.advances;
    assert.equal(rows.length, 12);
    assert.equal(rows.filter((r) => r.state === "paid").length, 11);
    const dec = rows[11]!;
    assert.equal(dec.state, "unpaid");
    assert.equal(dec.deducted, "0.00");
    assert.equal(dec.creditNote, "2028-0001");
    const decRec = getInvoice(store, dec.id)!;
    assert.equal(decRec.status, "cancelled");
    // What the tenant owes at the start of 2028: the statement's balance, nothing else.
    const open = openItems(listInvoices(store, "drei"), listPayments(store, "drei"), "2028-01-31", "Europe/Zurich").filter(
      (o) => o.invoice.tenancyKey === "t1",
    );
    assert.deepEqual(
      open.map((o) => [o.invoice.number, o.open]),
      [[t1.number, T1_STATEMENT.balance]],
    );
  });

  it("books the year's VAT to the Rappen across the advances, the credit note and the statement (journal)", () => {
    const docs = listInvoices(store, "drei").filter((r) => r.tenancyKey === "t1");
    const entries = journal(docs, listPayments(store, "drei"), "2027-01-01", "2028-12-31", "Europe/Zurich").filter((e) => e.kind !== "payment");
    const net = (account: string): string =>
      entries.reduce((sum, e) => (e.credit === account ? sum.plus(e.amount) : e.debit === account ? sum.minus(e.amount) : sum), new Decimal(0)).toFixed(2);
    // VAT: 11 × 8.24 on the advances paid + 11.28 on the statement = 101.92, the year's VAT (December's 8.24 reversed by its credit note).
    assert.equal(net("2200"), T1.vat);
    // Revenue: the year's net 1'258.32 and the statement's rounding 0.01.
    assert.equal(net("3200"), "1258.33");
  });

  it("does not offer advances or statements for correction as if they were periodic invoices", () => {
    assert.deepEqual(
      listCorrections(store, "drei").map((c) => c.number),
      [],
    );
  });

  it("issues a tenancy's statement once", () => {
    const again = issueStatements(store, { communityId: "drei", year: YEAR, invoiceDate: "2028-01-11", actor: "test", tenancyId: "t1" });
    assert.equal(again[0]!.action, "skipped");
  });

  it("proposes next year's advances from this year's bill at the new prices, per advance rounded to 5 CHF", () => {
    const p = proposeAdvances(store, "drei", YEAR + 1);
    const t1p = p.find((x) => x.tenancyId === "t1")!;
    // 2027's statement lines repriced at the same plan: 1'258.32 + 8.1 % = 1'360.24152; 2028 has 366 days:
    // × 366 / 365 = 1'363.9682; / 12 = 113.66 -> 115.00.
    assert.equal(t1p.basis!.repriced, "1360.24");
    assert.equal(t1p.yearEstimate, "1363.97");
    assert.equal(t1p.amount, "115.00");
    // t2 has no day in 2028; t3's periodic January 2027 invoice is its basis.
    assert.equal(
      p.find((x) => x.tenancyId === "t2"),
      undefined,
    );
    assert.equal(p.find((x) => x.tenancyId === "t3")!.basis!.billedDays, 31);
  });

  it("refuses an advance that could not be printed before its number is taken: the sequence stays gapless", () => {
    const other = mkdtempSync(join(tmpdir(), "zev-advances-refused-"));
    const s2 = openBillingStore(other, threeUnitCommunity());
    try {
      // An amount above the QR bill's 999'999'999.99, stored past setAdvancePlan's check: the payment part cannot be made.
      saveAdvancePlan(s2, { communityId: "drei", tenancyId: "t1", year: YEAR, rhythm: "monthly", amount: "1000000000.00", setBy: "test" });
      setAdvancePlan(s2, { communityId: "drei", tenancyId: "t2", year: YEAR, rhythm: "monthly", amount: "100", actor: "test" });
      const out = issueAdvances(s2, { communityId: "drei", period: "2027-03", invoiceDate: "2027-03-01", actor: "test" });
      assert.equal(out[0]!.action, "refused");
      assert.ok(out[0]!.problems!.some((p) => p.path === "totals.total"));
      assert.equal(out[1]!.number, "2027-0001");
      assert.deepEqual(
        listInvoices(s2, "drei").map((r) => r.number),
        ["2027-0001"],
      );
    } finally {
      s2.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
