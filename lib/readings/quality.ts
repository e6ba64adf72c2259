import type { Quality } from "../model/quality";

/** Better to worse; an interval takes the worst quality of what went into it. */
const RANK: Record<Quality, number> = { measured: 0, interpolated: 1, estimated: 2, missing: 3 };

export function worstQuality(a: Quality, b: Quality): Quality {
  return RANK[a] >= RANK[b] ? a : b;
}

export function qualityRank(q: Quality): number {
  return RANK[q];
}
