/**
 * One benchmark's result. `ours` and `baseline` are in the same unit;
 * `ratio` says how many times slower ours is than the baseline (1.0 = as
 * fast), whatever the unit's direction.
 */
export interface BenchResult {
  bench: string;
  ours: number;
  baseline: number;
  unit: string;
  ratio: number;
  /** Extra lines for the human-readable table. */
  notes: string[];
}

export type Bench = () => BenchResult | Promise<BenchResult>;

const round = (x: number, digits = 3): number => Number(x.toPrecision(digits + 2));

export function printTable(results: readonly BenchResult[], out: (s: string) => void): void {
  const rows = results.map((r) => [r.bench, `${round(r.ours)} ${r.unit}`, `${round(r.baseline)} ${r.unit}`, `${r.ratio.toFixed(2)}x`]);
  const head = ["bench", "ours", "baseline", "slower by"];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i]!)).join("  ");
  out(line(head) + "\n" + width.map((w) => "-".repeat(w)).join("  ") + "\n");
  for (const r of rows) out(line(r) + "\n");
  for (const r of results) for (const n of r.notes) out(`  ${r.bench}: ${n}\n`);
}

/** One JSON object per benchmark, each on a line of its own, for machines. */
export function printJsonLines(results: readonly BenchResult[], out: (s: string) => void): void {
  for (const r of results) out(JSON.stringify({ bench: r.bench, ours: round(r.ours, 6), baseline: round(r.baseline, 6), unit: r.unit, ratio: round(r.ratio, 4) }) + "\n");
}

/** The best (lowest) of `runs` timings of `fn`, in ms: the least disturbed by other work on the machine. */
export function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
