/*
 * npm run bench: every benchmark in BENCHES, a table for people, then one
 * JSON object per benchmark per line for machines (bench/report.ts). Add a
 * benchmark by adding its module here.
 */
import { ingestBench } from "./ingest";
import { communityIntervalsBench } from "./community-intervals";
import { Bench, BenchResult, printJsonLines, printTable } from "./report";

const BENCHES: Bench[] = [ingestBench, communityIntervalsBench];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: BenchResult[] = [];
  for (const bench of BENCHES) {
    if (only.length && !only.some((o) => bench.name.toLowerCase().includes(o.toLowerCase()))) continue;
    results.push(await bench());
  }
  const out = (s: string): boolean => process.stdout.write(s);
  printTable(results, out);
  printJsonLines(results, out);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
