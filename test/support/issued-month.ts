import assert from "node:assert/strict";
import { join } from "node:path";
import type { CommunityDefinition } from "../../lib/community/types";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "./billing-fixture";
import { runCliCaptured } from "./cli";

/** One invoice as `zev invoice list --json` prints it. */
export interface InvoiceJson {
  id: number;
  number: string;
  status: string;
  total: string;
  reference: string;
  paymentStatus: string | null;
  paidAmount: string;
  openAmount: string;
  reminderFees: string;
}

/** The invoices of a community through the real CLI. */
export async function listInvoicesByCli(db: string, communityId = "drei"): Promise<InvoiceJson[]> {
  const list = await runCliCaptured(["invoice", "list", "--db", db, "--community", communityId, "--json"]);
  assert.equal(list.code, 0, list.err);
  return JSON.parse(list.out) as InvoiceJson[];
}

/** The fixture community's November 2026, billed and issued on 2026-12-01 through the real CLI (`zev bill --issue`). */
export async function issuedNovemberByCli(dir: string, def: CommunityDefinition = threeUnitCommunity()): Promise<{ db: string; invoices: InvoiceJson[] }> {
  const store = openBillingStore(dir, def);
  fillConsumers(store, def.id, "2026-11");
  fillMeter(store, def.id, "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
  const db = store.path;
  store.close();
  const bill = await runCliCaptured([
    "bill",
    "--db",
    db,
    "--community",
    def.id,
    "--period",
    "2026-11",
    "--issue",
    "--invoice-date",
    "2026-12-01",
    "--out",
    join(dir, "out"),
  ]);
  assert.equal(bill.code, 0, bill.err);
  return { db, invoices: await listInvoicesByCli(db, def.id) };
}
