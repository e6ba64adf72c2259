import { allUnits, CommunityDefinition } from "../community/types";
import type { SessionIntervalEnergy } from "../store/charger-session-repo";
import type { SubstituteRecord } from "../store/substitute-repo";
import type { UnallocatedEnergy } from "../store/unallocated-repo";
import { issue, type Issue } from "../util/issue";
import { Q_ESTIMATED, Q_INTERPOLATED, Q_MEASURED } from "../model/quality";
import type { IntervalMatrix } from "../store/interval-matrix";
import type { MeterRecord } from "../model/meter";
import type { BillingPeriod } from "../time/periods";
import { kwhFromMWh } from "../util/money";
import { art16PlanNotices } from "../tariffs/art16";
import { explainInvoice } from "./explain";
import { buildLayout } from "./layout";
import { computeLegInvoices } from "./leg";
import { accumulateLedger } from "./ledger";
import { payerBill } from "./lines";
import { computeTotals } from "./totals";
import type { InvoiceSnapshot } from "../model/invoice";
import { coverageRows } from "./coverage";
import { substituteNotices } from "./substitutes";
import { unbilledEnergy, unbilledKWh } from "./unbilled";
import type { BillingComputation } from "./computation";

export type { BillingComputation } from "./computation";

export interface ComputeInput {
  def: CommunityDefinition;
  revisionId: number;
  period: BillingPeriod;
  meters: readonly MeterRecord[];
  matrix: IntervalMatrix;
  ev: readonly SessionIntervalEnergy[];
  /** Energy counted across data gaps (lib/store/unallocated-repo), reported as unbilled. */
  unallocated?: readonly UnallocatedEnergy[];
  /** Gaps filled with substitute values (lib/store/substitute-repo): they count as data, and each is listed. */
  substitutes?: readonly SubstituteRecord[];
}

/** Invoices (not yet numbered) for every tenancy and vacancy of the period, from stored data only. `progress` hears after each invoice. */
export function computeInvoices(input: ComputeInput, progress?: (invoices: number, of: number) => void): BillingComputation {
  // A LEG bills only its local energy and credits its producers (docs/decisions/0130).
  if (input.def.kind === "LEG") return computeLegInvoices(input, progress);
  const { def, period, meters, matrix } = input;
  const layout = buildLayout(def, period, matrix.count);
  const ledger = accumulateLedger(layout, matrix, meters, input.ev, layout.rules.allocation);
  const units = allUnits(def);
  const notices: Issue[] = art16PlanNotices(def.tariffs ?? []);

  const coverage = coverageRows(meters, matrix, input.substitutes ?? []);
  for (const u of units)
    if (!meters.some((m) => m.role === "unit" && m.unitId === u.id))
      notices.push(
        issue("billing.unitWithoutMeter", "unit __unit__ has no meter: its invoices carry only its share of the common area and its fees", { unit: u.id }),
      );
  if (!meters.some((m) => m.role === "production"))
    notices.push(issue("billing.noProduction", "the community has no production meter: every kWh is billed as grid energy"));
  const gaps = unbilledEnergy({
    meters,
    matrix,
    ev: input.ev,
    units: layout.units,
    commonWeights: layout.commonWeights,
    commonAreaMWh: ledger.totals.commonArea,
    unattributedEv: ledger.unattributedEv,
    unallocated: input.unallocated ?? [],
    computedGrid: { importMWh: ledger.totals.gridImport, exportMWh: ledger.totals.gridExport },
    timeZone: def.timeZone,
  });
  notices.push(...gaps.notices);
  notices.push(...substituteNotices(meters, matrix, input.substitutes ?? [], def.timeZone));

  // Each unit meter's qualities counted once per day ([measured, interpolated, estimated, missing] per day),
  // then summed over each payer's days: one pass over the column instead of one per invoice.
  const qualityByDay = new Map<number, Int32Array>();
  const coverageOf = new Map(coverage.map((c) => [c.meter, c]));
  const allMeasured = new Set(meters.filter((m) => coverageOf.get(m.key)?.measured === matrix.count).map((m) => m.id));
  const dayQuality = (meterId: number): Int32Array => {
    let perDay = qualityByDay.get(meterId);
    if (perDay) return perDay;
    perDay = new Int32Array(layout.days * 4);
    const col = matrix.columns.get(meterId);
    if (col && allMeasured.has(meterId)) {
      // The coverage count found every interval measured: each day's count is its number of intervals.
      for (let d = 0; d < layout.days; d++) perDay[d * 4] = (d + 1 < layout.days ? layout.firstInterval[d + 1]! : matrix.count) - layout.firstInterval[d]!;
      qualityByDay.set(meterId, perDay);
      return perDay;
    }
    // Slot per quality code: measured 0, interpolated 1, estimated 2, anything else (missing, absent) 3.
    const slot = new Uint8Array(256).fill(3);
    slot[Q_MEASURED] = 0;
    slot[Q_INTERPOLATED] = 1;
    slot[Q_ESTIMATED] = 2;
    for (let d = 0; d < layout.days; d++) {
      const end = d + 1 < layout.days ? layout.firstInterval[d + 1]! : matrix.count;
      const first = layout.firstInterval[d]!;
      if (!col) {
        perDay[d * 4 + 3]! += end - first;
        continue;
      }
      const q = col.quality;
      for (let i = first; i < end; i++) perDay[d * 4 + slot[q[i]!]!]! += 1;
    }
    qualityByDay.set(meterId, perDay);
    return perDay;
  };
  const invoices: InvoiceSnapshot[] = layout.payers.map((payer, p) => {
    const unit = units.find((x) => x.id === payer.unit)!;
    const unitMeters = meters.filter((m) => m.role === "unit" && m.unitId === unit.id);
    const bill = payerBill(layout, ledger.values, p, unitMeters.length, def.charges ?? []);
    const party = payer.spans[0]!.party;
    const quality = unitMeters.map((m) => {
      const q = { meter: m.key, measured: 0, interpolated: 0, estimated: 0, missing: 0, total: 0 };
      const perDay = dayQuality(m.id);
      for (const d of bill.days) {
        q.measured += perDay[d * 4]!;
        q.interpolated += perDay[d * 4 + 1]!;
        q.estimated += perDay[d * 4 + 2]!;
        q.missing += perDay[d * 4 + 3]!;
      }
      q.total = q.measured + q.interpolated + q.estimated + q.missing;
      return q;
    });
    const snapshot: InvoiceSnapshot = {
      schema: 1,
      communityId: def.id,
      communityName: def.name,
      communityKind: def.kind,
      revisionId: input.revisionId,
      currency: def.currency,
      language: party.language,
      creditor: def.creditor,
      recipient: party,
      recipientKind: payer.kind,
      tenancyKey: payer.key,
      unit: { id: unit.id, label: unit.label, building: unit.building, meters: unitMeters.map((m) => m.key) },
      period: { label: period.label, from: period.from, to: period.to },
      service: payer.spans.map((s) => ({ from: s.from, to: s.to })),
      lines: bill.lines,
      totals: computeTotals(bill.lines, def.currency),
      energy: bill.energy,
      comparison: bill.comparison,
      comparisonDetail: bill.comparisonDetail,
      art16: bill.art16,
      quality,
      plans: [...new Set(bill.lines.map((l) => l.planId))],
      explain: explainInvoice({
        def,
        layout,
        payer: p,
        days: bill.days,
        commonKWh: bill.energy.commonKWh,
        communityCommonMWh: ledger.totals.commonArea,
        ev: input.ev,
        fromMs: matrix.fromMs,
        count: matrix.count,
      }),
    };
    if (bill.art16 && !bill.art16.ok)
      notices.push(
        issue(
          "art16.invoice",
          "EnV Art. 16: internal supply for __tenancy__ costs __internal__ __currency__, more than 80 % of the standard product (__cap__): lower the solar price or fees",
          {
            tenancy: payer.key,
            internal: bill.art16.internalCost,
            currency: def.currency,
            cap: bill.art16.cap,
          },
        ),
      );
    progress?.(p + 1, layout.payers.length);
    return snapshot;
  });

  const t = ledger.totals;
  const kwh = (mwh: number): string => kwhFromMWh(mwh).toFixed(3);
  return {
    invoices,
    coverage,
    notices,
    unbilled: gaps.unbilled,
    unbilledKWh: unbilledKWh(gaps.unbilled),
    warnings: notices.map((n) => n.message),
    unattributedEv: ledger.unattributedEv,
    totals: {
      consumptionKWh: kwh(t.consumption),
      productionKWh: kwh(t.production),
      selfConsumedKWh: kwh(t.selfConsumed),
      gridImportKWh: kwh(t.gridImport),
      gridExportKWh: kwh(t.gridExport),
      commonAreaKWh: kwh(t.commonArea),
      evSessionsKWh: kwh(ledger.sessionsWh * 1000),
    },
  };
}
