import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import { DateTime } from "luxon";
import type { Alert } from "../../lib/model/alert";
import { scheduledRunOf } from "../../lib/store/billing-schedule-repo";
import { saveCommunity } from "../../lib/store/community-repo";
import { listInvoices, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { billingNodesWithCatalogs, editorConfigOf } from "../support/billing-node";
import { FakeClock } from "../support/fake-clock";
import { flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { statuses } from "../support/zev-nodes";

const zurich = (iso: string): number => DateTime.fromISO(iso, { zone: "Europe/Zurich" }).toMillis();
const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Report = NodeMessage & {
  schedule?: { period: string; due: string; mode: string };
  payload: { stopped: boolean; invoices: { action: string; number: string | null }[] };
};
type InvoiceMsg = NodeMessage & { payload: InvoiceRecord; document?: { filename: string; buffer: Buffer } };

describe("zev-billing: scheduled runs (real Node-RED, fake clock)", function () {
  // Each run starts a billing worker (under tsx from the sources): seconds each on a loaded machine.
  this.timeout(120_000);
  const helper = useNodeRed();
  const tmp = useTmpDir();
  afterEach(() => void helper.settings({}));

  function dataFor(db: string, opts: { coverage?: "low" } = {}): void {
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    fillConsumers(store, "drei", "2026-11");
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    // unit-1's meter delivered only its first 1000 quarter hours of November (35 %).
    if (opts.coverage === "low")
      store.stmt("DELETE FROM intervals WHERE meter_id = (SELECT id FROM meters WHERE meter_key = 'unit-1') AND start_ms >= ?").run(zurich("2026-11-11T10:00"));
    store.close();
  }

  /** The billing node with a schedule under `clock`; the three outputs collected. */
  async function load(db: string, clock: FakeClock, schedule: Record<string, unknown>, ownerLanguage = "de") {
    helper.settings({ zevClock: clock } as never);
    const cfg = editorConfigOf(db);
    (cfg as { ownerLanguage?: string }).ownerLanguage = ownerLanguage;
    await helper.load(
      billingNodesWithCatalogs as never,
      flow(
        cfg as never,
        {
          id: "b1",
          type: "zev-billing",
          community: "c1",
          period: "previous-month",
          mode: "draft",
          documentsFolder: join(tmp(), "docs"),
          scheduleRhythm: "monthly",
          scheduleDay: "1",
          scheduleTime: "06:00",
          scheduleMode: "draft",
          ...schedule,
          wires: [["inv"], ["sum"], ["alerts"]],
        },
        { id: "inv", type: "helper" },
        { id: "sum", type: "helper" },
        { id: "alerts", type: "helper" },
      ),
    );
    const invoices: InvoiceMsg[] = [];
    const reports: Report[] = [];
    const alerts: Alert[] = [];
    helper.getNode("inv").on("input", (m: NodeMessage) => invoices.push(m as InvoiceMsg));
    helper.getNode("sum").on("input", (m: NodeMessage) => reports.push(m as Report));
    helper.getNode("alerts").on("input", (m: NodeMessage) => alerts.push(m.payload as Alert));
    const node = helper.getNode("b1");
    const seen = statuses(node);
    const nextReport = (): Promise<Report> => new Promise((resolve) => helper.getNode("sum").once("input", (m: NodeMessage) => resolve(m as Report)));
    return { node, invoices, reports, alerts, seen, nextReport };
  }

  it("runs nothing before the due time; at 06:00 on the 1st one draft run of the previous month, its report on output 2, no draft sent for e-mail", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db);
    const clock = new FakeClock(zurich("2026-11-30T12:00"));
    const { invoices, reports, seen, nextReport } = await load(db, clock, {});
    clock.moveTo(clock.now());
    clock.moveTo(zurich("2026-12-01T05:59"));
    await settle();
    assert.equal(reports.length, 0, "nothing before the due time");
    assert.ok(
      seen.some((s) => /2026-12-01 06:00 \(2026-11\)/.test(s.text ?? "")),
      JSON.stringify(seen),
    );
    const report = nextReport();
    clock.moveTo(zurich("2026-12-01T06:00"));
    const r = await report;
    assert.equal(r.topic, "billing/run");
    assert.deepEqual(r.schedule, { period: "2026-11", due: "2026-12-01T05:00:00.000Z", mode: "draft" });
    assert.equal(r.payload.stopped, false);
    assert.deepEqual(
      r.payload.invoices.map((i) => i.action),
      ["created", "created", "created"],
    );
    clock.moveTo(zurich("2026-12-20T00:00"));
    await settle();
    assert.equal(reports.length, 1, "one run");
    assert.equal(invoices.length, 0, "drafts wait for review: none goes to the e-mail output");
    const store = SqliteStore.open(db);
    try {
      assert.deepEqual(
        listInvoices(store, "drei", {}).map((i) => [i.status, i.periodFrom]),
        [
          ["draft", "2026-11-01"],
          ["draft", "2026-11-01"],
          ["draft", "2026-11-01"],
        ],
      );
      assert.equal(scheduledRunOf(store, "drei", "2026-11")?.outcome, "done");
    } finally {
      store.close();
    }
  });

  it("with issue chosen, the invoices are issued, dated the day of the run, and each is handed to output 1 with its PDF; after a restart the period is not run again", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db);
    const clock = new FakeClock(zurich("2026-12-01T05:00"));
    let n = await load(db, clock, { scheduleMode: "issue" });
    const report = n.nextReport();
    clock.moveTo(zurich("2026-12-01T06:00"));
    const r = await report;
    await settle();
    assert.deepEqual(
      r.payload.invoices.map((i) => [i.action, i.number]),
      [
        ["issued", "2026-0001"],
        ["issued", "2026-0002"],
        ["issued", "2026-0003"],
      ],
    );
    assert.deepEqual(
      n.invoices.map((m) => [m.payload.number, m.payload.status, m.payload.snapshot.invoiceDate]),
      [
        ["2026-0001", "issued", "2026-12-01"],
        ["2026-0002", "issued", "2026-12-01"],
        ["2026-0003", "issued", "2026-12-01"],
      ],
    );
    for (const m of n.invoices) {
      assert.ok(Buffer.isBuffer(m.document?.buffer), "the PDF as a Buffer");
      assert.equal(m.document!.buffer.subarray(0, 5).toString(), "%PDF-");
    }

    // Node-RED restarts an hour later (a redeploy, a reboot): the period stays billed once.
    await helper.unload();
    assert.equal(clock.pending, 0, "the closed node left no timer");
    clock.moveTo(zurich("2026-12-01T07:00"));
    n = await load(db, clock, { scheduleMode: "issue" });
    clock.moveTo(zurich("2026-12-02T07:00"));
    await settle(1000);
    assert.equal(n.reports.length, 0, "no second run of 2026-11");
    assert.equal(n.invoices.length, 0, "no invoice e-mailed twice");
    assert.ok(
      n.seen.some((s) => /2027-01-01 06:00 \(2026-12\)/.test(s.text ?? "")),
      JSON.stringify(n.seen),
    );
  });

  it("a run missed while Node-RED was down is made up when it comes back within three days, not later", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db);
    const clock = new FakeClock(zurich("2026-12-03T05:00"));
    let n = await load(db, clock, {});
    const report = n.nextReport();
    clock.moveTo(clock.now());
    assert.equal((await report).schedule?.period, "2026-11");

    await helper.unload();
    const late = join(tmp(), "late.sqlite");
    dataFor(late);
    const clock2 = new FakeClock(zurich("2026-12-04T07:00"));
    n = await load(late, clock2, {});
    clock2.moveTo(clock2.now());
    await settle(1000);
    assert.equal(n.reports.length, 0, "more than 72 h after the due time: left to the admin");
    assert.ok(
      n.seen.some((x) => /2027-01-01 06:00 \(2026-12\)/.test(x.text ?? "")),
      JSON.stringify(n.seen),
    );
  });

  it("refuses a scheduled run on low data coverage: nothing issued, the report says why, one alert raised in the community's language; a good run resolves it once", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db, { coverage: "low" });
    const clock = new FakeClock(zurich("2026-12-01T05:00"));
    const { node, invoices, alerts, nextReport } = await load(db, clock, { scheduleMode: "issue" }, "fr");
    let report = nextReport();
    clock.moveTo(zurich("2026-12-01T06:00"));
    const r = await report;
    await settle();
    assert.equal(r.payload.stopped, true);
    assert.equal(invoices.length, 0, "nothing issued, nothing e-mailed");
    assert.equal(alerts.length, 1);
    const raised = alerts[0]!;
    assert.equal(raised.code, "billing-coverage-low");
    assert.equal(raised.state, "raised");
    assert.equal(raised.severity, "critical");
    assert.equal(raised.key, "billing-coverage-low:2026-11");
    assert.equal(raised.community, "drei");
    assert.equal(raised.language, "fr");
    assert.equal(raised.since, "2026-12-01T05:00:00.000Z");
    assert.match(raised.text, /^Facturation 2026-11 refusée : couverture des données inférieure à 95 % pour unit-1 3\d\.\d %/);

    // The same refusal again (a manual run) is the same incident: not raised twice.
    report = nextReport();
    node.receive({ payload: "2026-11" } as NodeMessage);
    assert.equal((await report).payload.stopped, true);
    await settle();
    assert.equal(alerts.length, 1, "raised once");

    // The data completed, the period billed by hand: resolved, once, with the raise's key and since.
    const store = SqliteStore.open(db);
    fillConsumers(store, "drei", "2026-11");
    store.close();
    clock.moveTo(zurich("2026-12-02T09:00"));
    report = nextReport();
    node.receive({ payload: "2026-11" } as NodeMessage);
    assert.equal((await report).payload.stopped, false);
    report = nextReport();
    node.receive({ payload: "2026-11" } as NodeMessage);
    await report;
    await settle();
    assert.deepEqual(
      alerts.map((a) => [a.code, a.state, a.key, a.since]),
      [
        ["billing-coverage-low", "raised", "billing-coverage-low:2026-11", "2026-12-01T05:00:00.000Z"],
        ["billing-coverage-low", "resolved", "billing-coverage-low:2026-11", "2026-12-01T05:00:00.000Z"],
      ],
    );
    assert.equal(alerts[1]!.at, "2026-12-02T08:00:00.000Z");
    assert.match(alerts[1]!.text, /^Résolu : Facturation 2026-11 refusée/);
  });

  it("a scheduled run refused because another run is busy says so (report and alert) and goes 5 minutes later; the run that went resolves the alert", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db);
    const clock = new FakeClock(zurich("2026-12-01T05:00"));
    const { node, alerts, reports } = await load(db, clock, {});
    clock.moveTo(clock.now());
    const manual = new Promise<void>((resolve) => helper.getNode("sum").on("input", (m: NodeMessage) => !(m as Report).schedule && resolve()));
    node.receive({ payload: "2026-11" } as NodeMessage);
    // The manual run's worker is starting: the schedule's turn comes while it runs.
    await settle(50);
    clock.moveTo(zurich("2026-12-01T06:00"));
    await manual;
    await settle();
    const refused = reports.find((r) => r.schedule);
    assert.ok(refused, "the refused scheduled run reports");
    assert.equal(refused.payload.stopped, true);
    assert.equal((refused.payload as unknown as { failed: string }).failed, "busy");
    // The manual run of the same period went: the failure of the period is over.
    assert.deepEqual(
      alerts.map((a) => [a.code, a.state, a.params.reason]),
      [
        ["billing-failed", "raised", "busy"],
        ["billing-failed", "resolved", "busy"],
      ],
    );
    assert.match(alerts[0]!.text, /^Abrechnungslauf 2026-11 fehlgeschlagen: ein anderer Abrechnungslauf der Gemeinschaft lief noch/);

    const retried = new Promise<Report>((resolve) => helper.getNode("sum").on("input", (m: NodeMessage) => (m as Report).schedule && resolve(m as Report)));
    clock.moveTo(zurich("2026-12-01T06:04"));
    await settle();
    assert.equal(reports.filter((r) => r.schedule).length, 1, "not before 5 minutes");
    clock.moveTo(zurich("2026-12-01T06:05"));
    const r = await retried;
    assert.equal(r.payload.stopped, false, JSON.stringify(r.payload).slice(0, 400));
    await settle();
    assert.equal(alerts.length, 2, "the retry raises nothing new");
  });
});
