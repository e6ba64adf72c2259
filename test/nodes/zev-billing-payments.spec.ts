import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import { parseBillingCommand } from "../../nodes/zev-billing/request";
import { runBilling } from "../../lib/billing/run";
import { invoiceViews } from "../../lib/payments/match";
import { Decimal } from "../../lib/util/money";
import { saveCommunity } from "../../lib/store/community-repo";
import { listInvoices, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { buildCamt } from "../support/camt";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { statuses } from "../support/zev-nodes";
import { billingNodesWithCatalogs, editorConfigOf } from "../support/billing-node";

const IBAN = "CH93 0076 2011 6238 5295 7";

describe("zev-billing node: payments command", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  function issued(): { db: string; invoices: InvoiceRecord[] } {
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    fillConsumers(store, "drei", "2026-11");
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
    const invoices = listInvoices(store, "drei");
    store.close();
    return { db, invoices };
  }

  it("parses the payments command: the XML as text or Buffer, or {xml, dryRun}; refuses an empty payload", () => {
    const d = { period: "previous-month", mode: "draft" as const };
    assert.deepEqual(parseBillingCommand("payments", "<x/>", d), { action: "payments", xml: "<x/>", dryRun: false, fileName: "camt", accounts: [] });
    assert.equal((parseBillingCommand("payments", Buffer.from("<y/>"), d) as { xml: string }).xml, "<y/>");
    assert.deepEqual(parseBillingCommand("payments", { xml: "<z/>", dryRun: true, fileName: "n.xml", accounts: ["CH56"] }, d), {
      action: "payments",
      xml: "<z/>",
      dryRun: true,
      fileName: "n.xml",
      accounts: ["CH56"],
    });
    assert.throws(() => parseBillingCommand("payments", "", d), /camt\.054 or camt\.053/);
  });

  it("a camt.054 as payload books the payments in a real Node-RED: counts on output 2, status, invoices paid", async () => {
    const { db, invoices } = issued();
    await helper.load(
      billingNodesWithCatalogs as never,
      flow(
        editorConfigOf(db) as never,
        { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", renderDocuments: false, wires: [[], ["sum"]] },
        { id: "sum", type: "helper" },
      ),
    );
    const node = helper.getNode("b1");
    const seen = statuses(node);
    const got = new Promise<NodeMessage>((resolve) => helper.getNode("sum").on("input", resolve));
    const xml = buildCamt({
      version: "04",
      iban: IBAN,
      entries: [
        {
          amount: "150.00",
          txs: [
            { amount: invoices[0]!.total, refType: "SCOR", ref: invoices[0]!.reference! },
            { amount: new Decimal(150).minus(invoices[0]!.total).toFixed(2), refType: "SCOR", ref: "RF18539007547034" },
          ],
        },
        { amount: "5.00", creditDebit: "DBIT" },
      ],
    });
    // msg.command (the node's command property) and msg.topic (its older form): either names the action
    node.receive({ command: "payments", topic: "payments", payload: Buffer.from(xml) } as unknown as NodeMessage);
    const m = await got;
    assert.equal(m.topic, "billing/payments");
    const r = m.payload as {
      entries: number;
      payments: number;
      matched: number;
      unmatched: number;
      flagged: number;
      duplicates: number;
      paidInvoices: string[];
    };
    assert.deepEqual([r.entries, r.payments, r.matched, r.unmatched, r.flagged, r.duplicates], [2, 2, 1, 1, 0, 0]);
    assert.deepEqual(r.paidInvoices, [invoices[0]!.number]);
    const st = seen[seen.length - 1]!;
    assert.equal(st.text, "payments: 1 matched, 1 unmatched, 0 flagged, 0 duplicates");
    const store = SqliteStore.open(db);
    try {
      assert.equal(invoiceViews(store, "drei")[0]!.paymentStatus, "paid");
    } finally {
      store.close();
    }
    // the same file again: nothing booked twice
    const again = new Promise<NodeMessage>((resolve) => helper.getNode("sum").on("input", resolve));
    node.receive({ command: "payments", topic: "payments", payload: xml } as unknown as NodeMessage);
    assert.equal(((await again).payload as { duplicates: number }).duplicates, 2);
  });

  it("a file that is not camt goes to Catch nodes with a translated error; Node-RED keeps running", async () => {
    const { db } = issued();
    await helper.load(
      billingNodesWithCatalogs as never,
      flow(editorConfigOf(db) as never, {
        id: "b1",
        type: "zev-billing",
        community: "c1",
        period: "previous-month",
        mode: "draft",
        renderDocuments: false,
        wires: [[], []],
      }),
    );
    const node = helper.getNode("b1");
    const errors = collectErrors(node);
    node.receive({
      command: "payments",
      topic: "payments",
      payload: "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'/>",
    } as unknown as NodeMessage);
    node.receive({ command: "payments", topic: "payments", payload: "<Document><unclosed>" } as unknown as NodeMessage);
    // Both files are read in worker threads (decision 0118): wait for both answers, not a fixed moment.
    for (const end = Date.now() + 15_000; errors.length < 2 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      errors.some((e) => /not a camt\.053 or camt\.054 document/.test(e)),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => /not well-formed XML/.test(e)),
      errors.join("\n"),
    );
  });
});
