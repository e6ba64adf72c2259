import { DateTime } from "luxon";
import { audit } from "../store/audit-repo";
import { latestCommunity } from "../store/community-repo";
import { insertDraft, listInvoices, markIssued } from "../store/invoice-repo";
import type { Store } from "../store/store";
import { isLocalDate, type LocalDate } from "../time/local-date";
import { parsePeriod } from "../time/periods";
import type { InvoiceSnapshot } from "../model/invoice";
import { computeInvoices } from "./compute";
import { finalizeSnapshot, issuableSnapshot } from "./issue";
import { InvoiceNotIssuableError, issueProblems } from "./issuable";
import { BillingError } from "./layout";
import { loadBillingInput } from "./load";
import { cancelInvoice, issuedDifference, type InvoiceDifference } from "./run";

/*
 * Corrections of issued invoices (issue 13, docs/billing.md "Corrections"):
 * when true values replace estimates, or a late file or late sessions
 * arrive, in a period already invoiced, the invoices stay as issued; this
 * lists each one whose recomputation from today's data differs and, on
 * request, cancels it with a credit note and issues the recomputed invoice
 * in the same transaction (docs/decisions/0106).
 */

export interface CorrectionCandidate {
  invoiceId: number;
  number: string;
  tenancyKey: string;
  recipient: string;
  period: { label: string; from: LocalDate; to: LocalDate };
  difference: InvoiceDifference;
  /** Why the recomputed invoice cannot be issued now (coverage, payment part); empty = it can. */
  blockers: string[];
  /** The recomputed invoice, unnumbered. */
  recomputed: InvoiceSnapshot;
}

export interface CorrectionOutcome {
  invoiceId: number;
  number: string;
  action: "corrected" | "refused";
  reason?: string;
  creditNote?: { id: number; number: string; total: string };
  invoice?: { id: number; number: string; total: string };
}

/** The periods of the community's issued (or paid) invoices, as they were billed. */
function issuedPeriods(store: Store, communityId: string, period: string | undefined): string[] {
  if (period !== undefined) return [period];
  const labels = new Set<string>();
  for (const r of listInvoices(store, communityId))
    if (r.kind === "invoice" && (r.status === "issued" || r.status === "paid") && !r.snapshot.advance && !r.snapshot.statement)
      labels.add(r.snapshot.period.label);
  return [...labels].sort();
}

/**
 * Each issued (or paid) invoice whose recomputation from today's data
 * differs in lines or totals. Reads only: nothing is written (no drafts, no
 * session attribution).
 */
export function listCorrections(store: Store, communityId: string, opts: { period?: string; force?: boolean } = {}): CorrectionCandidate[] {
  const rev = latestCommunity(store, communityId);
  if (!rev) throw new BillingError(`no community ${JSON.stringify(communityId)} in ${store.path}`);
  const zone = rev.definition.timeZone;
  const out: CorrectionCandidate[] = [];
  store.read(() => {
    for (const label of issuedPeriods(store, communityId, opts.period)) {
      const period = parsePeriod(label, zone);
      const input = loadBillingInput(store, communityId, period);
      const comp = computeInvoices(input);
      const minCoverage = input.def.billing?.minCoverage ?? 0.95;
      const low = comp.coverage.filter((c) => c.role !== "grid" && c.coverage < minCoverage);
      for (const rec of listInvoices(store, communityId, { from: input.period.from, to: input.period.to })) {
        if (rec.kind !== "invoice" || (rec.status !== "issued" && rec.status !== "paid")) continue;
        if (rec.periodFrom !== input.period.from || rec.periodTo !== input.period.to) continue;
        // An advance is a fixed amount, a statement's totals are its balance: neither is a recomputable periodic invoice.
        if (rec.snapshot.advance || rec.snapshot.statement) continue;
        const now = comp.invoices.find((s) => s.tenancyKey === rec.tenancyKey);
        // A tenancy the community no longer has is listed by zev bill; it has no recomputed invoice to issue.
        if (!now) continue;
        const difference = issuedDifference(rec, now);
        if (!difference) continue;
        const blockers: string[] = [];
        // as zev bill: low coverage stops unless forced
        if (low.length && !opts.force)
          blockers.push(
            `data coverage below ${(minCoverage * 100).toFixed(0)} % for ${low.map((c) => `${c.meter} ${(c.coverage * 100).toFixed(1)} %`).join(", ")}`,
          );
        const problems = issueProblems(finalizeSnapshot(now, rec.number ?? "1", rec.snapshot.invoiceDate ?? input.period.to));
        if (problems.length) blockers.push(`the corrected invoice could not be printed: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
        out.push({
          invoiceId: rec.id,
          number: rec.number ?? `#${rec.id}`,
          tenancyKey: rec.tenancyKey,
          recipient: rec.snapshot.recipient.name,
          period: { label: input.period.label, from: input.period.from, to: input.period.to },
          difference,
          blockers,
          recomputed: now,
        });
      }
    }
  });
  return out;
}

/**
 * Corrects the listed invoices (all, or those numbered in `invoices`): per
 * invoice in one transaction, a credit note for the issued one and the
 * recomputed invoice issued with the next number. An invoice whose
 * recomputation cannot be issued is refused and keeps its state: no credit
 * note, no number taken.
 */
export function applyCorrections(
  store: Store,
  communityId: string,
  opts: { period?: string; invoices?: readonly string[]; invoiceDate?: LocalDate; force?: boolean; actor: string },
): { candidates: CorrectionCandidate[]; outcomes: CorrectionOutcome[] } {
  if (opts.invoiceDate !== undefined && !isLocalDate(opts.invoiceDate))
    throw new BillingError(`invoice date ${JSON.stringify(opts.invoiceDate)} must be written YYYY-MM-DD`);
  const candidates = listCorrections(store, communityId, { period: opts.period, force: opts.force });
  const wanted = opts.invoices?.length ? new Set(opts.invoices) : null;
  if (wanted) {
    const listed = new Set(candidates.map((c) => c.number));
    const unknown = [...wanted].filter((n) => !listed.has(n));
    if (unknown.length)
      throw new BillingError(
        `invoice ${unknown.join(", ")} is not among the invoices to correct${opts.period ? ` in ${opts.period}` : ""}: list them with zev invoice corrections`,
      );
  }
  const zone = latestCommunity(store, communityId)!.definition.timeZone;
  const date = opts.invoiceDate ?? DateTime.now().setZone(zone).toISODate()!;
  const year = Number(date.slice(0, 4));
  const outcomes: CorrectionOutcome[] = [];
  for (const c of candidates) {
    if (wanted && !wanted.has(c.number)) continue;
    if (c.blockers.length) {
      outcomes.push({ invoiceId: c.invoiceId, number: c.number, action: "refused", reason: c.blockers.join("; ") });
      continue;
    }
    try {
      const done = store.write(() => {
        const reason = `correction: ${c.difference.kWh} kWh, ${c.difference.amount} ${c.difference.currency} against the data of today`;
        const { creditNote } = cancelInvoice(store, c.invoiceId, opts.actor, reason, date);
        const draft = insertDraft(store, c.recomputed, opts.actor);
        const issued = markIssued(store, draft.id, (number) => issuableSnapshot(c.recomputed, number, date), year, opts.actor);
        audit(store, {
          communityId,
          actor: opts.actor,
          action: "invoice.corrected",
          entity: "invoice",
          entityId: String(c.invoiceId),
          details: {
            number: c.number,
            creditNote: creditNote.number,
            newInvoice: issued.number,
            kWh: c.difference.kWh,
            amount: c.difference.amount,
            issuedTotal: c.difference.issuedTotal,
            nowTotal: c.difference.nowTotal,
          },
        });
        return { creditNote, issued };
      });
      outcomes.push({
        invoiceId: c.invoiceId,
        number: c.number,
        action: "corrected",
        creditNote: { id: done.creditNote.id, number: done.creditNote.number ?? "", total: done.creditNote.total },
        invoice: { id: done.issued.id, number: done.issued.number ?? "", total: done.issued.total },
      });
    } catch (e) {
      // The transaction is rolled back: the invoice stays issued, no number is used.
      if (!(e instanceof InvoiceNotIssuableError)) throw e;
      outcomes.push({
        invoiceId: c.invoiceId,
        number: c.number,
        action: "refused",
        reason: `the corrected invoice could not be printed: ${e.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      });
    }
  }
  audit(store, {
    communityId,
    actor: opts.actor,
    action: "billing.corrections",
    entity: "period",
    entityId: opts.period ?? "all",
    details: {
      outcomes: outcomes.map((o) => ({
        number: o.number,
        action: o.action,
        ...(o.creditNote ? { creditNote: o.creditNote.number, invoice: o.invoice?.number } : {}),
        ...(o.reason ? { reason: o.reason } : {}),
      })),
    },
  });
  return { candidates, outcomes };
}
