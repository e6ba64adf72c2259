import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { NodeMessage } from "node-red";
import billingNode from "../../nodes/zev-billing/zev-billing";
import communityNode from "../../nodes/zev-community/zev-community";
import { parseBillingCommand } from "../../nodes/zev-billing/request";
import { saveCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import type { InvoiceRecord } from "../../lib/store/invoice-repo";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { statuses } from "../support/zev-nodes";
import { billingNodesWithCatalogs, editorConfigOf } from "../support/billing-node";

describe("zev-billing node", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  async function setUp(): Promise<{ db: string }> {
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    const def = threeUnitCommunity();
    saveCommunity(store, def, { source: "test", actor: "test" });
    fillConsumers(store, "drei", "2026-11");
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    store.close();
    return { db };
  }

  it("a run message bills the period: one message per invoice and a summary", async () => {
    const { db } = await setUp();
    const cfg = editorConfigOf(db);
    await helper.load(
      [communityNode, billingNode],
      flow(
        cfg as never,
        {
          id: "b1",
          type: "zev-billing",
          community: "c1",
          period: "previous-month",
          mode: "draft",
          documentsFolder: join(tmp(), "docs"),
          wires: [["inv"], ["sum"]],
        },
        { id: "inv", type: "helper" },
        { id: "sum", type: "helper" },
      ),
    );
    const inv = helper.getNode("inv");
    const sum = helper.getNode("sum");
    const got: InvoiceRecord[] = [];
    inv.on("input", (m: NodeMessage) => got.push(m.payload as InvoiceRecord));
    const summary = new Promise<NodeMessage>((resolve) => sum.on("input", resolve));
    helper.getNode("b1").receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    const s = (await summary).payload as { stopped: boolean; invoices: { number: string }[] };
    assert.equal(s.stopped, false);
    assert.deepEqual(
      s.invoices.map((i) => i.number),
      ["2026-0001", "2026-0002", "2026-0003"],
    );
    assert.equal(got.length, 3);
    assert.equal(got[0]!.status, "issued");
    assert.equal(got[0]!.snapshot.recipient.name, "Anna Meier");
  });

  it("a bad request goes to Catch nodes with a clear error and Node-RED keeps running", async () => {
    const { db } = await setUp();
    await helper.load(
      [communityNode, billingNode],
      flow(editorConfigOf(db) as never, { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", wires: [[], []] }),
    );
    const node = helper.getNode("b1");
    const errors = collectErrors(node);
    node.receive({ command: "cancel", payload: { id: 1 } } as NodeMessage);
    node.receive({ payload: "last autumn" } as NodeMessage);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(
      errors.some((e) => /needs payload\.reason/.test(e)),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => /cannot read period "last autumn"/.test(e)),
      errors.join("\n"),
    );
  });

  it("takes its action from msg.command; an action on msg.topic still counts, with one deprecation warning; an unknown command runs nothing", async () => {
    const { db } = await setUp();
    const { node, invoices, summary } = await loadWith(db, { renderDocuments: false });
    const errors = collectErrors(node);
    let done = summary();
    node.receive({ command: "list", topic: "unit-1", payload: { period: "2026-11" } } as NodeMessage);
    assert.equal((await done).topic, "billing/list");
    for (let i = 0; i < 2; i++) {
      done = summary();
      node.receive({ topic: "list", payload: { period: "2026-11" } } as NodeMessage);
      assert.equal((await done).topic, "billing/list", "the deprecated topic still chooses the action");
    }
    const warnings = helper
      .log()
      .args.map((a: unknown[]) => a[0] as { level: number; msg: unknown })
      .filter((e: { level: number; msg: unknown }) => e.level === 30 && /topicCommand|msg\.command/.test(String(e.msg)));
    assert.equal(warnings.length, 1, "one warning per node, not per message");
    let answered = false;
    helper.getNode("sum").once("input", () => (answered = true));
    node.receive({ command: "rn", payload: { period: "2026-11", mode: "issue" } } as NodeMessage);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(
      errors.some((e) => /unknown command "rn"/.test(e)),
      errors.join("\n"),
    );
    assert.equal(answered, false);
    assert.equal(invoices.length, 0, "no invoice was made");
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

  /** Loads community + billing node (with `extra` config) and collects both outputs. */
  async function loadWith(
    db: string,
    extra: Record<string, unknown>,
    cfgChange: (c: ReturnType<typeof editorConfigOf>) => void = () => {},
    nodes: unknown[] = [communityNode, billingNode],
  ): Promise<{ node: ReturnType<typeof helper.getNode>; invoices: NodeMessage[]; summary: () => Promise<NodeMessage> }> {
    const cfg = editorConfigOf(db);
    cfgChange(cfg);
    await helper.load(
      nodes as never,
      flow(
        cfg as never,
        { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", ...extra, wires: [["inv"], ["sum"]] },
        { id: "inv", type: "helper" },
        { id: "sum", type: "helper" },
      ),
    );
    const invoices: NodeMessage[] = [];
    helper.getNode("inv").on("input", (m: NodeMessage) => invoices.push(m));
    const summary = (): Promise<NodeMessage> => new Promise<NodeMessage>((resolve) => helper.getNode("sum").once("input", resolve));
    return { node: helper.getNode("b1"), invoices, summary };
  }

  type DocMsg = NodeMessage & { document?: { filename: string; path: string | null; buffer: Buffer }; documentError?: string };

  it("each invoice message carries its PDF; issued ones are written to the folder, drafts are not", async () => {
    const { db } = await setUp();
    const folder = join(tmp(), "docs");
    const { node, invoices, summary } = await loadWith(db, { documentsFolder: folder, renderDocuments: true });
    let done = summary();
    node.receive({ payload: { period: "2026-11", mode: "draft" } } as NodeMessage);
    await done;
    assert.equal(invoices.length, 3);
    for (const m of invoices as DocMsg[]) {
      assert.equal(m.document!.path, null);
      assert.match(m.document!.filename, /^draft-\d+_unit-\d_/);
      assert.equal(m.document!.buffer.subarray(0, 5).toString(), "%PDF-");
    }
    assert.equal(existsSync(folder), false, "drafts are not written");

    invoices.length = 0;
    done = summary();
    node.receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    await done;
    const docs = (invoices as DocMsg[]).map((m) => m.document!);
    assert.deepEqual(
      docs.map((d) => d.filename),
      ["2026-0001_unit-1_Anna_Meier.pdf", "2026-0002_unit-2_Luc_Dubois.pdf", "2026-0003_unit-3_Sam_Taylor.pdf"],
    );
    assert.deepEqual(readdirSync(folder).sort(), docs.map((d) => d.filename).sort());
    for (const d of docs) {
      assert.equal(d.path, join(folder, d.filename));
      assert.ok(readFileSync(d.path!).equals(d.buffer));
    }
    // Asking for an issued invoice again renders it again from its snapshot: the same bytes.
    const firstId = (invoices[0]!.payload as InvoiceRecord).id;
    invoices.length = 0;
    done = summary();
    node.receive({ command: "get", payload: { id: firstId } } as NodeMessage);
    await done;
    assert.ok((invoices[0] as DocMsg).document!.buffer.equals(docs[0]!.buffer));
  });

  it("a document that cannot be made is reported to Catch nodes naming the invoice; the invoice is still sent", async () => {
    const { db } = await setUp();
    const folder = join(tmp(), "docs");
    // The second invoice's file name is taken by a folder: its PDF cannot be written, the others can.
    mkdirSync(join(folder, "2026-0002_unit-2_Luc_Dubois.pdf"), { recursive: true });
    const { node, invoices, summary } = await loadWith(db, { documentsFolder: folder });
    const errors = collectErrors(node);
    const done = summary();
    node.receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    await done;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(invoices.length, 3);
    const bad = (invoices as DocMsg[]).find((m) => m.documentError)!;
    assert.equal((bad.payload as InvoiceRecord).number, "2026-0002");
    assert.match(bad.documentError!, /directory/);
    assert.equal((invoices as DocMsg[]).filter((m) => m.document).length, 2);
    // The catalog text comes first (its key, where the test helper loads no catalogs), then the reason.
    assert.ok(
      errors.some((e) => /(invoice 2026-0002: no PDF|zev-billing\.errors\.document)/.test(e)),
      errors.join("\n"),
    );
  });

  it("a tenant name the QR bill does not allow stops the deploy naming the field; nothing is billed", async () => {
    const { db } = await setUp();
    const { node, invoices } = await loadWith(db, { documentsFolder: join(tmp(), "docs") }, (cfg) => {
      (cfg.tenancies as { name: string }[])[1]!.name = "Luc 東京 😀";
    });
    const errors = collectErrors(node);
    node.receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(invoices.length, 0);
    assert.ok(
      errors.some((e) => /tenancies\[1\]\.tenant\.name: .*"東京😀"/.test(e)),
      errors.join("\n"),
    );
    const store = SqliteStore.open(db);
    try {
      assert.equal(store.stmt<{ n: number }>("SELECT COUNT(*) AS n FROM invoices").get()!.n, 0);
    } finally {
      store.close();
    }
  });

  it("an invoice that could not be printed is refused with its reason, keeps no number, and the status turns yellow", async () => {
    const db = join(tmp(), "zev.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    // 80 MWh a quarter hour for unit 2: a total above the 999'999'999.99 a QR bill can carry.
    for (const [m, wh] of [
      ["unit-1", 100],
      ["unit-2", 80_000_000],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    store.close();
    const { node, summary } = await loadWith(db, { documentsFolder: join(tmp(), "docs") }, (cfg) => {
      (cfg.tariffs as { gridPerKWh?: string }[])[0]!.gridPerKWh = "4.90";
    });
    const st = statuses(node);
    const done = summary();
    node.receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    const s = (await done).payload as { invoices: { unit: string; action: string; number: string | null; problems?: { path: string; code: string }[] }[] };
    assert.deepEqual(
      s.invoices.map((i) => [i.unit, i.action, i.number]),
      [
        ["1", "issued", "2026-0001"],
        ["2", "refused", null],
        ["3", "issued", "2026-0002"],
      ],
    );
    assert.deepEqual(
      s.invoices[1]!.problems!.map((p) => `${p.path} ${p.code}`),
      ["totals.total payment.amountRange"],
    );
    const last = st[st.length - 1]!;
    assert.equal(last.fill, "yellow");
    assert.match(String(last.text), /zev-billing\.status\.doneRefused|1 refused/);
  });

  it("renderDocuments off: no PDFs; an export message returns the file as a Buffer with a safe file name", async () => {
    const { db } = await setUp();
    const { node, invoices, summary } = await loadWith(db, { renderDocuments: false });
    let done = summary();
    node.receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    await done;
    assert.ok(invoices.every((m) => (m as DocMsg).document === undefined));
    done = summary();
    node.receive({ command: "export", payload: { kind: "invoices", format: "csv", period: "2026-11" } } as NodeMessage);
    const msg = (await done) as NodeMessage & { filename: string; rows: number };
    assert.equal(msg.topic, "billing/export");
    assert.equal(msg.filename, "zev_drei_invoices_2026-11.csv");
    assert.ok(Buffer.isBuffer(msg.payload));
    const rows = parse((msg.payload as Buffer).toString("utf8"), { delimiter: ";", bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((r) => r.number),
      ["2026-0001", "2026-0002", "2026-0003"],
    );
    done = summary();
    node.receive({ command: "export", payload: { kind: "allocation", format: "xlsx", period: "2026-11" } } as NodeMessage);
    const x = (await done) as NodeMessage & { filename: string };
    assert.equal(x.filename, "zev_drei_allocation_2026-11.xlsx");
    assert.equal((x.payload as Buffer).subarray(0, 2).toString(), "PK");
  });

  it("estimate: the invoices so far per unit on output 2, nothing stored; list by period; document answers with the PDF", async () => {
    const { db } = await setUp();
    const { node, invoices, summary } = await loadWith(db, {});
    let done = summary();
    node.receive({ command: "estimate", payload: { period: "2026-11" }, req: undefined } as NodeMessage);
    const est = (await done).payload as { period: { label: string }; units: { unit: string; cost: string; consumptionKWh: number }[]; total: string };
    assert.equal(est.period.label, "2026-11");
    assert.deepEqual(
      est.units.map((u) => u.unit),
      ["1", "2", "3"],
    );
    assert.equal(invoices.length, 0, "an estimate sends no invoice");
    done = summary();
    node.receive({ command: "list", payload: { period: "2026-11" } } as NodeMessage);
    assert.deepEqual((await done).payload, [], "and stores none");

    done = summary();
    node.receive({ payload: { period: "2026-11", mode: "draft" } } as NodeMessage);
    const run = (await done).payload as { invoices: { id: number; unit: string; total: string }[] };
    // The estimate runs to today: for the month in progress it is part of the draft, for a closed month all of it.
    const whole = (est as unknown as { through: string }).through === "2026-11-30";
    for (const u of est.units) {
      const draft = Number(run.invoices.find((i) => i.unit === u.unit)!.total);
      if (whole) assert.equal(Number(u.cost), draft, `unit ${u.unit}: estimate = draft`);
      else assert.ok(Number(u.cost) > 0 && Number(u.cost) < draft, `unit ${u.unit}: ${u.cost} so far of ${draft}`);
    }
    done = summary();
    node.receive({ command: "list", payload: "2026-11" } as NodeMessage);
    assert.equal(((await done).payload as unknown[]).length, 3);
    done = summary();
    node.receive({ command: "list", payload: { period: "2026-10" } } as NodeMessage);
    assert.equal(((await done).payload as unknown[]).length, 0);

    done = summary();
    node.receive({ command: "document", payload: { id: run.invoices[0]!.id }, res: "kept" } as NodeMessage);
    const doc = (await done) as NodeMessage & { filename: string; contentType: string; res: string; invoice: { status: string } };
    assert.equal(doc.topic, "billing/document");
    assert.equal((doc.payload as Buffer).subarray(0, 5).toString(), "%PDF-");
    assert.match(doc.filename, /^draft-\d+_unit-1_Anna_Meier\.pdf$/);
    assert.equal(doc.contentType, "application/pdf");
    assert.equal(doc.res, "kept", "the message's other properties stay (http response)");
    assert.equal(doc.invoice.status, "draft");
  });

  it("refuses to hand a PDF to an http-in request when Node-RED does not authenticate HTTP routes", async () => {
    const { db } = await setUp();
    const { node, summary } = await loadWith(db, {});
    const done = summary();
    node.receive({ payload: { period: "2026-11", mode: "draft" } } as NodeMessage);
    const run = (await done).payload as { invoices: { id: number }[] };
    const errors = collectErrors(node);
    let answered = false;
    void summary().then(() => (answered = true));
    node.receive({ command: "document", payload: { id: run.invoices[0]!.id }, req: { headers: {} }, res: {} } as NodeMessage);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answered, false);
    assert.ok(
      errors.some((e) => /httpNodeAuth|documentNoAuth/.test(e)),
      errors.join("\n"),
    );
  });

  it("parses export commands and refuses unknown kinds", () => {
    const d = { period: "previous-month", mode: "draft" as const };
    assert.deepEqual(parseBillingCommand("export", { kind: "intervals", format: "xlsx", period: "2026-11", meter: "unit-1" }, d), {
      action: "export",
      kind: "intervals",
      format: "xlsx",
      period: "2026-11",
      meter: "unit-1",
    });
    assert.deepEqual(parseBillingCommand("export", { kind: "allocation" }, d), {
      action: "export",
      kind: "allocation",
      format: "csv",
      period: "previous-month",
    });
    assert.throws(() => parseBillingCommand("export", { kind: "pdf" }, d), /export kind must be one of/);
  });

  it("a charger meter with energy but no sessions: the run summary and the estimate report the kWh, the status turns yellow and says so", async () => {
    const { db } = await setUp();
    const store = SqliteStore.open(db);
    fillMeter(store, "drei", "charger-1", "2026-11", (i) => (i >= 100 && i < 150 ? 100 : 0));
    store.close();
    const { node, summary } = await loadWith(db, { renderDocuments: false }, undefined, billingNodesWithCatalogs);
    const st = statuses(node as never);
    const warned: string[] = [];
    (node as unknown as import("node:events").EventEmitter).on("call:warn", (c: { args: unknown[] }) => warned.push(String(c.args[0])));
    let done = summary();
    node.receive({ payload: { period: "2026-11", mode: "draft" } } as NodeMessage);
    const run = (await done).payload as { unbilledKWh: string; unbilled: unknown[]; notices: { code: string; params: Record<string, unknown> }[] };
    assert.equal(run.unbilledKWh, "5.000");
    assert.deepEqual(run.unbilled, [{ kind: "charger-without-sessions", meter: "charger-1", wh: 5000 }]);
    assert.deepEqual(run.notices.find((n) => n.code === "unbilled.chargerWithoutSessions")!.params, { meter: "charger-1", kWh: "5.000" });
    assert.deepEqual(st[st.length - 1], { fill: "yellow", shape: "dot", text: "2026-11: 3 invoice(s), 5.000 kWh billed to nobody" });
    assert.ok(
      warned.some((w) => /charger meter charger-1 measured 5\.000 kWh but no charging session/.test(w)),
      warned.join("\n"),
    );
    done = summary();
    node.receive({ command: "estimate", payload: { period: "2026-11" } } as NodeMessage);
    const est = (await done).payload as { unbilledKWh: string };
    assert.equal(est.unbilledKWh, "5.000", "the dashboard's estimate has the figure");
  });

  it("a re-run over an issued period after late data: the summary gives each differing invoice's kWh and CHF, the status says issued invoices differ", async () => {
    const { db } = await setUp();
    const { node, summary } = await loadWith(db, { renderDocuments: false }, undefined, billingNodesWithCatalogs);
    const st = statuses(node as never);
    let done = summary();
    node.receive({ payload: { period: "2026-11", mode: "issue", invoiceDate: "2026-12-01" } } as NodeMessage);
    await done;
    // Late data: unit 2 measured 50 Wh more in each of 20 quarter hours without solar (nobody else's share moves).
    const store = SqliteStore.open(db);
    fillMeter(store, "drei", "unit-2", "2026-11", (i) => (i < 27 && i % 4 !== 0 ? 250 : null));
    store.close();
    done = summary();
    node.receive({ payload: { period: "2026-11", mode: "draft" } } as NodeMessage);
    const run = (await done).payload as {
      invoices: { tenancyKey: string; action: string; difference?: { kWh: string; amount: string; correction: { cancelInvoiceId: number } } }[];
      notices: { code: string }[];
    };
    const luc = run.invoices.find((i) => i.tenancyKey === "t2")!;
    assert.equal(luc.action, "skipped");
    assert.equal(luc.difference!.kWh, "+1.000");
    assert.match(luc.difference!.amount, /^\+0\.\d\d$/, JSON.stringify(luc.difference));
    assert.ok(run.notices.some((n) => n.code === "issued.differs"));
    assert.deepEqual(st[st.length - 1], { fill: "yellow", shape: "dot", text: "2026-11: 1 issued invoice(s) differ from the data" });
  });

  it("has the same catalog keys and a help text in en-US, de, fr and it", () => {
    const dir = join(__dirname, "../../nodes/zev-billing/locales");
    const keys = (o: unknown, prefix = ""): string[] =>
      Object.entries(o as Record<string, unknown>)
        .flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
        .sort();
    const en = keys(JSON.parse(readFileSync(join(dir, "en-US", "zev-billing.json"), "utf8")));
    for (const lang of ["de", "fr", "it"]) {
      assert.deepEqual(keys(JSON.parse(readFileSync(join(dir, lang, "zev-billing.json"), "utf8"))), en, lang);
      assert.match(readFileSync(join(dir, lang, "zev-billing.html"), "utf8"), /data-help-name="zev-billing"[\s\S]*msg|document/);
    }
  });
});
