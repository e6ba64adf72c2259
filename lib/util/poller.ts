/**
 * Runs a task every `intervalMs`, never two at once: the next run starts
 * `intervalMs` after the previous one started, or at once if it took longer.
 * The task must not throw (errors belong in its own handling); if it does,
 * `onError` gets it and polling continues.
 */
export class Poller {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = true;
  private again = false;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  start(delayMs = 0): void {
    this.stopped = false;
    this.schedule(delayMs);
  }

  /** Polls now (after the running poll, if one is running). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), Math.max(0, delayMs));
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.running) return;
    this.running = true;
    const started = Date.now();
    try {
      await this.task();
    } catch (e) {
      this.onError(e);
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    const again = this.again;
    this.again = false;
    this.schedule(again ? 0 : this.intervalMs - (Date.now() - started));
  }
}
