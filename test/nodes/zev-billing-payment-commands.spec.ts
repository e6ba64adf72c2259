import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import { runBilling } from "../../lib/billing/run";
import { importCamt } from "../../lib/payments/match";
import { auditLog } from "../../lib/store/audit-repo";
import { saveCommunity } from "../../lib/store/community-repo";
import { listInvoices, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { Decimal } from "../../lib/util/money";
import { parsePaymentCommand, requestUser } from "../../nodes/zev-billing/payments-commands";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { billingNodesWithCatalogs, editorConfigOf } from "../support/billing-node";
import { buildCamt } from "../support/camt";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { statuses } from "../support/zev-nodes";

const IBAN = "CH93 0076 2011 6238 5295 7";

/*
 * The Payments page's commands on a real zev-billing node (issue 14):
 * payments-list, payment-assign (with who did it in the audit log),
 * open-items and reminders-run (PDFs written and sent).
 */
describe("zev-billing node: payments-list, payment-assign, open-items, reminders-run", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  /** November issued; a camt.054 that pays the first invoice and brings one payment with an unknown reference. */
  function issuedAndImported(): { db: string; dir: string; invoices: InvoiceRecord[] } {
    const dir = tmp();
    const db = join(dir, "zev.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    fillConsumers(store, "drei", "2026-11");
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
    const invoices = listInvoices(store, "drei");
    const xml = buildCamt({
      version: "04",
      iban: IBAN,
      entries: [
        { amount: invoices[0]!.total, txs: [{ amount: invoices[0]!.total, refType: "SCOR", ref: invoices[0]!.reference!, debtor: "Anna Muster" }] },
        { amount: "20.00", txs: [{ amount: "20.00", refType: "SCOR", ref: "RF18539007547034", debtor: "Beat Beispiel" }] },
      ],
    });
    importCamt(store, xml, { communityId: "drei", fileName: "n.xml", actor: "test", accounts: [] });
    store.close();
    return { db, dir, invoices };
  }

  async function load(
    db: string,
    dir: string,
  ): Promise<{ node: ReturnType<typeof helper.getNode>; answer: (msg: Record<string, unknown>) => Promise<NodeMessage>; out1: NodeMessage[] }> {
    await helper.load(
      billingNodesWithCatalogs as never,
      flow(
        editorConfigOf(db) as never,
        {
          id: "b1",
          type: "zev-billing",
          community: "c1",
          period: "previous-month",
          mode: "draft",
          renderDocuments: true,
          documentsFolder: join(dir, "docs"),
          wires: [["docs"], ["sum"]],
        },
        { id: "docs", type: "helper" },
        { id: "sum", type: "helper" },
      ),
    );
    const out1: NodeMessage[] = [];
    helper.getNode("docs").on("input", (m: NodeMessage) => out1.push(m));
    const node = helper.getNode("b1");
    const answer = (msg: Record<string, unknown>): Promise<NodeMessage> => {
      const got = new Promise<NodeMessage>((resolve) => helper.getNode("sum").once("input", resolve));
      node.receive(msg as unknown as NodeMessage);
      return got;
    };
    return { node, answer, out1 };
  }

  it("parses the commands and refuses a payload without a payment or an invoice, or a bad date", () => {
    assert.deepEqual(parsePaymentCommand("payment-assign", { payment: "7", invoice: " 2026-0002 ", note: " cash " }), {
      action: "payment-assign",
      payment: 7,
      invoice: "2026-0002",
      note: "cash",
    });
    assert.deepEqual(parsePaymentCommand("payment-assign", { payment: 7, invoice: 3 }), { action: "payment-assign", payment: 7, invoice: "3" });
    assert.throws(() => parsePaymentCommand("payment-assign", { invoice: "2026-0001" }), /payload\.payment must be a payment id/);
    assert.throws(() => parsePaymentCommand("payment-assign", { payment: 1 }), /payload\.invoice must name the invoice/);
    assert.deepEqual(parsePaymentCommand("reminders-run", { date: "2027-03-01", dryRun: true }), { action: "reminders-run", date: "2027-03-01", dryRun: true });
    assert.throws(() => parsePaymentCommand("open-items", { date: "1.3.2027" }), /payload\.date must be written YYYY-MM-DD/);
  });

  it("the actor: msg.user, else Dashboard 2's logged-in user, else 'dashboard' for a dashboard's message, nothing for a flow's", () => {
    assert.equal(requestUser({ user: "anna" }), "anna");
    assert.equal(requestUser({ _client: { socketId: "x", user: { userId: "u1", username: "beat" } } }), "beat");
    assert.equal(requestUser({ _client: { socketId: "x" } }), "dashboard");
    assert.equal(requestUser({ socketid: "abc" }), "dashboard");
    assert.equal(requestUser({}), undefined);
  });

  it("payments-list answers with each payment and its match, and the invoices' payment status", async () => {
    const { db, dir, invoices } = issuedAndImported();
    const { answer } = await load(db, dir);
    const m = await answer({ command: "payments-list" });
    assert.equal(m.topic, "billing/payments-list");
    const p = m.payload as {
      payments: { amount: string; invoice: { number: string } | null; state: string; debtorName: string }[];
      invoices: { number: string; paymentStatus: string; openAmount: string }[];
    };
    assert.deepEqual(
      p.payments.map((x) => [x.amount, x.invoice?.number ?? null, x.state, x.debtorName]),
      [
        [new Decimal(invoices[0]!.total).toFixed(2), invoices[0]!.number, "matched", "Anna Muster"],
        ["20.00", null, "unmatched", "Beat Beispiel"],
      ],
    );
    assert.deepEqual(
      p.invoices.map((i) => [i.number, i.paymentStatus]),
      invoices.map((i, n) => [i.number, n === 0 ? "paid" : "open"]),
    );
  });

  it("payment-assign books the unmatched payment to an invoice: its status changes and the audit log names who did it", async () => {
    const { db, dir, invoices } = issuedAndImported();
    const { node, answer } = await load(db, dir);
    const seen = statuses(node);
    const list = (await answer({ command: "payments-list" })).payload as { payments: { id: number; state: string }[] };
    const unmatched = list.payments.find((x) => x.state === "unmatched")!;
    const m = await answer({
      command: "payment-assign",
      payload: { payment: unmatched.id, invoice: invoices[1]!.number, note: "reference mistyped" },
      _client: { socketId: "s1", user: { username: "verwaltung" } },
    });
    const r = m.payload as { payment: { state: string; invoice: { number: string } }; invoice: { paymentStatus: string; openAmount: string } };
    assert.equal(r.payment.state, "assigned");
    assert.equal(r.payment.invoice.number, invoices[1]!.number);
    assert.equal(r.invoice.paymentStatus, "partial");
    assert.equal(r.invoice.openAmount, new Decimal(invoices[1]!.total).minus("20.00").toFixed(2));
    assert.equal(seen.at(-1)!.text, `payment ${unmatched.id} assigned to invoice ${invoices[1]!.number}`);
    const store = SqliteStore.open(db);
    try {
      const entry = auditLog(store, "drei").find((a) => a.action === "payment.assigned")!;
      assert.equal(entry.actor, "node:b1 user:verwaltung");
      assert.equal((entry.details as { note: string }).note, "reference mistyped");
    } finally {
      store.close();
    }
  });

  it("payment-assign of a payment already booked is refused with a translated error; Node-RED keeps running", async () => {
    const { db, dir, invoices } = issuedAndImported();
    const { node, answer } = await load(db, dir);
    const errors = collectErrors(node);
    const list = (await answer({ command: "payments-list" })).payload as { payments: { id: number; state: string }[] };
    const matched = list.payments.find((x) => x.state === "matched")!;
    node.receive({ command: "payment-assign", payload: { payment: matched.id, invoice: invoices[2]!.number } } as unknown as NodeMessage);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(
      errors.some((e) => new RegExp(`payment ${matched.id} is already booked to invoice ${invoices[0]!.number}`).test(e)),
      errors.join("\n"),
    );
    // still answers
    assert.equal((await answer({ command: "payments-list" })).topic, "billing/payments-list");
  });

  it("open-items lists the invoices still owed on a day, with their open amounts", async () => {
    const { db, dir, invoices } = issuedAndImported();
    const { answer } = await load(db, dir);
    const m = await answer({ command: "open-items", payload: { date: "2027-01-15" } });
    const r = m.payload as { date: string; items: { number: string; open: string; paymentStatus: string; daysOverdue: number }[] };
    assert.equal(r.date, "2027-01-15");
    assert.deepEqual(
      r.items.map((i) => [i.number, i.open, i.paymentStatus]),
      invoices.slice(1).map((i) => [i.number, new Decimal(i.total).toFixed(2), "open"]),
    );
    assert.ok(r.items.every((i) => i.daysOverdue > 0));
  });

  it("reminders-run records the reminders due, writes their PDFs and sends them on output 1; the same day again makes none", async () => {
    const { db, dir, invoices } = issuedAndImported();
    const { node, answer, out1 } = await load(db, dir);
    const seen = statuses(node);
    const dry = (await answer({ command: "reminders-run", payload: { date: "2027-01-15", dryRun: true } })).payload as { due: unknown[]; sent: unknown[] };
    assert.equal(dry.due.length, 2);
    assert.equal(dry.sent.length, 0);
    const m = await answer({ command: "reminders-run", payload: { date: "2027-01-15" } });
    const r = m.payload as { sent: { number: string; invoice: string; file: string; amountDue: string }[]; refused: unknown[] };
    assert.deepEqual(
      r.sent.map((s) => [s.number, s.invoice, s.amountDue]),
      invoices.slice(1).map((i, n) => [`M2027-000${n + 1}`, i.number, new Decimal(i.total).toFixed(2)]),
    );
    for (const s of r.sent) {
      assert.ok(existsSync(s.file), s.file);
      assert.ok(s.file.startsWith(join(dir, "docs", "reminders")), s.file);
      assert.equal(readFileSync(s.file).subarray(0, 5).toString(), "%PDF-");
    }
    const docs = out1.filter((x) => String(x.topic).startsWith("reminder/"));
    assert.deepEqual(
      docs.map((d) => d.topic),
      r.sent.map((s) => `reminder/${s.number}`),
    );
    assert.equal((docs[0] as { document?: { buffer: Buffer } }).document!.buffer.subarray(0, 5).toString(), "%PDF-");
    assert.ok(Buffer.isBuffer((docs[0] as { document?: { buffer: Buffer } }).document!.buffer), "a Buffer again after the worker");
    // Drawn by a job worker (decision 0148): the node's thread never loaded the compiled reminder renderer.
    assert.ok(
      !Object.keys(require.cache).some((k) => k.endsWith(join("dist", "lib", "render", "reminder-document.js"))),
      "reminders drawn on Node-RED's thread",
    );
    assert.equal(seen.at(-1)!.text, "reminders 2027-01-15: 2 made, 0 refused");
    const again = (await answer({ command: "reminders-run", payload: { date: "2027-01-15" } })).payload as { sent: unknown[] };
    assert.equal(again.sent.length, 0);
  });
});
