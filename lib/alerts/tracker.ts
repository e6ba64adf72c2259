/*
 * Once per incident (issue 17): a pure tracker of conditions. It keeps no
 * timer; the node that owns it feeds it what holds now, and it answers with
 * the transitions to send. A condition must hold for `delayMs` before it is
 * raised (a condition that ends sooner raises nothing, so a flapping meter
 * sends no spam), is resolved once when it ends, and a later return of the
 * same key is a new incident with a new `since`.
 */

/** A condition that holds now. */
export interface Condition<D> {
  /** Tells incidents apart, e.g. `meter-silent:unit-1`; the code is the part before the first colon unless `code` says otherwise. */
  key: string;
  code: string;
  /** When the condition began, where the caller knows it (a meter's last reading); otherwise the first time it was seen. */
  since?: number;
  /** How long it must hold before it is raised; default the tracker's delay (a burst counted over a window needs none). */
  holdMs?: number;
  /** What the alert says about it (subject, params); the latest one seen is kept. */
  data: D;
}

export interface Transition<D> {
  state: "raised" | "resolved";
  key: string;
  code: string;
  since: number;
  at: number;
  /** raised: the data at raising; resolved: the last data seen while it held. */
  data: D;
}

interface Incident<D> {
  code: string;
  since: number;
  holdMs: number;
  raised: boolean;
  data: D;
}

export class IncidentTracker<D> {
  private readonly incidents = new Map<string, Incident<D>>();

  constructor(private readonly delayMs: number) {
    if (!(delayMs >= 0)) throw new RangeError("the alert delay must be 0 or more milliseconds");
  }

  /**
   * Feeds the conditions that hold at `now`. Every tracked incident whose
   * code is in `evaluated` (default: every code) and that is not among
   * `holding` has ended. Codes that could not be evaluated this time (their
   * source failed) are left as they are: not knowing is not "resolved".
   */
  update(holding: readonly Condition<D>[], now: number, evaluated?: readonly string[]): Transition<D>[] {
    const out: Transition<D>[] = [];
    const seen = new Set<string>();
    for (const c of holding) {
      seen.add(c.key);
      let inc = this.incidents.get(c.key);
      if (!inc) {
        inc = { code: c.code, since: Math.min(c.since ?? now, now), holdMs: c.holdMs ?? this.delayMs, raised: false, data: c.data };
        this.incidents.set(c.key, inc);
      } else {
        inc.data = c.data;
        // Until it is raised the caller may know better when it began; once raised, `since` is what was said.
        if (!inc.raised && c.since !== undefined) inc.since = Math.min(c.since, now);
      }
      if (!inc.raised && now - inc.since >= inc.holdMs) {
        inc.raised = true;
        out.push({ state: "raised", key: c.key, code: inc.code, since: inc.since, at: now, data: inc.data });
      }
    }
    for (const [key, inc] of this.incidents) {
      if (seen.has(key) || (evaluated && !evaluated.includes(inc.code))) continue;
      this.incidents.delete(key);
      if (inc.raised) out.push({ state: "resolved", key, code: inc.code, since: inc.since, at: now, data: inc.data });
    }
    return out;
  }

  /** One condition: holds or not at `now`. */
  observe(key: string, active: boolean, now: number, opts: { code?: string; since?: number; holdMs?: number; data: D }): Transition<D> | null {
    const code = opts.code ?? key.split(":")[0]!;
    const holding = active ? [{ key, code, since: opts.since, holdMs: opts.holdMs, data: opts.data }] : [];
    const t = this.update(holding, now, []);
    if (t.length) return t[0]!;
    if (active) return null;
    const inc = this.incidents.get(key);
    if (!inc) return null;
    this.incidents.delete(key);
    return inc.raised ? { state: "resolved", key, code: inc.code, since: inc.since, at: now, data: inc.data } : null;
  }

  /** The incidents raised and not yet resolved (what a dashboard lists as open). */
  open(): { key: string; code: string; since: number; data: D }[] {
    return [...this.incidents].filter(([, i]) => i.raised).map(([key, i]) => ({ key, code: i.code, since: i.since, data: i.data }));
  }
}
