import { Q_ESTIMATED } from "../model/quality";
import type { MeterRecord } from "../model/meter";
import type { IntervalMatrix } from "../store/interval-matrix";
import type { SubstituteRecord } from "../store/substitute-repo";
import { INTERVAL_MS } from "../time/interval";
import { formatLocal } from "../time/local-date";
import { issue, type Issue } from "../util/issue";

/*
 * What a billing run makes of substitute values (lib/aggregation/substitute-run.ts,
 * docs/decisions/0136): the quarter hours an admin filled on purpose are
 * data the run may bill on (they count towards the coverage threshold, as
 * `substituted`), and each filled gap in the period is listed as a notice,
 * so that nobody bills estimated energy without being told.
 */

/** The period's quarter hours (matrix indices) a substitute spans. */
function indices(matrix: IntervalMatrix, s: SubstituteRecord): [number, number] {
  return [Math.max(0, Math.ceil((s.fromMs - matrix.fromMs) / INTERVAL_MS)), Math.min(matrix.count, Math.ceil((s.toMs - matrix.fromMs) / INTERVAL_MS))];
}

/** How many of a substitute's quarter hours in the period are still its estimates (a meter that came back turns them missing again). */
function stillEstimated(matrix: IntervalMatrix, s: SubstituteRecord): number {
  const col = matrix.columns.get(s.meterId);
  if (!col) return 0;
  const [first, last] = indices(matrix, s);
  let n = 0;
  for (let i = first; i < last; i++) if (col.quality[i] === Q_ESTIMATED) n++;
  return n;
}

/** Per meter id: its estimated quarter hours of the period that lie in a recorded substitute. */
export function substitutedCounts(matrix: IntervalMatrix, substitutes: readonly SubstituteRecord[]): Map<number, number> {
  const covered = new Map<number, Set<number>>();
  for (const s of substitutes) {
    const [first, last] = indices(matrix, s);
    let set = covered.get(s.meterId);
    if (!set) covered.set(s.meterId, (set = new Set()));
    for (let i = first; i < last; i++) set.add(i);
  }
  const out = new Map<number, number>();
  for (const [meterId, set] of covered) {
    const col = matrix.columns.get(meterId);
    let n = 0;
    if (col) for (const i of set) if (col.quality[i] === Q_ESTIMATED) n++;
    out.set(meterId, n);
  }
  return out;
}

/**
 * One notice per filled gap whose estimates the period still holds (each
 * code with its English template as literals:
 * test/unit/nodes/zev-billing/notices-locales.spec.ts).
 */
export function substituteNotices(meters: readonly MeterRecord[], matrix: IntervalMatrix, substitutes: readonly SubstituteRecord[], timeZone: string): Issue[] {
  const key = new Map(meters.map((m) => [m.id, m.key]));
  return substitutes.flatMap((s) => {
    const count = stillEstimated(matrix, s);
    if (!count) return [];
    const params = {
      meter: key.get(s.meterId) ?? String(s.meterId),
      count,
      from: formatLocal(s.fromMs, timeZone),
      to: formatLocal(s.toMs, timeZone),
      weeks: s.referenceWeeks,
      kWh: (s.importWh / 1000).toFixed(3),
      by: s.createdBy,
    };
    if (s.method === "linear")
      return issue(
        "billing.substitutedLinear",
        "meter __meter__: __count__ quarter hours from __from__ to __to__ are substitute values, the counter difference spread evenly: __kWh__ kWh, flagged estimated (zev meter substitute, by __by__)",
        params,
      );
    if (s.scaledToCounter)
      return issue(
        "billing.substitutedScaled",
        "meter __meter__: __count__ quarter hours from __from__ to __to__ are substitute values from the profile of __weeks__ week(s), scaled to the counter difference: __kWh__ kWh, flagged estimated (zev meter substitute, by __by__)",
        params,
      );
    return issue(
      "billing.substitutedProfile",
      "meter __meter__: __count__ quarter hours from __from__ to __to__ are substitute values from the profile of __weeks__ week(s), no counter difference known: __kWh__ kWh, flagged estimated (zev meter substitute, by __by__)",
      params,
    );
  });
}
