import { meterChangesInPeriod } from "../aggregation/meter-changes";
import { DateTime } from "luxon";
import { audit } from "../store/audit-repo";
import {
  cancelWithCreditNote,
  getInvoice,
  InvoiceRecord,
  insertDraft,
  liveInvoicesOverlapping,
  markIssued,
  replaceDraft,
  snapshotHash,
} from "../store/invoice-repo";
import type { SqliteStore } from "../store/sqlite-store";
import { latestCommunity } from "../store/community-repo";
import { DEFAULT_TIME_ZONE, formatLocal, isLocalDate, LocalDate } from "../time/local-date";
import { unallocatedInRange } from "../store/unallocated-repo";
import { computeInvoices, CoverageRow } from "./compute";
import { creditNoteSnapshot, finalizeSnapshot } from "./issue";
import { BillingError } from "./layout";
import { loadBillingInput } from "./load";
import type { InvoiceSnapshot } from "./types";

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

export type InvoiceAction = "created" | "updated" | "unchanged" | "issued" | "skipped";

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
  totals: ReturnType<typeof computeInvoices>["totals"];
  invoices: RunInvoice[];
  /** The invoices' current records, for output messages and documents. */
  records: InvoiceRecord[];
}

function zoneOf(store: SqliteStore, communityId: string): string {
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
export function runBilling(store: SqliteStore, req: BillingRequest): BillingRunReport {
  if (req.invoiceDate !== undefined && !isLocalDate(req.invoiceDate)) throw new BillingError(`invoice date ${JSON.stringify(req.invoiceDate)} must be written YYYY-MM-DD`);
  const input = loadBillingInput(store, req.communityId, req.period);
  const comp = computeInvoices(input);
  const minCoverage = input.def.billing?.minCoverage ?? 0.95;
  // The grid meter only reconciles; a dead grid meter must not block billing.
  const lowCoverage = comp.coverage.filter((c) => c.role !== "grid" && c.coverage < minCoverage);
  const unallocated = unallocatedInRange(store, req.communityId, input.period.startMs, input.period.endMs);
  const meterKey = new Map(input.meters.map((m) => [m.id, m.key]));
  const changes = meterChangesInPeriod(store, req.communityId, input.period.startMs, input.period.endMs, input.def.timeZone);
  for (const inv of comp.invoices) {
    const mine = changes.filter((c) => c.kind === "replacement" && inv.unit.meters.includes(c.meter));
    if (mine.length) inv.meterChanges = mine.map((c) => ({ meter: c.meter, date: c.date, oldFinalKWh: c.beforeKWh ?? "", newInitialKWh: c.afterKWh ?? "" }));
  }
  const warnings = [
    ...comp.warnings,
    ...changes.map((c) => c.text),
    ...unallocated.map(
      (u) =>
        `meter ${meterKey.get(u.meterId) ?? u.meterId}: ${(u.importWh / 1000).toFixed(3)} kWh counted across a data gap (${formatLocal(u.fromMs, input.def.timeZone)} to ${formatLocal(u.toMs, input.def.timeZone)}) are known in amount but not in time, and are on no invoice: fill the gap (e.g. import the meter's load profile) or bill it by hand`,
    ),
  ];
  const base = {
    communityId: req.communityId,
    period: { label: input.period.label, from: input.period.from, to: input.period.to },
    mode: req.mode,
    coverage: comp.coverage,
    lowCoverage,
    minCoverage,
    warnings,
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

  const results: RunInvoice[] = [];
  // One transaction for the run's writes: all drafts (and numbers) land together or not at all,
  // and one commit instead of one per invoice.
  store.write(() => {
    const drafts: { id: number; snapshot: InvoiceSnapshot }[] = [];
    for (const s of comp.invoices) {
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
      if (other) {
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
        results.push(row(same, "skipped", `already ${same.status} as ${same.number}`));
      }
    }

    if (req.mode === "issue") {
      const date = req.invoiceDate ?? today(input.def.timeZone);
      const year = Number(date.slice(0, 4));
      for (const d of drafts) {
        const rec = markIssued(store, d.id, (number) => finalizeSnapshot(d.snapshot, number, date), year, req.actor);
        const r = results.find((x) => x.id === d.id)!;
        Object.assign(r, { action: "issued", status: rec.status, number: rec.number, total: rec.total });
      }
    }
  });
  audit(store, {
    communityId: req.communityId,
    actor: req.actor,
    action: `billing.${req.mode}`,
    entity: "period",
    entityId: input.period.label,
    details: { forced: Boolean(req.force && lowCoverage.length), invoices: results.map((r) => ({ tenancy: r.tenancyKey, action: r.action, number: r.number })) },
  });
  const records = results.filter((r) => r.id !== null).map((r) => getInvoice(store, r.id!)!);
  return { ...base, stopped: false, invoices: results, records };
}

/** Issues one existing draft (e.g. after review on the dashboard). */
export function issueDraft(store: SqliteStore, id: number, actor: string, invoiceDate?: LocalDate): InvoiceRecord {
  const cur = getInvoice(store, id);
  if (!cur) throw new BillingError(`no invoice ${id}`);
  const date = invoiceDate ?? today(zoneOf(store, cur.communityId));
  return markIssued(store, id, (number) => finalizeSnapshot(cur.snapshot, number, date), Number(date.slice(0, 4)), actor);
}

/** A correction: the issued invoice is cancelled by a credit note; bill the period again to issue the new one. */
export function cancelInvoice(store: SqliteStore, id: number, actor: string, reason: string, date?: LocalDate): { original: InvoiceRecord; creditNote: InvoiceRecord } {
  const cur = getInvoice(store, id);
  const d = date ?? today(zoneOf(store, cur?.communityId ?? ""));
  return cancelWithCreditNote(store, id, (orig, number) => creditNoteSnapshot(orig, number, d), Number(d.slice(0, 4)), actor, reason);
}
