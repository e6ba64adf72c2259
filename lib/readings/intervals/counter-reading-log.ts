import type { CounterReading } from "./counter-state";

/**
 * The counter readings one meter took since the ingest's last commit, and the clock each was applied at, to apply
 * them again on a state another process changed (interval-ingest.ts rebase). Kept as columns of numbers, not as the
 * readings' objects: a flush of 5,000 readings would otherwise keep 5,000 objects alive through the young
 * generation's collections, to be copied and promoted for nothing.
 */
export class CounterReadingLog {
  private readonly ts: number[] = [];
  private readonly imp: number[] = [];
  /** NaN: no export counter (null). */
  private readonly exp: number[] = [];
  /** NaN: no resolution given. */
  private readonly resolutionWh: number[] = [];
  private readonly serial: (string | null)[] = [];
  private readonly nowMs: number[] = [];

  get length(): number {
    return this.ts.length;
  }

  push(r: CounterReading, nowMs: number): void {
    this.ts.push(r.ts);
    this.imp.push(r.imp);
    this.exp.push(r.exp ?? NaN);
    this.resolutionWh.push(r.resolutionWh ?? NaN);
    this.serial.push(r.serial);
    this.nowMs.push(nowMs);
  }

  /** The i-th reading as a new object, and the clock it was applied at. */
  at(i: number): { reading: CounterReading; nowMs: number } {
    const exp = this.exp[i]!;
    const res = this.resolutionWh[i]!;
    const reading: CounterReading = { ts: this.ts[i]!, imp: this.imp[i]!, exp: Number.isNaN(exp) ? null : exp, serial: this.serial[i]! };
    if (!Number.isNaN(res)) reading.resolutionWh = res;
    return { reading, nowMs: this.nowMs[i]! };
  }

  clear(): void {
    this.ts.length = 0;
    this.imp.length = 0;
    this.exp.length = 0;
    this.resolutionWh.length = 0;
    this.serial.length = 0;
    this.nowMs.length = 0;
  }
}
