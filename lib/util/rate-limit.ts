/**
 * Lets at most `max` events through per `windowMs`; counts the rest so a
 * flood of bad packets does not flood the log, and says how many were held
 * back when the next window opens.
 */
export class RateLimiter {
  private windowStart = -Infinity;
  private inWindow = 0;
  private held = 0;

  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
  ) {}

  /**
   * `allowed` says whether to log this event; `suppressed` is the number of
   * events held back in the previous window (report it along with this one).
   */
  take(now: number): { allowed: boolean; suppressed: number } {
    let suppressed = 0;
    if (now - this.windowStart >= this.windowMs) {
      suppressed = this.held;
      this.held = 0;
      this.inWindow = 0;
      this.windowStart = now;
    }
    if (this.inWindow < this.max) {
      this.inWindow++;
      return { allowed: true, suppressed };
    }
    this.held++;
    return { allowed: false, suppressed: 0 };
  }
}
