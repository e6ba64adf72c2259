/**
 * A deterministic stream of readings for several meters (tests and bench):
 * reading i of meter k is at T0 + i * stepMs + k * 1000 ms with an irregular
 * load of up to ~2.5 kW; counters in kWh with 3 decimals, as meters send them.
 */
export const STREAM_T0 = Date.UTC(2026, 0, 1, 0, 0);

export interface StreamReading {
  meter: string;
  ts: number;
  importKWh: number;
}

export class ReadingStream {
  private readonly wh: number[];
  index = 0;

  constructor(
    readonly meters: number,
    readonly stepMs = 7000,
    readonly t0 = STREAM_T0,
  ) {
    this.wh = Array.from({ length: meters }, (_, k) => 100_000 * (k + 1));
  }

  /** The next reading of every meter, in meter order. */
  next(): StreamReading[] {
    const i = this.index++;
    const out: StreamReading[] = [];
    for (let k = 0; k < this.meters; k++) {
      if (i > 0) this.wh[k]! += (i * 7919 + k * 104_729) % 5;
      out.push({ meter: `m${k}`, ts: this.t0 + i * this.stepMs + k * 1000, importKWh: this.wh[k]! / 1000 });
    }
    return out;
  }
}

/** The counter of each meter at every interval boundary up to `untilMs`, interpolated as docs/aggregation.md says, rounded to the Wh. */
export function boundaryValues(meters: number, untilMs: number, stepMs = 7000, t0 = STREAM_T0): Map<string, Map<number, number>> {
  const s = new ReadingStream(meters, stepMs, t0);
  const out = new Map<string, Map<number, number>>();
  const prev = new Map<string, { ts: number; wh: number }>();
  for (;;) {
    const batch = s.next();
    if (batch[0]!.ts > untilMs + stepMs) break;
    for (const r of batch) {
      const wh = r.importKWh * 1000;
      const p = prev.get(r.meter);
      const values = out.get(r.meter) ?? new Map<number, number>();
      out.set(r.meter, values);
      if (!p && r.ts % 900_000 === 0) values.set(r.ts, Math.round(wh));
      if (p) {
        for (let b = Math.floor(p.ts / 900_000) * 900_000 + 900_000; b <= r.ts; b += 900_000) {
          values.set(b, b === r.ts ? Math.round(wh) : Math.round(p.wh + ((wh - p.wh) * (b - p.ts)) / (r.ts - p.ts)));
        }
      }
      prev.set(r.meter, { ts: r.ts, wh });
    }
  }
  return out;
}
