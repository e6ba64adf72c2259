import { readFileSync } from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow } from "node-red";
import { estimateBilling } from "../../lib/billing/estimate";
import { BillingError } from "../../lib/billing/layout";
import { cancelInvoice, issueDraft, runBilling, type BillingRequest, type BillingRunReport } from "../../lib/billing/run";
import { BillingBusyError, startBillingEstimate, startBillingRun, type WorkerHandle } from "../../lib/billing/worker-run";
import { defaultDocumentsFolder, type DocumentOutcome } from "../../lib/render/documents";
import type { JobKind, JobOf, JobResult } from "../../lib/jobs/jobs";
import { startJob } from "../../lib/jobs/start-job";
import { art16PlanNotices } from "../../lib/tariffs/art16";
import type { Issue } from "../../lib/util/issue";
import { swissCount } from "../../lib/util/swiss-number";
import { deleteDraft, getInvoice, listInvoices, markPaid, type InvoiceRecord } from "../../lib/store/invoice-repo";
import { localDateOf } from "../../lib/time/local-date";
import { resolvePeriod } from "../../lib/time/periods";
import { getCommunity } from "../shared/community-handle";
import { localisedError, problemText } from "../shared/translate";
import type { BillingNodeConfig } from "./config";
import { isPaymentCommand, parsePaymentCommand, requestUser, runPaymentCommand } from "./payments-commands";
import { inSteps, progressReporter } from "./progress";
import { withRunAlerts } from "./alerts";
import { showRunStatus } from "./run-status";
import { clockOf, scheduledRun, scheduledText, startSchedule } from "./schedule";
import { parseSchedule } from "../../lib/billing/schedule";
import type { BillingPeriod } from "../../lib/time/periods";
import { runAdvancesCommand } from "./advances";
import { billingAction, parseBillingCommand } from "./request";

/** Invoices were stored and sent, but some PDFs could not be made. */
class DocumentsFailed extends Error {}

export = function register(RED: NodeAPI): void {
  // An invoice PDF asked for by an HTTP request (http-in) is only handed out when Node-RED authenticates HTTP routes.
  const httpAuthOn = (): boolean => {
    const s = RED.settings as { httpNodeAuth?: unknown; httpNodeMiddleware?: unknown };
    return Boolean(s.httpNodeAuth || s.httpNodeMiddleware);
  };
  const userDir = (): string => (RED.settings as { userDir?: string }).userDir ?? join(homedir(), ".node-red");
  const inUserDir = (p: string): string => (isAbsolute(p) ? p : resolve(userDir(), p));

  function ZevBillingNode(this: Node, config: BillingNodeConfig): void {
    RED.nodes.createNode(this, config);
    const community = getCommunity(RED, config.community);
    const defaults = { period: config.period || "previous-month", mode: config.mode === "issue" ? ("issue" as const) : ("draft" as const) };
    const render = config.renderDocuments !== false;
    const folder = community
      ? config.documentsFolder?.trim()
        ? inUserDir(config.documentsFolder.trim())
        : defaultDocumentsFolder(userDir(), community.communityId)
      : "";
    let logo: Buffer | undefined;
    if (config.logoFile?.trim()) {
      try {
        logo = readFileSync(inUserDir(config.logoFile.trim()));
      } catch (e) {
        this.warn(`${RED._("zev-billing.errors.logo", { file: config.logoFile })}: ${(e as Error).message}`);
      }
    }

    /** A notice in the editor's language (its English text where the catalog has none). */
    const noticeText = (n: Issue): string => problemText(RED._, "zev-billing", "notice", n);
    const warnings = community?.definition ? art16PlanNotices(community.definition.tariffs ?? []) : [];
    if (!community) this.status({ fill: "red", shape: "ring", text: RED._("zev-billing.status.noCommunity") });
    else if (community.problem) this.status({ fill: "red", shape: "ring", text: RED._("zev-billing.status.communityInvalid") });
    else if (warnings.length) {
      this.status({ fill: "yellow", shape: "ring", text: RED._("zev-billing.status.art16") });
      for (const w of warnings) this.warn(noticeText(w));
    } else this.status({ fill: "grey", shape: "dot", text: RED._("zev-billing.status.ready") });

    // Runs and estimates go to a worker thread (decision 0100); an in-memory database has no file a worker could open.
    const jobs = new Set<WorkerHandle<unknown>>();
    const offThread = <T>(job: WorkerHandle<T>): Promise<T> => {
      jobs.add(job);
      return job.result.finally(() => jobs.delete(job));
    };
    let documentRequests = 0;

    /**
     * One message per invoice, with its PDF (msg.document) unless rendering is off; document errors are collected.
     * The PDFs are rendered and written by a job worker (decision 0145): a run's hundred invoices take seconds to draw.
     */
    const invoiceMsgs = async (records: InvoiceRecord[], errors: string[]): Promise<NodeMessage[]> => {
      const docs =
        render && records.length
          ? await offThread(
              startJob(community!.store!, {
                kind: "documents",
                communityId: community!.communityId,
                invoiceIds: records.map((r) => r.id),
                folder,
                ...(logo ? { logo } : {}),
                request: ++documentRequests,
              }),
            )
          : [];
      return records.map((rec, i) => {
        const msg = { topic: `invoice/${rec.number ?? `draft-${rec.id}`}`, payload: rec } as NodeMessage & { document?: unknown; documentError?: string };
        const d = docs[i];
        if (d?.ok) msg.document = d.document;
        else if (d) {
          msg.documentError = d.error.message;
          errors.push(`${RED._("zev-billing.errors.document", { invoice: rec.number ?? `#${rec.id}` })}: ${d.error.message}`);
        }
        return msg;
      });
    };

    const clock = clockOf(RED);
    let ran = false;

    /** One run of a period, manual or scheduled: in a worker, its alerts on the last output, its status and warnings. */
    const billPeriod = async (request: BillingRequest, period: BillingPeriod, onProgress?: (m: NodeMessage) => void): Promise<BillingRunReport> => {
      // Only called once the input handler or the schedule has checked the community's store and definition.
      const store = community!.store!;
      const def = community!.definition!;
      const progress = progressReporter(RED, this, period.label, onProgress);
      const deps = { store, communityId: request.communityId, def, now: () => clock.now(), send: (m: NodeMessage[]) => this.send([null, null, m]) };
      // A turn of the event loop between taking the report apart, its alerts (store reads) and its status and
      // warnings: each is short, but in one chain of promises they would be one step for the flows (decision 0145).
      const report = await withRunAlerts(deps, period, async () => {
        if (store.path === ":memory:") return runBilling(store, request);
        const r = await offThread(startBillingRun(store.path, request, { onProgress: progress }));
        await nextTurn();
        return r;
      });
      ran = true;
      await nextTurn();
      showRunStatus(RED, this, report, period.label);
      await inSteps(report.notices, (step) => step.forEach((n) => this.warn(noticeText(n))));
      return report;
    };

    const schedule = parseSchedule({ rhythm: config.scheduleRhythm, day: config.scheduleDay, time: config.scheduleTime, mode: config.scheduleMode });
    let stopSchedule = (): void => {};
    if (schedule.problem) {
      this.status({ fill: "red", shape: "ring", text: RED._("zev-billing.status.scheduleInvalid") });
      this.warn(problemText(RED._, "zev-billing", "scheduleProblem", schedule.problem));
    } else if (schedule.schedule && community?.store && community.definition && !community.problem) {
      const s = schedule.schedule;
      const zone = community.definition.timeZone;
      stopSchedule = startSchedule({
        node: this,
        clock,
        store: community.store,
        communityId: community.communityId,
        zone,
        schedule: s,
        run: (due) =>
          scheduledRun(this, {
            billPeriod,
            invoiceMsgs,
            communityId: community.communityId,
            def: community.definition!,
            schedule: s,
            due,
            now: clock.now(),
          }).catch((e: unknown) => {
            ran = true;
            const busy = e instanceof BillingBusyError;
            this.status({
              fill: "red",
              shape: "ring",
              text: busy ? RED._("zev-billing.status.busy", { period: e.running.period }) : RED._("zev-billing.status.error"),
            });
            throw e;
          }),
        // The last run's status says more than the next date; until the first run, the status says when it is due.
        onIdle: (next) => void (!ran && !warnings.length && this.status({ fill: "grey", shape: "dot", text: scheduledText(RED, next, zone) })),
      });
    }
    // Documents, exports, payment imports and corrections too (decision 0118), with a status while they run.
    const job = <K extends JobKind>(j: JobOf<K>): Promise<JobResult<K>> => {
      const h = startJob(community!.store!, j);
      // A document takes a moment; the status keeps what the last run said.
      if (j.kind !== "document") this.status({ fill: "blue", shape: "ring", text: RED._(`zev-billing.status.job.${j.kind}`) });
      return offThread(h);
    };
    this.on("close", (_removed: boolean, closed: () => void) => {
      stopSchedule();
      void Promise.allSettled([...jobs].map((j) => j.stop())).then(() => closed());
    });

    let warnedTopic = false;
    this.on("input", (msg: NodeMessageInFlow, send, done) => {
      const handle = async (): Promise<void> => {
        if (!community?.store || !community.definition) throw new Error(community?.problem ?? RED._("zev-billing.errors.noCommunity"));
        const store = community.store;
        const zone = community.definition.timeZone;
        const actor = `node:${this.id}${(msg as { user?: string }).user ? ` user:${(msg as { user?: string }).user}` : ""}`;
        // The Payments page's commands (payments-commands.ts), with who pressed the button for the audit log
        const payCmd = (msg as { command?: unknown }).command;
        if (isPaymentCommand(payCmd)) {
          const who = requestUser(msg as never);
          const communityId = community.communityId;
          // The reminders' PDFs are drawn by a job worker, as the invoices' (decision 0148), into the documents folder's reminders/.
          const drawReminders = (numbers: string[]): Promise<DocumentOutcome[]> =>
            offThread(
              startJob(store, {
                kind: "reminder-documents",
                communityId,
                numbers,
                folder: join(folder, "reminders"),
                ...(logo ? { logo } : {}),
                request: ++documentRequests,
              }),
            );
          const ctx = { store, communityId, zone, actor: `node:${this.id}${who ? ` user:${who}` : ""}`, render, drawReminders };
          const r = await runPaymentCommand(ctx, parsePaymentCommand(payCmd, msg.payload));
          if (r.status)
            this.status({ fill: r.status.warn ? "yellow" : "green", shape: "dot", text: RED._(`zev-billing.status.${r.status.key}`, r.status.params) });
          await inSteps(r.documents, (step) => send([step as unknown as NodeMessage[], null]));
          send([null, { ...msg, topic: `billing/${payCmd}`, payload: r.summary } as NodeMessage]);
          if (r.errors.length) throw new DocumentsFailed(r.errors.join("; "));
          return;
        }
        const choice = billingAction(msg as { command?: unknown; topic?: unknown });
        if (choice.fromTopic && !warnedTopic) {
          warnedTopic = true;
          this.warn(RED._("zev-billing.warn.topicCommand", { action: choice.action ?? "" }));
        }
        const cmd = parseBillingCommand(choice.action, msg.payload, defaults);
        // Several communities may share a database file: an id from another one is refused.
        if ("id" in cmd && getInvoice(store, cmd.id)?.communityId !== community.communityId)
          throw new Error(RED._("zev-billing.errors.noInvoice", { id: cmd.id }));
        let summary: unknown;
        let invoices: InvoiceRecord[] = [];
        switch (cmd.action) {
          case "run": {
            const period = resolvePeriod(cmd.period, Date.now(), zone);
            const request: BillingRequest = {
              communityId: community.communityId,
              period: period.label,
              mode: cmd.mode,
              force: cmd.force,
              invoiceDate: cmd.invoiceDate,
              actor,
            };
            const asked = (msg.payload as { progress?: unknown } | null)?.progress === true;
            const report = await billPeriod(request, period, asked ? (m) => send([null, m]) : undefined);
            invoices = report.records;
            summary = { ...report, records: undefined };
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
          case "list": {
            const p = cmd.period !== undefined ? resolvePeriod(cmd.period, Date.now(), zone) : null;
            const filter = p ? { ...cmd, from: p.from, to: p.to } : cmd;
            summary = listInvoices(store, community.communityId, filter).map((r) => ({ ...r, snapshot: undefined, recipient: r.snapshot.recipient.name }));
            break;
          }
          case "document": {
            if ((msg as { req?: unknown }).req && !httpAuthOn()) throw new Error(RED._("zev-billing.errors.documentNoAuth"));
            const { invoice, ...doc } = await job({ kind: "document", communityId: community.communityId, invoiceId: cmd.id, ...(logo ? { logo } : {}) });
            send([
              null,
              { ...msg, topic: "billing/document", payload: doc.buffer, filename: doc.filename, contentType: "application/pdf", invoice } as NodeMessage,
            ]);
            return;
          }
          case "payments": {
            const r = await job({
              kind: "payments",
              xml: cmd.xml,
              options: { communityId: community.communityId, fileName: cmd.fileName, actor, dryRun: cmd.dryRun, accounts: cmd.accounts, timeZone: zone },
            });
            summary = r;
            const warn = r.unmatched + r.flagged > 0 || r.warnings.length > 0;
            this.status({
              fill: warn ? "yellow" : "green",
              shape: "dot",
              text: RED._("zev-billing.status.payments", { matched: r.matched, unmatched: r.unmatched, flagged: r.flagged, duplicates: r.duplicates }),
            });
            for (const w of r.warnings) this.warn(problemText(RED._, "zev-billing", "paymentNotice", w));
            break;
          }
          case "corrections": {
            const period = cmd.period !== undefined ? resolvePeriod(cmd.period, Date.now(), zone).label : undefined;
            const r = await job({
              kind: "corrections",
              communityId: community.communityId,
              apply: cmd.apply,
              period,
              force: cmd.force,
              invoices: cmd.invoices,
              invoiceDate: cmd.invoiceDate,
              actor,
            });
            summary = { candidates: r.candidates.map(({ recomputed: _r, ...c }) => c), outcomes: r.outcomes };
            invoices = r.outcomes.flatMap((o) => (o.creditNote && o.invoice ? [getInvoice(store, o.creditNote.id)!, getInvoice(store, o.invoice.id)!] : []));
            const refused = r.outcomes.filter((o) => o.action === "refused").length;
            const args = { listed: r.candidates.length, corrected: r.outcomes.length - refused, refused };
            this.status({
              fill: refused || (!cmd.apply && r.candidates.length) ? "yellow" : "green",
              shape: "dot",
              text: RED._("zev-billing.status.corrections", args),
            });
            break;
          }
          case "advances": {
            // Advance invoices and annual statements (nodes/zev-billing/advances.ts, docs/payments.md).
            const r = runAdvancesCommand(store, community.communityId, cmd.request, actor, localDateOf(Date.now(), zone));
            summary = r.summary;
            invoices = r.records;
            this.status({
              fill: r.refused ? "yellow" : "green",
              shape: "dot",
              text: RED._("zev-billing.status.advances", { issued: r.issued, refused: r.refused }),
            });
            break;
          }
          case "estimate":
            summary =
              store.path === ":memory:"
                ? estimateBilling(store, community.communityId, resolvePeriod(cmd.period, Date.now(), zone))
                : await offThread(startBillingEstimate(store.path, community.communityId, resolvePeriod(cmd.period, Date.now(), zone)));
            break;
          case "export": {
            const period = resolvePeriod(cmd.period, Date.now(), zone);
            const file = await job({
              kind: "export",
              request: { communityId: community.communityId, kind: cmd.kind, format: cmd.format, period, ...(cmd.meter ? { meter: cmd.meter } : {}) },
            });
            send([null, { ...msg, topic: "billing/export", payload: file.buffer, filename: file.filename, rows: file.rows } as NodeMessage]);
            this.status({ fill: "green", shape: "dot", text: RED._("zev-billing.status.exported", { file: file.filename, rows: swissCount(file.rows) }) });
            return;
          }
        }
        const errors: string[] = [];
        const messages = await invoiceMsgs(invoices, errors);
        // The invoice messages first, in steps (Node-RED routes each send at once), then the summary: the order one send gave.
        await inSteps(messages, (step) => send([step, null]));
        send([null, { ...msg, topic: `billing/${cmd.action}`, payload: summary ?? invoices } as NodeMessage]);
        // The invoices are stored and sent; a document that could not be made is still an error Catch nodes must see.
        if (errors.length) throw new DocumentsFailed(errors.join("; "));
      };
      handle().then(
        () => done(),
        (raw: Error) => {
          // a coded problem from lib/ (bad stored data) in the editor's language, with its code for dashboards
          const e = localisedError(RED, "zev-billing", raw);
          const text =
            raw instanceof BillingBusyError
              ? RED._("zev-billing.status.busy", { period: raw.running.period })
              : e instanceof BillingError
                ? RED._("zev-billing.status.error")
                : e instanceof DocumentsFailed
                  ? RED._("zev-billing.status.documentError")
                  : e.message.slice(0, 60);
          this.status({ fill: "red", shape: "ring", text });
          done(e);
        },
      );
    });
  }
  RED.nodes.registerType("zev-billing", ZevBillingNode as never);
};
