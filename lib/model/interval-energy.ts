import type { Quality } from "./quality";

/** Energy of one meter in one quarter hour, integer Wh (docs/decisions/0002-energy-integer-wh.md). */
export interface IntervalEnergy {
  meterId: number;
  startMs: number;
  /** null only for quality "missing". */
  importWh: number | null;
  exportWh: number | null;
  quality: Quality;
}
