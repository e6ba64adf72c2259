import assert from "node:assert/strict";
import { DataHealthAlerts } from "../../../lib/alerts/data-health";
import type { HealthReport, MeterHealth } from "../../../lib/aggregation/meter-health";

const MIN = 60_000;
const DELAY = 15 * MIN;
// 2026-12-10 12:00 Zurich
const NOW = Date.UTC(2026, 11, 10, 11, 0);

function meter(over: Partial<MeterHealth> & { meter: string }): MeterHealth {
  const q = { expected: 100, measured: 100, interpolated: 0, estimated: 0, missing: 0 };
  return { role: "unit", unit: "1", label: null, lastReadingMs: NOW, ageMs: 0, lastImportKWh: 1, today: q, month: q, unallocatedKWh: 0, source: null, ...over };
}
const report = (ts: number, meters: MeterHealth[]): HealthReport => ({ community: "c", ts, meters, ports: [] });

function alerts(): DataHealthAlerts {
  return new DataHealthAlerts({ community: "c", language: "en", timeZone: "Europe/Zurich" }, { delayMs: DELAY, minCoverage: 0.95, burstCount: 10 });
}

describe("zev-aggregate's data-health alerts", () => {
  it("meter-silent: raised once when the last reading is older than the delay, since that reading; resolved when readings return", () => {
    const a = alerts();
    const last = NOW - 10 * MIN;
    assert.deepEqual(a.check(report(NOW, [meter({ meter: "m", lastReadingMs: last, ageMs: 10 * MIN })]), new Map(), NOW), []);
    const up = a.check(report(NOW + 5 * MIN, [meter({ meter: "m", lastReadingMs: last, ageMs: 15 * MIN })]), new Map(), NOW + 5 * MIN);
    assert.equal(up.length, 1);
    assert.equal(up[0]!.code, "meter-silent");
    assert.equal(up[0]!.since, new Date(last).toISOString());
    assert.deepEqual(up[0]!.subject, { meter: "m", unit: "1" });
    assert.deepEqual(a.check(report(NOW + 6 * MIN, [meter({ meter: "m", lastReadingMs: last, ageMs: 16 * MIN })]), new Map(), NOW + 6 * MIN), []);
    const down = a.check(report(NOW + 7 * MIN, [meter({ meter: "m", lastReadingMs: NOW + 7 * MIN, ageMs: 0 })]), new Map(), NOW + 7 * MIN);
    assert.deepEqual(
      down.map((x) => [x.code, x.state, x.since]),
      [["meter-silent", "resolved", new Date(last).toISOString()]],
    );
  });

  it("a meter that never delivered is not silent (a meter planned for later)", () => {
    const a = alerts();
    assert.deepEqual(
      a.check(
        report(NOW, [meter({ meter: "m", lastReadingMs: null, ageMs: null, month: { expected: 0, measured: 0, interpolated: 0, estimated: 0, missing: 0 } })]),
        new Map(),
        NOW,
      ),
      [],
    );
  });

  it("coverage-low: this month below the billing threshold for the delay; grid meters do not count; a month that ends low is not called repaired", () => {
    const a = alerts();
    const low = { expected: 100, measured: 90, interpolated: 2, estimated: 0, missing: 8 };
    const meters = [meter({ meter: "u", month: low }), meter({ meter: "g", role: "grid", unit: null, month: low })];
    assert.deepEqual(a.check(report(NOW, meters), new Map(), NOW), []);
    const up = a.check(report(NOW + DELAY, meters), new Map(), NOW + DELAY);
    assert.deepEqual(
      up.map((x) => [x.code, x.key, x.params.coverage]),
      [["coverage-low", "coverage-low:u:2026-12", 0.92]],
    );
    assert.match(up[0]!.text, /only 92 % of this month's quarter hours so far \(2026-12\)/);
    // 1 January: the December incident ends with the month
    const jan = Date.UTC(2026, 11, 31, 23, 5);
    const end = a.check(report(jan, [meter({ meter: "u", month: { expected: 0, measured: 0, interpolated: 0, estimated: 0, missing: 0 } })]), new Map(), jan);
    assert.equal(end.length, 1);
    assert.equal(end[0]!.state, "resolved");
    assert.match(end[0]!.text, /2026-12 is over/);
  });

  it("rejected-burst: the burst count within the delay raises at once; resolved when the window is quiet", () => {
    const a = alerts();
    const ms = [meter({ meter: "m" })];
    assert.deepEqual(a.check(report(NOW, ms), new Map([["m", 100]]), NOW), []);
    assert.deepEqual(a.check(report(NOW + MIN, ms), new Map([["m", 105]]), NOW + MIN), []);
    const up = a.check(report(NOW + 2 * MIN, ms), new Map([["m", 110]]), NOW + 2 * MIN);
    assert.deepEqual(
      up.map((x) => [x.code, x.state, x.params.count, x.since]),
      [["rejected-burst", "raised", 10, new Date(NOW + MIN).toISOString()]],
    );
    assert.deepEqual(a.check(report(NOW + 3 * MIN, ms), new Map([["m", 111]]), NOW + 3 * MIN), []);
    const down = a.check(report(NOW + 20 * MIN, ms), new Map([["m", 111]]), NOW + 20 * MIN);
    assert.deepEqual(
      down.map((x) => [x.code, x.state]),
      [["rejected-burst", "resolved"]],
    );
  });

  it("backup-failed: raised at the next check, resolved by the next good backup; an unreadable database resolves nothing", () => {
    const a = alerts();
    a.backupFailed("zev/backups", NOW);
    a.backupFailed("zev/backups", NOW + MIN);
    const up = a.check(null, new Map(), NOW + 2 * MIN);
    assert.deepEqual(
      up.map((x) => [x.code, x.state, x.since, x.params.folder]),
      [["backup-failed", "raised", new Date(NOW).toISOString(), "zev/backups"]],
    );
    a.backupSucceeded();
    assert.deepEqual(
      a.check(null, new Map(), NOW + 3 * MIN).map((x) => x.state),
      ["resolved"],
    );
  });
});
