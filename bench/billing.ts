import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBilling } from "../lib/billing/run";
import { saveCommunity } from "../lib/store/community-repo";
import { listMeters } from "../lib/store/meter-repo";
import { SqliteStore } from "../lib/store/sqlite-store";
import { INTERVAL_MS } from "../lib/time/interval";
import { parsePeriod } from "../lib/time/periods";
import { BenchResult, timeIt } from "./harness";
import { largeCommunity } from "../test/support/large-community";

/** A 100-unit community over a full year of quarter hours (about 3.6 million interval rows). */
export function billingBench(): BenchResult {
  const dir = process.env.ZEV_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "zev-bench-billing-"));
  try {
    const store = SqliteStore.open(join(dir, "bench.sqlite"));
    saveCommunity(store, largeCommunity(100), { source: "bench", actor: "bench" });
    const period = parsePeriod("2026");
    const ins = store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', ?)");
    const meters = listMeters(store, "bench");
    let seed = 7;
    const rnd = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (const m of meters) {
      store.write(() => {
        for (let t = period.startMs, i = 0; t < period.endMs; t += INTERVAL_MS, i++) {
          const hour = (i % 96) / 4;
          const wh = m.role === "production" ? (hour > 7 && hour < 18 ? 2000 + rnd(8000) : 0) : m.role === "grid" ? rnd(5000) : 20 + rnd(300);
          ins.run(m.id, t, wh, 0, t);
        }
      });
    }
    const rows = (store.db.prepare("SELECT COUNT(*) AS n FROM intervals").get() as { n: number }).n;
    // The fastest plain SQL over the same rows: one primary-key range per meter of the community.
    const sum = store.db.prepare(
      "SELECT meter_id, SUM(import_wh), SUM(export_wh), COUNT(*) FROM intervals WHERE meter_id IN (SELECT id FROM meters WHERE community_id = ?) AND start_ms >= ? AND start_ms < ? GROUP BY meter_id",
    );
    const baseline = timeIt(() => sum.all("bench", period.startMs, period.endMs));
    const ours = timeIt(() => {
      const r = runBilling(store, { communityId: "bench", period: "2026", mode: "draft", actor: "bench" });
      if (r.stopped || r.invoices.length !== 110) throw new Error(`bench run went wrong: ${r.stopReason ?? r.invoices.length}`);
    });
    store.close();
    return {
      bench: "billing-100-units-1-year",
      ours,
      baseline,
      unit: "s",
      ratio: ours / baseline,
      note: `${rows} interval rows; baseline: SQL SUM per meter over its primary-key range`,
    };
  } finally {
    if (!process.env.ZEV_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}
