import { splitProportional } from "../allocation/split";
import type { IntervalEnergy } from "../model/interval-energy";
import type { Quality } from "../model/quality";
import { INTERVAL_MS } from "../time/interval";

/*
 * Substitute values for a gap in a community's own meter (issue 13,
 * docs/decisions/0136): what the meter most likely did in quarter hours it
 * did not report, always flagged `estimated`, never silent. Two documented
 * methods, as grid operators form substitute values (Ersatzwerte):
 *
 * - `profile`: the same weekday's profile. Each missing quarter hour takes
 *   the mean of the same quarter hour 1 to N weeks earlier (only measured or
 *   interpolated values count). Where the meter's counter difference across
 *   the gap is known (the unallocated energy of a gap beyond the gap limit),
 *   the profile is scaled to it exactly (integer Wh, largest remainder):
 *   the gap's intervals then add up to what the meter counted. Without a
 *   known difference the means are taken as they are (rounded to Wh).
 * - `linear`: the known counter difference spread evenly; needs the
 *   difference.
 *
 * A profile without any usable reference value falls back to `linear`
 * (when the difference is known) and says so.
 */

export type SubstituteMethod = "profile" | "linear";
export const SUBSTITUTE_METHODS: readonly SubstituteMethod[] = ["profile", "linear"];
export const DEFAULT_REFERENCE_WEEKS = 4;
export const MAX_REFERENCE_WEEKS = 8;
const WEEK_MS = 7 * 24 * 3600_000;
// lcm(1..8): a mean over up to 8 weeks as an integer weight, exactly
const MEAN_SCALE = 840;

/** The counter difference a meter counted across the gap; export null: the meter reports no export. */
export interface KnownDifference {
  importWh: number;
  exportWh: number | null;
}

export interface SubstituteInput {
  meterId: number;
  /** Start of each quarter hour to substitute, ascending. */
  slots: readonly number[];
  known: KnownDifference | null;
  method: SubstituteMethod;
  /** 1 to MAX_REFERENCE_WEEKS. */
  weeks: number;
  /** The meter's stored value of a reference quarter hour, or undefined when it has none. */
  reference: (startMs: number) => Pick<IntervalEnergy, "importWh" | "exportWh" | "quality"> | undefined;
}

export interface SubstituteResult {
  rows: IntervalEnergy[];
  /** The method that formed the values: `linear` where `profile` found no reference. */
  applied: SubstituteMethod;
  /** Whether the values add up to a known counter difference. */
  scaledToCounter: boolean;
  /** Quarter hours of the gap that had at least one reference value. */
  slotsWithReference: number;
  importWh: number;
  exportWh: number | null;
}

export class SubstituteError extends Error {
  constructor(
    readonly code: "substitute-needs-difference" | "substitute-no-reference" | "substitute-weeks",
    message: string,
  ) {
    super(message);
    this.name = "SubstituteError";
  }
}

const USABLE: ReadonlySet<Quality> = new Set(["measured", "interpolated"]);

export function substituteValues(input: SubstituteInput): SubstituteResult {
  const { slots, known } = input;
  if (!Number.isInteger(input.weeks) || input.weeks < 1 || input.weeks > MAX_REFERENCE_WEEKS)
    throw new SubstituteError("substitute-weeks", `reference weeks must be a whole number from 1 to ${MAX_REFERENCE_WEEKS}`);
  if (input.method === "linear" && !known)
    throw new SubstituteError(
      "substitute-needs-difference",
      "the linear method spreads a known counter difference, and this gap has none (the meter did not report at its end): use the profile method",
    );

  const impW: number[] = [];
  const expW: number[] = [];
  let withRef = 0;
  let anyExport = false;
  if (input.method === "profile") {
    for (const s of slots) {
      let imp = 0;
      let exp = 0;
      let n = 0;
      for (let k = 1; k <= input.weeks; k++) {
        const r = input.reference(s - k * WEEK_MS);
        if (!r || !USABLE.has(r.quality) || r.importWh === null) continue;
        imp += r.importWh;
        if (r.exportWh !== null) {
          exp += r.exportWh;
          anyExport = true;
        }
        n++;
      }
      if (n) withRef++;
      impW.push(n ? (imp * MEAN_SCALE) / n : 0);
      expW.push(n ? (exp * MEAN_SCALE) / n : 0);
    }
  }

  const noReference = input.method === "profile" && withRef === 0;
  if (noReference && !known)
    throw new SubstituteError(
      "substitute-no-reference",
      `no measured value in the ${input.weeks} week(s) before the gap and no counter difference across it: there is nothing to form a substitute from`,
    );
  const applied: SubstituteMethod = input.method === "linear" || noReference ? "linear" : "profile";
  const even = slots.map(() => 1);

  let imports: number[];
  let exports: (number | null)[];
  if (known) {
    imports = splitProportional(known.importWh, applied === "linear" || sum(impW) === 0 ? even : impW);
    exports = known.exportWh === null ? slots.map(() => null) : splitProportional(known.exportWh, applied === "linear" || sum(expW) === 0 ? even : expW);
  } else {
    imports = impW.map((w) => Math.round(w / MEAN_SCALE));
    exports = expW.map((w) => (anyExport ? Math.round(w / MEAN_SCALE) : null));
  }
  const rows: IntervalEnergy[] = slots.map((startMs, i) => ({
    meterId: input.meterId,
    startMs,
    importWh: imports[i]!,
    exportWh: exports[i]!,
    quality: "estimated",
  }));
  return {
    rows,
    applied,
    scaledToCounter: !!known,
    slotsWithReference: withRef,
    importWh: sum(imports),
    exportWh: exports.every((e) => e === null) ? null : sum(exports.map((e) => e ?? 0)),
  };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** The quarter hours of [fromMs, toMs). */
export function slotsOf(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += INTERVAL_MS) out.push(t);
  return out;
}
