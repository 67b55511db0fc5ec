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

/** Whether every element of `xs` is a number (an empty array counts). */
function isNumbers(xs: readonly unknown[]): xs is number[] {
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== "number") return false;
  return true;
}

/** A deep copy of plain data, each array of numbers made by `numbers` and each Float64Array by `typed`. */
function copyPlain(x: unknown, numbers: (xs: number[]) => unknown, typed: (xs: Float64Array) => unknown): unknown {
  if (Array.isArray(x)) return isNumbers(x) ? numbers(x) : x.map((e: unknown) => copyPlain(e, numbers, typed));
  if (x instanceof Float64Array) return typed(x);
  if (x === null || typeof x !== "object") return x;
  // fromEntries defines each key as an own property, `__proto__` too.
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copyPlain(v, numbers, typed)]));
}

/**
 * A deep copy of plain data (objects, arrays, numbers, strings, booleans,
 * null), as `structuredClone` makes of it, with each array of numbers
 * copied by `slice`: a warm-up's checkpoint of a d = 100 model (its dense
 * moments, 40,000 numbers) takes about 0.1 ms this way and 3.5 ms through
 * `structuredClone`, once every 100 iterations.
 *
 * @example
 * ```ts
 * const state = { n: 2, mean: [0.5, -1], rows: [[1, 2], [3, 4]] };
 * const copy = clonePlain(state);
 * copy.rows[0][0] = 9; // state.rows[0][0] is still 1
 * ```
 */
export function clonePlain<T>(x: T): T {
  return copyPlain(
    x,
    (xs) => xs.slice(),
    (xs) => xs.slice(),
  ) as T;
}

/**
 * Plain data made ready to cross between threads: a deep copy with each
 * array of numbers as a Float64Array, which a structured clone copies
 * whole, where it copies a plain array number by number (a d = 100
 * warm-up's checkpoint: 3.4 ms to clone plain; to pack, clone and unpack
 * about 1.3 ms). {@link unpackNumbers} gives the plain data back, every
 * number (−0, NaN) as it was.
 *
 * @example
 * ```ts
 * const packed = packNumbers({ iter: 100, theta: [0.5, -1] }); // { iter: 100, theta: Float64Array [0.5, -1] }
 * unpackNumbers(packed); // { iter: 100, theta: [0.5, -1] }
 * ```
 */
export function packNumbers(x: unknown): unknown {
  // The builtin, not float64Of's loop: a checkpoint's arrays are long (d² numbers), where it is the faster.
  return copyPlain(
    x,
    (xs) => new Float64Array(xs),
    (xs) => xs.slice(),
  );
}

/** The plain data {@link packNumbers} packed: a deep copy with each Float64Array as an array of numbers. */
export function unpackNumbers(x: unknown): unknown {
  return copyPlain(x, (xs) => xs.slice(), toNumbers);
}
