import { meterChangesInPeriod, type MeterChange } from "../aggregation/meter-changes";
import { DateTime } from "luxon";
import { advancePlansTouching } from "../store/advance-repo";
import { audit } from "../store/audit-repo";
import {
  cancelWithCreditNote,
  getInvoice,
  InvoiceRecord,
  insertDraft,
  listInvoices,
  liveInvoicesOverlapping,
  markIssued,
  replaceDraft,
  snapshotHash,
} from "../store/invoice-repo";
import type { Store } from "../store/store";
import { latestCommunity } from "../store/community-repo";
import { DEFAULT_TIME_ZONE, formatLocal, isLocalDate, LocalDate } from "../time/local-date";
import { attributeMappedSessions } from "../charging/attribution";
import { parsePeriod } from "../time/periods";
import { issue, type Issue } from "../util/issue";
import { Decimal, money } from "../util/money";
import { computeInvoices } from "./compute";
import type { CoverageRow } from "./coverage";
import { explainFromStore } from "./explain-store";
import { creditNoteSnapshot, issuableSnapshot } from "./issue";
import { InvoiceNotIssuableError, type SnapshotProblem } from "./issuable";
import { BillingError } from "./layout";
import { loadBillingInput } from "./load";
import type { InvoiceSnapshot } from "../model/invoice";
import type { UnbilledEnergy } from "./unbilled";

export interface BillingRequest {
  communityId: string;
  /** 2026-10, 2026-Q4, 2026-H2, 2026 or 2026-10-05..2026-10-20 */
  period: string;
  mode: "draft" | "issue";
  /** Bill even when data coverage is below the community's threshold. */
  force?: boolean;
  /** Invoice date for issued invoices; default: today in the community's zone. */
  invoiceDate?: LocalDate;
  actor: string;
}

/** "refused": the draft could not be issued because it could not be rendered (see `problems`); it keeps no number. */
export type InvoiceAction = "created" | "updated" | "unchanged" | "issued" | "skipped" | "refused";

export interface RunInvoice {
  id: number | null;
  tenancyKey: string;
  recipient: string;
  unit: string;
  status: string;
  number: string | null;
  total: string;
  action: InvoiceAction;
  reason?: string;
  /** Why a draft was refused, field by field, with codes for translations. */
  problems?: SnapshotProblem[];
  /**
   * For an issued (or paid) invoice the run left as it is: how the figures
   * computed now differ from it (new minus issued), absent when they agree.
   */
  difference?: InvoiceDifference;
}

export interface InvoiceDifference {
  issuedKWh: string;
  nowKWh: string;
  /** kWh, 3 decimals, signed. */
  kWh: string;
  issuedTotal: string;
  nowTotal: string;
  /** Total with VAT and rounding, signed. */
  amount: string;
  currency: string;
  /** How to correct it: a credit note for the issued invoice, then a new run of the period. */
  correction: { cancelInvoiceId: number; command: string };
}

/** A session billed from this run on because its charging id was mapped after it. */
export interface RunAttribution {
  sessionId: number;
  charger: string;
  userId: string;
  unit: string;
  /** Local start of the session. */
  started: string;
  /** Energy of the session in the period, kWh (3 decimals). */
  kWh: string;
}

export interface BillingRunReport {
  communityId: string;
  period: { label: string; from: LocalDate; to: LocalDate };
  mode: "draft" | "issue";
  stopped: boolean;
  stopReason?: string;
  coverage: CoverageRow[];
  lowCoverage: CoverageRow[];
  minCoverage: number;
  warnings: string[];
  /** The warnings with a stable code and their values each (translated where a person reads them). */
  notices: Issue[];
  /** Energy on no invoice (or billed without being metered), per finding; unbilledKWh sums what is on no invoice. */
  unbilled: UnbilledEnergy[];
  unbilledKWh: string;
  /** Sessions of the period attributed at the start of this run (charging ids mapped after the sessions). */
  attributed: RunAttribution[];
  totals: ReturnType<typeof computeInvoices>["totals"];
  invoices: RunInvoice[];
  /** The invoices' current records, for output messages and documents. */
  records: InvoiceRecord[];
}

/** Where a run stands: reading meter data, computing invoices, writing them. */
export interface BillingProgress {
  phase: "load" | "compute" | "write";
  done: number;
  total: number;
}

export interface RunHooks {
  /** Hears as the run moves on (a worker thread posts it to the node's status). */
  progress?: (p: BillingProgress) => void;
}

function zoneOf(store: Store, communityId: string): string {
  return latestCommunity(store, communityId)?.definition.timeZone ?? DEFAULT_TIME_ZONE;
}

function today(zone: string): LocalDate {
  return DateTime.now().setZone(zone).toISODate()!;
}

/**
 * One billing run: compute from the store, stop on low coverage unless
 * forced, write drafts (recomputing earlier drafts of the same tenancy and
 * period), and in issue mode give each its number.
 */
export function runBilling(store: Store, req: BillingRequest, hooks: RunHooks = {}): BillingRunReport {
  const tell = hooks.progress;
  if (req.invoiceDate !== undefined && !isLocalDate(req.invoiceDate))
    throw new BillingError(`invoice date ${JSON.stringify(req.invoiceDate)} must be written YYYY-MM-DD`);
  const rev = latestCommunity(store, req.communityId);
  if (!rev) throw new BillingError(`no community ${JSON.stringify(req.communityId)} in ${store.path}`);
  const period = parsePeriod(req.period, rev.definition.timeZone);
  // Charging ids mapped since the sessions: the sessions get their unit before the period is computed.
  const late = attributeMappedSessions(store, rev.definition, period.startMs, period.endMs, req.actor);
  const input = loadBillingInput(store, req.communityId, period, tell && ((done, total) => tell({ phase: "load", done, total })));
  const comp = computeInvoices(input, tell && ((done, total) => tell({ phase: "compute", done, total })));
  const minCoverage = input.def.billing?.minCoverage ?? 0.95;
  // The grid meter only reconciles; a dead grid meter must not block billing.
  const lowCoverage = comp.coverage.filter((c) => c.role !== "grid" && c.coverage < minCoverage);
  const notices: Issue[] = [...comp.notices];
  const attributed: RunAttribution[] = late.map((a) => ({
    sessionId: a.sessionId,
    charger: a.chargerKey,
    userId: a.userId,
    unit: a.unit,
    started: formatLocal(a.startedMs, input.def.timeZone),
    kWh: (a.energyWh / 1000).toFixed(3),
  }));
  if (attributed.length)
    notices.push(
      issue("charging.attributedLater", "__count__ charging session(s) attributed in this run, their ids being mapped after they charged: __list__", {
        count: attributed.length,
        list: attributed.map((a) => `#${a.sessionId} ${a.userId} -> unit ${a.unit} (${a.started}, ${a.kWh} kWh)`).join("; "),
      }),
    );
  const changes = meterChangesInPeriod(store, req.communityId, input.period.startMs, input.period.endMs, input.def.timeZone);
  for (const inv of comp.invoices) {
    const mine = changes.filter((c) => c.kind === "replacement" && inv.unit.meters.includes(c.meter));
    if (mine.length) inv.meterChanges = mine.map((c) => ({ meter: c.meter, date: c.date, oldFinalKWh: c.beforeKWh ?? "", newInitialKWh: c.afterKWh ?? "" }));
  }
  for (const c of changes) notices.push(meterChangeNotice(c, formatLocal(c.atMs, input.def.timeZone)));
  const warnings = notices.map((n) => n.message);
  const base = {
    communityId: req.communityId,
    period: { label: input.period.label, from: input.period.from, to: input.period.to },
    mode: req.mode,
    coverage: comp.coverage,
    lowCoverage,
    minCoverage,
    warnings,
    notices,
    unbilled: comp.unbilled,
    unbilledKWh: comp.unbilledKWh,
    attributed,
    totals: comp.totals,
  };
  if (lowCoverage.length && !req.force) {
    const list = lowCoverage.map((c) => `${c.meter} ${(c.coverage * 100).toFixed(1)} %`).join(", ");
    return {
      ...base,
      stopped: true,
      stopReason: `data coverage below ${(minCoverage * 100).toFixed(0)} % for ${list}: nothing was billed. Fix the data (or import it) and run again, or force the run.`,
      invoices: [],
      records: [],
    };
  }

  // Counter readings and the comparison with earlier periods (decisions 0133, 0135): they need more of the store.
  explainFromStore(store, input, comp.invoices);
  const results: RunInvoice[] = [];
  // One transaction for the run's writes: all drafts (and numbers) land together or not at all,
  // and one commit instead of one per invoice.
  store.write(() => {
    const drafts: { id: number; snapshot: InvoiceSnapshot }[] = [];
    for (const s of comp.invoices) {
      tell?.({ phase: "write", done: results.length, total: comp.invoices.length });
      const live = liveInvoicesOverlapping(store, req.communityId, s.tenancyKey, s.period.from, s.period.to);
      const row = (rec: InvoiceRecord | null, action: InvoiceAction, reason?: string): RunInvoice => ({
        id: rec?.id ?? null,
        tenancyKey: s.tenancyKey,
        recipient: s.recipient.name,
        unit: s.unit.id,
        status: rec?.status ?? "none",
        number: rec?.number ?? null,
        total: rec?.total ?? s.totals.total,
        action,
        ...(reason ? { reason } : {}),
      });
      const same = live.find((r) => r.periodFrom === s.period.from && r.periodTo === s.period.to);
      const other = live.find((r) => r !== same);
      // A tenancy billed by advances and an annual statement gets no periodic invoice those years (decision 0123).
      const advanceYears = advancePlansTouching(store, req.communityId, s.tenancyKey, s.period.from, s.period.to).map((p) => p.year);
      if (advanceYears.length) {
        results.push(
          row(null, "skipped", `billed by advance payments and an annual statement in ${advanceYears.join(", ")} (zev advances), not by periodic invoices`),
        );
      } else if (other) {
        results.push(row(null, "skipped", `overlaps ${other.status} invoice ${other.number ?? `#${other.id}`} for ${other.periodFrom}..${other.periodTo}`));
      } else if (!same) {
        const rec = insertDraft(store, s, req.actor);
        drafts.push({ id: rec.id, snapshot: s });
        results.push(row(rec, "created"));
      } else if (same.status === "draft") {
        const unchanged = snapshotHash(same.snapshot) === snapshotHash(s);
        const rec = unchanged ? same : replaceDraft(store, same.id, s, req.actor);
        drafts.push({ id: rec.id, snapshot: s });
        results.push(row(rec, unchanged ? "unchanged" : "updated"));
      } else {
        const r = row(same, "skipped", `already ${same.status} as ${same.number}`);
        const difference = issuedDifference(same, s);
        if (difference) {
          r.difference = difference;
          notices.push(differenceNotice(same, difference));
        }
        results.push(r);
      }
    }

    // Issued invoices of exactly this period whose tenancy the computation no longer has (a tenancy
    // removed or moved): their whole amount is in question, which must not pass in silence.
    const computed = new Set(comp.invoices.map((x) => x.tenancyKey));
    for (const rec of listInvoices(store, req.communityId, { from: input.period.from, to: input.period.to })) {
      if (rec.kind !== "invoice" || (rec.status !== "issued" && rec.status !== "paid") || computed.has(rec.tenancyKey)) continue;
      if (rec.snapshot.advance || rec.snapshot.statement) continue;
      if (rec.periodFrom !== input.period.from || rec.periodTo !== input.period.to) continue;
      const difference: InvoiceDifference = {
        issuedKWh: rec.snapshot.energy.totalKWh,
        nowKWh: "0.000",
        kWh: signed(new Decimal(rec.snapshot.energy.totalKWh).neg(), 3),
        issuedTotal: rec.total,
        nowTotal: money(0),
        amount: signed(new Decimal(rec.total).neg(), 2),
        currency: rec.currency,
        correction: { cancelInvoiceId: rec.id, command: `zev invoice cancel --id ${rec.id} --reason "<why>"` },
      };
      results.push({
        id: rec.id,
        tenancyKey: rec.tenancyKey,
        recipient: rec.snapshot.recipient.name,
        unit: rec.unitId ?? "",
        status: rec.status,
        number: rec.number,
        total: rec.total,
        action: "skipped",
        reason: `already ${rec.status} as ${rec.number}; the community has no such tenancy in the period any more`,
        difference,
      });
      notices.push(differenceNotice(rec, difference));
    }

    if (req.mode === "issue") {
      const date = req.invoiceDate ?? today(input.def.timeZone);
      const year = Number(date.slice(0, 4));
      for (const d of drafts) {
        const r = results.find((x) => x.id === d.id)!;
        try {
          const rec = markIssued(store, d.id, (number) => issuableSnapshot(d.snapshot, number, date), year, req.actor);
          Object.assign(r, { action: "issued", status: rec.status, number: rec.number, total: rec.total });
        } catch (e) {
          // markIssued's savepoint is rolled back: the number is not used, the draft stays a draft.
          if (!(e instanceof InvoiceNotIssuableError)) throw e;
          const reason = `not issued, it could not be printed: ${e.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`;
          Object.assign(r, { action: "refused", reason, problems: e.problems });
          notices.push(
            issue(
              "issued.refused",
              "invoice for __recipient__ (unit __unit__) not issued, it could not be printed: __problems__. Correct the community data (or the meter data) and issue again",
              { recipient: r.recipient, unit: r.unit, problems: e.problems.map((p) => `${p.path}: ${p.message}`).join("; ") },
            ),
          );
        }
      }
    }
  });
  audit(store, {
    communityId: req.communityId,
    actor: req.actor,
    action: `billing.${req.mode}`,
    entity: "period",
    entityId: input.period.label,
    details: {
      forced: Boolean(req.force && lowCoverage.length),
      invoices: results.map((r) => ({
        tenancy: r.tenancyKey,
        action: r.action,
        number: r.number,
        ...(r.difference ? { differs: { kWh: r.difference.kWh, amount: r.difference.amount } } : {}),
      })),
      unbilledKWh: comp.unbilledKWh,
      attributedSessions: attributed.map((a) => a.sessionId),
    },
  });
  const records = results.filter((r) => r.id !== null).map((r) => getInvoice(store, r.id!)!);
  return { ...base, warnings: notices.map((n) => n.message), notices, stopped: false, invoices: results, records };
}

function signed(d: Decimal, places: number): string {
  return `${d.isNegative() ? "" : "+"}${d.toFixed(places)}`;
}

/** Figures that matter for money: lines and totals. Names, addresses and the revision may change without a correction. */
function billedFigures(s: InvoiceSnapshot): string {
  return JSON.stringify({ lines: s.lines.map((l) => ({ ...l, pos: 0 })), totals: s.totals });
}

/** How the invoice computed now differs from the issued one; null when its lines and totals are the same. */
export function issuedDifference(issued: InvoiceRecord, now: InvoiceSnapshot): InvoiceDifference | null {
  if (billedFigures(issued.snapshot) === billedFigures(now)) return null;
  const kWh = new Decimal(now.energy.totalKWh).minus(issued.snapshot.energy.totalKWh);
  const amount = new Decimal(now.totals.total).minus(issued.snapshot.totals.total);
  return {
    issuedKWh: issued.snapshot.energy.totalKWh,
    nowKWh: now.energy.totalKWh,
    kWh: signed(kWh, 3),
    issuedTotal: issued.snapshot.totals.total,
    nowTotal: now.totals.total,
    amount: signed(new Decimal(money(amount)), 2),
    currency: now.currency,
    correction: { cancelInvoiceId: issued.id, command: `zev invoice cancel --id ${issued.id} --reason "<why>"` },
  };
}

function differenceNotice(issued: InvoiceRecord, d: InvoiceDifference): Issue {
  return issue(
    "issued.differs",
    'invoice __number__ (__recipient__, __from__..__to__) was issued with __issuedKWh__ kWh and __issuedTotal__ __currency__; the data now give __nowKWh__ kWh and __nowTotal__ __currency__ (__kWh__ kWh, __amount__ __currency__). It stays as issued: to correct it, cancel it with a credit note (zev invoice cancel --db <file> --id __id__ --reason "...", or msg.command "cancel" with payload {id: __id__, reason} on the zev-billing node) and bill the period again to issue the corrected invoice',
    {
      number: issued.number ?? `#${issued.id}`,
      id: issued.id,
      recipient: issued.snapshot.recipient.name,
      from: issued.periodFrom,
      to: issued.periodTo,
      issuedKWh: d.issuedKWh,
      issuedTotal: d.issuedTotal,
      nowKWh: d.nowKWh,
      nowTotal: d.nowTotal,
      kWh: d.kWh,
      amount: d.amount,
      currency: d.currency,
    },
  );
}

/** Issues one existing draft (e.g. after review on the dashboard). */
export function issueDraft(store: Store, id: number, actor: string, invoiceDate?: LocalDate): InvoiceRecord {
  const cur = getInvoice(store, id);
  if (!cur) throw new BillingError(`no invoice ${id}`);
  const date = invoiceDate ?? today(zoneOf(store, cur.communityId));
  return markIssued(store, id, (number) => issuableSnapshot(cur.snapshot, number, date), Number(date.slice(0, 4)), actor);
}

/** A correction: the issued invoice is cancelled by a credit note; bill the period again to issue the new one. */
export function cancelInvoice(
  store: Store,
  id: number,
  actor: string,
  reason: string,
  date?: LocalDate,
): { original: InvoiceRecord; creditNote: InvoiceRecord } {
  const cur = getInvoice(store, id);
  const d = date ?? today(zoneOf(store, cur?.communityId ?? ""));
  return cancelWithCreditNote(store, id, (orig, number) => creditNoteSnapshot(orig, number, d), Number(d.slice(0, 4)), actor, reason);
}

/** A counter break of the period as a notice: a replacement the operator recorded, or one the data showed. */
function meterChangeNotice(c: MeterChange, when: string): Issue {
  const params = { meter: c.meter, when, before: c.beforeKWh ?? "?", after: c.afterKWh ?? "?" };
  switch (c.kind) {
    case "replacement":
      return issue(
        "meter.replaced",
        "meter __meter__ replaced on __when__: old final __before__ kWh, new initial __after__ kWh (energy across the swap counted from both readings)",
        params,
      );
    case "reset":
      return issue(
        "meter.reset",
        "meter __meter__: counter reset on __when__ (__before__ -> __after__ kWh); the energy between the last old and the first new reading is unknown and not billed: if the meter was replaced, record it with zev meter replace",
        params,
      );
    case "jump":
      return issue(
        "meter.jump",
        "meter __meter__: counter jump on __when__ (__before__ -> __after__ kWh); the energy between the last old and the first new reading is unknown and not billed: if the meter was replaced, record it with zev meter replace",
        params,
      );
    default:
      return issue(
        "meter.swap",
        "meter __meter__: meter swap (new serial) on __when__ (__before__ -> __after__ kWh); the energy between the last old and the first new reading is unknown and not billed: if the meter was replaced, record it with zev meter replace",
        params,
      );
  }
}
