import assert from "node:assert/strict";
import { IncidentTracker, type Condition } from "../../../lib/alerts/tracker";

const MIN = 60_000;
const DELAY = 15 * MIN;
const silent = (since?: number): Condition<string> => ({ key: "meter-silent:m1", code: "meter-silent", ...(since !== undefined ? { since } : {}), data: "m1" });

describe("alert incident tracker", () => {
  it("raises a condition once, only after it held for the delay, and resolves it once when it ends", () => {
    const t = new IncidentTracker<string>(DELAY);
    assert.deepEqual(t.update([silent()], 0), []);
    assert.deepEqual(t.update([silent()], 14 * MIN), []);
    const raised = t.update([silent()], 15 * MIN);
    assert.equal(raised.length, 1);
    assert.deepEqual(raised[0], { state: "raised", key: "meter-silent:m1", code: "meter-silent", since: 0, at: 15 * MIN, data: "m1" });
    assert.deepEqual(t.update([silent()], 16 * MIN), [], "still holding: nothing new");
    assert.deepEqual(t.update([silent()], 60 * MIN), []);
    const resolved = t.update([], 61 * MIN);
    assert.deepEqual(resolved, [{ state: "resolved", key: "meter-silent:m1", code: "meter-silent", since: 0, at: 61 * MIN, data: "m1" }]);
    assert.deepEqual(t.update([], 62 * MIN), [], "resolved once");
  });

  it("a condition that ends before the delay raises nothing and resolves nothing (no flapping spam)", () => {
    const t = new IncidentTracker<string>(DELAY);
    const out = [];
    for (let m = 0; m < 120; m += 2) out.push(...t.update(m % 10 < 6 ? [silent()] : [], m * MIN));
    assert.deepEqual(out, []);
  });

  it("the same condition later again is a new incident with a new since", () => {
    const t = new IncidentTracker<string>(DELAY);
    t.update([silent()], 0);
    assert.equal(t.update([silent()], 20 * MIN)[0]!.since, 0);
    assert.equal(t.update([], 30 * MIN)[0]!.state, "resolved");
    t.update([silent()], 100 * MIN);
    const again = t.update([silent()], 115 * MIN);
    assert.equal(again.length, 1);
    assert.equal(again[0]!.state, "raised");
    assert.equal(again[0]!.since, 100 * MIN);
  });

  it("a since the caller knows counts towards the delay (a meter silent before Node-RED started is raised at once)", () => {
    const t = new IncidentTracker<string>(DELAY);
    const out = t.update([silent(-3600_000)], 0);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.since, -3600_000);
  });

  it("a hold of 0 raises at the first check", () => {
    const t = new IncidentTracker<string>(DELAY);
    assert.equal(t.update([{ key: "backup-failed", code: "backup-failed", holdMs: 0, data: "" }], 5).length, 1);
  });

  it("codes not evaluated in a check are neither resolved nor forgotten", () => {
    const t = new IncidentTracker<string>(DELAY);
    t.update([silent(0)], DELAY);
    assert.deepEqual(t.update([], DELAY + MIN, ["backup-failed"]), []);
    assert.equal(t.open().length, 1);
    assert.equal(t.update([], DELAY + 2 * MIN, ["meter-silent"])[0]!.state, "resolved");
  });

  it("observe: one condition at a time, raised and resolved once", () => {
    const t = new IncidentTracker<string>(DELAY);
    assert.equal(t.observe("device-silent:x", true, 0, { data: "x" }), null);
    assert.equal(t.observe("device-silent:x", true, 15 * MIN, { data: "x" })?.state, "raised");
    assert.equal(t.observe("device-silent:x", true, 16 * MIN, { data: "x" }), null);
    const r = t.observe("device-silent:x", false, 17 * MIN, { data: "x" });
    assert.equal(r?.state, "resolved");
    assert.equal(r?.code, "device-silent");
    assert.equal(t.observe("device-silent:x", false, 18 * MIN, { data: "x" }), null);
  });
});
