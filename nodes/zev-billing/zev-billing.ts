import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow } from "node-red";
import { estimateBilling } from "../../lib/billing/estimate";
import { BillingError } from "../../lib/billing/layout";
import { cancelInvoice, issueDraft, runBilling, type BillingRunReport } from "../../lib/billing/run";
import { art16PlanWarnings } from "../../lib/tariffs/plans";
import { deleteDraft, getInvoice, listInvoices, markPaid, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { resolvePeriod } from "../../lib/time/periods";
import { getCommunity } from "../shared/community-handle";
import type { BillingNodeConfig } from "./config";
import { parseBillingCommand } from "./request";

export = function register(RED: NodeAPI): void {
  function ZevBillingNode(this: Node, config: BillingNodeConfig): void {
    RED.nodes.createNode(this, config);
    const community = getCommunity(RED, config.community);
    const defaults = { period: config.period || "previous-month", mode: config.mode === "issue" ? ("issue" as const) : ("draft" as const) };

    const warnings = community?.definition ? art16PlanWarnings(community.definition.tariffs ?? []) : [];
    if (!community) this.status({ fill: "red", shape: "ring", text: RED._("zev-billing.status.noCommunity") });
    else if (community.problem) this.status({ fill: "red", shape: "ring", text: RED._("zev-billing.status.communityInvalid") });
    else if (warnings.length) {
      this.status({ fill: "yellow", shape: "ring", text: RED._("zev-billing.status.art16") });
      for (const w of warnings) this.warn(w);
    } else this.status({ fill: "grey", shape: "dot", text: RED._("zev-billing.status.ready") });

    const invoiceMsg = (rec: InvoiceRecord): NodeMessage => ({ topic: `invoice/${rec.number ?? `draft-${rec.id}`}`, payload: rec } as NodeMessage);

    this.on("input", (msg: NodeMessageInFlow, send, done) => {
      try {
        if (!community?.store || !community.definition) throw new Error(community?.problem ?? RED._("zev-billing.errors.noCommunity"));
        const store = community.store;
        const actor = `node:${this.id}${(msg as { user?: string }).user ? ` user:${(msg as { user?: string }).user}` : ""}`;
        const cmd = parseBillingCommand(msg.topic, msg.payload, defaults);
        // Several communities may share a database file: an id from another one is refused.
        if ("id" in cmd && getInvoice(store, cmd.id)?.communityId !== community.communityId) throw new Error(RED._("zev-billing.errors.noInvoice", { id: cmd.id }));
        let summary: unknown;
        let invoices: InvoiceRecord[] = [];
        switch (cmd.action) {
          case "run": {
            const period = resolvePeriod(cmd.period, Date.now(), community.definition.timeZone);
            const report: BillingRunReport = runBilling(store, { communityId: community.communityId, period: period.label, mode: cmd.mode, force: cmd.force, invoiceDate: cmd.invoiceDate, actor });
            invoices = report.records;
            summary = { ...report, records: undefined };
            const issues = report.warnings.some((w) => w.startsWith("EnV Art. 16"));
            if (report.stopped) this.status({ fill: "red", shape: "dot", text: RED._("zev-billing.status.stopped", { period: period.label }) });
            else this.status({ fill: issues ? "yellow" : "green", shape: "dot", text: RED._(issues ? "zev-billing.status.doneArt16" : "zev-billing.status.done", { period: period.label, count: report.invoices.length, mode: cmd.mode }) });
            for (const w of report.warnings) this.warn(w);
            break;
          }
          case "issue":
            invoices = [issueDraft(store, cmd.id, actor, cmd.invoiceDate)];
            break;
          case "cancel": {
            const r = cancelInvoice(store, cmd.id, actor, cmd.reason);
            invoices = [r.original, r.creditNote];
            break;
          }
          case "paid":
            invoices = [markPaid(store, cmd.id, actor)];
            break;
          case "delete":
            deleteDraft(store, cmd.id, actor);
            summary = { deleted: cmd.id };
            break;
          case "get":
            invoices = [getInvoice(store, cmd.id)!];
            break;
          case "list":
            summary = listInvoices(store, community.communityId, cmd).map((r) => ({ ...r, snapshot: undefined, recipient: r.snapshot.recipient.name }));
            break;
          case "estimate":
            summary = estimateBilling(store, community.communityId, resolvePeriod(cmd.period, Date.now(), community.definition.timeZone));
            break;
        }
        send([invoices.map(invoiceMsg), { ...msg, topic: `billing/${cmd.action}`, payload: summary ?? invoices } as NodeMessage]);
        done();
      } catch (e) {
        const err = e as Error;
        this.status({ fill: "red", shape: "ring", text: err instanceof BillingError ? RED._("zev-billing.status.error") : err.message.slice(0, 60) });
        done(err);
      }
    });
  }
  RED.nodes.registerType("zev-billing", ZevBillingNode as never);
};
