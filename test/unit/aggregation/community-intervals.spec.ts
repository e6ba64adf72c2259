import assert from "node:assert/strict";
import { join } from "node:path";
import { closedThrough } from "../../../lib/aggregation/closing";
import { communityIntervals, CommunityInterval } from "../../../lib/aggregation/community-intervals";
import { dataQuality } from "../../../lib/aggregation/data-quality";
import { intervalSummary } from "../../../lib/aggregation/interval-summary";
import { communityLayout, splitRoles } from "../../../lib/allocation/layout";
import { liveFlows } from "../../../lib/aggregation/live-flows";
import { allocateInterval } from "../../../lib/allocation/allocate";
import { qualityOfCode } from "../../../lib/model/quality";
import { saveCommunity } from "../../../lib/store/community-repo";
import { readIntervalMatrix } from "../../../lib/store/interval-matrix";
import { upsertIntervals } from "../../../lib/store/interval-repo";
import { IntervalEnergy } from "../../../lib/model/interval-energy";
import { Quality } from "../../../lib/model/quality";
import { listMeters } from "../../../lib/store/meter-repo";
import { insertMeterEvent } from "../../../lib/store/meter-event-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { upsertUnallocated } from "../../../lib/store/unallocated-repo";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const Q = 900_000;
const T0 = Date.UTC(2026, 5, 1, 10, 0);

const METERS = [
  { id: "u1", role: "unit" as const, unit: "u1" },
  { id: "u2", role: "unit" as const, unit: "u2" },
  { id: "common", role: "common" as const },
  { id: "charger", role: "charger" as const },
  { id: "pv", role: "production" as const },
  { id: "bat", role: "battery" as const },
  { id: "grid", role: "grid" as const },
];

describe("lib/aggregation community intervals", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  let ids: Map<string, number>;

  function put(startMs: number, values: Record<string, [number | null, number | null, Quality?]>): void {
    const rows: IntervalEnergy[] = Object.entries(values).map(([key, [imp, exp, q]]) => ({
      meterId: ids.get(key)!,
      startMs,
      importWh: imp,
      exportWh: exp,
      quality: q ?? (imp === null ? "missing" : "measured"),
    }));
    upsertIntervals(store, rows);
  }

  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    saveCommunity(store, minimalCommunity({ meters: METERS }), { source: "test", actor: "test" });
    ids = new Map(listMeters(store, "test-zev").map((m) => [m.key, m.id]));
  });
  afterEach(() => store.close());

  const all = (from: number, to: number, method: "proportional" | "equal" = "proportional"): CommunityInterval[] => [
    ...communityIntervals(store, "test-zev", from, to, { method }),
  ];

  it("consumers are the unit, common and charger meters in the store's order; production, battery and grid are not", () => {
    const layout = communityLayout("test-zev", listMeters(store, "test-zev"));
    assert.deepEqual(
      layout.consumers.map((c) => c.meter),
      ["charger", "common", "u1", "u2"],
    );
    assert.deepEqual(
      layout.production.map((m) => m.key),
      ["pv"],
    );
    assert.deepEqual(
      layout.batteries.map((m) => m.key),
      ["bat"],
    );
    assert.deepEqual(
      layout.grid.map((m) => m.key),
      ["grid"],
    );
  });

  it("splits each interval with lib/allocation, battery and reconciliation included (hand-computed)", () => {
    put(T0, { u1: [200, 0], u2: [400, 0], common: [0, 0], charger: [0, 0], pv: [500, 0], bat: [200, 100], grid: [215, 0] });
    const [ci] = all(T0, T0 + Q);
    assert.ok(ci);
    // P = 500, Bc = 200 -> solar left 300, all used (C = 600); battery 100 over the residual needs 100 : 200
    assert.deepEqual(ci.allocation.solarMWh, [0, 0, 100_000, 200_000]);
    assert.deepEqual(ci.allocation.batteryMWh, [0, 0, 33_333, 66_667]);
    assert.deepEqual(ci.allocation.gridMWh, [0, 0, 66_667, 133_333]);
    assert.deepEqual(ci.allocation, allocateInterval({ consumptionWh: [0, 0, 200, 400], productionWh: 500, batteryChargeWh: 200, batteryDischargeWh: 100 }));
    // the grid meter saw 215 Wh, the split accounts for 200: 15 Wh unmetered, reported
    assert.equal(ci.reconciliation!.importDiffMWh, 15_000);
    assert.equal(ci.reconciliation!.unmeteredMWh, 15_000);
    assert.equal(ci.quality, "measured");
    assert.deepEqual(ci.missing, []);

    const s = intervalSummary(ci, communityLayout("test-zev", listMeters(store, "test-zev")));
    assert.equal(s.productionKWh, 0.5);
    assert.equal(s.consumptionKWh, 0.6);
    assert.equal(s.solarKWh, 0.3);
    assert.equal(s.batteryKWh, 0.1);
    assert.equal(s.gridKWh, 0.2);
    assert.equal(s.exportKWh, 0);
    assert.equal(s.selfSufficiency, 400 / 600);
    assert.equal(s.selfConsumption, 1); // 300 to consumers + 200 into the battery of 500
    assert.deepEqual(s.battery, { chargeKWh: 0.2, dischargeKWh: 0.1 });
    assert.equal(s.reconciliation!.unmeteredKWh, 0.015);
    assert.deepEqual(s.consumers[3], {
      meter: "u2",
      role: "unit",
      unit: "u2",
      label: null,
      consumptionKWh: 0.4,
      solarKWh: 0.2,
      batteryKWh: 0.066667,
      gridKWh: 0.133333,
      measured: true,
    });
  });

  it("more production than consumption: everyone fully solar, the rest exported and reconciled against the grid export", () => {
    put(T0, { u1: [100, 0], u2: [300, 0], common: [0, 0], charger: [0, 0], pv: [1000, 0], bat: [0, 0], grid: [0, 600] });
    const [ci] = all(T0, T0 + Q);
    assert.deepEqual(ci!.allocation.solarMWh, [0, 0, 100_000, 300_000]);
    assert.equal(ci!.allocation.solarExportMWh, 600_000);
    assert.equal(ci!.reconciliation!.exportDiffMWh, 0);
    assert.equal(ci!.reconciliation!.unmeteredMWh, 0);
  });

  it("equal share as the option", () => {
    put(T0, { u1: [50, 0], u2: [400, 0], common: [200, 0], charger: [0, 0], pv: [300, 0], bat: [0, 0], grid: [350, 0] });
    const [ci] = all(T0, T0 + Q, "equal");
    // 300 Wh over needs 50, 400, 200: u1 capped at 50, the others 125 each
    assert.deepEqual(ci!.allocation.solarMWh, [0, 125_000, 50_000, 125_000]);
  });

  it("an inverter's standby draw at night is no consumer: reconciliation reports it as unmetered", () => {
    put(T0, { u1: [100, 0], u2: [0, 0], common: [0, 0], charger: [0, 0], pv: [0, 5], bat: [0, 0], grid: [105, 0] });
    const [ci] = all(T0, T0 + Q);
    assert.deepEqual(ci!.consumptionWh, [0, 0, 100, 0]);
    assert.equal(ci!.productionWh, 0);
    assert.equal(ci!.reconciliation!.unmeteredMWh, 5_000);
  });

  it("missing values are flagged, count as 0 in the split, and a missing grid value skips reconciliation", () => {
    put(T0 + Q, { u2: [100, 0, "interpolated"], common: [0, 0], charger: [0, 0], pv: [0, 0], bat: [0, 0], grid: [null, null] });
    const [first, second, third] = all(T0, T0 + 3 * Q);
    // no row at all in the first and third intervals
    assert.equal(first!.quality, "missing");
    assert.equal(first!.missing.length, METERS.length);
    assert.equal(third!.missing.length, METERS.length);
    assert.equal(second!.quality, "missing");
    assert.deepEqual(second!.missing.sort(), ["grid", "u1"]);
    assert.deepEqual(second!.consumptionWh.slice(2), [null, 100]);
    assert.equal(second!.reconciliation, null);
    assert.equal(second!.allocation.totalConsumptionMWh, 100_000);
  });

  it("interpolated values make the interval interpolated", () => {
    put(T0, { u1: [1, 0], u2: [1, 0, "interpolated"], common: [0, 0], charger: [0, 0], pv: [0, 0], bat: [0, 0], grid: [2, 0] });
    assert.equal(all(T0, T0 + Q)[0]!.quality, "interpolated");
  });

  it("streams long ranges across chunk borders without losing or repeating an interval", () => {
    const n = 2000; // about 3 weeks, more than two reading chunks
    const rows: IntervalEnergy[] = [];
    for (let i = 0; i < n; i++) rows.push({ meterId: ids.get("u1")!, startMs: T0 + i * Q, importWh: i % 97, exportWh: 0, quality: "measured" });
    upsertIntervals(store, rows);
    const got = all(T0, T0 + n * Q);
    assert.equal(got.length, n);
    got.forEach((ci, i) => {
      assert.equal(ci.startMs, T0 + i * Q);
      assert.equal(ci.consumptionWh[2], i % 97); // u1, after charger and common
    });
  });

  it("each interval's values and quality are what the store's interval matrix (billing's reader) holds for its meters", () => {
    put(T0, { u1: [10, 0], u2: [20, 0, "estimated"], common: [3, 0], charger: [0, 0], pv: [40, 1], bat: [5, 6], grid: [9, 2] });
    put(T0 + Q, { u1: [11, 0, "interpolated"], u2: [null, null], pv: [0, 0], bat: [0, 0], grid: [30, 0] });
    put(T0 + 2 * Q, { u1: [12, 0], u2: [22, 0], common: [1, 0], charger: [7, 0], pv: [0, 0], bat: [0, 0], grid: [42, 0] });
    const meters = listMeters(store, "test-zev");
    const roles = splitRoles(meters);
    const matrix = readIntervalMatrix(
      store,
      meters.map((m) => m.id),
      T0,
      T0 + 4 * Q,
    );
    const got = all(T0, T0 + 4 * Q);
    assert.deepEqual(
      got.map((ci) => ci.quality),
      ["estimated", "missing", "measured", "missing"],
    );
    got.forEach((ci, i) => {
      const codes = meters.filter((m) => m.role !== "other").map((m) => matrix.columns.get(m.id)!.quality[i]!);
      assert.equal(ci.quality, qualityOfCode(codes.some((c) => c === 0) ? 4 : Math.max(...codes)), `interval ${i}`);
      roles.consumers.forEach((c, k) => {
        const col = matrix.columns.get(c.meterId)!;
        assert.equal(ci.consumptionWh[k], qualityOfCode(col.quality[i]!) === "missing" ? null : col.importWh[i], `${c.meter} in interval ${i}`);
      });
    });
    assert.deepEqual(got[0]!.consumptionWh, [0, 3, 10, 20]);
    assert.equal(got[0]!.batteryDischargeWh, 6);
    assert.deepEqual(got[0]!.grid, { importWh: 9, exportWh: 2 });
  });

  it("an export direction stored in some intervals only keeps each interval's value (unknown = 0), in the view as in billing's matrix", () => {
    // e.g. a load profile of the import direction alone, then readings with both registers
    const full: Record<string, [number, number]> = { u1: [1, 0], u2: [1, 0], common: [0, 0], charger: [0, 0], pv: [0, 0], grid: [5, 0] };
    put(T0, { ...full, bat: [0, null] });
    put(T0 + Q, { ...full, bat: [0, 120] });
    put(T0 + 2 * Q, { ...full, bat: [0, 80] });
    const bat = ids.get("bat")!;
    const col = readIntervalMatrix(store, [bat], T0, T0 + 3 * Q).columns.get(bat)!;
    assert.deepEqual([...col.exportWh], [0, 120, 80]);
    assert.deepEqual(
      all(T0, T0 + 3 * Q).map((ci) => ci.batteryDischargeWh),
      [0, 120, 80],
    );
  });

  it("refuses ranges that do not start and end on quarter hours", () => {
    assert.throws(() => all(T0 + 1, T0 + Q), /quarter hours/);
  });

  describe("data quality view", () => {
    it("counts measured / interpolated / estimated / missing per meter, intervals without a row as missing", () => {
      put(T0, { u1: [1, 0], u2: [1, 0, "interpolated"] });
      put(T0 + Q, { u1: [1, 0, "estimated"], u2: [null, null] });
      upsertUnallocated(store, { meterId: ids.get("u2")!, fromMs: T0 + Q, toMs: T0 + 2 * Q, importWh: 42, exportWh: null, reason: "gap" }, 0);
      store.write(() => insertMeterEvent(store, { meterId: ids.get("u1")!, tsMs: T0 + Q + 1000, kind: "reset", details: null }));
      const r = dataQuality(store, "test-zev", T0, T0 + 8 * Q, { untilMs: T0 + 4 * Q + 5 });
      assert.equal(r.untilMs, T0 + 4 * Q);
      const u1 = r.meters.find((m) => m.meter === "u1")!;
      const u2 = r.meters.find((m) => m.meter === "u2")!;
      const grid = r.meters.find((m) => m.meter === "grid")!;
      assert.deepEqual([u1.expected, u1.measured, u1.interpolated, u1.estimated, u1.missing, u1.noRow], [4, 1, 0, 1, 2, 2]);
      assert.deepEqual([u2.measured, u2.interpolated, u2.missing, u2.noRow], [0, 1, 3, 2]);
      assert.equal(u1.shares.measured, 0.25);
      assert.equal(u1.resets, 1);
      assert.equal(u2.unallocatedImportWh, 42);
      assert.equal(grid.shares.missing, 1);
    });
  });
});

describe("lib/aggregation closing and live flows", () => {
  it("an interval closes when every meter has closed it", () => {
    assert.equal(closedThrough([T0 + 2 * Q, T0 + Q, null], T0 + Q + 30_000, 300_000), T0 + Q);
  });

  it("a silent meter holds the others back only for the grace time", () => {
    assert.equal(closedThrough([T0, T0 + 4 * Q], T0 + 4 * Q + 60_000, 300_000), T0 + 3 * Q);
    assert.equal(closedThrough([T0, T0 + 4 * Q], T0 + 4 * Q + 360_000, 300_000), T0 + 4 * Q);
  });

  it("nothing is closed before anything is known", () => {
    assert.equal(closedThrough([], 0, 300_000), -Infinity);
  });

  it("live flows sum fresh power by role and compute the grid without a grid meter", () => {
    const now = T0;
    const f = liveFlows(
      [
        { meter: "u1", role: "unit", unit: "u1", ts: now - 1000, powerW: 800 },
        { meter: "c", role: "charger", unit: null, ts: now - 1000, powerW: 11000 },
        { meter: "pv", role: "production", unit: null, ts: now - 1000, powerW: 6000 },
        { meter: "bat", role: "battery", unit: null, ts: now - 1000, powerW: -2000 },
        { meter: "old", role: "unit", unit: "u2", ts: now - 600_000, powerW: 5000 },
        { meter: "x", role: "other", unit: null, ts: now, powerW: 99 },
      ],
      now,
      120_000,
    );
    assert.equal(f.productionW, 6000);
    assert.equal(f.consumptionW, 11800);
    assert.equal(f.batteryW, -2000);
    assert.equal(f.gridW, 11800 - 2000 - 6000);
    assert.equal(f.gridSource, "computed");
    assert.equal(f.selfConsumedW, 6000);
    assert.deepEqual(f.stale, ["old"]);
  });

  it("live flows take a fresh grid meter value as measured", () => {
    const f = liveFlows([{ meter: "g", role: "grid", unit: null, ts: T0, powerW: -1500 }], T0, 60_000);
    assert.equal(f.gridW, -1500);
    assert.equal(f.gridSource, "measured");
    assert.equal(f.batteryW, null);
  });
});
