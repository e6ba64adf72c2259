/*
 * Brute-force brake for the portal (docs/decisions/0099): each client (the
 * socket's address) may present at most `maxFailures` refused tokens per
 * window; after that every request of that client is answered 429 until the
 * window ends, valid token or not, and no token is even looked up. A valid
 * token never clears the count.
 */

export const DEFAULT_MAX_FAILURES = 10;
export const DEFAULT_WINDOW_MS = 10 * 60_000;
/** Clients remembered at most; the oldest windows are dropped first when a flood of addresses arrives. */
const MAX_CLIENTS = 10_000;

interface Entry {
  start: number;
  failures: number;
  /** Requests refused by the brake in this window (reported once per window in the audit log). */
  blocked: number;
}

export class FailureGuard {
  private readonly clients = new Map<string, Entry>();

  constructor(
    readonly maxFailures = DEFAULT_MAX_FAILURES,
    readonly windowMs = DEFAULT_WINDOW_MS,
  ) {}

  private entry(client: string, now: number): Entry {
    let e = this.clients.get(client);
    if (!e || now - e.start >= this.windowMs) {
      e = { start: now, failures: 0, blocked: 0 };
      this.clients.delete(client);
      if (this.clients.size >= MAX_CLIENTS) this.prune(now);
      this.clients.set(client, e);
    }
    return e;
  }

  /** True when the client is braked now; counts the blocked request. `first` is true for the first blocked request of the window. */
  blocked(client: string, now: number): { blocked: boolean; first: boolean; retryAfterS: number } {
    const e = this.entry(client, now);
    if (e.failures < this.maxFailures) return { blocked: false, first: false, retryAfterS: 0 };
    e.blocked++;
    return { blocked: true, first: e.blocked === 1, retryAfterS: Math.max(1, Math.ceil((e.start + this.windowMs - now) / 1000)) };
  }

  /** Counts a refused token; returns the client's failures in this window. */
  fail(client: string, now: number): number {
    const e = this.entry(client, now);
    e.failures++;
    return e.failures;
  }

  private prune(now: number): void {
    for (const [k, e] of this.clients) if (now - e.start >= this.windowMs) this.clients.delete(k);
    // Still full: drop the oldest (Map keeps insertion order).
    while (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
  }
}
