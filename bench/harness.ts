import { existsSync } from "node:fs";
import { join } from "node:path";

/** Shared bench plumbing: timing, the human table, one JSON line per benchmark. */
export interface BenchResult {
  bench: string;
  ours: number;
  baseline: number;
  unit: string;
  /** How many times slower ours is than the baseline (1.0 = as fast). */
  ratio: number;
  note?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time in seconds of `runs` calls. */
export function timeIt(fn: () => void, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

export function report(results: BenchResult[]): void {
  const rows = results.map((r) => [r.bench, r.ours.toPrecision(4), r.baseline.toPrecision(4), r.unit, r.ratio.toFixed(2), r.note ?? ""]);
  const head = ["bench", "ours", "baseline", "unit", "ratio", "note"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log("");
  for (const r of results) console.log(JSON.stringify({ bench: r.bench, ours: r.ours, baseline: r.baseline, unit: r.unit, ratio: r.ratio }));
}

/**
 * A module as Node-RED loads it: compiled by `npm run build` into dist/, typed as its source. tsx's own output
 * differs where it counts in a hot path (an imported constant read through a getter on every access).
 */
export function compiled<T>(source: string): T {
  const file = join(__dirname, "..", "dist", `${source}.js`);
  if (!existsSync(file)) throw new Error(`bench: ${file} is missing; \`npm run bench\` builds it first (npm run build)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}
