/**
 * How an interval value came about, best first. The domain's shared types live
 * on this floor, under the store, so that every import points down (issue 12).
 */
export type Quality = "measured" | "interpolated" | "estimated" | "missing";
export const QUALITIES: readonly Quality[] = ["measured", "interpolated", "estimated", "missing"];

/*
 * The one encoding of a quality as a number (docs/decisions/0087): in typed
 * arrays of many intervals (lib/store/interval-matrix.ts) and wherever two
 * qualities are compared. Ordered best to worst, so that the larger code is
 * the worse value; 0 is an interval without any stored row, which counts as
 * missing but is reported apart.
 */
export type QualityCode = 0 | 1 | 2 | 3 | 4;
export const Q_ABSENT = 0;
export const Q_MEASURED = 1;
export const Q_INTERPOLATED = 2;
export const Q_ESTIMATED = 3;
export const Q_MISSING = 4;

export const QUALITY_CODE: Readonly<Record<Quality, QualityCode>> = {
  measured: Q_MEASURED,
  interpolated: Q_INTERPOLATED,
  estimated: Q_ESTIMATED,
  missing: Q_MISSING,
};
const BY_CODE: readonly Quality[] = ["missing", "measured", "interpolated", "estimated", "missing"];

/** The quality a code stands for; no stored row (or a code out of range) is missing. */
export function qualityOfCode(code: number): Quality {
  return BY_CODE[code] ?? "missing";
}

/** Better to worse, for comparing two qualities: measured 1 ... missing 4. */
export function qualityRank(q: Quality): QualityCode {
  return QUALITY_CODE[q];
}

/** An interval takes the worst quality of what went into it. */
export function worstQuality(a: Quality, b: Quality): Quality {
  return QUALITY_CODE[a] >= QUALITY_CODE[b] ? a : b;
}
