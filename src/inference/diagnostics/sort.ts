/**
 * The order of a column of draws, which quantiles, ranks and folded ranks all
 * read: a radix sort of the doubles' bit patterns, several times faster than
 * a comparison sort or the engine's `Float64Array.prototype.sort`, and it
 * yields the permutation that ranks need.
 * @module
 */

const DIGIT_BITS = 11;
const RADIX = 1 << DIGIT_BITS;
const DIGIT_MASK = RADIX - 1;
/** Index of a double's high (sign and exponent) 32-bit word in an Int32Array view. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** Longest run of equal high words that insertion sort orders by the low words. */
const MAX_TIE_RUN = 16;

// Reused from call to call: a summary sorts thousands of columns of one size.
let keyLow = new Int32Array(0);
let keyHigh = new Int32Array(0);
let swap = new Int32Array(0);
const counts = new Int32Array(3 * RADIX);

/** Stable sort of `order[0 … n − 1]` by the unsigned 32-bit `key` of each entry: three passes of 11, 11 and 10 bits. */
function radixPasses(order: Int32Array, key: Int32Array, n: number): void {
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const k = key[i];
    counts[k & DIGIT_MASK]++;
    counts[RADIX + ((k >>> DIGIT_BITS) & DIGIT_MASK)]++;
    counts[2 * RADIX + (k >>> (2 * DIGIT_BITS))]++;
  }
  let from: Int32Array = order;
  let to: Int32Array = swap;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * RADIX;
    // Counts become starting positions; a digit every key shares moves nothing.
    let start = 0;
    let trivial = false;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[base + d];
      if (c === n) trivial = true;
      counts[base + d] = start;
      start += c;
    }
    if (trivial) continue;
    const shift = pass * DIGIT_BITS;
    for (let i = 0; i < n; i++) {
      const j = from[i];
      to[counts[base + ((key[j] >>> shift) & DIGIT_MASK)]++] = j;
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from !== order) order.set(from.subarray(0, n));
}

/**
 * Orders each run of entries with equal high words by their low words, by
 * insertion sort; false (leaving `order` partly sorted) when a run is too
 * long for that, as when all draws agree in their first six digits.
 */
function sortTiedRuns(order: Int32Array, n: number): boolean {
  for (let i = 0; i < n;) {
    const h = keyHigh[order[i]];
    let j = i + 1;
    while (j < n && keyHigh[order[j]] === h) j++;
    if (j - i > MAX_TIE_RUN) return false;
    for (let a = i + 1; a < j; a++) {
      const v = order[a];
      const low = keyLow[v] >>> 0;
      let b = a - 1;
      for (; b >= i && keyLow[order[b]] >>> 0 > low; b--) order[b + 1] = order[b];
      order[b + 1] = v;
    }
    i = j;
  }
  return true;
}

/** Each value's two 32-bit sort keys, and the identity permutation in `order`. */
function writeKeys(values: Float64Array, order: Int32Array): void {
  const n = values.length;
  const words = new Int32Array(values.buffer, values.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    let hi = words[2 * i + HIGH_WORD];
    let lo = words[2 * i + 1 - HIGH_WORD];
    const x = values[i];
    // Unsigned order of the keys is numeric order: negatives have all bits
    // flipped, positives only the sign bit; every NaN gets the largest key.
    if (x !== x) hi = lo = -1;
    else if (hi < 0) {
      hi = ~hi;
      lo = ~lo;
    } else hi ^= 0x80000000;
    keyLow[i] = lo;
    keyHigh[i] = hi;
    order[i] = i;
  }
}

/**
 * Writes the stable ascending order of `values` into `order`: `order[k]` is
 * the position of the (k+1)-th smallest value. −0 comes before 0 and NaN after
 * everything (as `Float64Array.prototype.sort` places them). Linear time:
 * draws of a continuous quantity rarely share their high 32 bits, so sorting
 * by those and mending the few ties costs half a full 64-bit radix sort.
 *
 * @example
 * ```ts
 * argsort(Float64Array.of(3, NaN, -1, 3), new Int32Array(4)); // Int32Array [2, 0, 3, 1]
 * ```
 */
export function argsort(values: Float64Array, order: Int32Array): Int32Array {
  const n = values.length;
  if (keyLow.length < n) {
    keyLow = new Int32Array(n);
    keyHigh = new Int32Array(n);
    swap = new Int32Array(n);
  }
  // No loops here: a loop would be compiled on the stack (OSR) before the
  // calls below had type feedback, and that code deoptimizes on every call.
  writeKeys(values, order);
  radixPasses(order, keyHigh, n);
  if (sortTiedRuns(order, n)) return order;
  writeKeys(values, order);
  radixPasses(order, keyLow, n);
  radixPasses(order, keyHigh, n);
  return order;
}
