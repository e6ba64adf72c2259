import type { HealthReport, MeterHealth } from "../aggregation/meter-health";
import type { Alert, AlertSubject } from "../model/alert";
import { localDateOf } from "../time/local-date";
import { buildAlert, type AlertContext, type AlertData } from "./build";
import { BurstWindow } from "./burst";
import { IncidentTracker, type Condition } from "./tracker";

/*
 * The alerts of zev-aggregate (docs/alerts.md): what the Data page and the
 * health command show, judged on a timer. The health report is the one the
 * dashboard gets (lib/aggregation/meter-health.ts); coverage is judged as a
 * billing run judges it (measured + interpolated of the due quarter hours,
 * grid and unknown meters aside, against the community's minCoverage).
 */

export interface DataHealthSettings {
  /** How long a condition must hold before it is raised; also how long a meter may be silent. */
  delayMs: number;
  /** The community's billing threshold (BillingRules.minCoverage). */
  minCoverage: number;
  /** This many rejected values of one meter within `delayMs` are a burst. */
  burstCount: number;
}

export const DATA_HEALTH_CODES = ["meter-silent", "coverage-low", "rejected-burst"] as const;

const subjectOf = (m: MeterHealth): AlertSubject => (m.unit ? { meter: m.meter, unit: m.unit } : { meter: m.meter });

/** The data-health conditions that hold in a health report; `bursts` are the meters' rejected values within the delay. */
export function dataHealthConditions(
  health: HealthReport,
  zone: string,
  s: DataHealthSettings,
  bursts: ReadonlyMap<string, { count: number; since: number | null }>,
): Condition<AlertData>[] {
  const out: Condition<AlertData>[] = [];
  const month = localDateOf(health.ts, zone).slice(0, 7);
  for (const m of health.meters) {
    const subject = subjectOf(m);
    if (m.lastReadingMs !== null && m.ageMs !== null && m.ageMs >= s.delayMs)
      out.push({
        key: `meter-silent:${m.meter}`,
        code: "meter-silent",
        since: m.lastReadingMs,
        data: { subject, params: { meter: m.meter, minutes: Math.floor(m.ageMs / 60_000) } },
      });
    // As billing: grid and unknown ("other") meters do not stop a run.
    if (m.role !== "grid" && m.role !== "other" && m.month.expected > 0) {
      const coverage = (m.month.measured + m.month.interpolated) / m.month.expected;
      if (coverage < s.minCoverage)
        out.push({
          key: `coverage-low:${m.meter}:${month}`,
          code: "coverage-low",
          data: { subject, params: { meter: m.meter, month, coverage: Math.floor(coverage * 10_000) / 10_000, threshold: s.minCoverage } },
        });
    }
    const b = bursts.get(m.meter);
    if (b && b.count >= s.burstCount)
      out.push({
        key: `rejected-burst:${m.meter}`,
        code: "rejected-burst",
        since: b.since ?? undefined,
        // The window is the delay already: raised when the count is reached.
        holdMs: 0,
        data: { subject, params: { meter: m.meter, count: b.count, minutes: Math.round(s.delayMs / 60_000) } },
      });
  }
  return out;
}

/**
 * zev-aggregate's alert state: the incidents, the rejection windows and the
 * last backup's outcome. The node feeds it on its timer and sends what it
 * returns.
 */
export class DataHealthAlerts {
  private readonly tracker: IncidentTracker<AlertData>;
  private readonly bursts: BurstWindow;
  private backup: { failedAt: number; folder: string } | null = null;

  constructor(
    private readonly ctx: AlertContext,
    private readonly settings: DataHealthSettings,
  ) {
    this.tracker = new IncidentTracker(settings.delayMs);
    this.bursts = new BurstWindow(settings.delayMs);
  }

  backupFailed(folder: string, now: number): void {
    if (!this.backup) this.backup = { failedAt: now, folder };
  }

  backupSucceeded(): void {
    this.backup = null;
  }

  /**
   * One check. `health` is null when it could not be read (a locked or
   * broken database): then only the backup is judged, and the data
   * incidents stay as they are. A meter's rejected values are what its
   * source nodes counted (`health.meters[].source`) plus `alsoRejected`
   * (what zev-aggregate itself refused of it).
   */
  check(health: HealthReport | null, alsoRejected: ReadonlyMap<string, number>, now: number): Alert[] {
    const holding: Condition<AlertData>[] = [];
    const evaluated: string[] = ["backup-failed"];
    if (health) {
      const bursts = new Map<string, { count: number; since: number | null }>();
      for (const m of health.meters) bursts.set(m.meter, this.bursts.sample(m.meter, (m.source?.rejected ?? 0) + (alsoRejected.get(m.meter) ?? 0), now));
      this.bursts.retain(new Set(bursts.keys()));
      holding.push(...dataHealthConditions(health, this.ctx.timeZone, this.settings, bursts));
      evaluated.push(...DATA_HEALTH_CODES);
    }
    if (this.backup)
      holding.push({
        key: "backup-failed",
        code: "backup-failed",
        since: this.backup.failedAt,
        holdMs: 0,
        data: { subject: {}, params: { folder: this.backup.folder } },
      });
    const month = localDateOf(now, this.ctx.timeZone).slice(0, 7);
    return this.tracker.update(holding, now, evaluated).map((t) => {
      // A month that ended with low coverage is over, not repaired: say so.
      if (t.state === "resolved" && t.code === "coverage-low" && t.data.params.month !== month) t = { ...t, data: { ...t.data, variant: "month-over" } };
      return buildAlert(t, this.ctx);
    });
  }
}
