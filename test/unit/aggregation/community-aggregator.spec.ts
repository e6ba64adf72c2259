import assert from "node:assert/strict";
import { join } from "node:path";
import { CommunityAggregator } from "../../../lib/aggregation/community-aggregator";
import type { IntervalSummary } from "../../../lib/aggregation/interval-summary";
import { saveCommunity } from "../../../lib/store/community-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0);

describe("lib/aggregation community aggregator", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  let now = T0;

  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    saveCommunity(
      store,
      minimalCommunity({
        meters: [
          { id: "u1", role: "unit", unit: "u1" },
          { id: "pv", role: "production" },
        ],
      }),
      { source: "test", actor: "test" },
    );
    now = T0;
  });
  afterEach(() => store.close());

  const make = (): CommunityAggregator => new CommunityAggregator(store, "test-zev", { actor: "test", now: () => now, graceMs: 5 * MIN });

  /** Both meters every minute from `fromMin` to `toMin`: u1 at 2 kW, pv at 1 kW. */
  function feed(agg: CommunityAggregator, fromMin: number, toMin: number): void {
    for (let m = fromMin; m <= toMin; m++) {
      now = T0 + m * MIN;
      agg.accept({ meter: "u1", ts: now, importKWh: 10 + (2 * m) / 60, powerW: 2000 });
      agg.accept({ meter: "pv", ts: now, importKWh: 50 + m / 60, powerW: 1000 });
    }
  }

  it("sends a summary per closed community interval, from committed rows, once", () => {
    const agg = make();
    const sent: IntervalSummary[] = [];
    feed(agg, 1, 3);
    agg.flush((s) => sent.push(s)); // first start: marks the start, sends no history
    feed(agg, 4, 46);
    const res = agg.flush((s) => sent.push(s));
    assert.equal(res.closedThroughMs, T0 + 45 * MIN);
    // 10:00-10:15 had no data before the first boundary; 10:15 and 10:30 are closed
    assert.deepEqual(
      sent.map((s) => s.startMs),
      [T0, T0 + 15 * MIN, T0 + 30 * MIN],
    );
    const s = sent[1]!;
    assert.equal(s.quality, "measured");
    assert.equal(s.productionKWh, 0.25);
    assert.equal(s.consumptionKWh, 0.5);
    assert.equal(s.solarKWh, 0.25);
    assert.equal(s.selfSufficiency, 0.5);
    assert.equal(s.consumers[0]!.gridKWh, 0.25);
    assert.equal(sent[0]!.quality, "missing");
    // flushing again sends nothing new
    assert.equal(agg.flush((x) => sent.push(x)).summarized, 0);
  });

  it("after a restart it continues with the next interval, not repeating sent ones", () => {
    let agg = make();
    const sent: number[] = [];
    feed(agg, 1, 3);
    agg.flush(() => undefined);
    feed(agg, 4, 31);
    agg.flush((s) => sent.push(s.startMs));
    agg = make();
    feed(agg, 32, 61);
    agg.flush((s) => sent.push(s.startMs));
    assert.deepEqual(
      sent,
      [0, 15, 30, 45].map((m) => T0 + m * MIN),
    );
  });

  it("live flows from the latest power values", () => {
    const agg = make();
    feed(agg, 1, 2);
    const live = agg.live(now);
    assert.equal(live.productionW, 1000);
    assert.equal(live.consumptionW, 2000);
    assert.equal(live.gridW, 1000);
    assert.equal(live.selfConsumedW, 1000);
  });

  it("after a long stop only the last day of summaries is sent; the rest is counted as skipped", () => {
    const agg = make();
    feed(agg, 1, 3);
    agg.flush(() => undefined);
    now = T0 + 3 * 24 * 60 * MIN;
    agg.accept({ meter: "u1", ts: now, importKWh: 20 });
    agg.accept({ meter: "pv", ts: now, importKWh: 60 });
    let n = 0;
    const res = agg.flush(() => n++);
    assert.equal(n, 96);
    assert.equal(res.skipped, 3 * 96 - 96);
  });
});
