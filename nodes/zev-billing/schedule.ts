import type { Node, NodeAPI, NodeMessage } from "node-red";
import type { BillingRequest, BillingRunReport } from "../../lib/billing/run";
import { CATCH_UP_MS, nextRun, runToStart, type BillingSchedule, type ScheduledRun } from "../../lib/billing/schedule";
import { BillingBusyError, BillingStoppedError } from "../../lib/billing/worker-run";
import type { CommunityDefinition } from "../../lib/community/types";
import { recordScheduledRun, scheduledRunOf } from "../../lib/store/billing-schedule-repo";
import type { InvoiceRecord } from "../../lib/store/invoice-repo";
import type { Store } from "../../lib/store/store";
import { formatLocal, localDateOf } from "../../lib/time/local-date";
import { parsePeriod, type BillingPeriod } from "../../lib/time/periods";
import { observation } from "./alerts";
import { inSteps } from "./progress";

/**
 * What the schedule waits with. Node-RED's real timers by default; a test
 * puts a fake one in the runtime settings (`zevClock`) so that a month passes
 * without waiting for it.
 */
export interface ScheduleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const realClock: ScheduleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

export function clockOf(RED: NodeAPI): ScheduleClock {
  const c = (RED.settings as { zevClock?: ScheduleClock }).zevClock;
  return c && typeof c.now === "function" && typeof c.setTimeout === "function" ? c : realClock;
}

/** Longest single wait: a month does not fit in a timer (at most 24.8 days), and a clock set right after boot is noticed. */
const MAX_WAIT_MS = 3600_000;
/** A run refused because another run of the community was busy is tried again after this. */
export const BUSY_RETRY_MS = 5 * 60_000;

export interface ScheduleDeps {
  node: Node;
  clock: ScheduleClock;
  store: Store;
  communityId: string;
  zone: string;
  schedule: BillingSchedule;
  /** Runs the period; resolves with the outcome to remember (done, warnings, coverage-low), throws when the run failed. */
  run: (r: ScheduledRun) => Promise<string>;
  /** When the next run is due (for the status). */
  onIdle: (next: ScheduledRun) => void;
}

/**
 * Waits for the schedule's due instants and starts their runs: one at a time,
 * each period once (remembered in the store, so a restart does not run it
 * again), a run missed while Node-RED was down made up within CATCH_UP_MS.
 * Returns the function that stops it (on close).
 */
export function startSchedule(d: ScheduleDeps): () => void {
  let timer: unknown = null;
  let stopped = false;
  let running = false;
  const arm = (ms: number): void => {
    if (stopped) return;
    timer = d.clock.setTimeout(check, Math.max(0, Math.min(ms, MAX_WAIT_MS)));
  };
  const armNext = (): void => {
    const now = d.clock.now();
    const next = nextRun(d.schedule, now, d.zone);
    d.onIdle(next);
    arm(next.dueMs - now);
  };
  function check(): void {
    timer = null;
    if (stopped || running) return;
    const now = d.clock.now();
    const due = runToStart(d.schedule, now, d.zone, (period) => scheduledRunOf(d.store, d.communityId, period) !== null);
    if (!due) return armNext();
    running = true;
    const remember = (outcome: string): void =>
      void recordScheduledRun(d.store, {
        communityId: d.communityId,
        period: due.period,
        mode: d.schedule.mode,
        dueMs: due.dueMs,
        ranMs: d.clock.now(),
        outcome,
        actor: `node:${d.node.id} schedule`,
      });
    d.run(due).then(
      (outcome) => {
        running = false;
        try {
          remember(outcome);
        } catch (e) {
          // The store closed under a redeploy: the drafts are written, and the period's invoices say it ran.
          d.node.warn((e as Error).message);
        }
        armNext();
      },
      (e: unknown) => {
        running = false;
        if (stopped || e instanceof BillingStoppedError) return; // redeployed mid-run: nothing was written, the restart runs it
        if (e instanceof BillingBusyError && d.clock.now() - due.dueMs < CATCH_UP_MS) return arm(BUSY_RETRY_MS);
        remember("failed");
        d.node.error(e instanceof Error ? e : new Error(String(e)));
        armNext();
      },
    );
  }
  arm(0);
  return () => {
    stopped = true;
    if (timer !== null) d.clock.clearTimeout(timer);
    timer = null;
  };
}

/** "next run 2026-12-01 06:00 (2026-11)" */
export function scheduledText(RED: NodeAPI, next: ScheduledRun, zone: string): string {
  return RED._("zev-billing.status.scheduled", { when: formatLocal(next.dueMs, zone).slice(0, 16), period: next.period });
}

export interface ScheduledRunDeps {
  billPeriod: (request: BillingRequest, period: BillingPeriod) => Promise<BillingRunReport>;
  invoiceMsgs: (records: InvoiceRecord[], errors: string[]) => Promise<NodeMessage[]>;
  communityId: string;
  def: CommunityDefinition;
  schedule: BillingSchedule;
  due: ScheduledRun;
  now: number;
}

/**
 * One scheduled run: the period billed as the schedule says; the invoices it
 * issued (only those: drafts wait for review, invoices issued before are not
 * sent twice) one message each with its PDF on the first output, for e-mail;
 * the report on the second (topic billing/run, msg.schedule). A run that
 * cannot go reports why there as well, and rethrows.
 */
export async function scheduledRun(node: Node, d: ScheduledRunDeps): Promise<string> {
  const zone = d.def.timeZone;
  const period = parsePeriod(d.due.period, zone);
  const schedule = { period: period.label, due: new Date(d.due.dueMs).toISOString(), mode: d.schedule.mode };
  const request: BillingRequest = {
    communityId: d.communityId,
    period: period.label,
    mode: d.schedule.mode,
    // The schedule's clock, not the machine's: the invoice is dated the day it is issued.
    invoiceDate: localDateOf(d.now, zone),
    actor: `node:${node.id} schedule`,
  };
  let report: BillingRunReport;
  try {
    report = await d.billPeriod(request, period);
  } catch (error) {
    if (!(error instanceof BillingStoppedError)) {
      const o = observation(period, d.def, { error });
      const payload = {
        communityId: d.communityId,
        period: { label: period.label, from: period.from, to: period.to },
        mode: d.schedule.mode,
        stopped: true,
        failed: o.kind === "failed" ? o.reason : "error",
        stopReason: error instanceof Error ? error.message : String(error),
        invoices: [],
      };
      node.send([null, { topic: "billing/run", schedule, payload } as NodeMessage]);
    }
    throw error;
  }
  const issued = new Set(report.invoices.filter((i) => i.action === "issued").map((i) => i.id));
  const errors: string[] = [];
  const messages = await d.invoiceMsgs(
    report.records.filter((r) => issued.has(r.id)),
    errors,
  );
  await inSteps(messages, (step) => node.send([step, null]));
  node.send([null, { topic: "billing/run", schedule, payload: { ...report, records: undefined } } as NodeMessage]);
  if (errors.length) node.error(errors.join("; "));
  return report.stopped ? "coverage-low" : report.notices.length ? "warnings" : "done";
}
