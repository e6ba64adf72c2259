import type { SubstituteRecord } from "../store/substitute-repo";
import { coverageRows } from "./coverage";
import { substituteNotices } from "./substitutes";
import { splitLegInterval, type LegKey } from "../allocation/leg";
import { allUnits, type CommunityDefinition } from "../community/types";
import type { InvoiceLine, InvoiceSnapshot } from "../model/invoice";
import type { LegInvoiceFacts, ProducerStatement, ProducerStatementLine } from "../model/leg";
import type { MeterRecord } from "../model/meter";
import type { LocalDate } from "../time/local-date";
import { Q_ABSENT, Q_ESTIMATED, Q_INTERPOLATED, Q_MEASURED } from "../model/quality";
import type { IntervalMatrix } from "../store/interval-matrix";
import { price } from "../tariffs/plans";
import { vatRateOn } from "../tariffs/vat";
import { issue, type Issue } from "../util/issue";
import { Decimal, money, roundCents, ZERO } from "../util/money";
import type { BillingPeriod } from "../time/periods";
import type { BillingComputation } from "./computation";
import { BillingError, buildLayout, type BillingLayout } from "./layout";
import { computeTotals } from "./totals";

/*
 * Billing a LEG (docs/decisions/0129-0131). Each member is a unit whose
 * operator meters (role unit: import = draw, export = feed-in; role
 * production with the unit: its production is feed-in) are read per quarter
 * hour; lib/allocation/leg.ts splits the local energy. A member's invoice
 * bills only its local energy at the plan's solar price (the LEG's local
 * price), and carries the residual and the network-fee reduction as
 * information; a producer's statement credits what it delivered into the
 * community at `producerPrice`. Everything is summed in integer Wh, so the
 * LEG's books balance exactly: billed local kWh = credited kWh.
 */

/** The operator's per-member split (E66), per meter id and interval: local and residual Wh, and whether a value was delivered. */
export interface OperatorSplitColumn {
  localWh: Int32Array;
  residualWh: Int32Array;
  present: Uint8Array;
}

/** What a LEG period needs of billing's input (lib/billing/compute.ts ComputeInput, of which it is a part: no import back up). */
export interface LegComputeInput {
  def: CommunityDefinition;
  revisionId: number;
  period: BillingPeriod;
  meters: readonly MeterRecord[];
  matrix: IntervalMatrix;
  operatorSplit?: ReadonlyMap<number, OperatorSplitColumn>;
  substitutes?: readonly SubstituteRecord[];
}

export interface LegMemberTotals {
  tenancyKey: string;
  unit: string;
  drawKWh: string;
  localKWh: string;
  residualKWh: string;
  feedInKWh: string;
  creditedKWh: string;
  /** With the operator's split: the residual it delivered (E66), kWh; null when billed from the own computation. */
  operatorResidualKWh: string | null;
}

export interface LegSettlement {
  period: { label: string; from: LocalDate; to: LocalDate };
  timeZone: string;
  key: LegKey;
  source: "own" | "operator";
  members: LegMemberTotals[];
  statements: ProducerStatement[];
  /** Community totals, kWh with 3 decimals; billedLocalKWh always equals creditedKWh. */
  totals: { drawKWh: string; feedInKWh: string; localKWh: string; residualKWh: string; surplusKWh: string; billedLocalKWh: string; creditedKWh: string };
}

/** A billing computation with the LEG's settlement. */
export interface LegComputation extends BillingComputation {
  leg: LegSettlement;
}

/** Per payer and day, Wh. */
const F = { draw: 0, local: 1, feedIn: 2, credited: 3, opResidual: 4 } as const;
const NF = 5;

const kwh = (wh: number): string => new Decimal(wh).div(1000).toFixed(3);

export function legKey(def: CommunityDefinition): LegKey {
  return def.legAllocation ?? "proportional";
}

/** The members' meters: which meter ids draw and which feed in, per unit index. */
function memberMeters(
  layout: BillingLayout,
  meters: readonly MeterRecord[],
): { draw: number[][]; feedPrimary: number[][]; feedExport: number[][]; ignored: MeterRecord[] } {
  const n = layout.units.length;
  const draw: number[][] = Array.from({ length: n }, () => []);
  const feedPrimary: number[][] = Array.from({ length: n }, () => []);
  const feedExport: number[][] = Array.from({ length: n }, () => []);
  const ignored: MeterRecord[] = [];
  for (const m of meters) {
    const u = m.unitId === null ? -1 : layout.units.indexOf(m.unitId);
    if (m.role === "unit" && u >= 0) {
      draw[u]!.push(m.id);
      feedExport[u]!.push(m.id);
    } else if (m.role === "production" && u >= 0) feedPrimary[u]!.push(m.id);
    else if (m.role !== "other") ignored.push(m);
  }
  return { draw, feedPrimary, feedExport, ignored };
}

export function computeLegInvoices(input: LegComputeInput, progress?: (invoices: number, of: number) => void): LegComputation {
  const { def, period, meters, matrix } = input;
  if (def.kind !== "LEG") throw new BillingError(`community ${def.id} is a ${def.kind}, not a LEG`);
  const layout = buildLayout(def, period, matrix.count);
  const units = allUnits(def);
  const key = legKey(def);
  const source = def.legSplitSource ?? "own";
  const notices: Issue[] = [];
  const mm = memberMeters(layout, meters);
  for (const m of mm.ignored)
    notices.push(
      issue("leg.meterIgnored", "meter __meter__ (__role__) is no member's operator meter: a LEG bills from its members' unit and production meters only", {
        meter: m.key,
        role: m.role,
      }),
    );
  // A LEG bills local energy only (decision 0130): fees and charges a ZEV would bill are named, never dropped silently.
  if (def.charges?.length)
    notices.push(
      issue("leg.chargesNotBilled", "__count__ charge(s) of the community are not billed: a LEG's invoices bill local energy only", {
        count: def.charges.length,
      }),
    );
  for (const seg of layout.segments)
    if (price(seg.plan.baseFeePerMonth)?.isZero() === false || price(seg.plan.meteringFeePerMonth)?.isZero() === false)
      notices.push(
        issue("leg.feesNotBilled", "plan __plan__ has base or metering fees: a LEG's invoices bill local energy only (the grid operator bills metering)", {
          plan: seg.plan.id,
        }),
      );
  const U = layout.units.length;
  const D = layout.days;
  const shares = key === "static" ? layout.units.map((u) => def.legShares?.[u] ?? 0) : undefined;
  const acc = new Float64Array(layout.payers.length * D * NF);
  const surplusTotal = { wh: 0 };
  const col = (id: number): IntervalMatrix["columns"] extends Map<number, infer C> ? C | undefined : never => matrix.columns.get(id);
  const drawWh = new Array<number>(U).fill(0);
  const feedWh = new Array<number>(U).fill(0);
  const opLocal = new Array<number>(U).fill(0);
  let missingOperator = 0;
  const opResidual = new Array<number>(U).fill(0);
  for (let i = 0; i < matrix.count; i++) {
    for (let u = 0; u < U; u++) {
      let d = 0;
      for (const id of mm.draw[u]!) d += col(id)?.importWh[i] ?? 0;
      let f = 0;
      for (const id of mm.feedExport[u]!) f += col(id)?.exportWh[i] ?? 0;
      for (const id of mm.feedPrimary[u]!) f += col(id)?.importWh[i] ?? 0;
      drawWh[u] = d;
      feedWh[u] = f;
    }
    let localWh: number[];
    let creditedWh: number[];
    if (source === "operator") {
      // The operator's local share per member, as delivered; producers are credited that sum by their feed-in.
      let L = 0;
      for (let u = 0; u < U; u++) {
        let l = 0;
        let r = 0;
        for (const id of mm.draw[u]!) {
          const c = input.operatorSplit?.get(id);
          if (!c || !c.present[i]) {
            if (drawWh[u]! > 0) missingOperator++;
            continue;
          }
          l += c.localWh[i]!;
          r += c.residualWh[i]!;
        }
        opResidual[u] = r;
        // Never more local energy than the member drew: the operator's split cannot bill beyond the meter.
        opLocal[u] = Math.min(l, drawWh[u]!);
        L += opLocal[u]!;
      }
      let P = 0;
      for (const f of feedWh) P += f;
      const own = splitLegInterval({ drawWh: opLocal.slice(), feedInWh: feedWh.slice() });
      localWh = L <= P ? opLocal.slice() : own.localWh;
      creditedWh = own.creditedWh;
      surplusTotal.wh += P - Math.min(L, P);
    } else {
      const s = splitLegInterval({ drawWh, feedInWh: feedWh }, key, shares);
      localWh = s.localWh;
      creditedWh = s.creditedWh;
      surplusTotal.wh += s.surplusWh;
    }
    const day = layout.dayOfInterval[i]!;
    for (let u = 0; u < U; u++) {
      const p = layout.occ[u * D + day]!;
      if (p < 0) continue;
      const b = (p * D + day) * NF;
      acc[b + F.draw]! += drawWh[u]!;
      acc[b + F.local]! += localWh[u]!;
      acc[b + F.feedIn]! += feedWh[u]!;
      acc[b + F.credited]! += creditedWh[u]!;
      acc[b + F.opResidual]! += opResidual[u]!;
    }
  }
  if (missingOperator)
    notices.push(
      issue("leg.operatorSplitMissing", "__count__ quarter hour(s) with draw have no operator split (E66 local value): no local energy is billed for them", {
        count: missingOperator,
      }),
    );

  const sumDays = (p: number, f: number, days: readonly number[]): number => days.reduce((a, d) => a + acc[(p * D + d) * NF + f]!, 0);
  const reduction = def.legGridFeeReduction ?? 40;
  const gridFee = price(def.legGridFeePerKWh);
  const producerPrice = price(def.producerPrice);
  const invoices: InvoiceSnapshot[] = [];
  const statements: ProducerStatement[] = [];
  const members: LegMemberTotals[] = [];
  const totals = { draw: 0, feedIn: 0, local: 0, credited: 0 };

  layout.payers.forEach((payer, p) => {
    const u = layout.units.indexOf(payer.unit);
    const unit = units.find((x) => x.id === payer.unit)!;
    const days: number[] = [];
    for (let d = 0; d < D; d++) if (layout.occ[u * D + d] === p) days.push(d);
    const draw = sumDays(p, F.draw, days);
    const local = sumDays(p, F.local, days);
    const feedIn = sumDays(p, F.feedIn, days);
    const credited = sumDays(p, F.credited, days);
    totals.draw += draw;
    totals.feedIn += feedIn;
    totals.local += local;
    totals.credited += credited;
    members.push({
      tenancyKey: payer.key,
      unit: payer.unit,
      drawKWh: kwh(draw),
      localKWh: kwh(local),
      residualKWh: kwh(draw - local),
      feedInKWh: kwh(feedIn),
      creditedKWh: kwh(credited),
      operatorResidualKWh: source === "operator" ? kwh(sumDays(p, F.opResidual, days)) : null,
    });
    const party = payer.spans[0]!.party;
    const unitMeters = meters.filter((m) => m.unitId === unit.id && (m.role === "unit" || m.role === "production"));
    const unitRef = { id: unit.id, label: unit.label, building: unit.building, meters: unitMeters.map((m) => m.key) };
    const service = payer.spans.map((s) => ({ from: s.from, to: s.to }));
    const periodRef = { label: period.label, from: period.from, to: period.to };

    if (draw > 0) {
      // One line per price segment: its days' local Wh, exact (no rounding of energy on a LEG invoice).
      const lines: InvoiceLine[] = [];
      for (let s = 0; s < layout.segmentCount; s++) {
        const segDays = days.filter((d) => layout.seg[u * D + d] === s);
        const wh = sumDays(p, F.local, segDays);
        if (!segDays.length || wh === 0) continue;
        const seg = layout.segments[s]!;
        const pr = price(seg.plan.solarPerKWh)!;
        const qty = new Decimal(wh).div(1000);
        lines.push({
          pos: lines.length + 1,
          kind: "leg-local",
          from: layout.dates[segDays[0]!]!,
          to: layout.dates[segDays[segDays.length - 1]!]!,
          quantity: qty.toFixed(3),
          unit: "kWh",
          unitPrice: pr.toString(),
          amount: money(roundCents(qty.mul(pr))),
          vatRate: seg.vatRate,
          pricesIncludeVat: seg.plan.pricesIncludeVat,
          planId: seg.plan.id,
        });
      }
      const localKWh = new Decimal(local).div(1000);
      const facts: LegInvoiceFacts = {
        drawKWh: kwh(draw),
        localKWh: kwh(local),
        residualKWh: kwh(draw - local),
        key,
        source,
        gridFeeReduction: reduction,
        gridFeePerKWh: def.legGridFeePerKWh ?? null,
        gridFeeSaving: gridFee ? money(roundCents(localKWh.mul(gridFee).mul(reduction).div(100))) : null,
      };
      const quality = unitMeters
        .filter((m) => m.role === "unit")
        .map((m) => {
          const q = { meter: m.key, measured: 0, interpolated: 0, estimated: 0, missing: 0, total: 0 };
          const c = matrix.columns.get(m.id);
          for (const d of days) {
            const end = d + 1 < D ? layout.firstInterval[d + 1]! : matrix.count;
            for (let i = layout.firstInterval[d]!; i < end; i++) {
              q.total++;
              const code = c ? c.quality[i] : Q_ABSENT;
              if (code === Q_MEASURED) q.measured++;
              else if (code === Q_INTERPOLATED) q.interpolated++;
              else if (code === Q_ESTIMATED) q.estimated++;
              else q.missing++;
            }
          }
          return q;
        });
      invoices.push({
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
        unit: { ...unitRef, meters: unitMeters.filter((m) => m.role === "unit").map((m) => m.key) },
        period: periodRef,
        service,
        lines,
        totals: computeTotals(lines, def.currency),
        energy: {
          ownSolarKWh: kwh(local),
          ownBatteryKWh: "0.000",
          ownGridKWh: kwh(draw - local),
          commonKWh: "0.000",
          evKWh: "0.000",
          totalKWh: kwh(draw),
          selfSufficiency: new Decimal(local).div(draw).toFixed(4),
        },
        comparison: null,
        art16: null,
        quality,
        plans: [...new Set(lines.map((l) => l.planId))],
        leg: facts,
      });
    }

    if (credited > 0) {
      if (!producerPrice) throw new BillingError(`community ${def.id} is a LEG without producerPrice: it cannot credit ${payer.key} for ${kwh(credited)} kWh`);
      const vatOf = (d: number): string | null => {
        const t = layout.payers[p]!.spans.find((sp) => sp.from <= layout.dates[d]! && layout.dates[d]! <= sp.to)?.tenancy;
        return t?.producer?.vatRegistered ? vatRateOn(layout.dates[d]!).toString() : null;
      };
      // One line per run of days with one producer VAT rate (the rate changes on a date; registration per tenancy).
      const runs: { days: number[]; rate: string | null }[] = [];
      for (const d of days) {
        const rate = vatOf(d);
        const last = runs[runs.length - 1];
        if (last && last.rate === rate) last.days.push(d);
        else runs.push({ days: [d], rate });
      }
      const lines: ProducerStatementLine[] = [];
      for (const r of runs) {
        const wh = sumDays(p, F.credited, r.days);
        if (wh === 0) continue;
        const qty = new Decimal(wh).div(1000);
        lines.push({
          from: layout.dates[r.days[0]!]!,
          to: layout.dates[r.days[r.days.length - 1]!]!,
          quantity: qty.toFixed(3),
          unitPrice: producerPrice.toString(),
          amount: money(roundCents(qty.mul(producerPrice))),
          vatRate: r.rate,
        });
      }
      const byRate = new Map<string, Decimal>();
      let net = ZERO;
      for (const l of lines) {
        net = net.plus(l.amount);
        if (l.vatRate !== null) byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? ZERO).plus(l.amount));
      }
      const vat = [...byRate].map(([rate, base]) => ({ rate, net: money(base), vat: money(roundCents(base.mul(rate))) }));
      const vatTotal = vat.reduce((a, v) => a.plus(v.vat), ZERO);
      const vatNumber = payer.spans.map((sp) => sp.tenancy?.producer).find((v) => v?.vatRegistered)?.vatNumber ?? null;
      statements.push({
        schema: 1,
        communityId: def.id,
        communityName: def.name,
        currency: def.currency,
        language: party.language,
        payer: def.creditor,
        producer: party,
        producerVatNumber: vatNumber,
        tenancyKey: payer.key,
        unit: unitRef,
        period: periodRef,
        service,
        feedInKWh: kwh(feedIn),
        creditedKWh: kwh(credited),
        surplusKWh: kwh(feedIn - credited),
        lines,
        net: money(net),
        vat,
        vatTotal: money(vatTotal),
        total: money(net.plus(vatTotal)),
      });
    }
    progress?.(p + 1, layout.payers.length);
  });

  notices.push(...substituteNotices(meters, matrix, input.substitutes ?? [], def.timeZone));
  const coverage = coverageRows(meters, matrix, input.substitutes ?? []);
  const billedLocal = invoices.reduce((a, s) => a + Math.round(Number(s.leg!.localKWh) * 1000), 0);
  if (billedLocal !== totals.credited) throw new BillingError(`LEG books do not balance: ${kwh(billedLocal)} kWh billed, ${kwh(totals.credited)} kWh credited`);
  return {
    invoices,
    coverage,
    notices,
    unbilled: [],
    unbilledKWh: "0.000",
    warnings: notices.map((n) => n.message),
    unattributedEv: [],
    totals: {
      consumptionKWh: kwh(totals.draw),
      productionKWh: kwh(totals.feedIn),
      selfConsumedKWh: kwh(totals.local),
      gridImportKWh: kwh(totals.draw - totals.local),
      gridExportKWh: kwh(totals.feedIn - totals.credited),
      commonAreaKWh: "0.000",
      evSessionsKWh: "0.000",
    },
    leg: {
      period: { label: period.label, from: period.from, to: period.to },
      timeZone: def.timeZone,
      key,
      source,
      members,
      statements,
      totals: {
        drawKWh: kwh(totals.draw),
        feedInKWh: kwh(totals.feedIn),
        localKWh: kwh(totals.local),
        residualKWh: kwh(totals.draw - totals.local),
        surplusKWh: kwh(surplusTotal.wh),
        billedLocalKWh: kwh(billedLocal),
        creditedKWh: kwh(totals.credited),
      },
    },
  };
}
