import assert from "node:assert/strict";
import { generatedFiles } from "../../../../scripts/flows/build";
import type { FlowNode } from "../../../../scripts/flows/nodes";

/*
 * The admin pages' function nodes (Payments, Portal, corrections, progress),
 * run as Node-RED runs them, from the generated files: every irreversible
 * step asks first and is carried out only as asked, the request carries who
 * asked, a new portal link goes only to the browser that asked.
 */
type Msg = Record<string, unknown>;
type Out = (Msg | Msg[] | null)[];

function runners(file: string): (id: string) => (msg: Msg) => Out {
  const flow = new Map<string, unknown>();
  const store = (m: Map<string, unknown>) => ({ get: (k: string) => m.get(k), set: (k: string, v: unknown) => void m.set(k, v) });
  const nodes = generatedFiles().get(file)!;
  return (id) => {
    const node = nodes.find((n: FlowNode) => n.id === id)!;
    const fn = new Function("msg", "flow", "context", "node", "env", String(node.func)) as (...a: unknown[]) => Out;
    const ctx = new Map<string, unknown>();
    return (msg) => fn(structuredClone(msg), store(flow), store(ctx), {}, {});
  };
}

const PLIST = {
  view: "plist",
  payload: {
    payments: [
      {
        id: 1,
        amount: "253.60",
        currency: "CHF",
        bookingDate: "2026-12-05",
        reference: "R1",
        debtorName: "Erste",
        invoice: { id: 11, number: "2026-0001" },
        state: "matched",
        flag: null,
        flaggedInvoice: null,
      },
      {
        id: 2,
        amount: "25",
        currency: "CHF",
        bookingDate: "2026-12-05",
        reference: "R2",
        debtorName: "Zweiter",
        invoice: null,
        state: "unmatched",
        flag: null,
        flaggedInvoice: null,
      },
      {
        id: 3,
        amount: "1200.00",
        currency: "CHF",
        bookingDate: "2026-12-06",
        reference: "R3",
        debtorName: "Dritte",
        invoice: null,
        state: "flagged",
        flag: "cancelled-invoice",
        flaggedInvoice: { id: 9, number: "2026-0009" },
      },
    ],
    invoices: [
      {
        id: 11,
        number: "2026-0001",
        kind: "invoice",
        status: "paid",
        recipient: "Anna",
        periodFrom: "2026-11-01",
        periodTo: "2026-11-30",
        currency: "CHF",
        total: "253.60",
        paidAmount: "253.60",
        openAmount: "0.00",
        paymentStatus: "paid",
      },
      {
        id: 12,
        number: "2026-0002",
        kind: "invoice",
        status: "issued",
        recipient: "Giulia",
        periodFrom: "2026-11-01",
        periodTo: "2026-11-30",
        currency: "CHF",
        total: "1152.65",
        paidAmount: "0.00",
        openAmount: "1152.65",
        paymentStatus: "open",
      },
      {
        id: 13,
        number: null,
        kind: "invoice",
        status: "draft",
        recipient: "Sam",
        periodFrom: "2026-12-01",
        periodTo: "2026-12-31",
        currency: "CHF",
        total: "10.00",
        paidAmount: "0.00",
        openAmount: "0.00",
        paymentStatus: null,
      },
    ],
  },
};

for (const d of [2, 1] as const) {
  const file = `dashboard/dashboard-${d}.json`;
  const w = (n: string): string => `zd${d}-${n}`;
  const client = d === 2 ? { _client: { socketId: "s1" } } : { socketid: "s1" };

  describe(`dashboard ${d} admin function nodes`, () => {
    it("payments: the list says matched, unmatched and why flagged, in Swiss format; the picker offers the payable invoices only", () => {
      const run = runners(file);
      const out = run(w("f-payres"))(PLIST);
      const rows = (out[0] as Msg).payload as { invoice: string; amount: string; state: string; assignable: boolean }[];
      assert.deepEqual(
        rows.map((r) => [r.amount, r.invoice, r.state, r.assignable]),
        [
          ["CHF 253.60", "2026-0001", "matched", false],
          ["CHF 25.00", "unmatched", "unmatched", true],
          ["CHF 1'200.00", "cancelled invoice 2026-0009", "flagged", true],
        ],
      );
      assert.equal((out[2] as Msg).payload, "3 payment(s): 1 booked to an invoice, 1 unmatched, 1 flagged");
      const invoices = (out[1] as Msg).payload as { number: string; status: string; open: string }[];
      assert.deepEqual(
        invoices.map((i) => [i.number, i.status, i.open]),
        [
          ["2026-0001", "paid", "CHF 0.00"],
          ["2026-0002", "open", "CHF 1'152.65"],
        ],
      );
      const picker = out[5] as Msg;
      const opts =
        d === 2 ? ((picker.ui_update as Msg).options as { value: string }[]).map((o) => o.value) : (picker.options as Msg[]).map((o) => Object.values(o)[0]);
      assert.deepEqual(opts, ["11", "12"]);
      // the same list again: the picker is left alone (a choice being made is kept)
      assert.equal(run(w("f-payres"))(PLIST)[5], null);
    });

    it("payments: assigning asks first with amount, payer, invoice and its open amount; only ok sends payment-assign, with who asked", () => {
      const run = runners(file);
      run(w("f-payres"))(PLIST);
      const cmd = run(w("f-paycmd"));
      // nothing chosen yet
      assert.equal((cmd({ payload: "assign", ...client })[1] as Msg).payload, "Choose an unmatched payment (click it) and an invoice first.");
      // a matched payment cannot be chosen
      const matched = cmd({ payload: { pid: 1, assignable: false, state: "matched" }, ...client });
      assert.match(String((matched[3] as Msg).payload), /Payment 1 is matched: only unmatched or flagged payments/);
      cmd({ payload: { pid: 2, assignable: true, amount: "CHF 25.00", debtor: "Zweiter", reference: "R2", state: "unmatched" }, ...client });
      cmd({ topic: "invoice", payload: "12", ...client });
      const asked = cmd({ payload: "assign", ...client });
      assert.equal(asked[0], null, "nothing is sent before the answer");
      const dialog = asked[2] as Msg;
      const ask = (d === 2 ? dialog.payload : dialog) as { token: string; text?: string; payload?: string };
      const text = d === 2 ? ask.text! : String(dialog.payload);
      assert.equal(text, "CHF 25.00 from Zweiter to invoice 2026-0002 (Giulia, open CHF 1'152.65). The audit log records who did it.");
      const token = d === 2 ? ask.token : String(dialog.token);
      // cancel: nothing
      const cancelled = cmd({ token, payload: "cancel", ...client });
      assert.equal(cancelled[0], null);
      assert.equal((cancelled[1] as Msg).payload, "Nothing changed.");
      // ask again, ok: exactly that payment to exactly that invoice, with the client
      const again = cmd({ payload: "assign", ...client })[2] as Msg;
      const token2 = d === 2 ? (again.payload as { token: string }).token : String(again.token);
      const sent = cmd({ token: token2, payload: "ok", ...client })[0] as Msg[];
      assert.equal(sent.length, 1);
      assert.deepEqual([sent[0]!.command, sent[0]!.payload, sent[0]!.target], ["payment-assign", { payment: 2, invoice: "12" }, "zev billing"]);
      if (d === 2) assert.deepEqual(sent[0]!._client, { socketId: "s1" });
      else assert.equal(sent[0]!.socketid, "s1");
    });

    it("payments: a payment booked meanwhile is not assigned on an old question", () => {
      const run = runners(file);
      const res = run(w("f-payres"));
      res(PLIST);
      const cmd = run(w("f-paycmd"));
      cmd({ payload: { pid: 2, assignable: true, amount: "CHF 25.00", debtor: "Zweiter", reference: "R2", state: "unmatched" }, ...client });
      cmd({ topic: "invoice", payload: "12" });
      const dialog = cmd({ payload: "assign", ...client })[2] as Msg;
      const token = d === 2 ? (dialog.payload as { token: string }).token : String(dialog.token);
      const booked = structuredClone(PLIST) as { view: string; payload: { payments: Msg[]; invoices: Msg[] } };
      booked.payload.payments[1] = { ...booked.payload.payments[1]!, state: "matched", invoice: { id: 12, number: "2026-0002" } };
      res(booked);
      const answer = cmd({ token, payload: "ok", ...client });
      assert.equal(answer[0], null);
      assert.match(String((answer[1] as Msg).payload), /changed meanwhile: nothing assigned/);
    });

    it("reminders: asked first; the answer lists each reminder made in Swiss format", () => {
      const run = runners(file);
      const cmd = run(w("f-paycmd"));
      const dialog = cmd({ payload: "reminders", ...client })[2] as Msg;
      const token = d === 2 ? (dialog.payload as { token: string }).token : String(dialog.token);
      const sent = cmd({ token, payload: "ok", ...client })[0] as Msg[];
      assert.equal(sent[0]!.command, "reminders-run");
      const out = run(w("f-payres"))({
        view: "reminders",
        payload: {
          date: "2027-01-15",
          sent: [{ number: "M2027-0001", level: 1, invoice: "2026-0002", recipient: "Giulia", amountDue: "1152.65", currency: "CHF", dueDate: "2027-01-25" }],
          refused: [],
        },
      });
      assert.equal(
        (out[4] as Msg).payload,
        "1 reminder(s) made on 2027-01-15:\n• M2027-0001 level 1 for 2026-0002 (Giulia): CHF 1'152.65, to pay by 2027-01-25",
      );
      assert.equal((out[6] as Msg).command, "payments-list", "the lists are refreshed");
    });

    it("portal: a new link goes only to the browser that asked; the list never carries a token", () => {
      const run = runners(file);
      const out = run(w("f-portalres"))({
        view: "link",
        ...client,
        payload: { tenancy: "t1", tokenId: 4, link: "http://127.0.0.1:1881/portal/#t=SECRET", expires: "2027-12-02T10:00:00.000Z" },
      });
      const show = out[3] as Msg;
      if (d === 2) {
        assert.deepEqual(show._client, { socketId: "s1" });
        assert.equal((show.payload as { link: string }).link, "http://127.0.0.1:1881/portal/#t=SECRET");
      } else {
        assert.equal(show.socketid, "s1");
        assert.match(String(show.payload), /#t=SECRET/);
      }
      assert.doesNotMatch(JSON.stringify([out[0], out[1], out[5]]), /SECRET/);
      const list = run(w("f-portalres"))({
        view: "links",
        payload: [{ id: 4, tenancyId: "t1", state: "active", createdMs: 0, expiresMs: 1, lastUsedMs: null }],
      });
      assert.equal((list[1] as Msg).payload, "1 active link(s) of 1. The links themselves are never shown again.");
    });

    it("corrections: correcting asks with the count, the numbers and the total difference; a changed list corrects nothing", () => {
      const run = runners(file);
      const res = run(w("f-corrres"));
      const list = (amount: string): Msg => ({
        view: "corr-list",
        payload: {
          candidates: [
            {
              number: "2026-0001",
              recipient: "Anna",
              period: { from: "2026-11-01", to: "2026-11-30" },
              difference: { issuedKWh: "781.535", nowKWh: "852.922", kWh: "71.387", amount, currency: "CHF" },
              blockers: [],
            },
          ],
        },
      });
      const shown = res(list("17.90"));
      assert.equal(((shown[0] as Msg).payload as { kWh: string; amount: string }[])[0]!.amount, "CHF 17.90");
      const cmd = run(w("f-corrcmd"));
      const dialog = cmd({ payload: "correct", ...client })[2] as Msg;
      const text = d === 2 ? (dialog.payload as { text: string }).text : String(dialog.payload);
      assert.match(text, /^1 invoice\(s\) \(2026-0001\) are cancelled by a credit note each.*\(difference CHF 17\.90\)/);
      const token = d === 2 ? (dialog.payload as { token: string }).token : String(dialog.token);
      res(list("18.00"));
      const stale = cmd({ token, payload: "ok", ...client });
      assert.equal(stale[0], null);
      assert.match(String((stale[1] as Msg).payload), /list changed meanwhile: nothing corrected/);
      const again = cmd({ payload: "correct", ...client })[2] as Msg;
      const token2 = d === 2 ? (again.payload as { token: string }).token : String(again.token);
      const sent = cmd({ token: token2, payload: "ok", ...client })[0] as Msg[];
      assert.deepEqual([sent[0]!.command, sent[0]!.payload], ["corrections", { apply: true, invoices: ["2026-0001"] }]);
    });

    it("progress: the three phases fill the bar once; the busy refusal says to wait", () => {
      const run = runners(file);
      const p = run(w("f-progress"));
      const at = (phase: string, done: number, total: number): Out => p({ topic: "billing/progress", payload: { period: "2026-11", phase, done, total } });
      const half = at("compute", 50, 100);
      assert.equal((half[1] as Msg).payload, "2026-11: invoices 50 of 100 (50 %)");
      if (d === 2) assert.equal((half[0] as Msg).payload, 50);
      assert.equal((at("write", 3, 3)[1] as Msg).payload, "No billing run in progress.");
      // the run's answer ends the bar, whatever step was reported last
      at("write", 0, 3);
      const ended = p({ view: "run", topic: "billing/run", payload: { invoices: [] } });
      assert.equal((ended[1] as Msg).payload, "No billing run in progress.");
      if (d === 2) assert.equal((ended[0] as Msg).payload, 0);
      const busy = run(w("f-billres"))({ view: "run", error: { message: "x", code: "billing-busy" }, payload: null });
      assert.match(String((busy[1] as Msg).payload), /already running: wait until it has finished/);
    });
  });
}
