/**
 * Integer splitting of an amount over claims, exact to the unit: the parts
 * always add up to the amount. Remainders go to the largest fractional parts
 * (ties: earlier index first), so the result is deterministic.
 */

/** Numbers written in place: the result arrays of the split, plain or typed (billing reuses typed buffers). */
export type Parts = number[] | Float64Array;

/**
 * Splits `amount` (a non-negative integer) in proportion to `weights`
 * (non-negative integers). Exact for any size: products beyond 2^53 take a
 * BigInt path.
 */
export function splitProportional(amount: number, weights: readonly number[]): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(0);
  splitProportionalInto(amount, weights, n, out, new Array<number>(n));
  return out;
}

/**
 * splitProportional over weights[0..n), written into out[0..n) with `rem`
 * (n entries at least) as scratch: the same parts, without allocating, for
 * the per-interval loop of a billing run.
 */
export function splitProportionalInto(amount: number, weights: ArrayLike<number>, n: number, out: Parts, rem: Parts): void {
  for (let i = 0; i < n; i++) out[i] = 0;
  if (amount === 0 || n === 0) return;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  if (total === 0) return;
  if (amount * total >= Number.MAX_SAFE_INTEGER) {
    splitProportionalBig(amount, weights, n, total, out, rem);
    return;
  }
  let given = 0;
  for (let i = 0; i < n; i++) {
    const num = amount * weights[i]!;
    let q = Math.floor(num / total);
    let r = num - q * total;
    // Correct a floating-point floor that landed one off.
    if (r < 0) {
      q -= 1;
      r += total;
    } else if (r >= total) {
      q += 1;
      r -= total;
    }
    out[i] = q;
    rem[i] = r;
    given += q;
  }
  distributeRemainder(out, rem, n, amount - given);
}

function splitProportionalBig(amount: number, weights: ArrayLike<number>, n: number, total: number, out: Parts, rem: Parts): void {
  const a = BigInt(amount);
  const t = BigInt(total);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const num = a * BigInt(weights[i]!);
    out[i] = Number(num / t);
    // Remainders only need ordering; scale them into doubles.
    rem[i] = Number(num % t) / total;
    given += out[i]!;
  }
  distributeRemainder(out, rem, n, amount - given);
}

let bucketCounts = new Int32Array(256);
let tieBuffer = new Int32Array(256);

/**
 * The `left` largest remainders (ties: lower index first) by one counting
 * pass over n buckets of the remainder's range: the entries above the bucket
 * where the count reaches `left` all get a unit, and only that bucket's few
 * entries are ordered. Linear, with no data-dependent swaps (a per-interval
 * quickselect cost a billing run more than the rest of the split).
 */
function distributeByBuckets(out: Parts, rem: Parts, n: number, left: number, maxRem: number): void {
  if (bucketCounts.length < n) {
    bucketCounts = new Int32Array(Math.max(n, 2 * bucketCounts.length));
    tieBuffer = new Int32Array(bucketCounts.length);
  }
  const counts = bucketCounts;
  counts.fill(0, 0, n);
  // Monotone in the remainder (equal remainders share a bucket), below n for every remainder <= maxRem.
  const scale = n / (maxRem + 1);
  const top = n - 1;
  for (let i = 0; i < n; i++) counts[Math.min(top, Math.floor(rem[i]! * scale))]! += 1;
  let above = 0;
  let edge = top;
  while (edge > 0 && above + counts[edge]! < left) above += counts[edge--]!;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    const b = Math.min(top, Math.floor(rem[i]! * scale));
    if (b > edge) {
      if (rem[i]! > 0) out[i]! += 1;
    } else if (b === edge) tieBuffer[ties++] = i;
  }
  // The edge bucket in index order; a stable insertion sort by remainder (descending) keeps lower indexes
  // first. Remainders crowded into one bucket (one far above the rest) take a sort instead.
  if (ties > 32) tieBuffer.subarray(0, ties).sort((x, y) => rem[y]! - rem[x]! || x - y);
  else
    for (let a = 1; a < ties; a++) {
      const i = tieBuffer[a]!;
      let b = a - 1;
      while (b >= 0 && rem[tieBuffer[b]!]! < rem[i]!) {
        tieBuffer[b + 1] = tieBuffer[b]!;
        b--;
      }
      tieBuffer[b + 1] = i;
    }
  for (let a = 0; a < ties && a < left - above; a++) if (rem[tieBuffer[a]!]! > 0) out[tieBuffer[a]!]! += 1;
}

/** Hands `left` single units to the entries with the largest remainders (ties: lower index first). */
function distributeRemainder(out: Parts, rem: Parts, n: number, left: number): void {
  if (left <= 0) return;
  if (left === 1) {
    // The common case in a hot loop: one unit left, no sorting needed.
    let best = -1;
    for (let i = 0; i < n; i++) if (rem[i]! > 0 && (best < 0 || rem[i]! > rem[best]!)) best = i;
    if (best >= 0) out[best]! += 1;
    return;
  }
  if (n <= 1024) {
    let maxRem = 0;
    for (let i = 0; i < n; i++) if (rem[i]! > maxRem) maxRem = rem[i]!;
    if (maxRem * 1024 < Number.MAX_SAFE_INTEGER && Number.isInteger(maxRem)) {
      distributeByBuckets(out, rem, n, left, maxRem);
      return;
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => rem[b]! - rem[a]! || a - b);
  for (let k = 0; k < left && k < n; k++) if (rem[order[k]!]! > 0) out[order[k]!]! += 1;
}

/**
 * "Water filling": everyone gets an equal share of `amount`, but nobody more
 * than their `caps` entry; what a capped claimant cannot take is shared by
 * the others. Returns parts summing to min(amount, sum(caps)).
 */
export function splitEqualCapped(amount: number, caps: readonly number[]): number[] {
  const n = caps.length;
  const out = new Array<number>(n).fill(0);
  if (amount <= 0 || n === 0) return out;
  const order = caps.map((_, i) => i).filter((i) => caps[i]! > 0);
  order.sort((a, b) => caps[a]! - caps[b]! || a - b);
  let left = amount;
  for (let k = 0; k < order.length; k++) {
    const remaining = order.length - k;
    const i = order[k]!;
    if (caps[i]! * remaining <= left) {
      out[i] = caps[i]!;
      left -= caps[i]!;
      continue;
    }
    // Everyone from here on is capped above the level: equal shares, remainder to the earliest by index.
    const level = Math.floor(left / remaining);
    let extra = left - level * remaining;
    const rest = order.slice(k).sort((a, b) => a - b);
    for (const j of rest) {
      out[j] = level + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
    }
    break;
  }
  return out;
}
