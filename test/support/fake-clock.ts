/**
 * A clock for zev-billing's schedule (nodes/zev-billing/schedule.ts
 * ScheduleClock), put into the runtime settings as `zevClock`: time stands
 * still until the test moves it, and then the timers due on the way fire in
 * order, each at its instant. Everything else (Node-RED, sockets, the billing
 * worker) keeps real time.
 */
export class FakeClock {
  private nowMs: number;
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const t = { at: this.nowMs + Math.max(0, ms), seq: ++this.seq, fn };
    this.timers.push(t);
    return t;
  }

  clearTimeout(timer: unknown): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }

  /** Timers waiting (a node that closed has cleared its own). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves to `ms` (epoch), firing every timer due up to then. */
  moveTo(ms: number): void {
    for (;;) {
      const next = this.timers.filter((t) => t.at <= ms).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = Math.max(this.nowMs, next.at);
      next.fn();
    }
    this.nowMs = Math.max(this.nowMs, ms);
  }
}
