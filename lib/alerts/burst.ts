/*
 * Rejected values counted over a sliding window, from counters that only
 * grow (the meter nodes' rejected totals since they started). A counter
 * that goes down was restarted (a redeploy): its history starts over, so a
 * restart is never a burst.
 */

interface Sample {
  at: number;
  total: number;
}

export class BurstWindow {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs: number) {}

  /**
   * Records `total` for `key` at `now`; returns how many were added within
   * the window and since when (the first sample that showed an increase).
   */
  sample(key: string, total: number, now: number): { count: number; since: number | null } {
    let list = this.samples.get(key);
    if (!list || (list.length && total < list[list.length - 1]!.total)) list = [];
    list.push({ at: now, total });
    // Keep one sample at or before the window's start as the baseline.
    while (list.length > 1 && list[1]!.at <= now - this.windowMs) list.shift();
    this.samples.set(key, list);
    const base = list[0]!;
    const first = list.find((s) => s.total > base.total);
    return { count: total - base.total, since: first ? first.at : null };
  }

  /** Forgets keys not sampled any more (a meter removed). */
  retain(keys: ReadonlySet<string>): void {
    for (const k of [...this.samples.keys()]) if (!keys.has(k)) this.samples.delete(k);
  }
}
