import assert from "node:assert/strict";
import { generatedFiles } from "../../../../scripts/flows/build";
import type { FlowNode } from "../../../../scripts/flows/nodes";

/*
 * The dashboard tabs' function nodes, run as Node-RED runs them (the code of
 * the generated files, with flow and node context): Swiss number formats,
 * the confirmation before issuing, errors as what happened and what to do,
 * chart times in Zurich wall time, the active mode's button.
 */
type Msg = Record<string, unknown>;
type Out = (Msg | Msg[] | null)[] | Msg | null;

function runner(file: string, id: string): { run: (msg: Msg) => Out; flow: Map<string, unknown> } {
  const node = generatedFiles()
    .get(file)!
    .find((n: FlowNode) => n.id === id)!;
  const flow = new Map<string, unknown>();
  const ctx = new Map<string, unknown>();
  const store = (m: Map<string, unknown>) => ({ get: (k: string) => m.get(k), set: (k: string, v: unknown) => void m.set(k, v) });
  const fn = new Function("msg", "flow", "context", "node", "env", String(node.func)) as (...a: unknown[]) => Out;
  return { run: (msg) => fn(structuredClone(msg), store(flow), store(ctx), {}, {}), flow };
}

const DRAFTS = [
  {
    id: 11,
    number: null,
    recipient: "Anna Meier",
    unitId: "1",
    periodFrom: "2026-11-01",
    periodTo: "2026-11-30",
    currency: "CHF",
    total: "1234.50",
    status: "draft",
  },
  {
    id: 12,
    number: null,
    recipient: "Luc Dubois",
    unitId: "2",
    periodFrom: "2026-11-01",
    periodTo: "2026-11-30",
    currency: "CHF",
    total: "152.65",
    status: "draft",
  },
];

for (const d of [2, 1] as const) {
  const file = `dashboard/dashboard-${d}.json`;
  const w = (n: string): string => `zd${d}-${n}`;

  describe(`dashboard ${d} function nodes`, () => {
    it("issue all asks first with the count and the total in Swiss format; cancel issues nothing, ok issues exactly the drafts shown", () => {
      const res = runner(file, w("f-billres"));
      const cmd = runner(file, w("f-billcmd"));
      // the list answer fills the table (CHF 1'234.50) and what the buttons act on
      const listed = res.run({ view: "list", payload: DRAFTS }) as Msg[];
      assert.equal(((listed[0] as Msg).payload as { total: string }[])[0]!.total, "CHF 1'234.50");
      cmd.flow.set("zevInvoiceRows", res.flow.get("zevInvoiceRows"));
      const asked = cmd.run({ topic: "button", payload: "issueAll", _client: { socketId: "s1" }, socketid: "s1" }) as (Msg | null)[];
      assert.equal(asked[0], null, "no issue command before the confirmation");
      const dialog = asked[3] as Msg;
      const text = JSON.stringify(dialog);
      assert.match(text, /2 invoice\(s\)/);
      assert.match(text, /CHF 1'387\.15/, "the total of the two drafts, exact");
      const token = d === 2 ? (dialog.payload as { token: string }).token : (dialog.token as string);
      const cancelled = cmd.run({ token, payload: "cancel" }) as (Msg | null)[];
      assert.equal(cancelled[0], null, "cancel issues nothing");
      assert.equal((cancelled[1] as Msg).payload, "Nothing issued.");
      // an old answer (the token was used) issues nothing either
      assert.equal((cmd.run({ token, payload: "ok" }) as (Msg | null)[])[0], null);
      const again = cmd.run({ topic: "button", payload: "issueAll" }) as (Msg | null)[];
      const t2 = d === 2 ? ((again[3] as Msg).payload as { token: string }).token : ((again[3] as Msg).token as string);
      const issued = cmd.run({ token: t2, payload: "ok" }) as (Msg[] | null)[];
      assert.deepEqual(
        issued[0]!.map((m) => [m.command, (m.payload as { id: number }).id]),
        [
          ["issue", 11],
          ["issue", 12],
        ],
      );
    });

    it("a draft whose total changed after the question is not issued", () => {
      const res = runner(file, w("f-billres"));
      const cmd = runner(file, w("f-billcmd"));
      res.run({ view: "list", payload: DRAFTS });
      cmd.flow.set("zevInvoiceRows", res.flow.get("zevInvoiceRows"));
      const asked = cmd.run({ topic: "button", payload: "issueAll" }) as (Msg | null)[];
      const token = d === 2 ? ((asked[3] as Msg).payload as { token: string }).token : ((asked[3] as Msg).token as string);
      res.run({ view: "list", payload: [{ ...DRAFTS[0], total: "1300.00" }, DRAFTS[1]] });
      cmd.flow.set("zevInvoiceRows", res.flow.get("zevInvoiceRows"));
      const out = cmd.run({ token, payload: "ok" }) as (Msg | null)[];
      assert.equal(out[0], null);
      assert.match(String((out[1] as Msg).payload), /changed meanwhile/);
    });

    it("an error shows what happened and what to do, never the exception text", () => {
      const raw = { message: "RangeError: Invalid time value", stack: "RangeError: Invalid time value\n    at x (y.js:1:2)" };
      for (const [id, slot] of [
        ["f-billres", 1],
        ["f-day", 2],
        ["f-units", 2],
        ["f-charger", 0],
        ["f-data", 1],
      ] as const) {
        const out = runner(file, w(id)).run({ error: raw, view: "month" }) as (Msg | null)[];
        const shown = String((out[slot] as Msg).payload);
        assert.doesNotMatch(shown, /RangeError|Invalid time value|at x/, `${id}: ${shown}`);
        assert.match(shown, /Node-RED/, `${id}: says where to look: ${shown}`);
      }
      const coded = runner(file, w("f-billres")).run({ error: { message: "unknown command", code: "billing.unknownCommand" } }) as (Msg | null)[];
      assert.match(String((coded[1] as Msg).payload), /import the dashboard tab/);
    });

    it("a link call without an answer (no link-in, or too slow) says so where the answer would have gone", () => {
      const routed = runner(file, w("f-nocall")).run({ target: "zev billing", command: "list", view: "list", error: { message: "timeout" } }) as (Msg | null)[];
      const shown = runner(file, w("f-billres")).run(routed[0] as Msg) as (Msg | null)[];
      assert.match(String((shown[1] as Msg).payload), /^The billing request was not carried out\. No answer in time: check that the link-in nodes/);
      const day = runner(file, w("f-nocall")).run({
        target: "zev aggregate",
        command: "series",
        error: { message: "target link-in node 'zev aggregate' not found" },
      }) as (Msg | null)[];
      assert.ok(day[2] && !day[0] && !day[3], "the day's request goes to the day's charts");
    });

    it("the PDF route answers a short text, never the node's error", () => {
      const pdf = runner(file, w("f-pdfres"));
      const missing = pdf.run({ error: { message: "invoice 99 does not exist in this community" } }) as Msg;
      assert.deepEqual([missing.statusCode, missing.payload], [404, "This invoice does not exist."]);
      const broken = pdf.run({ error: { message: "TypeError: Cannot read properties of undefined (reading 'x')", stack: "at y" } }) as Msg;
      assert.equal(broken.statusCode, 500);
      assert.doesNotMatch(String(broken.payload), /TypeError|Cannot read/);
    });

    it("the day's quarter hours carry Zurich wall time: the day's first bar is at 00:00 there", () => {
      const start = Date.UTC(2026, 6, 1, 22, 0); // 2026-07-02 00:00 in Zurich (summer time)
      const out = runner(file, w("f-day")).run({
        payload: {
          date: "2026-07-02",
          points: [{ startMs: start, solarKWh: 0, batteryKWh: 0, gridKWh: 0.1, solarToBatteryKWh: 0, solarExportKWh: 0 }],
          totals: { productionKWh: 0, consumptionKWh: 0.1, selfSufficiency: 0 },
        },
      }) as (Msg | null)[];
      const cons = (out[0] as Msg).payload as ({ x: number } | { data: { x: number }[][] })[];
      const x = d === 2 ? (cons[0] as { x: number }).x : (cons[0] as { data: { x: number }[][] }).data[0]![0]!.x;
      const wallMidnight = Date.UTC(2026, 6, 2, 0, 0);
      assert.ok(x >= wallMidnight && x < wallMidnight + 15 * 60_000, new Date(x).toISOString());
    });

    // Dashboard 1's day charts take their range from their data: Dashboard 2 only.
    if (d === 2)
      it("a day without a closed quarter hour yet (just after midnight) still spans its own day, 00:00 to 23:59 in Zurich", () => {
        const out = runner(file, w("f-day")).run({
          payload: { date: "2026-12-02", points: [], totals: { productionKWh: 0, consumptionKWh: 0, selfSufficiency: null } },
        }) as (Msg | null)[];
        for (const m of [out[0], out[1]] as Msg[]) {
          const axis = (m as unknown as { ui_update: { chartOptions: { xAxis: { min: number; max: number } } } }).ui_update.chartOptions.xAxis;
          assert.deepEqual([new Date(axis.min).toISOString(), new Date(axis.max).toISOString()], ["2026-12-02T00:00:00.000Z", "2026-12-02T23:59:00.000Z"]);
        }
      });

    it("numbers in Swiss formats: estimate rows and note, day totals, charger sessions, health counts", () => {
      const units = runner(file, w("f-units")).run({
        view: "period",
        payload: {
          currency: "CHF",
          total: "12345.60",
          through: "2026-11-30",
          coverage: 1,
          period: { label: "2026-11" },
          units: [
            {
              unit: "1",
              label: "W1",
              payers: [{ name: "A" }],
              consumptionKWh: 1234.56,
              commonKWh: 10,
              evKWh: 0,
              solarShare: 0.5,
              selfSufficiency: 0.4,
              cost: "1234.5",
            },
          ],
        },
      }) as (Msg | null)[];
      const row = ((units[1] as Msg).payload as Record<string, string>[])[0]!;
      assert.equal(row.own, "1'234.6");
      assert.equal(row.cost, "CHF 1'234.50");
      assert.match(String((units[3] as Msg).payload), /CHF 12'345\.60/);
      const day = runner(file, w("f-day")).run({
        payload: { date: "2026-11-27", points: [], totals: { productionKWh: 1234.5, consumptionKWh: 56.78, selfSufficiency: 0.3 } },
      }) as (Msg | null)[];
      assert.match(String((day[2] as Msg).payload), /1'234\.5 kWh/);
      const live = runner(file, w("f-live")).run({
        payload: { ts: Date.UTC(2026, 11, 1, 12), productionW: 12345, consumptionW: 800, gridW: -2550, batteryW: null, perMeter: [], selfSufficiency: 1 },
      }) as (Msg | null)[];
      assert.equal((live[0] as Msg).payload, "12.35 kW");
      assert.equal((live[3] as Msg).payload, "export 2.55 kW");
    });

    // Dashboard 1's live chart stays in the browser's zone (its window follows the browser's clock): Dashboard 2 only.
    if (d === 2)
      it("chart points carry Zurich wall time (drawn as UTC): midnight in Zurich is 00:00, summer and winter", () => {
        const live = runner(file, w("f-live"));
        for (const [utc, wall] of [
          [Date.UTC(2026, 11, 1, 23, 0), Date.UTC(2026, 11, 2, 0, 0)],
          [Date.UTC(2026, 6, 1, 22, 0), Date.UTC(2026, 6, 2, 0, 0)],
        ] as const) {
          const out = live.run({ payload: { ts: utc, productionW: 0, consumptionW: 0, gridW: 0, perMeter: [] } }) as (Msg | Msg[] | null)[];
          const chart = out[6]!;
          const x: number = d === 2 ? ((chart as Msg).payload as { x: number }[])[0]!.x : Number((chart as Msg[])[0]!.timestamp);
          assert.equal(x, wall);
        }
      });

    it("the charger view marks the button of the mode in force", () => {
      const out = runner(file, w("f-charger")).run({
        payload: { mode: "priority", carState: "C", powerW: 7400, session: null, recent: [], month: [] },
      }) as (Msg | null)[];
      // Dashboard 2: a message per button; Dashboard 1: both buttons in one template's message
      const [prio, normal] = d === 2 ? [out[6] as Msg, out[7] as Msg] : ((out[6] as Msg).payload as Msg[]);
      const label = (m: Msg): string => String(d === 2 ? (m.ui_update as { label: string }).label : m.label);
      if (d === 1) assert.deepEqual([prio!.active, normal!.active], [true, false]);
      assert.match(label(prio), /✓ .*priority.*active/);
      assert.doesNotMatch(label(normal), /active/);
      assert.match(label(normal), /^Switch to normal/);
    });
  });
}

describe("dashboard 2 next to an existing Dashboard 2.0", () => {
  it("the pages-only files have no ui-base; every node that needs a base leaves it empty to be chosen", () => {
    for (const [file, nodes] of generatedFiles()) {
      if (!file.startsWith("dashboard/dashboard-2-pages")) continue;
      assert.equal(nodes.filter((n) => n.type === "ui-base").length, 0, file);
      const pages = nodes.filter((n) => n.type === "ui-page");
      // Live, Units, Chargers, Data, Billing; Payments and Portal since issues 14 and 15
      assert.equal(pages.length, 7);
      for (const n of nodes) if ("ui" in n && n.type !== "ui-template") assert.equal(n.ui, "", `${file}: ${n.id}`);
      assert.ok(
        nodes.some((n) => n.type === "ui-theme"),
        "the theme comes along (a page chooses its theme)",
      );
    }
  });
});
