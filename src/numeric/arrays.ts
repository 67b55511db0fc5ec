/**
 * Copies between typed and plain arrays on the per-draw paths, as loops:
 * for the few numbers of a draw or a metric the builtins cost several times
 * more.
 * @module
 */

/**
 * The numbers of `v` as a plain array. `Array.from` of a typed array goes
 * through the iterator protocol: about 235 ns for 4 numbers in V8 here,
 * against about 10 for this loop, paid once per streamed draw.
 *
 * @example
 * ```ts
 * toNumbers(Float64Array.of(1, 2)); // [1, 2]
 * ```
 */
export function toNumbers(v: ArrayLike<number>): number[] {
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

/**
 * The numbers of `v` as a Float64Array (the builtins `new Float64Array(array)`
 * and `Float64Array.from` cost about 50 ns for 5 numbers here, this loop
 * about 25: warm-up builds a metric from plain arrays after every draw).
 *
 * @example
 * ```ts
 * float64Of([1, 2]); // Float64Array [1, 2]
 * ```
 */
export function float64Of(v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}
