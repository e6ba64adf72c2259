import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dayOf, daySeries } from "../../../lib/aggregation/day-series";
import { liveFlows } from "../../../lib/aggregation/live-flows";
import { meterHealth } from "../../../lib/aggregation/meter-health";
import { estimateBilling } from "../../../lib/billing/estimate";
import { runBilling } from "../../../lib/billing/run";
import { backfill } from "../../../lib/simulator/backfill";
import { SONNENHOF_SITE, withSiteMeters } from "../../../lib/simulator/site";
import { saveCommunity } from "../../../lib/store/community-repo";
import { listInvoices } from "../../../lib/store/invoice-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { Decimal } from "../../../lib/util/money";
import { exampleCommunity } from "../../support/community-fixture";

/*
 * The dashboard's queries on a month and a half of simulated data: the day
 * series, data health and the billing estimate. They read what the suite
 * stored and compute with the suite's own code (allocation, billing).
 */
const ZONE = "Europe/Zurich";
const FROM = Date.parse("2026-10-01T00:00:00+02:00") - 15 * 60_000;
const NOW = Date.parse("2026-11-10T14:07:00+01:00");

describe("dashboard queries on simulated data", function () {
  this.timeout(60000);
  let dir = "";
  let store: SqliteStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "zev-dash-"));
    store = SqliteStore.open(join(dir, "site.sqlite"));
    saveCommunity(store, withSiteMeters(exampleCommunity(), SONNENHOF_SITE), { source: "test", actor: "test" });
    backfill(store, { communityId: "sonnenhof", site: SONNENHOF_SITE, fromMs: FROM, toMs: NOW, now: () => NOW });
  });
  after(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a day's series: 96 quarter hours (100 on the autumn DST day), consumption = solar + battery + grid in each", () => {
    const day = daySeries(store, "sonnenhof", "2026-10-14", ZONE, { untilMs: NOW });
    assert.equal(day.points.length, 96);
    let cons = 0;
    for (const p of day.points) {
      assert.ok(Math.abs(p.solarKWh + p.batteryKWh + p.gridKWh - p.consumptionKWh) < 5e-6, JSON.stringify(p));
      assert.ok(p.solarKWh <= p.productionKWh + 1e-9);
      assert.ok(
        Math.abs(p.solarKWh + p.solarToBatteryKWh + p.solarExportKWh - p.productionKWh) < 5e-6,
        "production = to consumers + into the battery + export",
      );
      assert.ok(p.solarToBatteryKWh >= 0 && p.solarExportKWh <= p.exportKWh + 1e-9);
      cons += p.consumptionKWh;
    }
    assert.ok(Math.abs(cons - day.totals.consumptionKWh) < 1e-5);
    assert.ok(day.totals.productionKWh > 0 && day.points.some((p) => p.batteryKWh > 0) && day.points.some((p) => p.batteryChargeKWh > 0));
    assert.equal(daySeries(store, "sonnenhof", "2026-10-25", ZONE, { untilMs: NOW }).points.length, 100);
  });

  it("today's series ends at the last closed quarter hour; days are named as the dashboard names them", () => {
    const today = daySeries(store, "sonnenhof", dayOf("today", NOW, ZONE), ZONE, { untilMs: NOW });
    assert.equal(today.date, "2026-11-10");
    assert.equal(today.points.length, 14 * 4);
    assert.equal(dayOf("yesterday", NOW, ZONE), "2026-11-09");
    assert.equal(dayOf(undefined, NOW, ZONE), "2026-11-10");
    assert.throws(() => dayOf("last tuesday", NOW, ZONE), /YYYY-MM-DD/);
  });

  it("data health: last reading and its age per meter, today's and this month's quarter hours by quality", () => {
    const h = meterHealth(store, "sonnenhof", NOW + 60_000, ZONE, new Map([["unit-3", { received: 10, accepted: 9, rejected: 1 }]]));
    const by = new Map(h.meters.map((m) => [m.meter, m]));
    assert.equal(by.size, 8);
    const u1 = by.get("unit-1")!;
    assert.ok(u1.lastReadingMs !== null && u1.lastReadingMs <= NOW && NOW - u1.lastReadingMs < 5 * 60_000);
    assert.equal(u1.ageMs, NOW + 60_000 - u1.lastReadingMs!);
    assert.equal(u1.month.expected, (Math.floor(NOW / 900_000) * 900_000 - Date.parse("2026-11-01T00:00:00+01:00")) / 900_000);
    assert.equal(u1.month.measured, u1.month.expected, "every closed quarter hour measured (the one in progress is not due)");
    assert.deepEqual(by.get("unit-3")!.source, { received: 10, accepted: 9, rejected: 1 });
    assert.equal(u1.source, null);
    assert.ok(by.get("unit-3")!.month.interpolated > 0);
  });

  it("live flows say how much of the consumption solar and battery cover right now", () => {
    const now = NOW;
    const m = (meter: string, role: "unit" | "production" | "battery" | "grid", powerW: number) => ({ meter, role, unit: null, ts: now, powerW });
    const f = liveFlows([m("u", "unit", 4000), m("pv", "production", 1000), m("b", "battery", -1000), m("g", "grid", 2000)], now, 60_000);
    assert.equal(f.selfSufficiency, 0.5);
    const withCar = liveFlows([m("u", "unit", 1000), { ...m("c", "unit", 7000), role: "charger" as const }, m("pv", "production", 5000)], now, 60_000);
    assert.deepEqual([withCar.chargingW, withCar.surplusW], [7000, 4000], "the car may use what the other consumers leave");
    assert.equal(liveFlows([m("pv", "production", 3000)], now, 60_000).selfSufficiency, null);
    assert.equal(liveFlows([m("u", "unit", 1000), m("pv", "production", 3000)], now, 60_000).selfSufficiency, 1);
    // Read a moment apart, solar and battery seem to cover it all while the grid meter measures 12 W drawn.
    const apart = liveFlows([m("u", "unit", 1150), m("pv", "production", 771), m("b", "battery", -383), m("g", "grid", 12)], now, 60_000);
    assert.equal(apart.selfSufficiency, 1 - 12 / 1150);
    assert.equal(Math.round(apart.selfSufficiency! * 100), 99);
    const feeding = liveFlows([m("u", "unit", 1000), m("pv", "production", 3000), m("g", "grid", -1990)], now, 60_000);
    assert.equal(feeding.selfSufficiency, 1, "a measured export changes nothing");
  });

  it("the estimate is the billing computation: a closed month gives the run's totals per unit, and nothing is stored", () => {
    const est = estimateBilling(store, "sonnenhof", "2026-10", { nowMs: NOW });
    assert.equal(est.through, "2026-10-31");
    assert.equal(listInvoices(store, "sonnenhof", {}).length, 0, "an estimate stores nothing");
    const run = runBilling(store, { communityId: "sonnenhof", period: "2026-10", mode: "draft", actor: "test" });
    for (const u of est.units) {
      const billed = run.invoices.filter((i) => i.unit === u.unit).reduce((s, i) => s.plus(i.total), new Decimal(0));
      assert.equal(u.cost, billed.toFixed(2), `unit ${u.unit}`);
    }
    const unit2 = est.units.find((u) => u.unit === "2")!;
    assert.deepEqual(
      unit2.payers.map((p) => p.kind),
      ["tenant", "owner"],
      "Luc Dubois until the 15th, then vacant",
    );
    for (const u of est.units) {
      assert.ok(u.consumptionKWh > 50, `${u.unit}: ${u.consumptionKWh}`);
      assert.ok(u.solarShare !== null && u.selfSufficiency !== null && u.solarShare > 0 && u.selfSufficiency >= u.solarShare && u.selfSufficiency < 1);
    }
    assert.equal(est.total, est.units.reduce((s, u) => s.plus(u.cost), new Decimal(0)).toFixed(2));
  });

  it("the month in progress is estimated up to today; a period still to come is refused", () => {
    const est = estimateBilling(store, "sonnenhof", "current-month", { nowMs: NOW });
    assert.deepEqual([est.period.label, est.period.from, est.through], ["2026-11", "2026-11-01", "2026-11-10"]);
    assert.ok(est.units.every((u) => Number(u.cost) > 0));
    // coverage of what is due: the rest of today does not count as missing
    assert.ok(est.coverage > 0.99, String(est.coverage));
    assert.throws(() => estimateBilling(store, "sonnenhof", "2026-12", { nowMs: NOW }), /not started/);
  });
});
