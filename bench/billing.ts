import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBilling } from "../lib/billing/run";
import { saveCommunity } from "../lib/store/community-repo";
import { sealIntervalDays } from "../lib/store/interval-days";
import { listMeters } from "../lib/store/meter-repo";
import { SqliteStore } from "../lib/store/sqlite-store";
import { INTERVAL_MS } from "../lib/time/interval";
import { parsePeriod } from "../lib/time/periods";
import { BenchResult } from "./harness";
import { fillIntervals, largeCommunity } from "../test/support/large-community";

const RUNS = 3;

/** CPU and wall time of one call, ms. */
function measure(fn: () => void): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const u = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000 };
}

/**
 * A community of `units` flats over a full year of quarter hours (100 units:
 * about 3.6 million interval rows; 1,000 units: 35 million, 1.8 GB written
 * first), billed as a draft run against the raw SQL aggregate of the same
 * rows. The baseline is the faster of two plain SQL sums of every meter's
 * import and export over the period (one grouped query, one primary-key
 * range per meter); ours and the baseline take turns, best of three each
 * (the run least disturbed by other work on the machine). Ours reads the
 * period's days sealed (docs/decisions/0149), as a running install's daily
 * job keeps them; one run before the seal is in the note.
 */
export function billingBench(units = 100, periodText = "2026"): BenchResult {
  const dir = process.env.ZEV_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "zev-bench-billing-"));
  try {
    const store = SqliteStore.open(join(dir, `bench-${units}.sqlite`));
    const def = largeCommunity(units);
    saveCommunity(store, def, { source: "bench", actor: "bench" });
    const period = parsePeriod(periodText);
    const meters = listMeters(store, "bench");
    if (units === 100) {
      // The data the bench has always used for 100 units, so that its line stays comparable.
      const ins = store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', ?)");
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
    } else fillIntervals(store, "bench", period);
    const rows = (store.db.prepare("SELECT COUNT(*) AS n FROM intervals").get() as { n: number }).n;
    const grouped = store.db.prepare(
      "SELECT meter_id, SUM(import_wh), SUM(export_wh), COUNT(*) FROM intervals WHERE meter_id IN (SELECT id FROM meters WHERE community_id = ?) AND start_ms >= ? AND start_ms < ? GROUP BY meter_id",
    );
    const perMeter = store.db.prepare("SELECT SUM(import_wh), SUM(export_wh), COUNT(*) FROM intervals WHERE meter_id = ? AND start_ms >= ? AND start_ms < ?");
    const ids = meters.map((m) => m.id);
    // One invoice per tenancy, and one for the owner of each flat vacant after a move-out within the period.
    const invoices = def.tenancies.length + def.tenancies.filter((t) => typeof t.to === "string" && t.to < period.to).length;
    const draft = (): void => {
      const rep = runBilling(store, { communityId: "bench", period: periodText, mode: "draft", actor: "bench" });
      if (rep.stopped || rep.invoices.length !== invoices) throw new Error(`bench run went wrong: ${rep.stopReason ?? rep.invoices.length}`);
    };
    // Once on the rows alone, as right after an upgrade; then with the closed days sealed, as the daily job keeps them
    // in a running install (docs/decisions/0149), and that is the line.
    const unsealed = measure(draft);
    const seal = measure(() => sealIntervalDays(store, "bench", period.endMs));
    let baseline = Infinity;
    let baselineCpu = Infinity;
    let ours = Infinity;
    let oursCpu = Infinity;
    for (let r = 0; r < RUNS; r++) {
      for (const b of [
        measure(() => grouped.all("bench", period.startMs, period.endMs)),
        measure(() => ids.forEach((id) => perMeter.get(id, period.startMs, period.endMs))),
      ]) {
        baseline = Math.min(baseline, b.wall);
        baselineCpu = Math.min(baselineCpu, b.cpu);
      }
      const o = measure(draft);
      ours = Math.min(ours, o.wall);
      oursCpu = Math.min(oursCpu, o.cpu);
    }
    store.close();
    return {
      bench: `billing-${units}-units-${periodText.length === 4 ? "1-year" : periodText}`,
      ours: ours / 1000,
      baseline: baseline / 1000,
      unit: "s",
      ratio: ours / baseline,
      note: `${rows} interval rows; baseline: the faster SQL SUM over the same rows (grouped, or per meter over its primary-key range); best of ${RUNS}, taking turns; CPU time ours ${(oursCpu / 1000).toFixed(3)} s, baseline ${(baselineCpu / 1000).toFixed(3)} s (ratio ${(oursCpu / baselineCpu).toFixed(2)}); before the days were sealed: ${(unsealed.wall / 1000).toFixed(3)} s (ratio ${(unsealed.wall / baseline).toFixed(2)}), sealing them took ${(seal.wall / 1000).toFixed(1)} s`,
    };
  } finally {
    if (!process.env.ZEV_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}
