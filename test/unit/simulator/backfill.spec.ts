import assert from "node:assert/strict";
import { join } from "node:path";
import { dataQuality } from "../../../lib/aggregation/data-quality";
import { runBilling } from "../../../lib/billing/run";
import { backfill, demoBackfillStart, simulatedOutage } from "../../../lib/simulator/backfill";
import { SiteSimulator } from "../../../lib/simulator/engine";
import { SONNENHOF_SITE, withSiteMeters } from "../../../lib/simulator/site";
import { saveCommunity } from "../../../lib/store/community-repo";
import { sessionsOfCharger } from "../../../lib/store/charger-session-repo";
import { listInvoices } from "../../../lib/store/invoice-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { exampleCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const site = SONNENHOF_SITE;
const FROM = Date.parse("2026-10-01T00:00:00+02:00") - 15 * 60_000;
const TO = Date.parse("2026-10-12T00:00:00+02:00");

describe("simulator backfill through the ingest path", function () {
  this.timeout(30000);
  const tmp = useTmpDir("zev-backfill-");
  const open = (): SqliteStore => {
    const store = SqliteStore.open(join(tmp(), "site.sqlite"));
    saveCommunity(store, withSiteMeters(exampleCommunity(), site), { source: "test", actor: "test" });
    return store;
  };
  const sumWh = (store: SqliteStore, meter: string, from: number, to: number): { wh: number; rows: number } => {
    const id = getMeter(store, "sonnenhof", meter)!.id;
    const r = store
      .stmt<{ wh: number; n: number }>("SELECT SUM(import_wh) AS wh, COUNT(*) AS n FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?")
      .get(id, from, to)!;
    return { wh: r.wh, rows: r.n };
  };

  it("starts the demo history a quarter hour before the 1st of the previous month", () => {
    assert.equal(new Date(demoBackfillStart(Date.parse("2026-11-28T02:51:00Z"), "Europe/Zurich")).toISOString(), "2026-09-30T21:45:00.000Z");
    assert.equal(new Date(demoBackfillStart(Date.parse("2027-01-03T12:00:00Z"), "Europe/Zurich")).toISOString(), "2026-11-30T22:45:00.000Z");
  });

  it("writes measured quarter hours whose energy is the simulated counters' difference, with the simulated outages flagged", () => {
    const store = open();
    try {
      const r = backfill(store, { communityId: "sonnenhof", site, fromMs: FROM, toMs: TO, now: () => TO + 60_000 });
      assert.equal(r.rejected, 0);
      assert.ok(r.dropped > 0, "some readings left out as outages");
      const from = Date.parse("2026-10-01T00:00:00+02:00");
      // unit-1 has no outage: its intervals are exactly the counter difference
      const sim = new SiteSimulator(site, FROM);
      sim.advanceTo(from, 60_000);
      const a = sim.meter("unit-1").importKWh;
      sim.advanceTo(TO, 60_000);
      const b = sim.meter("unit-1").importKWh;
      const got = sumWh(store, "unit-1", from, TO);
      assert.equal(got.rows, (TO - from) / 900_000);
      assert.equal(got.wh, Math.round((b - a) * 1000));
      const q = dataQuality(store, "sonnenhof", from, TO, { untilMs: TO });
      const byMeter = new Map(q.meters.map((m) => [m.meter, m]));
      assert.equal(byMeter.get("unit-1")!.measured, got.rows);
      assert.ok(byMeter.get("unit-3")!.interpolated > 0, "short Loxone outages are interpolated");
      let longOutageDays = 0;
      for (let d = from; d < TO; d += 86_400_000) if (simulatedOutage("common", d + 3 * 3_600_000, site)) longOutageDays++;
      assert.equal(longOutageDays > 0, byMeter.get("common")!.missing > 0, "a 4-hour outage is missing");
      for (const m of q.meters) assert.equal(m.resets + m.jumps + m.swaps, 0, m.meter);
    } finally {
      store.close();
    }
  });

  it("continues from its state without a rejected or duplicate reading, and the month bills", () => {
    const store = open();
    try {
      const mid = Date.parse("2026-10-20T13:07:00+02:00");
      const end = Date.parse("2026-11-02T00:00:00+01:00");
      const first = backfill(store, { communityId: "sonnenhof", site, fromMs: FROM, toMs: mid, now: () => end });
      const second = backfill(store, { communityId: "sonnenhof", site, fromMs: mid, toMs: end, state: first.state, now: () => end });
      assert.equal(second.rejected, 0);
      assert.ok(second.accepted > 0 && second.fromMs === mid);
      const report = runBilling(store, { communityId: "sonnenhof", period: "2026-10", mode: "draft", actor: "test" });
      assert.equal(report.stopped, false, report.stopReason);
      assert.ok(Number(report.totals.productionKWh) > 100 && Number(report.totals.consumptionKWh) > Number(report.totals.productionKWh));
      assert.equal(report.invoices.length, 4);
      // the cars' sessions, recorded through lib/charging, are billed to units 1 (priority) and 3 (normal)
      assert.ok(first.sessions + second.sessions > 10, `${first.sessions + second.sessions} sessions`);
      const sessions = sessionsOfCharger(store, "sonnenhof", "charger-1");
      assert.ok(sessions.every((x) => x.unitId === "1" || x.unitId === "3"));
      assert.ok(Number(report.totals.evSessionsKWh) > 100, report.totals.evSessionsKWh);
      const drafts = listInvoices(store, "sonnenhof", { status: "draft" });
      const evKinds = (unit: string): string[] => [
        ...new Set(
          drafts
            .filter((d) => d.unitId === unit)
            .flatMap((d) => d.snapshot.lines.map((l) => l.kind))
            .filter((k) => k.startsWith("ev-")),
        ),
      ];
      assert.deepEqual(evKinds("1"), ["ev-priority"]);
      assert.deepEqual(evKinds("3"), ["ev-normal"]);
      assert.deepEqual(evKinds("2"), []);
      // without a state, the counters continue from the database's last readings
      const third = backfill(store, { communityId: "sonnenhof", site, fromMs: end, toMs: end + 3_600_000, now: () => end + 3_600_000 });
      assert.equal(third.rejected, 0);
      assert.ok(third.accepted > 0);
    } finally {
      store.close();
    }
  });
});
