import { strict as assert } from "node:assert";
import { splitLegInterval } from "../../../lib/allocation/leg";

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe("LEG interval split (lib/allocation/leg.ts)", () => {
  it("local energy is min(feed-in, draw), split proportionally to draw and credited proportionally to feed-in", () => {
    // draw 100 + 300 = 400, feed-in 250 + 0 + 50 = 300 (one member both draws nothing and feeds): local 300.
    const s = splitLegInterval({ drawWh: [100, 300, 0], feedInWh: [0, 0, 300] });
    assert.equal(s.localTotalWh, 300);
    // 300 * 100/400 = 75, 300 * 300/400 = 225
    assert.deepEqual(s.localWh, [75, 225, 0]);
    assert.deepEqual(s.residualWh, [25, 75, 0]);
    assert.deepEqual(s.creditedWh, [0, 0, 300]);
    assert.equal(s.surplusWh, 0);
  });

  it("feed-in beyond the community's draw is surplus: every member's draw is covered and producers share the local energy", () => {
    const s = splitLegInterval({ drawWh: [40, 60, 0, 0], feedInWh: [0, 0, 150, 50] });
    assert.equal(s.localTotalWh, 100);
    assert.deepEqual(s.localWh, [40, 60, 0, 0]);
    assert.deepEqual(s.residualWh, [0, 0, 0, 0]);
    // 100 * 150/200 = 75, 100 * 50/200 = 25
    assert.deepEqual(s.creditedWh, [0, 0, 75, 25]);
    assert.equal(s.surplusWh, 100);
  });

  it("rounds by largest remainder so that billed local energy equals credited energy in every interval", () => {
    // local 100 over draws 1:1:1 -> 33.33 each: 34, 33, 33 (tie: earlier member first)
    const s = splitLegInterval({ drawWh: [7, 7, 7, 0, 0, 0], feedInWh: [0, 0, 0, 1, 1, 1] });
    assert.equal(s.localTotalWh, 3);
    assert.deepEqual(s.localWh, [1, 1, 1, 0, 0, 0]);
    const r = splitLegInterval({ drawWh: [100, 100, 100, 0, 0], feedInWh: [0, 0, 0, 50, 50] });
    assert.equal(r.localTotalWh, 100);
    assert.deepEqual(r.localWh, [34, 33, 33, 0, 0]);
    assert.deepEqual(r.creditedWh, [0, 0, 0, 50, 50]);
    for (let seed = 1; seed < 300; seed++) {
      const draw = Array.from({ length: 7 }, (_, i) => (seed * (i + 3) * 7919) % 413);
      const feed = Array.from({ length: 7 }, (_, i) => (seed * (i + 5) * 104729) % 977);
      for (const key of ["proportional", "static"] as const) {
        const x = splitLegInterval({ drawWh: draw, feedInWh: feed }, key, [3, 0, 1, 5, 2, 0, 1]);
        assert.equal(sum(x.localWh), x.localTotalWh);
        assert.equal(sum(x.creditedWh), x.localTotalWh);
        x.localWh.forEach((l, i) => assert.ok(l >= 0 && l <= draw[i]!, `member ${i} local ${l} within draw ${draw[i]}`));
        x.creditedWh.forEach((c, i) => assert.ok(c >= 0 && c <= feed[i]!, `member ${i} credit ${c} within feed-in ${feed[i]}`));
      }
    }
  });

  it("static key: shares first, capped at draw; what a share cannot use goes to the others by their uncovered draw", () => {
    // local = min(feed 600, draw 100+400+300+0 = 800) = 600; shares 1:1:1:1 -> 150 each.
    // member 0 draws 100 < 150: gets 100; member 3 draws 0: gets 0; members 1, 2 get 150 each. Placed 400, left 200.
    // Uncovered draw: 0, 250, 150, 0 -> 200 * 250/400 = 125, 200 * 150/400 = 75.
    const s = splitLegInterval({ drawWh: [100, 400, 300, 0, 0], feedInWh: [0, 0, 0, 0, 600] }, "static", [1, 1, 1, 1, 0]);
    assert.equal(s.localTotalWh, 600);
    assert.deepEqual(s.localWh, [100, 275, 225, 0, 0]);
    assert.deepEqual(s.residualWh, [0, 125, 75, 0, 0]);
    assert.deepEqual(s.creditedWh, [0, 0, 0, 0, 600]);
  });

  it("static key differs from proportional when shares differ from draws", () => {
    const input = { drawWh: [200, 200, 0], feedInWh: [0, 0, 200] };
    assert.deepEqual(splitLegInterval(input).localWh, [100, 100, 0]);
    // shares 3:1 -> 150 / 50
    assert.deepEqual(splitLegInterval(input, "static", [3, 1, 0]).localWh, [150, 50, 0]);
  });

  it("refuses negative or fractional Wh and a static key without one share per member", () => {
    assert.throws(() => splitLegInterval({ drawWh: [-1], feedInWh: [0] }), /non-negative integer/);
    assert.throws(() => splitLegInterval({ drawWh: [1.5], feedInWh: [0] }), /non-negative integer/);
    assert.throws(() => splitLegInterval({ drawWh: [1, 2], feedInWh: [0, 3] }, "static", [1]), /one share per member/);
  });
});
