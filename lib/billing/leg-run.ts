import { DateTime } from "luxon";
import type { CommunityDefinition } from "../community/types";
import type { ProducerStatement } from "../model/leg";
import { listMeters } from "../store/meter-repo";
import { findProducerStatement, insertProducerStatement, operatorSplitInRange, type ProducerStatementRecord } from "../store/leg-repo";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { isLocalDate, type LocalDate } from "../time/local-date";
import { Decimal } from "../util/money";
import { computeLegInvoices, type LegComputation, type LegMemberTotals, type OperatorSplitColumn } from "./leg";
import { BillingError } from "./layout";
import { loadBillingInput } from "./load";

/*
 * The LEG's runs beside the ordinary billing run (docs/decisions/0131,
 * 0132): producer statements (drafted, or numbered and recorded), and the
 * reconciliation of the operator's per-member split against the suite's own.
 */

function requireLeg(def: CommunityDefinition): void {
  if (def.kind !== "LEG") throw new BillingError(`community ${def.id} is a ${def.kind}: producer statements and the LEG reconciliation are for a LEG`);
}

/** The operator's split of the period as columns per meter (only meters with values). */
function operatorColumns(store: Store, meterIds: readonly number[], fromMs: number, toMs: number): Map<number, OperatorSplitColumn> {
  const count = Math.max(0, Math.round((toMs - fromMs) / INTERVAL_MS));
  const out = new Map<number, OperatorSplitColumn>();
  for (const r of operatorSplitInRange(store, meterIds, fromMs, toMs)) {
    let c = out.get(r.meterId);
    if (!c) {
      c = { localWh: new Int32Array(count), residualWh: new Int32Array(count), present: new Uint8Array(count) };
      out.set(r.meterId, c);
    }
    const i = (r.startMs - fromMs) / INTERVAL_MS;
    if (r.share === "local") {
      c.localWh[i] = r.wh;
      // An interval counts as delivered when its local value is there (a residual alone says nothing about the local share).
      c.present[i] = 1;
    } else c.residualWh[i] = r.wh;
  }
  return out;
}

/** Computes a LEG period from the store, from the source the community names (or the one asked for). */
export function computeLegPeriod(store: Store, communityId: string, period: string, source?: "own" | "operator"): LegComputation {
  const input = loadBillingInput(store, communityId, period);
  requireLeg(input.def);
  const def: CommunityDefinition = source ? { ...input.def, legSplitSource: source } : input.def;
  const operatorSplit =
    (def.legSplitSource ?? "own") === "operator"
      ? store.read(() =>
          operatorColumns(
            store,
            listMeters(store, communityId).map((m) => m.id),
            input.period.startMs,
            input.period.endMs,
          ),
        )
      : undefined;
  return computeLegInvoices({ ...input, def, ...(operatorSplit ? { operatorSplit } : {}) });
}

export interface StatementRunItem {
  tenancyKey: string;
  producer: string;
  action: "draft" | "issued" | "unchanged" | "differs";
  number: string | null;
  total: string;
  /** For a recorded statement whose figures changed since: now minus recorded, in the currency. */
  difference?: string;
  statement: ProducerStatement;
}

export interface StatementRunReport {
  communityId: string;
  period: { label: string; from: LocalDate; to: LocalDate };
  mode: "draft" | "issue";
  items: StatementRunItem[];
  records: ProducerStatementRecord[];
  totals: LegComputation["leg"]["totals"];
}

/**
 * Producer statements of a period. In issue mode each producer without a
 * statement for the period gets one, numbered and recorded in one
 * transaction; a recorded one is never changed (a difference is reported).
 */
export function runProducerStatements(
  store: Store,
  req: { communityId: string; period: string; mode: "draft" | "issue"; statementDate?: LocalDate; actor: string },
): StatementRunReport {
  if (req.statementDate !== undefined && !isLocalDate(req.statementDate))
    throw new BillingError(`statement date ${JSON.stringify(req.statementDate)} must be written YYYY-MM-DD`);
  const comp = computeLegPeriod(store, req.communityId, req.period);
  const p = comp.leg.period;
  const date = req.statementDate ?? (DateTime.now().setZone(comp.leg.timeZone).toISODate() as LocalDate);
  const items: StatementRunItem[] = [];
  const records: ProducerStatementRecord[] = [];
  const write = (): void => {
    for (const s of comp.leg.statements) {
      const old = findProducerStatement(store, req.communityId, s.tenancyKey, s.period.from, s.period.to);
      if (old) {
        const diff = new Decimal(s.total).minus(old.total);
        items.push({
          tenancyKey: s.tenancyKey,
          producer: s.producer.name,
          action: diff.isZero() ? "unchanged" : "differs",
          number: old.number,
          total: old.total,
          ...(diff.isZero() ? {} : { difference: diff.toFixed(2) }),
          statement: old.snapshot,
        });
        records.push(old);
        continue;
      }
      if (req.mode === "draft") {
        items.push({ tenancyKey: s.tenancyKey, producer: s.producer.name, action: "draft", number: null, total: s.total, statement: s });
        continue;
      }
      const rec = insertProducerStatement(store, s, date, req.actor);
      records.push(rec);
      items.push({ tenancyKey: s.tenancyKey, producer: s.producer.name, action: "issued", number: rec.number, total: rec.total, statement: rec.snapshot });
    }
  };
  if (req.mode === "issue") store.write(write);
  else store.read(write);
  return { communityId: req.communityId, period: { label: p.label, from: p.from, to: p.to }, mode: req.mode, items, records, totals: comp.leg.totals };
}

export interface ReconcileRow {
  tenancyKey: string;
  unit: string;
  ownLocalKWh: string;
  operatorLocalKWh: string;
  /** operator - own, kWh with 3 decimals, signed. */
  localDifferenceKWh: string;
  ownResidualKWh: string;
  operatorResidualKWh: string;
  residualDifferenceKWh: string;
}

export interface ReconcileReport {
  communityId: string;
  period: { label: string; from: LocalDate; to: LocalDate };
  rows: ReconcileRow[];
  /** Members with any difference. */
  differing: number;
  totals: { ownLocalKWh: string; operatorLocalKWh: string; localDifferenceKWh: string };
  notices: LegComputation["notices"];
}

/** The operator's per-member split (E66) against the suite's own, per member and period (`zev leg reconcile`). */
export function reconcileLegSplit(store: Store, communityId: string, period: string): ReconcileReport {
  const own = computeLegPeriod(store, communityId, period, "own");
  const op = computeLegPeriod(store, communityId, period, "operator");
  const byKey = new Map<string, LegMemberTotals>(op.leg.members.map((m) => [m.tenancyKey, m]));
  const d = (a: string, b: string): string => new Decimal(a).minus(b).toFixed(3);
  const rows: ReconcileRow[] = own.leg.members.map((m) => {
    const o = byKey.get(m.tenancyKey)!;
    const opResidual = o.operatorResidualKWh ?? "0.000";
    return {
      tenancyKey: m.tenancyKey,
      unit: m.unit,
      ownLocalKWh: m.localKWh,
      operatorLocalKWh: o.localKWh,
      localDifferenceKWh: d(o.localKWh, m.localKWh),
      ownResidualKWh: m.residualKWh,
      operatorResidualKWh: opResidual,
      residualDifferenceKWh: d(opResidual, m.residualKWh),
    };
  });
  const first = own.leg.period;
  return {
    communityId,
    period: { label: first.label, from: first.from, to: first.to },
    rows,
    differing: rows.filter((r) => !new Decimal(r.localDifferenceKWh).isZero() || !new Decimal(r.residualDifferenceKWh).isZero()).length,
    totals: {
      ownLocalKWh: own.leg.totals.localKWh,
      operatorLocalKWh: op.leg.totals.localKWh,
      localDifferenceKWh: d(op.leg.totals.localKWh, own.leg.totals.localKWh),
    },
    notices: op.notices,
  };
}
