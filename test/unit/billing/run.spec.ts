import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { isValidCreditorReference } from "../../../lib/billing/reference";
import { cancelInvoice, issueDraft, runBilling } from "../../../lib/billing/run";
import { getMeter } from "../../../lib/store/meter-repo";
import { listInvoices } from "../../../lib/store/invoice-repo";
import { upsertUnallocated } from "../../../lib/store/unallocated-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

function fillMonth(store: SqliteStore, month: string): void {
  fillMeter(store, "drei", "unit-1", month, () => 100);
  fillMeter(store, "drei", "unit-2", month, () => 200);
  fillMeter(store, "drei", "unit-3", month, () => 100);
  fillMeter(store, "drei", "common", month, () => 40);
  fillMeter(store, "drei", "pv", month, (i) => (i % 4 === 0 ? 220 : 0));
  fillMeter(store, "drei", "charger-1", month, () => 0);
}

const live = (store: SqliteStore): number => listInvoices(store, "drei").filter((i) => i.kind === "invoice" && i.status !== "cancelled").length;

describe("billing runs", () => {
  const tmp = useTmpDir();

  it("stops with a report when coverage is below 95 %, and bills when forced", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store, "2026-11");
      // unit 3's meter lost 10 % of November: every tenth interval deleted
      const m3 = getMeter(store, "drei", "unit-3")!;
      store.db.prepare("DELETE FROM intervals WHERE meter_id = ? AND (start_ms / 900000) % 10 = 0").run(m3.id);
      const stopped = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.equal(stopped.stopped, true);
      assert.match(stopped.stopReason!, /data coverage below 95 % for unit-3 90\.0 %: nothing was billed/);
      assert.equal(listInvoices(store, "drei").length, 0);
      const forced = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", force: true, actor: "test" });
      assert.equal(forced.stopped, false);
      assert.equal(forced.invoices.length, 3);
      assert.deepEqual(
        forced.lowCoverage.map((c) => c.meter),
        ["unit-3"],
      );
      const q = forced.records.find((r) => r.tenancyKey === "t3")!.snapshot.quality[0]!;
      assert.deepEqual([q.measured, q.missing, q.total], [2592, 288, 2880]);
    } finally {
      store.close();
    }
  });

  it("re-running a period recomputes drafts in place and never creates a second live invoice", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store, "2026-11");
      const first = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(
        first.invoices.map((i) => i.action),
        ["created", "created", "created"],
      );
      const again = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(
        again.invoices.map((i) => i.action),
        ["unchanged", "unchanged", "unchanged"],
      );
      assert.deepEqual(
        again.invoices.map((i) => i.id),
        first.invoices.map((i) => i.id),
      );
      // late data for unit 1 outside the PV intervals changes its draft only (inside them it would shift everyone's solar share)
      fillMeter(store, "drei", "unit-1", "2026-11-30..2026-11-30", (i) => (i % 4 === 0 ? 100 : 150));
      const third = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(
        third.invoices.map((i) => i.action),
        ["updated", "unchanged", "unchanged"],
      );
      assert.equal(live(store), 3);
      const issued = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
      assert.deepEqual(
        issued.invoices.map((i) => i.number),
        ["2026-0001", "2026-0002", "2026-0003"],
      );
      const fourth = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-02", actor: "test" });
      assert.deepEqual(
        fourth.invoices.map((i) => i.action),
        ["skipped", "skipped", "skipped"],
      );
      assert.match(fourth.invoices[0]!.reason!, /already issued as 2026-0001/);
      // a quarter that contains the billed month is refused for these tenancies, not billed twice
      const quarter = runBilling(store, { communityId: "drei", period: "2026-Q4", mode: "draft", force: true, actor: "test" });
      assert.ok(quarter.invoices.every((i) => i.action === "skipped" && /overlaps issued invoice 2026-000\d for 2026-11-01\.\.2026-11-30/.test(i.reason!)));
      assert.equal(live(store), 3);
    } finally {
      store.close();
    }
  });

  it("an issued invoice is frozen with its number, dates and a valid payment reference", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store, "2026-11");
      const res = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
      const inv = res.records[0]!;
      assert.equal(inv.status, "issued");
      assert.equal(inv.snapshot.number, "2026-0001");
      assert.equal(inv.snapshot.invoiceDate, "2026-12-01");
      assert.equal(inv.snapshot.dueDate, "2026-12-31");
      assert.ok(isValidCreditorReference(inv.reference!));
      // a later change of the community does not change the issued invoice
      const before = JSON.stringify(inv.snapshot);
      const again = listInvoices(store, "drei").find((i) => i.id === inv.id)!;
      assert.equal(JSON.stringify(again.snapshot), before);
    } finally {
      store.close();
    }
  });

  it("a correction cancels the invoice with a credit note and issues a new one under the next number", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store, "2026-11");
      const res = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
      const t1 = res.records.find((r) => r.tenancyKey === "t1")!;
      const { original, creditNote } = cancelInvoice(store, t1.id, "test", "meter reading corrected", "2026-12-05");
      assert.equal(original.status, "cancelled");
      assert.equal(creditNote.kind, "credit-note");
      assert.equal(creditNote.number, "2026-0004");
      assert.equal(creditNote.total, `-${t1.total}`);
      assert.equal(creditNote.snapshot.cancels!.number, t1.number);
      assert.ok(creditNote.snapshot.lines.every((l) => l.amount.startsWith("-")));
      fillMeter(store, "drei", "unit-1", "2026-11-30..2026-11-30", () => 150);
      const rerun = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-05", actor: "test" });
      const renewed = rerun.invoices.find((i) => i.tenancyKey === "t1")!;
      assert.equal(renewed.action, "issued");
      assert.equal(renewed.number, "2026-0005");
      assert.notEqual(renewed.total, t1.total);
      assert.deepEqual(
        rerun.invoices.filter((i) => i.tenancyKey !== "t1").map((i) => i.action),
        ["skipped", "skipped"],
      );
      assert.throws(() => cancelInvoice(store, t1.id, "test", "twice"), /only an issued or paid invoice can be cancelled/);
      assert.throws(() => issueDraft(store, t1.id, "test"), /only a draft can be issued/);
    } finally {
      store.close();
    }
  });

  it("two runs issuing at once from two processes never share or skip a number", async function () {
    this.timeout(60000);
    const store = openBillingStore(tmp(), threeUnitCommunity());
    fillMonth(store, "2026-10");
    fillMonth(store, "2026-11");
    const path = store.path;
    store.close();
    const script = `
      const { runBilling } = require(${JSON.stringify(join(__dirname, "../../../lib/billing/run"))});
      const { SqliteStore } = require(${JSON.stringify(join(__dirname, "../../../lib/store/sqlite-store"))});
      const s = SqliteStore.open(process.argv[1]);
      const r = runBilling(s, { communityId: "drei", period: process.argv[2], mode: "issue", invoiceDate: "2026-12-01", actor: "proc" });
      process.stdout.write(JSON.stringify(r.invoices.map((i) => i.number)));
      s.close();`;
    const tsx = join(__dirname, "../../../node_modules/tsx/dist/cli.mjs");
    const outputs = await Promise.all(
      ["2026-10", "2026-11"].map(
        (period) =>
          new Promise<string[]>((resolve, reject) => {
            const p = spawn(process.execPath, [tsx, "-e", script, path, period], { stdio: "pipe" });
            let out = "";
            let err = "";
            p.stdout.on("data", (d) => (out += d));
            p.stderr.on("data", (d) => (err += d));
            p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err))));
          }),
      ),
    );
    const numbers = outputs.flat().sort();
    assert.deepEqual(numbers, ["2026-0001", "2026-0002", "2026-0003", "2026-0004", "2026-0005", "2026-0006"]);
  });
});

describe("billing runs and energy known only in amount", () => {
  const tmp = useTmpDir();

  it("reports energy counted across a long data gap instead of dropping it silently", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store, "2026-11");
      const m = getMeter(store, "drei", "unit-2")!;
      store.write(() =>
        upsertUnallocated(
          store,
          {
            meterId: m.id,
            fromMs: Date.parse("2026-11-10T00:00:00+01:00"),
            toMs: Date.parse("2026-11-10T12:00:00+01:00"),
            importWh: 4321,
            exportWh: 0,
            reason: "gap",
          },
          Date.now(),
        ),
      );
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.ok(
        r.warnings.some((w) => /meter unit-2: 4\.321 kWh counted across a data gap \(2026-11-10 00:00 .*\) are known in amount but not in time/.test(w)),
        r.warnings.join("\n"),
      );
    } finally {
      store.close();
    }
  });
});
