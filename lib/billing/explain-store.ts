import { meterChangesInPeriod, type MeterChange } from "../aggregation/meter-changes";
import type { InvoiceSnapshot, MeterReadingFact, PeriodUsageFact } from "../model/invoice";
import { boundaryRows, meterEnergyWh } from "../store/counter-reading-repo";
import { liveInvoicesOverlapping } from "../store/invoice-repo";
import { metersWithoutIntervals, type IntervalMatrix } from "../store/interval-matrix";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { addDays, startOfLocalDay, type LocalDate } from "../time/local-date";
import { periodFromDates } from "../time/periods";
import { computeInvoices, type ComputeInput } from "./compute";
import { coverageRows } from "./coverage";
import { comparisonPeriods, usageOf, type ComparisonPeriod } from "./explain-history";
import { spanReadings } from "./explain-readings";
import { loadBillingInput } from "./load";

/*
 * The parts of an invoice's explanation that need the store beyond the
 * period's intervals (decisions 0133, 0135): the meters' counter readings at
 * the ends of the service spans, and the comparison with earlier periods.
 * Added to the snapshots computeInvoices made, before they are written.
 */

/** Changes this far around a span are looked at: a counter break can lie a gap limit (3 h) away from the instant. */
const AROUND_MS = 3 * 3600_000;

export function explainFromStore(store: Store, input: ComputeInput, invoices: InvoiceSnapshot[]): void {
  const zone = input.def.timeZone;
  const changes = meterChangesInPeriod(store, input.def.id, input.period.startMs - AROUND_MS, input.period.endMs + AROUND_MS, zone);
  const history = new History(store, input);
  // Local midnights asked of luxon once per date, not once per meter and span.
  const midnights = new Map<LocalDate, number>();
  const midnight = (d: LocalDate): number => {
    let ms = midnights.get(d);
    if (ms === undefined) midnights.set(d, (ms = startOfLocalDay(d, zone)));
    return ms;
  };
  for (const inv of invoices) {
    if (!inv.explain) continue;
    inv.explain.readings = readingsOf(store, input, inv, changes, midnight);
    inv.explain.history = history.of(inv);
  }
}

function readingsOf(
  store: Store,
  input: ComputeInput,
  inv: InvoiceSnapshot,
  changes: readonly MeterChange[],
  midnight: (d: LocalDate) => number,
): MeterReadingFact[] {
  const out: MeterReadingFact[] = [];
  for (const key of inv.unit.meters) {
    const m = input.meters.find((x) => x.key === key && x.role === "unit");
    if (!m) continue;
    const mine = changes.filter((c) => c.meter === key);
    for (const span of inv.service) {
      const endDate = addDays(span.to, 1);
      const fromMs = midnight(span.from);
      const toMs = midnight(endDate);
      out.push(
        spanReadings({
          meter: key,
          start: { date: span.from, ms: fromMs, rows: boundaryRows(store, m.id, fromMs) },
          end: { date: endDate, ms: toMs, rows: boundaryRows(store, m.id, toMs) },
          intervalWh: spanEnergyWh(store, input.matrix, m.id, fromMs, toMs),
          changes: mine.filter((c) => c.atMs >= fromMs - AROUND_MS && c.atMs <= toMs + AROUND_MS),
        }),
      );
    }
  }
  return out;
}

/**
 * The meter's stored import over [fromMs, toMs): from the period's matrix when it holds the span (a service span lies
 * in the billed period; the matrix keeps each stored import_wh, 0 where none, so its sum is SQL's SUM), else from SQL.
 */
function spanEnergyWh(store: Store, matrix: IntervalMatrix, meterId: number, fromMs: number, toMs: number): number {
  const col = matrix.columns.get(meterId);
  const a = (fromMs - matrix.fromMs) / INTERVAL_MS;
  const b = (toMs - matrix.fromMs) / INTERVAL_MS;
  if (!col || !Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > matrix.count || a > b) return meterEnergyWh(store, meterId, fromMs, toMs).wh;
  let wh = 0;
  for (let i = a; i < b; i++) wh += col.importWh[i]!;
  return wh;
}

/**
 * Earlier periods' usage per tenancy: the invoice issued for exactly that period when there is one (what the
 * tenant saw), else computed from the stored intervals when their coverage is what a billing run demands,
 * else "none". Each earlier period is computed at most once per run, and only when an invoice needs it.
 */
class History {
  private readonly computed = new Map<string, Map<string, InvoiceSnapshot> | null>();
  constructor(
    private readonly store: Store,
    private readonly input: ComputeInput,
  ) {}

  private periods: ComparisonPeriod[] | undefined;

  of(inv: InvoiceSnapshot): PeriodUsageFact[] {
    this.periods ??= comparisonPeriods(this.input.period);
    return this.periods.map((p) => this.usage(inv.tenancyKey, p));
  }

  private usage(tenancyKey: string, p: ComparisonPeriod): PeriodUsageFact {
    const base = { which: p.which, from: p.from, to: p.to };
    const issued = liveInvoicesOverlapping(this.store, this.input.def.id, tenancyKey, p.from, p.to).filter(
      (r) => (r.status === "issued" || r.status === "paid") && r.periodFrom === p.from && r.periodTo === p.to,
    );
    const rec = issued[issued.length - 1];
    if (rec) return { ...base, source: "invoice", ...usageOf(rec.snapshot.energy) };
    const snap = this.computedPeriod(p)?.get(tenancyKey);
    if (snap) return { ...base, source: "intervals", ...usageOf(snap.energy) };
    return { ...base, source: "none", kWh: null, solarShare: null };
  }

  private computedPeriod(p: ComparisonPeriod): Map<string, InvoiceSnapshot> | null {
    const key = `${p.from}..${p.to}`;
    if (!this.computed.has(key)) this.computed.set(key, this.compute(p));
    return this.computed.get(key)!;
  }

  private compute(p: ComparisonPeriod): Map<string, InvoiceSnapshot> | null {
    const def = this.input.def;
    try {
      const period = periodFromDates(p.from, p.to, def.timeZone);
      const min = def.billing?.minCoverage ?? 0.95;
      // A meter the coverage counts without one stored interval has coverage 0 (substitutes are stored intervals
      // too): the usual earlier period before the community's first year is known to be "none" without reading it.
      const counted = this.input.meters.filter((m) => m.role !== "grid" && m.role !== "other").map((m) => m.id);
      if (min > 0 && metersWithoutIntervals(this.store, counted, period.startMs, period.endMs).length) return null;
      const input = loadBillingInput(this.store, def.id, period);
      // The coverage a billing run demands of the same data; below it the comparison would be a guess. It is
      // computeInvoices's own coverage rule, asked first: a period without data is not split interval by interval.
      if (coverageRows(input.meters, input.matrix, input.substitutes ?? []).some((c) => c.role !== "grid" && c.coverage < min)) return null;
      const comp = computeInvoices(input);
      return new Map(comp.invoices.map((s) => [s.tenancyKey, s]));
    } catch {
      // Information only: a period the community cannot bill (no plan in force yet, no meters then) has no comparison.
      return null;
    }
  }
}
