import { billingBench } from "./billing";
import { communityIntervalsBench } from "./community-intervals";
import { BenchResult, report } from "./harness";
import { ingestBench } from "./ingest";

const benches: Record<string, () => BenchResult> = {
  billing: billingBench,
  ingest: ingestBench,
  "community-intervals": communityIntervalsBench,
};

const only = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, bench] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench ${name} ...\n`);
  results.push(bench());
}
report(results);
