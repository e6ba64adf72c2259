import type { Node, NodeAPI } from "node-red";
import type { BillingRunReport } from "../../lib/billing/run";
import { swissCount } from "../../lib/util/swiss-number";

/** The node's status after a run: stopped, refused invoices, unbilled energy, differing issued invoices, the Art. 16 cap, or done. */
export function showRunStatus(RED: NodeAPI, node: Node, report: BillingRunReport, period: string): void {
  const art16 = report.notices.some((n) => n.code.startsWith("art16."));
  const unbilled = Number(report.unbilledKWh) > 0;
  const differ = report.invoices.filter((i) => i.difference).length;
  const refused = report.invoices.filter((i) => i.action === "refused").length;
  const args = { period, count: swissCount(report.invoices.length), mode: report.mode, kWh: report.unbilledKWh, differ, refused };
  if (report.stopped) node.status({ fill: "red", shape: "dot", text: RED._("zev-billing.status.stopped", { period }) });
  else if (refused) node.status({ fill: "yellow", shape: "ring", text: RED._("zev-billing.status.doneRefused", args) });
  else if (unbilled) node.status({ fill: "yellow", shape: "dot", text: RED._("zev-billing.status.doneUnbilled", args) });
  else if (differ) node.status({ fill: "yellow", shape: "dot", text: RED._("zev-billing.status.doneDiffer", args) });
  else
    node.status({
      fill: art16 ? "yellow" : "green",
      shape: "dot",
      text: RED._(art16 ? "zev-billing.status.doneArt16" : "zev-billing.status.done", args),
    });
}
