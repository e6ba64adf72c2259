/**
 * Integer splitting of an amount over claims, exact to the unit: the parts
 * always add up to the amount. Remainders go to the largest fractional parts
 * (ties: earlier index first), so the result is deterministic.
 */

/**
 * Splits `amount` (a non-negative integer) in proportion to `weights`
 * (non-negative integers). Exact for any size: products beyond 2^53 take a
 * BigInt path.
 */
export function splitProportional(amount: number, weights: readonly number[]): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(0);
  if (amount === 0 || n === 0) return out;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  if (total === 0) return out;
  if (amount * total >= Number.MAX_SAFE_INTEGER) return splitProportionalBig(amount, weights, total);
  const rem = new Array<number>(n);
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
  distributeRemainder(out, rem, amount - given);
  return out;
}

function splitProportionalBig(amount: number, weights: readonly number[], total: number): number[] {
  const a = BigInt(amount);
  const t = BigInt(total);
  const out: number[] = [];
  const rem: number[] = [];
  let given = 0;
  for (const w of weights) {
    const num = a * BigInt(w);
    out.push(Number(num / t));
    // Remainders only need ordering; scale them into doubles.
    rem.push(Number(num % t) / total);
    given += out[out.length - 1]!;
  }
  distributeRemainder(out, rem, amount - given);
  return out;
}

let keyBuffer = new Float64Array(256);

/** The k-th largest of keys[0..n) (k >= 1, distinct keys), by quickselect; reorders the buffer. */
function kthLargest(keys: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const target = n - k; // index of the k-th largest in ascending order
  while (lo < hi) {
    const pivot = keys[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i]! < pivot) i++;
      while (keys[j]! > pivot) j--;
      if (i <= j) {
        const t = keys[i]!;
        keys[i] = keys[j]!;
        keys[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return keys[target]!;
}

/** Hands `left` single units to the entries with the largest remainders (ties: lower index first). */
function distributeRemainder(out: number[], rem: number[], left: number): void {
  if (left <= 0) return;
  const n = rem.length;
  if (left === 1) {
    // The common case in a hot loop: one unit left, no sorting needed.
    let best = -1;
    for (let i = 0; i < n; i++) if (rem[i]! > 0 && (best < 0 || rem[i]! > rem[best]!)) best = i;
    if (best >= 0) out[best]! += 1;
    return;
  }
  // Keys that carry remainder and index in one number (larger remainder first, then lower index);
  // all distinct, so the `left`-th largest key is a threshold found by selection, not a full sort.
  if (n <= 1024) {
    let maxRem = 0;
    for (let i = 0; i < n; i++) if (rem[i]! > maxRem) maxRem = rem[i]!;
    if (maxRem * 1024 < Number.MAX_SAFE_INTEGER && Number.isInteger(maxRem)) {
      if (keyBuffer.length < n) keyBuffer = new Float64Array(Math.max(n, 2 * keyBuffer.length));
      const keys = keyBuffer;
      for (let i = 0; i < n; i++) keys[i] = rem[i]! * 1024 + (1023 - i);
      const threshold = kthLargest(keys, n, Math.min(left, n));
      for (let i = 0; i < n; i++) if (rem[i]! > 0 && rem[i]! * 1024 + (1023 - i) >= threshold) out[i]! += 1;
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
