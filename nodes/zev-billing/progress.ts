import type { Node, NodeAPI, NodeMessage } from "node-red";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { BillingProgress } from "../../lib/billing/run";
import { swissCount } from "../../lib/util/swiss-number";

/** At most this often a status or progress message: a 1,000-unit run reports thousands of steps. */
const EVERY_MS = 250;

/**
 * Where a billing run in its worker stands, in the node's status ("billing
 * 2026-10: invoices 120/1000") and, when the request asked for it with
 * payload.progress, as messages on the second output (topic billing/progress)
 * for a dashboard's progress bar.
 */
export function progressReporter(RED: NodeAPI, node: Node, period: string, send?: (msg: NodeMessage) => void): (p: BillingProgress) => void {
  let last = 0;
  let phase = "";
  return (p) => {
    const now = Date.now();
    if (p.phase === phase && now - last < EVERY_MS && p.done < p.total) return;
    last = now;
    phase = p.phase;
    node.status({
      fill: "blue",
      shape: "ring",
      text: RED._(`zev-billing.status.progress.${p.phase}`, { period, done: swissCount(p.done), total: swissCount(p.total) }),
    });
    send?.({ topic: "billing/progress", payload: { period, phase: p.phase, done: p.done, total: p.total } } as NodeMessage);
  };
}

/** Items handled per turn of the event loop: a run's thousand invoice messages or warnings must not hold the flows. */
const PER_TURN = 25;

/** `fn` over `items` in steps of PER_TURN, letting other flows run between steps; in order. */
export async function inSteps<T>(items: readonly T[], fn: (step: T[]) => void): Promise<void> {
  for (let i = 0; i < items.length; i += PER_TURN) {
    if (i > 0) await nextTurn();
    fn(items.slice(i, i + PER_TURN));
  }
}
