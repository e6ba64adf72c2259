import { billingBench } from "./billing";
import { billingLoopBench } from "./billing-loop";
import { communityIntervalsBench } from "./community-intervals";
import { BenchResult, report } from "./harness";
import { ingestBench } from "./ingest";
import { legBench } from "./leg";
import { storageBench } from "./storage";
import { memoryBench } from "./memory";

/*
 * BENCH_BIG_UNITS / BENCH_BIG_PERIOD scale the large community (default 1,000
 * units over the year 2026: it writes 35 million rows, about 1.8 GB in the
 * temp dir, first, and the run's worker needs about 400 MB; on a small machine
 * BENCH_BIG_PERIOD=2026-01 bills one month of it); the line's name says what
 * was measured.
 */
const big = { units: Number(process.env.BENCH_BIG_UNITS ?? 1000), period: process.env.BENCH_BIG_PERIOD ?? "2026" };

const benches: Record<string, () => BenchResult | BenchResult[] | Promise<BenchResult[]>> = {
  billing: () => billingBench(100, "2026"),
  // A 1,000-unit year: 35 million rows (about 1.8 GB written first, a few minutes); BENCH_BILLING_UNITS scales it.
  "billing-big": () => billingBench(Number(process.env.BENCH_BILLING_UNITS ?? 1000), "2026"),
  "billing-loop-100": () => billingLoopBench(100, "2026"),
  "billing-loop-big": () => billingLoopBench(big.units, big.period),
  ingest: ingestBench,
  "community-intervals": communityIntervalsBench,
  leg: legBench,
  storage: storageBench,
  // Four Node-RED processes measured at the same age (bare, suite, demo, demo + one dashboard client): about 5 minutes.
  memory: memoryBench,
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: BenchResult[] = [];
  for (const [name, bench] of Object.entries(benches)) {
    if (only.length && !only.includes(name)) continue;
    process.stderr.write(`bench ${name} ...\n`);
    results.push(...[await bench()].flat());
  }
  report(results);
}

void main();
