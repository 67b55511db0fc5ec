/**
 * Shared types and helpers of the hand-written baselines: a log density plus
 * gradient as a plain function over Float64Arrays, built once per data set.
 * @module
 */

/** log p(θ), writing ∇ log p(θ) into `grad`; the shape of `CompiledDensity.logpGrad`. */
export type HandGrad = (theta: Float64Array, grad: Float64Array) => number;

/** Offsets in θ of each parameter, by site name (read from `density.layout`). */
export type Offsets = Readonly<Record<string, number>>;

/** A factory of a hand-written gradient from the model's data and θ offsets. */
export type HandFactory = (data: Readonly<Record<string, unknown>>, off: Offsets) => HandGrad;

/** ½ log(2π), the constant of every normal log density. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * A data array flattened row-major into a fresh Float64Array.
 *
 * @example
 * ```ts
 * flat([[1, 2], [3, 4]]); // Float64Array [1, 2, 3, 4]
 * ```
 */
export function flat(x: unknown, name = "data"): Float64Array {
  if (typeof x === "number") return Float64Array.of(x);
  if (x === null || typeof x !== "object" || !("length" in x)) throw new Error(`hand-written baseline: data "${name}" is not an array`);
  const a = x as ArrayLike<unknown>;
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v === "number") out.push(v);
    else for (const w of flat(v, name)) out.push(w);
  }
  return Float64Array.from(out);
}

/**
 * The offset of a site in θ, or a clear error.
 *
 * @example
 * ```ts
 * const iMu = at({ mu: 0 }, "mu"); // 0
 * ```
 */
export function at(off: Offsets, name: string): number {
  const o = off[name];
  if (o === undefined) throw new Error(`hand-written baseline: no parameter "${name}" in the layout`);
  return o;
}

/**
 * A data field by its Stan name, flattened, or a clear error.
 *
 * @example
 * ```ts
 * const y = field({ y: [1, 2] }, "y");
 * ```
 */
export function field(data: Readonly<Record<string, unknown>>, name: string): Float64Array {
  if (!(name in data)) throw new Error(`hand-written baseline: no data "${name}"`);
  return flat(data[name], name);
}
