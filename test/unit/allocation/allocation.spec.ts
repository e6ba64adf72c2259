import assert from "node:assert/strict";
import { allocateInterval, allocateIntervalInto, allocationBuffers, type AllocationMethod } from "../../../lib/allocation/allocate";
import { reconcile, selfConsumptionRate, selfSufficiency } from "../../../lib/allocation/reconcile";
import { splitEqualCapped, splitProportional } from "../../../lib/allocation/split";

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe("lib/allocation per-interval split", () => {
  it("all solar: production covers everyone, the rest is exported", () => {
    const a = allocateInterval({ consumptionWh: [100, 300], productionWh: 1000 });
    assert.deepEqual(a.solarMWh, [100000, 300000]);
    assert.deepEqual(a.gridMWh, [0, 0]);
    assert.equal(a.solarExportMWh, 600000);
    assert.equal(a.gridImportMWh, 0);
    assert.equal(selfSufficiency(a), 1);
    assert.equal(selfConsumptionRate(a), 0.4);
  });

  it("no solar: everything from the grid", () => {
    const a = allocateInterval({ consumptionWh: [100, 300], productionWh: 0 });
    assert.deepEqual(a.solarMWh, [0, 0]);
    assert.deepEqual(a.gridMWh, [100000, 300000]);
    assert.equal(a.gridImportMWh, 400000);
    assert.equal(selfSufficiency(a), 0);
    assert.equal(selfConsumptionRate(a), null);
  });

  it("partial solar is split in proportion to consumption", () => {
    // C = 100 + 300 = 400 Wh, P = 200 Wh: each gets half its consumption from solar
    const a = allocateInterval({ consumptionWh: [100, 300], productionWh: 200 });
    assert.deepEqual(a.solarMWh, [50000, 150000]);
    assert.deepEqual(a.gridMWh, [50000, 150000]);
    assert.equal(a.solarExportMWh, 0);
  });

  it("indivisible amounts are split to the mWh and add up exactly", () => {
    // 100 Wh of solar over three equal consumers: 33333 + 33333 + 33334 mWh (remainder to the first by index on ties)
    const a = allocateInterval({ consumptionWh: [50, 50, 50], productionWh: 100 });
    assert.deepEqual(a.solarMWh, [33334, 33333, 33333]);
    assert.equal(sum(a.solarMWh), 100000);
    for (let i = 0; i < 3; i++) assert.equal(a.solarMWh[i]! + a.batteryMWh[i]! + a.gridMWh[i]!, a.consumptionMWh[i]!);
  });

  it("a consumer with no consumption gets nothing", () => {
    const a = allocateInterval({ consumptionWh: [0, 200], productionWh: 100 });
    assert.deepEqual(a.solarMWh, [0, 100000]);
  });

  it("battery: charging comes first from solar, discharge covers what solar leaves open", () => {
    // P = 500, Bc = 200 -> Ls = 300; C = 600 -> S = 300; Bd = 100 -> used 100; grid 200
    const a = allocateInterval({ consumptionWh: [200, 400], productionWh: 500, batteryChargeWh: 200, batteryDischargeWh: 100 });
    assert.equal(a.solarAvailableMWh, 300000);
    assert.equal(a.solarToBatteryMWh, 200000);
    assert.deepEqual(a.solarMWh, [100000, 200000]);
    assert.deepEqual(a.batteryMWh, [33333, 66667]);
    assert.deepEqual(a.gridMWh, [66667, 133333]);
    assert.equal(a.gridImportMWh, 200000);
    assert.equal(selfSufficiency(a), 400000 / 600000);
  });

  it("battery charged from the grid at night counts as grid import, not as anyone's consumption", () => {
    const a = allocateInterval({ consumptionWh: [100], productionWh: 0, batteryChargeWh: 300 });
    assert.equal(a.gridToBatteryMWh, 300000);
    assert.deepEqual(a.gridMWh, [100000]);
    assert.equal(a.gridImportMWh, 400000);
  });

  it("battery discharge beyond the consumers' need is exported", () => {
    const a = allocateInterval({ consumptionWh: [100], productionWh: 0, batteryDischargeWh: 250 });
    assert.deepEqual(a.batteryMWh, [100000]);
    assert.equal(a.batteryExportMWh, 150000);
    assert.equal(a.gridExportMWh, 150000);
  });

  it("equal share: small consumers are filled first, the rest shared evenly", () => {
    // 300 Wh over needs 50, 200, 400: level L with 50 + L + L = 300 -> L = 125
    const a = allocateInterval({ consumptionWh: [50, 200, 400], productionWh: 300 }, "equal");
    assert.deepEqual(a.solarMWh, [50000, 125000, 125000]);
    assert.deepEqual(a.gridMWh, [0, 75000, 275000]);
  });

  it("equal share with more solar than consumption gives everyone all they use", () => {
    const a = allocateInterval({ consumptionWh: [50, 200], productionWh: 1000 }, "equal");
    assert.deepEqual(a.solarMWh, [50000, 200000]);
    assert.equal(a.solarExportMWh, 750000);
  });

  it("rejects negative or fractional energies instead of computing nonsense", () => {
    assert.throws(() => allocateInterval({ consumptionWh: [-1], productionWh: 0 }), /consumption of consumer 0/);
    assert.throws(() => allocateInterval({ consumptionWh: [1.5], productionWh: 0 }), /non-negative integer/);
    assert.throws(() => allocateInterval({ consumptionWh: [1], productionWh: NaN }), /production/);
  });

  it("reconciles the grid meter against the computed import and export", () => {
    const a = allocateInterval({ consumptionWh: [100, 300], productionWh: 200 });
    const r = reconcile(a, { importWh: 215, exportWh: 0 });
    assert.equal(r.computedImportMWh, 200000);
    assert.equal(r.importDiffMWh, 15000);
    assert.equal(r.unmeteredMWh, 15000);
  });

  describe("exact integer splitting", () => {
    it("proportional parts always add up, also for huge values (BigInt path)", () => {
      const weights = [3_000_000_000, 7_000_000_001, 1];
      const parts = splitProportional(9_000_000_000_007, weights);
      assert.equal(sum(parts), 9_000_000_000_007);
      assert.ok(parts.every((p) => p >= 0));
    });

    it("random cases: parts add up, none exceeds its exact share by a unit", () => {
      let seed = 42;
      const rnd = (m: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % m;
      };
      for (let k = 0; k < 2000; k++) {
        const weights = Array.from({ length: 1 + rnd(12) }, () => rnd(5000));
        const amount = rnd(10_000_000);
        const parts = splitProportional(amount, weights);
        const total = sum(weights);
        assert.equal(sum(parts), total === 0 ? 0 : amount);
        parts.forEach((p, i) => assert.ok(total === 0 || Math.abs(p - (amount * weights[i]!) / total) < 1, `case ${k}`));
        const caps = weights.map((w) => w * 7);
        const eq = splitEqualCapped(amount, caps);
        assert.equal(sum(eq), Math.min(amount, sum(caps)));
        eq.forEach((p, i) => assert.ok(p <= caps[i]!));
      }
    });
  });
});

describe("largest remainder: the selection path equals a plain sort", () => {
  it("gives the extra units to the same consumers as sorting by remainder then index", () => {
    let seed = 7;
    const rnd = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (let k = 0; k < 3000; k++) {
      const weights = Array.from({ length: 1 + rnd(150) }, () => (rnd(4) === 0 ? 0 : 1 + rnd(k % 2 ? 5 : 100000)));
      const amount = rnd(50_000_000);
      const total = weights.reduce((a, b) => a + b, 0);
      const got = splitProportional(amount, weights);
      if (total === 0) continue;
      const floors = weights.map((w) => Math.floor((amount * w) / total));
      const rems = weights.map((w, i) => amount * w - floors[i]! * total);
      const order = weights.map((_, i) => i).sort((a, b) => rems[b]! - rems[a]! || a - b);
      const want = [...floors];
      for (let j = 0; j < amount - floors.reduce((a, b) => a + b, 0); j++) want[order[j]!]! += 1;
      assert.deepEqual(got, want, `case ${k}`);
    }
  });

  it("gives the extra units like a plain sort when the remainders crowd together (a thousand consumers, one weight far above the rest)", () => {
    const plain = (amount: number, weights: number[]): number[] => {
      const total = weights.reduce((a, b) => a + b, 0);
      const floors = weights.map((w) => Math.floor((amount * w) / total));
      const rems = weights.map((w, i) => amount * w - floors[i]! * total);
      const order = weights.map((_, i) => i).sort((a, b) => rems[b]! - rems[a]! || a - b);
      const left = amount - floors.reduce((a, b) => a + b, 0);
      for (let j = 0; j < left; j++) floors[order[j]!]! += 1;
      return floors;
    };
    let seed = 11;
    const rnd = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (let k = 0; k < 200; k++) {
      // Many equal or nearly equal weights and one huge one: most remainders land close together.
      const weights = Array.from({ length: 1000 }, () => (k % 3 === 0 ? 170 : 170 + rnd(3)));
      weights[rnd(1000)] = 5_000_000 + rnd(1000);
      const amount = 1 + rnd(1_000_000);
      assert.deepEqual(splitProportional(amount, weights), plain(amount, weights), `case ${k}`);
    }
  });
});

describe("allocateIntervalInto: the split into reused buffers (billing's per-interval loop)", () => {
  it("gives allocateInterval's split interval after interval, whatever the buffers held before (proportional and equal, with a battery)", () => {
    let seed = 3;
    const rnd = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (const method of ["proportional", "equal"] as AllocationMethod[]) {
      const buf = allocationBuffers(40);
      for (let k = 0; k < 2000; k++) {
        // Fewer consumers than the buffers hold, and a different count each time: stale entries must not count.
        const n = 1 + rnd(40);
        const consumptionWh = Array.from({ length: n }, () => (rnd(5) === 0 ? 0 : rnd(3000)));
        const input = { consumptionWh, productionWh: rnd(60_000), batteryChargeWh: rnd(3) ? 0 : rnd(5000), batteryDischargeWh: rnd(3) ? 0 : rnd(5000) };
        const want = allocateInterval(input, method);
        const totals = allocateIntervalInto(
          Int32Array.from(consumptionWh),
          n,
          input.productionWh,
          input.batteryChargeWh,
          input.batteryDischargeWh,
          method,
          buf,
        );
        const { consumptionMWh, solarMWh, batteryMWh, gridMWh, ...wantTotals } = want;
        assert.deepEqual(totals, wantTotals, `${method} case ${k}`);
        assert.deepEqual(Array.from(buf.need.slice(0, n)), consumptionMWh, `${method} case ${k}`);
        assert.deepEqual(Array.from(buf.solar.slice(0, n)), solarMWh, `${method} case ${k}`);
        assert.deepEqual(Array.from(buf.battery.slice(0, n)), batteryMWh, `${method} case ${k}`);
        assert.deepEqual(Array.from(buf.grid.slice(0, n)), gridMWh, `${method} case ${k}`);
      }
    }
  });

  it("refuses a negative or fractional consumption with the consumer's index, as allocateInterval does", () => {
    const buf = allocationBuffers(3);
    assert.throws(() => allocateIntervalInto([10, -1, 5], 3, 0, 0, 0, "proportional", buf), /consumption of consumer 1 must be a non-negative integer/);
    assert.throws(() => allocateIntervalInto([10, 1.5, 5], 3, 0, 0, 0, "proportional", buf), /consumption of consumer 1 must be a non-negative integer/);
  });
});
