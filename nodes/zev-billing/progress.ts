import type { Node, NodeAPI, NodeMessage } from "node-red";
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
    node.status({ fill: "blue", shape: "ring", text: RED._(`zev-billing.status.progress.${p.phase}`, { period, done: swissCount(p.done), total: swissCount(p.total) }) });
    send?.({ topic: "billing/progress", payload: { period, phase: p.phase, done: p.done, total: p.total } } as NodeMessage);
  };
}
