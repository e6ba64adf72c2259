import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import type { Alert } from "../../lib/model/alert";
import { saveCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { billingNodesWithCatalogs, editorConfigOf } from "../support/billing-node";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";

type Summary = NodeMessage & { payload: { stopped: boolean; notices: unknown[] } };

describe("zev-billing: alerts of billing runs (real Node-RED)", function () {
  this.timeout(60_000);
  const helper = useNodeRed();
  const tmp = useTmpDir();

  function dataFor(db: string, chargerWh: number): void {
    const store = SqliteStore.open(db);
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    fillConsumers(store, "drei", "2026-11");
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    // A charger meter with energy and no charging session: a warning of the run ("billed to nobody").
    fillMeter(store, "drei", "charger-1", "2026-11", () => chargerWh);
    store.close();
  }

  async function load(db: string, change: (c: ReturnType<typeof editorConfigOf>) => void = () => {}) {
    const cfg = editorConfigOf(db);
    change(cfg);
    await helper.load(
      billingNodesWithCatalogs as never,
      flow(
        cfg as never,
        { id: "b1", type: "zev-billing", community: "c1", period: "previous-month", mode: "draft", renderDocuments: false, wires: [[], ["sum"], ["alerts"]] },
        { id: "sum", type: "helper" },
        { id: "alerts", type: "helper" },
      ),
    );
    const alerts: (Alert & { topic: string })[] = [];
    helper.getNode("alerts").on("input", (m: NodeMessage) => alerts.push({ ...(m.payload as Alert), topic: m.topic! }));
    const node = helper.getNode("b1");
    const run = async (payload: unknown): Promise<Summary> => {
      const sum = new Promise<Summary>((resolve) => helper.getNode("sum").once("input", (m: NodeMessage) => resolve(m as Summary)));
      node.receive({ payload } as NodeMessage);
      const s = await sum;
      await new Promise((r) => setTimeout(r, 200));
      return s;
    };
    return { node, alerts, run };
  }

  it("a run with warnings raises billing-warnings once, in the owner's German; a run without them resolves it once", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db, 50);
    const { alerts, run } = await load(db, (c) => ((c as { ownerLanguage?: string }).ownerLanguage = "de"));
    const first = await run("2026-11");
    assert.ok(first.payload.notices.length > 0);
    await run("2026-11");
    assert.equal(alerts.length, 1, "raised once, not once per run");
    const a = alerts[0]!;
    assert.deepEqual(
      [a.topic, a.code, a.state, a.severity, a.key, a.language],
      ["zev/alert/billing-warnings", "billing-warnings", "raised", "warning", "billing-warnings:2026-11", "de"],
    );
    assert.deepEqual(a.params, { period: "2026-11", count: first.payload.notices.length });
    assert.equal(
      a.text,
      `Abrechnungslauf 2026-11 mit ${first.payload.notices.length} Warnung(en) beendet: Lesen Sie den Bericht des Laufs, bevor Sie die Rechnungen versenden.`,
    );

    const store = SqliteStore.open(db);
    fillMeter(store, "drei", "charger-1", "2026-11", () => 0);
    store.close();
    assert.equal((await run("2026-11")).payload.notices.length, 0);
    await run("2026-11");
    assert.deepEqual(
      alerts.map((x) => [x.state, x.key, x.since]),
      [
        ["raised", "billing-warnings:2026-11", a.since],
        ["resolved", "billing-warnings:2026-11", a.since],
      ],
    );
    assert.match(alerts[1]!.text, /^Behoben: Abrechnungslauf 2026-11/);
  });

  it("a failed run (a period without a price plan) raises billing-failed in Italian, Catch still gets the error; after a redeploy with a plan the run resolves it", async () => {
    const db = join(tmp(), "zev.sqlite");
    dataFor(db, 0);
    const late = (c: ReturnType<typeof editorConfigOf>): void => {
      (c as { ownerLanguage?: string }).ownerLanguage = "it";
      (c.tariffs as { validFrom: string }[])[0]!.validFrom = "2026-11-15";
    };
    let n = await load(db, late);
    const errors = collectErrors(n.node);
    n.node.receive({ payload: "2026-11" } as NodeMessage);
    await new Promise((r) => setTimeout(r, 4000));
    assert.ok(
      errors.some((e) => /no price plan in force/.test(e)),
      errors.join("\n"),
    );
    assert.equal(n.alerts.length, 1);
    const a = n.alerts[0]!;
    assert.deepEqual([a.code, a.state, a.severity, a.key, a.language], ["billing-failed", "raised", "critical", "billing-failed:2026-11", "it"]);
    assert.deepEqual(a.params, { period: "2026-11", reason: "unpriced", days: 14, first: "2026-11-01" });
    assert.equal(
      a.text,
      "Fatturazione 2026-11 non riuscita: nessuna tariffa in vigore per 14 giorno/i del periodo (dal 2026-11-01); aggiungete una tariffa. Non è stata emessa alcuna fattura.",
    );

    // The plan fixed and deployed: the open incident was kept in the store and is resolved by the next run.
    await helper.unload();
    n = await load(db, (c) => ((c as { ownerLanguage?: string }).ownerLanguage = "it"));
    assert.equal((await n.run("2026-11")).payload.stopped, false);
    assert.deepEqual(
      n.alerts.map((x) => [x.code, x.state, x.key, x.since]),
      [["billing-failed", "resolved", "billing-failed:2026-11", a.since]],
    );
    assert.match(n.alerts[0]!.text, /^Risolto: Fatturazione 2026-11 non riuscita/);
  });
});
