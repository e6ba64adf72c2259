import type { InvoiceSnapshot, InvoiceTotals, StatementAdvance, VatSummary } from "../model/invoice";
import type { Currency } from "../model/party";
import { advanceInvoices, insertIssuedDocument, listAdvancePlans, liveStatement } from "../store/advance-repo";
import { cancelWithCreditNote, type InvoiceRecord } from "../store/invoice-repo";
import { paidAmount } from "../store/payment-repo";
import type { Store } from "../store/store";
import { latestCommunity } from "../store/community-repo";
import { compareLocalDates, isLocalDate, type LocalDate } from "../time/local-date";
import { periodFromDates } from "../time/periods";
import { Decimal, money, roundCents, roundFiveCents, ZERO } from "../util/money";
import { AdvanceError, refuseMix, tenancySpan } from "./advances";
import { computeInvoices } from "./compute";
import { InvoiceNotIssuableError, type SnapshotProblem } from "./issuable";
import { creditNoteSnapshot, issuableSnapshot } from "./issue";
import { loadBillingInput } from "./load";

/*
 * The annual final statement (Jahresabrechnung) of a tenancy billed by
 * advances: the year's bill, or the tenancy's part of the year, computed by
 * the same engine as a periodic invoice of those days, minus the advances
 * paid in full; the balance is payable (QR bill) or to be refunded (credit,
 * no QR bill). An advance not paid at all is not deducted: the statement
 * bills the whole year, so that advance is cancelled by a credit note in the
 * same transaction, else the tenant would owe it twice (docs/decisions/0124).
 */

export interface StatementRequest {
  communityId: string;
  year: number;
  invoiceDate: LocalDate;
  actor: string;
  tenancyId?: string;
  /** Issue even when data coverage is below the community's threshold. */
  force?: boolean;
}

export interface StatementOutcome {
  tenancyId: string;
  recipient: string;
  action: "issued" | "skipped" | "refused";
  number: string | null;
  balance: string | null;
  reason?: string;
  problems?: SnapshotProblem[];
  record?: InvoiceRecord;
  /** The credit notes that cancelled the unpaid advances. */
  creditNotes?: InvoiceRecord[];
}

/**
 * The statement's totals: the year's minus the advances deducted, each with its
 * own VAT, so that the VAT declared on the advances and on the statement adds
 * up to the year's VAT to the Rappen. Advances are multiples of 0.05, so the
 * cash rounding is the year's.
 */
export function statementTotals(year: InvoiceTotals, advances: readonly InvoiceTotals[], currency: Currency): InvoiceTotals {
  const byRate = new Map<string, { net: Decimal; vat: Decimal; gross: Decimal; incl: boolean }>();
  for (const v of year.vat)
    byRate.set(new Decimal(v.rate).toString(), { net: new Decimal(v.net), vat: new Decimal(v.vat), gross: new Decimal(v.gross), incl: v.pricesIncludeVat });
  let net = new Decimal(year.net);
  let vatTotal = new Decimal(year.vatTotal);
  let gross = new Decimal(year.gross);
  let linesTotal = new Decimal(year.linesTotal);
  for (const a of advances) {
    net = net.minus(a.net);
    vatTotal = vatTotal.minus(a.vatTotal);
    gross = gross.minus(a.gross);
    linesTotal = linesTotal.minus(a.linesTotal);
    for (const v of a.vat) {
      const key = new Decimal(v.rate).toString();
      const g = byRate.get(key) ?? { net: ZERO, vat: ZERO, gross: ZERO, incl: true };
      byRate.set(key, { net: g.net.minus(v.net), vat: g.vat.minus(v.vat), gross: g.gross.minus(v.gross), incl: g.incl });
    }
  }
  const vat: VatSummary[] = [...byRate].map(([rate, g]) => ({ rate, net: money(g.net), vat: money(g.vat), gross: money(g.gross), pricesIncludeVat: g.incl }));
  vat.sort((a, b) => Number(a.rate) - Number(b.rate));
  const total = currency === "CHF" ? roundFiveCents(gross) : roundCents(gross);
  return {
    linesTotal: money(linesTotal),
    net: money(net),
    vat,
    vatTotal: money(vatTotal),
    gross: money(gross),
    rounding: money(total.minus(gross)),
    total: money(total),
  };
}

function refused(out: StatementOutcome[], row: Omit<StatementOutcome, "action">, reason: string): void {
  out.push({ ...row, action: "refused", reason });
}

/**
 * Issues the statements of a year: one per tenancy with advances that year,
 * once its part of the year is over on the statement date (a move-out gets its
 * statement after its last day). Idempotent: a tenancy with a statement is
 * skipped. Refused for a tenancy with periodic invoices in the year, with an
 * advance paid only in part, or below the data coverage threshold.
 */
export function issueStatements(store: Store, req: StatementRequest): StatementOutcome[] {
  if (!isLocalDate(req.invoiceDate))
    throw new AdvanceError("advances.date", { date: String(req.invoiceDate) }, `invoice date ${JSON.stringify(req.invoiceDate)} must be written YYYY-MM-DD`);
  const rev = latestCommunity(store, req.communityId);
  if (!rev) throw new AdvanceError("advances.noCommunity", { community: req.communityId }, `no community ${req.communityId} in the store`);
  const def = rev.definition;
  const plans = listAdvancePlans(store, req.communityId, req.year).filter((p) => !req.tenancyId || p.tenancyId === req.tenancyId);
  if (req.tenancyId && !plans.length)
    throw new AdvanceError(
      "advances.noPlan",
      { tenancy: req.tenancyId, year: req.year },
      `tenancy ${req.tenancyId} has no advances set for ${req.year} (zev advances set)`,
    );
  const out: StatementOutcome[] = [];
  const minCoverage = def.billing?.minCoverage ?? 0.95;
  const computed = new Map<string, ReturnType<typeof computeInvoices>>();
  for (const plan of plans) {
    const t = def.tenancies.find((x) => x.id === plan.tenancyId);
    const row = { tenancyId: plan.tenancyId, recipient: t?.tenant.name ?? "", number: null, balance: null };
    const span = t && tenancySpan(t, `${req.year}-01-01`, `${req.year}-12-31`);
    if (!t || !span) {
      out.push({ ...row, action: "skipped", reason: `no day of the tenancy in ${req.year}` });
      continue;
    }
    if (compareLocalDates(req.invoiceDate, span.to) <= 0) {
      out.push({ ...row, action: "skipped", reason: `its part of ${req.year} ends on ${span.to}: the statement is issued after that day` });
      continue;
    }
    const existing = liveStatement(store, req.communityId, t.id, req.year);
    if (existing) {
      out.push({ ...row, action: "skipped", number: existing.number, balance: existing.total, reason: `already issued as ${existing.number}` });
      continue;
    }
    try {
      refuseMix(store, req.communityId, t.id, span.from, span.to);
    } catch (e) {
      if (!(e instanceof AdvanceError)) throw e;
      refused(out, row, e.message);
      continue;
    }
    const full = span.from === `${req.year}-01-01` && span.to === `${req.year}-12-31`;
    const period = periodFromDates(span.from, span.to, def.timeZone, full ? "year" : "custom", full ? String(req.year) : undefined);
    // Tenancies of the whole year share one computation of it.
    const key = `${span.from}..${span.to}`;
    const comp = computed.get(key) ?? computeInvoices(loadBillingInput(store, req.communityId, period));
    computed.set(key, comp);
    const low = comp.coverage.filter((c) => c.role !== "grid" && c.coverage < minCoverage);
    if (low.length && !req.force) {
      refused(
        out,
        row,
        `data coverage below ${(minCoverage * 100).toFixed(0)} % for ${low.map((c) => `${c.meter} ${(c.coverage * 100).toFixed(1)} %`).join(", ")}: fix the data or force`,
      );
      continue;
    }
    const year = comp.invoices.find((s) => s.tenancyKey === t.id);
    if (!year) {
      refused(out, row, `the computation of ${period.label} has no invoice for the tenancy`);
      continue;
    }
    const advances = advanceInvoices(store, req.communityId, t.id, req.year).filter((r) => r.status === "issued" || r.status === "paid");
    const partial = advances.map((a) => ({ a, paid: new Decimal(paidAmount(store, a.id)) })).filter(({ a, paid }) => paid.gt(0) && paid.lt(a.total));
    if (partial.length) {
      refused(
        out,
        row,
        `advance(s) ${partial.map(({ a, paid }) => `${a.number} (${money(paid)} of ${a.total} paid)`).join(", ")} paid only in part: book the rest (camt import or zev invoice paid) before the statement, which deducts an advance paid in full and cancels an unpaid one`,
      );
      continue;
    }
    try {
      store.write(() => {
        const date = req.invoiceDate;
        const rows: StatementAdvance[] = [];
        const deducted: InvoiceTotals[] = [];
        const creditNotes: InvoiceRecord[] = [];
        for (const a of advances) {
          const paid = new Decimal(paidAmount(store, a.id));
          const base = {
            id: a.id,
            number: a.number ?? "",
            invoiceDate: a.snapshot.invoiceDate!,
            from: a.periodFrom as LocalDate,
            to: a.periodTo as LocalDate,
            amount: a.total,
            paid: money(paid),
            vat: a.snapshot.totals.vat,
          };
          if (paid.gte(a.total)) {
            rows.push({ ...base, deducted: a.total, state: "paid" });
            deducted.push(a.snapshot.totals);
          } else {
            const { creditNote } = cancelWithCreditNote(
              store,
              a.id,
              (orig, n) => creditNoteSnapshot(orig, n, date),
              Number(date.slice(0, 4)),
              req.actor,
              `not paid, settled by the annual statement ${req.year}`,
            );
            creditNotes.push(creditNote);
            rows.push({ ...base, deducted: "0.00", state: "unpaid", creditNote: creditNote.number ?? "" });
          }
        }
        const totals = statementTotals(year.totals, deducted, def.currency);
        const draft: InvoiceSnapshot = {
          ...year,
          totals,
          statement: {
            year: req.year,
            yearTotals: year.totals,
            advances: rows,
            deducted: money(deducted.reduce((s, x) => s.plus(x.total), ZERO)),
            balance: totals.total,
          },
        };
        const rec = insertIssuedDocument(store, draft, (n) => issuableSnapshot(draft, n, date), Number(date.slice(0, 4)), req.actor);
        out.push({ ...row, action: "issued", number: rec.number, balance: rec.total, record: rec, creditNotes });
      });
    } catch (e) {
      // The savepoint is rolled back: neither the statement's nor the credit notes' numbers are used.
      if (!(e instanceof InvoiceNotIssuableError)) throw e;
      out.push({
        ...row,
        action: "refused",
        reason: `not issued, it could not be printed: ${e.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
        problems: e.problems,
      });
    }
  }
  return out;
}
