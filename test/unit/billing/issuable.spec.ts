import assert from "node:assert/strict";
import { issueProblems } from "../../../lib/billing/issuable";
import { issueDraft, runBilling } from "../../../lib/billing/run";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { renderInvoiceDocument } from "../../../lib/render/documents";
import { getInvoice, listInvoices } from "../../../lib/store/invoice-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/*
 * The check before a number is given (lib/billing/issuable.ts) catches what
 * the community check cannot: definitions stored by an older version, the
 * total, the number. A refused invoice stays a draft and uses no number.
 */

function fillMonth(store: SqliteStore): void {
  fillConsumers(store, "drei", "2026-11");
  fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
}

describe("the check before an invoice is issued", () => {
  const tmp = useTmpDir();

  it("refuses an invoice whose stored definition (from an older version) has a name the QR bill does not allow; no number is used", async () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store);
      // A revision as an older version could store it: the tenant name was never checked for its characters.
      store.db
        .prepare("UPDATE community_revisions SET definition = json_set(definition, '$.tenancies[1].tenant.name', 'Luc 東京') WHERE community_id = 'drei'")
        .run();
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
      const byUnit = new Map(r.invoices.map((i) => [i.unit, i]));
      assert.equal(byUnit.get("1")!.number, "2026-0001");
      assert.equal(byUnit.get("3")!.number, "2026-0002", "gapless: the refused invoice gave its number back");
      const refused = byUnit.get("2")!;
      assert.equal(refused.action, "refused");
      assert.equal(refused.status, "draft");
      assert.equal(refused.number, null);
      assert.deepEqual(refused.problems, [
        {
          path: "recipient.name",
          code: "payment.characters",
          params: { characters: '"東京"' },
          message: 'contains characters a QR bill does not allow: "東京"',
        },
      ]);
      assert.ok(
        r.warnings.some((w) => w.startsWith("invoice for Luc 東京 (unit 2) not issued, it could not be printed: recipient.name:")),
        r.warnings.join("\n"),
      );
      assert.equal(getInvoice(store, refused.id!)!.status, "draft");
      assert.throws(
        () => issueDraft(store, refused.id!, "test", "2026-12-02"),
        /the invoice cannot be issued, it could not be printed: recipient\.name: contains characters a QR bill does not allow/,
      );
      assert.deepEqual(
        listInvoices(store, "drei").map((i) => i.number),
        ["2026-0001", null, "2026-0002"],
      );
      // Every issued invoice renders.
      for (const rec of r.records.filter((x) => x.number)) assert.equal((await renderInvoiceDocument(rec)).buffer.subarray(0, 5).toString(), "%PDF-");
    } finally {
      store.close();
    }
  });

  it("checks what the invoice prints without a payment part too, and the payment part only when there is one", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillMonth(store);
      const draft = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" }).records[0]!.snapshot;
      const issued = { ...draft, number: "2026-0001", invoiceDate: "2026-12-01", dueDate: "2026-12-31" } as InvoiceSnapshot;
      assert.deepEqual(issueProblems(issued), []);
      const zero = { ...issued, recipient: { ...issued.recipient, name: "Анна" }, totals: { ...issued.totals, total: "0.00" } };
      assert.deepEqual(
        issueProblems(zero).map((p) => `${p.path} ${p.code}`),
        ["recipient.name payment.unprintable"],
      );
      const huge = { ...issued, totals: { ...issued.totals, total: "1000000000.00" }, unit: { ...issued.unit, label: "Wohnung 😀" } };
      assert.deepEqual(
        issueProblems(huge).map((p) => `${p.path} ${p.code}`),
        ["unit.label payment.unprintable", "totals.total payment.amountRange"],
      );
      const long = { ...issued, creditor: { ...issued.creditor, name: "x".repeat(71), address: { ...issued.creditor.address, town: "t".repeat(36) } } };
      assert.deepEqual(
        issueProblems(long).map((p) => `${p.path} ${p.code} ${JSON.stringify(p.params)}`),
        ['creditor.name payment.tooLong {"length":71,"max":70}', 'creditor.address.town payment.tooLong {"length":36,"max":35}'],
      );
    } finally {
      store.close();
    }
  });
});
