import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import { parseBillingCommand } from "../../nodes/zev-billing/request";
import { runBilling } from "../../lib/billing/run";
import { saveCommunity } from "../../lib/store/community-repo";
import { type InvoiceRecord } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { billingNodesWithCatalogs, editorConfigOf } from "../support/billing-node";

describe("zev-billing node: advances command", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  it("parses msg.command advances with payload {action, ...} and refuses an unknown action", () => {
    const d = { period: "previous-month", mode: "draft" } as const;
    assert.deepEqual(parseBillingCommand("advances", { action: "issue", period: "2027-01", date: "2027-01-01" }, d), {
      action: "advances",
      request: { action: "issue", period: "2027-01", date: "2027-01-01" },
    });
    assert.throws(() => parseBillingCommand("advances", { action: "bill" }, d), /payload\.action must be propose, set, issue or statement/);
  });

  it("sets a tenancy's advances, issues the period's advance invoice as an invoice message, and sends a mix to Catch", async () => {
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    fillConsumers(store, "drei", "2026-12");
    fillMeter(store, "drei", "pv", "2026-12", () => 0);
    // t3 is billed periodically in December 2026.
    runBilling(store, { communityId: "drei", period: "2026-12", mode: "issue", invoiceDate: "2027-01-02", actor: "test" });
    store.close();
    await helper.load(
      billingNodesWithCatalogs as never,
      flow(
        editorConfigOf(db) as never,
        { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", renderDocuments: false, wires: [["inv"], ["sum"]] },
        { id: "inv", type: "helper" },
        { id: "sum", type: "helper" },
      ),
    );
    const node = helper.getNode("b1");
    const got: InvoiceRecord[] = [];
    helper.getNode("inv").on("input", (m: NodeMessage) => got.push(m.payload as InvoiceRecord));
    const summary = (): Promise<NodeMessage> => new Promise((resolve) => helper.getNode("sum").once("input", resolve));

    let done = summary();
    node.receive({ command: "advances", payload: { action: "set", year: 2027, tenancy: "t1", amount: "95" } } as unknown as NodeMessage);
    const { setMs: _at, ...plan } = (await done).payload as { setMs: number };
    assert.deepEqual(plan, { communityId: "drei", tenancyId: "t1", year: 2027, rhythm: "monthly", amount: "95.00", setBy: "node:b1" });

    done = summary();
    node.receive({ command: "advances", payload: { action: "issue", period: "2027-01", date: "2027-01-05" } } as unknown as NodeMessage);
    const outcomes = (await done).payload as { tenancyId: string; action: string; number: string | null }[];
    assert.deepEqual(
      outcomes.map((o) => [o.tenancyId, o.action, o.number]),
      [["t1", "issued", "2027-0004"]],
    );
    assert.equal(got.length, 1);
    assert.equal(got[0]!.snapshot.advance!.period, "2027-01");
    assert.equal(got[0]!.total, "95.00");

    const errors = collectErrors(node);
    node.receive({ command: "advances", payload: { action: "set", year: 2026, tenancy: "t3", amount: "95" } } as unknown as NodeMessage);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(
      errors.some((e) => /tenancy t3 has periodic invoices in 2026: 2027-0003/.test(e)),
      errors.join("\n"),
    );
  });
});
