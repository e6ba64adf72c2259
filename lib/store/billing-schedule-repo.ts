import type { AlertSeverity } from "../model/alert";
import type { IssueParams } from "../util/issue";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/** A period a scheduled billing run has taken on (docs/decisions/0114-scheduled-billing-runs.md). */
export interface ScheduledRunRecord {
  communityId: string;
  period: string;
  mode: "draft" | "issue";
  dueMs: number;
  ranMs: number;
  /** done, warnings, coverage-low, failed */
  outcome: string;
  actor: string;
}

export function scheduledRunOf(handle: Store, communityId: string, period: string): ScheduledRunRecord | null {
  const row = sqlite(handle)
    .stmt<{ mode: "draft" | "issue"; due_ms: number; ran_ms: number; outcome: string; actor: string }>(
      "SELECT mode, due_ms, ran_ms, outcome, actor FROM billing_schedule_runs WHERE community_id = ? AND period = ?",
    )
    .get(communityId, period);
  return row ? { communityId, period, mode: row.mode, dueMs: row.due_ms, ranMs: row.ran_ms, outcome: row.outcome, actor: row.actor } : null;
}

/** Remembers that the schedule ran `period`; the first record of a period stays (a period is run by the schedule once). */
export function recordScheduledRun(handle: Store, r: ScheduledRunRecord): boolean {
  return handle.write(
    () =>
      sqlite(handle)
        .stmt(
          "INSERT INTO billing_schedule_runs (community_id, period, mode, due_ms, ran_ms, outcome, actor) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .run(r.communityId, r.period, r.mode, r.dueMs, r.ranMs, r.outcome, r.actor).changes === 1,
  );
}

/** A billing alert raised and not yet resolved (docs/decisions/0115-billing-alerts.md). */
export interface OpenBillingAlert {
  key: string;
  code: string;
  severity: AlertSeverity;
  sinceMs: number;
  params: IssueParams;
}

export function openBillingAlerts(handle: Store, communityId: string): OpenBillingAlert[] {
  return sqlite(handle)
    .stmt<{ key: string; code: string; severity: AlertSeverity; since_ms: number; params: string }>(
      "SELECT key, code, severity, since_ms, params FROM billing_alerts WHERE community_id = ? ORDER BY since_ms, key",
    )
    .all(communityId)
    .map((r) => ({ key: r.key, code: r.code, severity: r.severity, sinceMs: r.since_ms, params: JSON.parse(r.params) as IssueParams }));
}

/** Opens the incident; false when it is open already (it is raised once). */
export function openBillingAlert(handle: Store, communityId: string, a: OpenBillingAlert): boolean {
  return handle.write(
    () =>
      sqlite(handle)
        .stmt("INSERT INTO billing_alerts (community_id, key, code, severity, since_ms, params) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
        .run(communityId, a.key, a.code, a.severity, a.sinceMs, JSON.stringify(a.params)).changes === 1,
  );
}

/** Closes the incident and returns it; null when it was not open (it is resolved once). */
export function closeBillingAlert(handle: Store, communityId: string, key: string): OpenBillingAlert | null {
  return handle.write(() => {
    const open = openBillingAlerts(handle, communityId).find((a) => a.key === key) ?? null;
    if (open) sqlite(handle).stmt("DELETE FROM billing_alerts WHERE community_id = ? AND key = ?").run(communityId, key);
    return open;
  });
}
