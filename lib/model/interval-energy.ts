import type { Quality } from "./quality";

/** Energy of one meter in one quarter hour, integer Wh (docs/decisions/0002-energy-integer-wh.md). */
export interface IntervalEnergy {
  meterId: number;
  startMs: number;
  /** null only for quality "missing". */
  importWh: number | null;
  exportWh: number | null;
  quality: Quality;
  /**
   * The meter's own import counter at the interval's end, Wh, as the meter shows it (docs/decisions/0133):
   * set by the interval builder for counter-based meters; absent/null for operator data and load profiles.
   */
  counterWh?: number | null;
}
