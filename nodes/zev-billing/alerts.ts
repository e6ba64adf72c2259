import type { NodeMessage } from "node-red";
import { alertMessage, billingRunAlerts, type FailureReason, type RunObservation } from "../../lib/billing/alerts";
import type { BillingRunReport } from "../../lib/billing/run";
import { unpricedDays } from "../../lib/billing/schedule";
import { BillingBusyError, BillingStoppedError } from "../../lib/billing/worker-run";
import type { CommunityDefinition } from "../../lib/community/types";
import type { Store } from "../../lib/store/store";
import type { BillingPeriod } from "../../lib/time/periods";

/** What a run came to, for its alerts (lib/billing/alerts.ts). */
export function observation(period: BillingPeriod, def: CommunityDefinition, outcome: { report: BillingRunReport } | { error: unknown }): RunObservation {
  if ("report" in outcome) {
    const r = outcome.report;
    if (r.stopped)
      return {
        kind: "coverage-low",
        period: period.label,
        meters: r.lowCoverage.map((c) => `${c.meter} ${(c.coverage * 100).toFixed(1)} %`).join(", "),
        threshold: `${(r.minCoverage * 100).toFixed(0)} %`,
      };
    return { kind: "done", period: period.label, warnings: r.notices.length };
  }
  const unpriced = outcome.error instanceof BillingBusyError ? [] : unpricedDays(def, period);
  const reason: FailureReason = outcome.error instanceof BillingBusyError ? "busy" : unpriced.length ? "unpriced" : "error";
  return { kind: "failed", period: period.label, reason, ...(unpriced.length ? { days: unpriced.length, first: unpriced[0]! } : {}) };
}

/**
 * Runs `run` (a billing run of `period`) and sends the alerts its outcome
 * raises or resolves on `send`; the run's result or error passes through.
 * A run stopped by a redeploy tells nothing: it did not fail, it was not done.
 */
export async function withRunAlerts(
  deps: { store: Store; communityId: string; def: CommunityDefinition; now: () => number; send: (msgs: NodeMessage[]) => void },
  period: BillingPeriod,
  run: () => Promise<BillingRunReport>,
): Promise<BillingRunReport> {
  const tell = (o: RunObservation): void => {
    const alerts = billingRunAlerts(deps.store, deps.communityId, deps.def.owner.language, o, deps.now());
    if (alerts.length) deps.send(alerts.map((a) => alertMessage(a) as NodeMessage));
  };
  let report: BillingRunReport;
  try {
    report = await run();
  } catch (error) {
    if (!(error instanceof BillingStoppedError)) tell(observation(period, deps.def, { error }));
    throw error;
  }
  tell(observation(period, deps.def, { report }));
  return report;
}
