import assert from "node:assert/strict";
import { DeviceSilence, deviceAlertTiming } from "../../../lib/alerts/device";

const MIN = 60_000;

describe("device-silent of a device node", () => {
  it("silent since the last value, or since the start when there was none; raised once, resolved once", () => {
    const d = new DeviceSilence(
      { community: "c", language: "en", timeZone: "Europe/Zurich" },
      { id: "wb", kind: "charger", subject: { charger: "wb" } },
      15 * MIN,
    );
    assert.deepEqual(d.check(undefined, 0, 14 * MIN), []);
    const up = d.check(undefined, 0, 15 * MIN);
    assert.deepEqual(
      up.map((a) => [a.code, a.state, a.since, a.params.minutes]),
      [["device-silent", "raised", new Date(0).toISOString(), 15]],
    );
    assert.match(up[0]!.text, /^Charger wb has not answered since/);
    assert.deepEqual(d.check(undefined, 0, 30 * MIN), []);
    const down = d.check(31 * MIN, 0, 31 * MIN);
    assert.deepEqual(
      down.map((a) => [a.state, a.since]),
      [["resolved", new Date(0).toISOString()]],
    );
    assert.deepEqual(d.check(31 * MIN, 0, 40 * MIN), []);
  });

  it("timing: minutes and seconds from the editor, defaults for empty, invalid values named", () => {
    assert.deepEqual(deviceAlertTiming(undefined, ""), { delayMs: 15 * MIN, checkMs: 60_000, invalid: [] });
    assert.deepEqual(deviceAlertTiming("0,5", 2), { delayMs: 30_000, checkMs: 2000, invalid: [] });
    assert.deepEqual(deviceAlertTiming("-1", "x"), { delayMs: 15 * MIN, checkMs: 60_000, invalid: ["alertDelayMinutes", "alertCheckSeconds"] });
    assert.equal(deviceAlertTiming("0", undefined).delayMs, 0);
  });
});
