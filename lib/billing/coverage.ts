import type { MeterRecord } from "../model/meter";
import { type IntervalMatrix, qualityCounts } from "../store/interval-matrix";
import type { SubstituteRecord } from "../store/substitute-repo";
import { substitutedCounts } from "./substitutes";

/** One meter's data coverage of the billed period; ZEV and LEG runs alike. */
export interface CoverageRow {
  meter: string;
  role: string;
  measured: number;
  interpolated: number;
  estimated: number;
  missing: number;
  /** Of `estimated`: quarter hours an admin filled with substitute values (lib/aggregation/substitute-run.ts). */
  substituted: number;
  total: number;
  /** (measured + interpolated + substituted) / total, 0..1. */
  coverage: number;
}

/** Every meter's coverage but role "other" (not part of the split). */
export function coverageRows(meters: readonly MeterRecord[], matrix: IntervalMatrix, substitutes: readonly SubstituteRecord[]): CoverageRow[] {
  const substituted = substitutedCounts(matrix, substitutes);
  return meters
    .filter((m) => m.role !== "other")
    .map((m) => {
      const col = matrix.columns.get(m.id);
      const q = col ? qualityCounts(col) : { measured: 0, interpolated: 0, estimated: 0, missing: 0, absent: matrix.count, total: matrix.count };
      const s = substituted.get(m.id) ?? 0;
      return {
        meter: m.key,
        role: m.role,
        measured: q.measured,
        interpolated: q.interpolated,
        estimated: q.estimated,
        missing: q.missing + q.absent,
        substituted: s,
        total: q.total,
        coverage: q.total ? (q.measured + q.interpolated + s) / q.total : 1,
      };
    });
}
