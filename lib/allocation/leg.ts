import { splitProportional } from "./split";

/**
 * The per-interval split of a LEG (lokale Elektrizitätsgemeinschaft,
 * docs/decisions/0129): every member is a grid customer whose operator meter
 * measures what it drew from the grid and what it fed in. Inside one quarter
 * hour the community's local energy is min(sum of feed-in, sum of draw); it
 * goes to the drawing members by the community's key and is credited to the
 * feeding members in proportion to their feed-in. Integer Wh in and out, with
 * largest-remainder rounding (lib/allocation/split.ts), so that
 * sum(local) = sum(credited) = local energy exactly, in every interval.
 */
export type LegKey = "proportional" | "static";
export const LEG_KEYS: readonly LegKey[] = ["proportional", "static"];

export interface LegIntervalInput {
  /** What each member drew from the grid, Wh, in a fixed member order. */
  drawWh: readonly number[];
  /** What each member fed into the grid, Wh, same order. */
  feedInWh: readonly number[];
}

export interface LegIntervalSplit {
  /** Local energy each member received, Wh: 0 <= local_i <= draw_i. */
  localWh: number[];
  /** Draw not covered locally (the grid operator bills it): draw_i - local_i. */
  residualWh: number[];
  /** Local energy credited to each member as a producer, Wh: 0 <= credit_j <= feedIn_j. */
  creditedWh: number[];
  /** The interval's local energy: min(sum feed-in, sum draw). */
  localTotalWh: number;
  /** Feed-in the community could not use (it leaves the LEG): sum feed-in - local. */
  surplusWh: number;
}

const wh = (v: number | undefined, what: string): number => {
  const x = v ?? 0;
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer number of Wh, got ${v}`);
  return x;
};

/**
 * Splits one interval. `staticShares` (non-negative integer weights, one per
 * member) is required for the static key: every member first gets its share
 * of the local energy, at most its draw; what shares leave unused (a member
 * drawing less than its share, or a member without a share drawing) is then
 * split in proportion to the members' still uncovered draw, which never
 * gives anyone more than that draw. Since local energy <= total draw, after
 * this second step every Wh is placed.
 */
export function splitLegInterval(input: LegIntervalInput, key: LegKey = "proportional", staticShares?: readonly number[]): LegIntervalSplit {
  const n = input.drawWh.length;
  if (input.feedInWh.length !== n) throw new RangeError(`draw and feed-in must list the same members (${n} vs ${input.feedInWh.length})`);
  let D = 0;
  let P = 0;
  for (let i = 0; i < n; i++) {
    D += wh(input.drawWh[i], `draw of member ${i}`);
    P += wh(input.feedInWh[i], `feed-in of member ${i}`);
  }
  const L = Math.min(D, P);
  let local: number[];
  if (key === "static") {
    if (!staticShares || staticShares.length !== n) throw new RangeError(`the static key needs one share per member (${n}), got ${staticShares?.length ?? 0}`);
    const base = splitProportional(
      L,
      staticShares.map((s, i) => wh(s, `static share of member ${i}`)),
    );
    local = base.map((b, i) => Math.min(b, input.drawWh[i]!));
    let placed = 0;
    for (const x of local) placed += x;
    if (placed < L) {
      const open = input.drawWh.map((d, i) => d - local[i]!);
      const extra = splitProportional(L - placed, open);
      local = local.map((x, i) => x + extra[i]!);
    }
  } else local = splitProportional(L, input.drawWh);
  const credited = splitProportional(L, input.feedInWh);
  return {
    localWh: local,
    residualWh: input.drawWh.map((d, i) => d - local[i]!),
    creditedWh: credited,
    localTotalWh: L,
    surplusWh: P - L,
  };
}
