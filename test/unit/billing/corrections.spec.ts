import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../../bin/cli";
import { applyCorrections, listCorrections } from "../../../lib/billing/corrections";
import { runBilling } from "../../../lib/billing/run";
import { parseLoadProfileCsv } from "../../../lib/readings/intervals/load-profile-csv";
import { importLoadProfile } from "../../../lib/readings/intervals/load-profile-import";
import { auditLog } from "../../../lib/store/audit-repo";
import { getInvoice, listInvoices } from "../../../lib/store/invoice-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { parsePeriod } from "../../../lib/time/periods";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/*
 * November 2026 billed with unit 1's meter estimated on 1 November (100 Wh
 * per quarter hour, as every other day); the operator then delivers true values for 1 November (150 Wh per
 * quarter hour): +50 Wh x 96 = +4.800 kWh, all grid energy at 0.30 CHF:
 * the grid line goes from 288 x 0.30 = 86.40 to 292.8 x 0.30 = 87.84; with
 * base and metering fee (8.50) the total goes from 94.90 to 96.34, rounded
 * to 0.05 for CHF: 96.35, a difference of +1.45 CHF (not VAT-registered,
 * no solar).
 */
describe("lib/billing corrections of issued invoices", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  let db: string;
  beforeEach(() => {
    store = openBillingStore(tmp(), threeUnitCommunity());
    db = join(tmp(), "billing.sqlite");
    for (const [m, wh] of [
      ["pv", 0],
      ["grid", 400],
      ["common", 0],
      ["unit-2", 200],
      ["unit-3", 100],
      ["charger-1", 0],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
    // 1 November estimated: 1 day of 30, coverage 96.7 %, billed without force
    fillMeter(store, "drei", "unit-1", "2026-11-01..2026-11-01", () => 100, "estimated");
    const run = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
    assert.equal(run.stopped, false, run.stopReason);
  });
  afterEach(() => store.close());

  const trueValuesForNovemberFirst = (): void => {
    const lines = ["Messpunkt;Datum;Strombezug [kWh];Stromeinspeisung [kWh];Messdatengüte"];
    const p = parsePeriod("2026-11-01..2026-11-01");
    for (let t = p.startMs; t < p.endMs; t += 900_000) lines.push(`unit-1;${new Date(t).toISOString().replace(".000Z", "Z")};0,150;0,000;W`);
    const res = importLoadProfile(store, "drei", parseLoadProfileCsv(lines.join("\n"), { fileName: "bkw.csv" }), {
      actor: "test",
      source: "file:bkw.csv",
      fileName: "bkw.csv",
    });
    assert.equal(res.merge!.series[0]!.replaced, 96);
  };
  const anna = () => listInvoices(store, "drei").find((r) => r.tenancyKey === "t1" && r.kind === "invoice")!;

  it("lists nothing while the data agree with the issued invoices", () => {
    assert.deepEqual(listCorrections(store, "drei"), []);
  });

  it("lists an invoice whose estimated intervals were replaced by true values, with the exact difference in kWh and CHF, and changes nothing", () => {
    trueValuesForNovemberFirst();
    const before = { invoices: JSON.stringify(listInvoices(store, "drei")), audit: auditLog(store, "drei", 100000).length };
    const list = listCorrections(store, "drei", { period: "2026-11" });
    assert.equal(list.length, 1);
    const c = list[0]!;
    const issued = anna();
    assert.equal(c.number, issued.number);
    assert.equal(c.tenancyKey, "t1");
    assert.deepEqual(c.blockers, []);
    assert.equal(c.difference.issuedKWh, "288.000");
    assert.equal(c.difference.nowKWh, "292.800");
    assert.equal(c.difference.kWh, "+4.800");
    assert.equal(c.difference.amount, "+1.45");
    assert.equal(c.difference.issuedTotal, "94.90");
    assert.equal(issued.total, "94.90");
    assert.equal(c.difference.nowTotal, "96.35");
    assert.deepEqual(
      c.recomputed.lines.filter((l) => l.kind === "grid").map((l) => [l.quantity, l.amount]),
      [["292.800", "87.84"]],
    );
    // without --period: the periods of the issued invoices
    assert.deepEqual(
      listCorrections(store, "drei").map((x) => [x.number, x.difference.amount]),
      [[issued.number, "+1.45"]],
    );
    assert.deepEqual({ invoices: JSON.stringify(listInvoices(store, "drei")), audit: auditLog(store, "drei", 100000).length }, before);
  });

  it("--apply cancels the invoice with a credit note and issues the recomputed one, in the audit log", () => {
    trueValuesForNovemberFirst();
    const issued = anna();
    const [c] = listCorrections(store, "drei");
    const { outcomes } = applyCorrections(store, "drei", { invoiceDate: "2026-12-15", actor: "test" });
    assert.equal(outcomes.length, 1);
    const o = outcomes[0]!;
    assert.equal(o.action, "corrected");
    assert.equal(getInvoice(store, issued.id)!.status, "cancelled");
    const credit = getInvoice(store, o.creditNote!.id)!;
    assert.equal(credit.kind, "credit-note");
    assert.equal(credit.total, (-Number(issued.total)).toFixed(2));
    const fresh = getInvoice(store, o.invoice!.id)!;
    assert.equal(fresh.status, "issued");
    assert.equal(fresh.total, c!.difference.nowTotal);
    assert.equal(fresh.total, "96.35");
    assert.equal(fresh.snapshot.energy.totalKWh, "292.800");
    assert.equal(fresh.snapshot.invoiceDate, "2026-12-15");
    assert.ok(auditLog(store, "drei").some((a) => a.action === "invoice.corrected" && a.entityId === String(issued.id)));
    // corrected: nothing left to correct, and a second apply does nothing
    assert.deepEqual(listCorrections(store, "drei"), []);
    assert.deepEqual(applyCorrections(store, "drei", { actor: "test" }).outcomes, []);
  });

  it("refuses the correction when the data coverage is below the threshold: no credit note, no number taken", () => {
    trueValuesForNovemberFirst();
    // a week of unit 2 lost: coverage below 95 %
    const p = parsePeriod("2026-11-10..2026-11-16");
    store.db
      .prepare("DELETE FROM intervals WHERE meter_id = (SELECT id FROM meters WHERE meter_key = 'unit-2') AND start_ms >= ? AND start_ms < ?")
      .run(p.startMs, p.endMs);
    const count = listInvoices(store, "drei").length;
    const { outcomes } = applyCorrections(store, "drei", { actor: "test" });
    assert.equal(outcomes.length, 2);
    assert.ok(
      outcomes.every((o) => o.action === "refused" && /data coverage below 95 %/.test(o.reason!)),
      JSON.stringify(outcomes),
    );
    assert.equal(listInvoices(store, "drei").length, count);
    assert.equal(anna().status, "issued");
  });

  it("zev invoice corrections lists, and --apply corrects, through the command line", async () => {
    trueValuesForNovemberFirst();
    const number = anna().number!;
    store.close();
    let out = "",
      err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    assert.equal(await runCli(["invoice", "corrections", "--db", db, "--community", "drei", "--period", "2026-11"], io), 0, err);
    assert.match(
      out,
      new RegExp(`^${number}\\tt1\\tAnna Meier\\t2026-11-01..2026-11-30\\tissued 288.000 kWh .*now 292.800 kWh .*: \\+4.800 kWh, \\+1.45 CHF$`, "m"),
    );
    out = "";
    assert.equal(
      await runCli(["invoice", "corrections", "--db", db, "--community", "drei", "--apply", "--invoice", number, "--invoice-date", "2026-12-15", "--json"], io),
      0,
      err,
    );
    const outcomes = JSON.parse(out) as { number: string; action: string }[];
    assert.deepEqual(
      outcomes.map((o) => [o.number, o.action]),
      [[number, "corrected"]],
    );
    store = SqliteStore.open(db);
  });
});
