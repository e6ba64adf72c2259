import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import billingNode from "../../nodes/zev-billing/zev-billing";
import communityNode from "../../nodes/zev-community/zev-community";
import { parseBillingCommand } from "../../nodes/zev-billing/request";
import { saveCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import type { InvoiceRecord } from "../../lib/store/invoice-repo";
import { fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { communityConfig } from "../support/community-config";

/** The fixture community (test/support/billing-fixture.ts) in the editor's form. */
function editorConfigOf(db: string): ReturnType<typeof communityConfig> {
  const d = threeUnitCommunity();
  return communityConfig(db, {
    communityId: d.id,
    communityName: d.name,
    creditorIban: d.creditor.iban,
    buildings: [{ id: "A", name: "Haus A" }],
    units: d.buildings[0]!.units.map((u) => ({ building: "A", id: u.id, label: u.label, floorArea: u.floorArea })),
    tenancies: d.tenancies.map((t) => ({ id: t.id, unit: t.unit, name: t.tenant.name, street: t.tenant.address.street, buildingNumber: t.tenant.address.buildingNumber, postalCode: t.tenant.address.postalCode, town: t.tenant.address.town, country: "CH", email: t.tenant.email, language: t.tenant.language, from: t.from, to: "" })),
    meters: d.meters!.map((m) => ({ id: m.id, role: m.role, unit: m.unit ?? "", label: "" })),
    tariffs: d.tariffs,
    allocation: "proportional",
    commonAreaKey: "floorArea",
    minCoveragePercent: "95",
  });
}

describe("zev-billing node", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  async function setUp(): Promise<{ db: string }> {
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    const def = threeUnitCommunity();
    saveCommunity(store, def, { source: "test", actor: "test" });
    for (const [m, wh] of [["unit-1", 100], ["unit-2", 200], ["unit-3", 100], ["common", 40], ["charger-1", 0]] as const) fillMeter(store, "drei", m, "2026-11", () => wh);
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    store.close();
    return { db };
  }

  it("a run message bills the period: one message per invoice and a summary", async () => {
    const { db } = await setUp();
    const cfg = editorConfigOf(db);
    await helper.load(
      [communityNode, billingNode],
      flow(cfg as never, { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", wires: [["inv"], ["sum"]] }, { id: "inv", type: "helper" }, { id: "sum", type: "helper" }),
    );
    const inv = helper.getNode("inv");
    const sum = helper.getNode("sum");
    const got: InvoiceRecord[] = [];
    inv.on("input", (m: NodeMessage) => got.push(m.payload as InvoiceRecord));
    const summary = new Promise<NodeMessage>((resolve) => sum.on("input", resolve));
    helper.getNode("b1").receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    const s = (await summary).payload as { stopped: boolean; invoices: { number: string }[] };
    assert.equal(s.stopped, false);
    assert.deepEqual(s.invoices.map((i) => i.number), ["2026-0001", "2026-0002", "2026-0003"]);
    assert.equal(got.length, 3);
    assert.equal(got[0]!.status, "issued");
    assert.equal(got[0]!.snapshot.recipient.name, "Anna Meier");
  });

  it("a bad request goes to Catch nodes with a clear error and Node-RED keeps running", async () => {
    const { db } = await setUp();
    await helper.load([communityNode, billingNode], flow(editorConfigOf(db) as never, { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", wires: [[], []] }));
    const node = helper.getNode("b1");
    const errors = collectErrors(node);
    node.receive({ topic: "cancel", payload: { id: 1 } } as NodeMessage);
    node.receive({ payload: "last autumn" } as NodeMessage);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(errors.some((e) => /needs payload\.reason/.test(e)), errors.join("\n"));
    assert.ok(errors.some((e) => /cannot read period "last autumn"/.test(e)), errors.join("\n"));
  });

  it("parses commands: defaults, relative periods, ids and bad values", () => {
    const d = { period: "previous-month", mode: "draft" as const };
    assert.deepEqual(parseBillingCommand(undefined, undefined, d), { action: "run", period: "previous-month", mode: "draft", force: false });
    assert.deepEqual(parseBillingCommand("run", "2026-10", d), { action: "run", period: "2026-10", mode: "draft", force: false });
    assert.deepEqual(parseBillingCommand("issue", { id: "7", invoiceDate: "2026-12-01" }, d), { action: "issue", id: 7, invoiceDate: "2026-12-01" });
    assert.throws(() => parseBillingCommand("paid", { id: -1 }, d), /positive whole number/);
    assert.throws(() => parseBillingCommand("run", { mode: "final" }, d), /"draft" or "issue"/);
    assert.throws(() => parseBillingCommand("list", { status: "open" }, d), /draft, issued, paid or cancelled/);
  });
});
