import assert from "node:assert/strict";
import { BurstWindow } from "../../../lib/alerts/burst";

const MIN = 60_000;

describe("rejected-value burst window", () => {
  it("counts what was added within the window, from the first check on", () => {
    const w = new BurstWindow(15 * MIN);
    assert.deepEqual(w.sample("m", 500, 0), { count: 0, since: null }, "what a node counted before the first check is no burst");
    assert.deepEqual(w.sample("m", 503, MIN), { count: 3, since: MIN });
    assert.deepEqual(w.sample("m", 510, 2 * MIN), { count: 10, since: MIN });
    // 17 minutes on, the increase of minute 1..2 has left the window
    assert.equal(w.sample("m", 510, 17 * MIN).count, 0);
  });

  it("a counter that went down (a redeployed meter node) starts over and is no burst", () => {
    const w = new BurstWindow(15 * MIN);
    w.sample("m", 100, 0);
    assert.deepEqual(w.sample("m", 2, MIN), { count: 0, since: null });
    assert.equal(w.sample("m", 5, 2 * MIN).count, 3);
  });
});
