import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import billingNode from "../../nodes/zev-billing/zev-billing";
import communityNode from "../../nodes/zev-community/zev-community";
import { parseBillingCommand } from "../../nodes/zev-billing/request";
import { runBilling } from "../../lib/billing/run";
import { saveCommunity } from "../../lib/store/community-repo";
import { listInvoices, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { editorConfigOf } from "../support/billing-node";

describe("zev-billing node: corrections", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  /** November issued; then unit 1 gets 50 Wh more in each quarter hour of 1 November (a late true value). */
  function setUp(): string {
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    for (const [m, wh] of [
      ["unit-1", 100],
      ["unit-2", 200],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
      ["pv", 0],
      ["grid", 440],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    assert.equal(runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" }).stopped, false);
    fillMeter(store, "drei", "unit-1", "2026-11-01..2026-11-01", () => 150);
    store.close();
    return db;
  }

  it("parses msg.command corrections with {period, apply, invoices}", () => {
    assert.deepEqual(
      parseBillingCommand("corrections", { period: "2026-11", apply: true, invoices: ["2026-0001"] }, { period: "previous-month", mode: "draft" }),
      {
        action: "corrections",
        period: "2026-11",
        apply: true,
        invoices: ["2026-0001"],
        force: false,
      },
    );
    assert.throws(
      () => parseBillingCommand("corrections", { invoices: "2026-0001" }, { period: "previous-month", mode: "draft" }),
      /payload\.invoices must be a list of invoice numbers/,
    );
  });

  it("lists the invoices to correct, then applies: credit note and recomputed invoice as invoice messages", async () => {
    const db = setUp();
    await helper.load(
      [communityNode, billingNode],
      flow(
        editorConfigOf(db) as never,
        { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", renderDocuments: false, wires: [["inv"], ["sum"]] },
        { id: "inv", type: "helper" },
        { id: "sum", type: "helper" },
      ),
    );
    const got: InvoiceRecord[] = [];
    helper.getNode("inv").on("input", (m: NodeMessage) => got.push(m.payload as InvoiceRecord));
    const summary = (): Promise<NodeMessage> => new Promise((resolve) => helper.getNode("sum").once("input", resolve));
    let done = summary();
    helper.getNode("b1").receive({ command: "corrections", payload: { period: "2026-11" } } as NodeMessage);
    const listed = (await done).payload as { candidates: { number: string; tenancyKey: string; difference: { kWh: string } }[]; outcomes: unknown[] };
    assert.deepEqual(
      listed.candidates.map((c) => [c.tenancyKey, c.difference.kWh]),
      [["t1", "+4.800"]],
    );
    assert.deepEqual(listed.outcomes, []);
    assert.equal(got.length, 0);

    done = summary();
    helper.getNode("b1").receive({
      command: "corrections",
      payload: { period: "2026-11", apply: true, invoices: [listed.candidates[0]!.number], invoiceDate: "2026-12-15" },
    } as NodeMessage);
    const applied = (await done).payload as { outcomes: { action: string }[] };
    assert.deepEqual(
      applied.outcomes.map((o) => o.action),
      ["corrected"],
    );
    assert.deepEqual(
      got.map((r) => [r.kind, r.status]),
      [
        ["credit-note", "issued"],
        ["invoice", "issued"],
      ],
    );
    const store = SqliteStore.open(db);
    try {
      assert.equal(listInvoices(store, "drei").find((r) => r.number === listed.candidates[0]!.number)!.status, "cancelled");
    } finally {
      store.close();
    }
  });
});
