import type { CounterReading } from "./counter-state";

/** ts, imp, exp (NaN: null), resolutionWh (NaN: none given), the clock it was applied at. */
const FIELDS = 5;
const FIRST_CAPACITY = 16;
/** A log grown beyond this by a long wait for a commit is given back at the next clear. */
const KEPT_CAPACITY = 1024;

/**
 * The counter readings one meter took since the ingest's last commit, and the clock each was applied at, to apply
 * them again on a state another process changed (interval-ingest.ts rebase). Every accepted reading passes here, and
 * nearly never is one read back, so pushing is what counts: the numbers go into one typed array that a commit
 * empties by its count (no allocation per reading, none per commit; six growing arrays cleared to length 0 cost a
 * third of the ingest's JavaScript time), and the serial, the same for long runs of readings or absent, is kept
 * once per run.
 */
export class CounterReadingLog {
  private values = new Float64Array(FIELDS * FIRST_CAPACITY);
  private n = 0;
  /** Where the serial changed: reading index and the serial from there on (null: none), in index order. */
  private readonly serialRuns: { from: number; serial: string | null }[] = [];

  get length(): number {
    return this.n;
  }

  push(r: CounterReading, nowMs: number): void {
    let v = this.values;
    const at = this.n * FIELDS;
    if (at + FIELDS > v.length) {
      const grown = new Float64Array(v.length * 2);
      grown.set(v);
      this.values = v = grown;
    }
    v[at] = r.ts;
    v[at + 1] = r.imp;
    v[at + 2] = r.exp ?? NaN;
    v[at + 3] = r.resolutionWh ?? NaN;
    v[at + 4] = nowMs;
    const run = this.serialRuns[this.serialRuns.length - 1];
    if (run === undefined || r.serial !== run.serial) this.serialRuns.push({ from: this.n, serial: r.serial });
    this.n++;
  }

  /** The i-th reading as a new object, and the clock it was applied at. */
  at(i: number): { reading: CounterReading; nowMs: number } {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`reading ${i} of ${this.n}`);
    const v = this.values;
    const at = i * FIELDS;
    const exp = v[at + 2]!;
    const res = v[at + 3]!;
    let run = this.serialRuns.length - 1;
    while (this.serialRuns[run]!.from > i) run--;
    const reading: CounterReading = { ts: v[at]!, imp: v[at + 1]!, exp: Number.isNaN(exp) ? null : exp, serial: this.serialRuns[run]!.serial };
    if (!Number.isNaN(res)) reading.resolutionWh = res;
    return { reading, nowMs: v[at + 4]! };
  }

  clear(): void {
    this.n = 0;
    this.serialRuns.length = 0;
    if (this.values.length > FIELDS * KEPT_CAPACITY) this.values = new Float64Array(FIELDS * FIRST_CAPACITY);
  }
}
