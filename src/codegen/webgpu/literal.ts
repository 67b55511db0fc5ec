/**
 * float32 literals in WGSL. WGSL has no ∞ or NaN literals, and a shader
 * compiler refuses a constant expression whose value is one (it folds
 * `bitcast<f32>(0x7f800000u)` and rejects the ∞), so ∞ and NaN are read
 * from the uniform parameters at run time (`P.inf`, `P.nan`: their bits).
 * @module
 */

/** +∞, −∞ and NaN as run-time values. */
export const INF = "bitcast<f32>(P.inf)";
export const NEG_INF = "(-bitcast<f32>(P.inf))";
export const NAN = "bitcast<f32>(P.nan)";

/** The uniform parameters' WGSL struct: the batch size, then the bits of ∞ and NaN. */
export const PARAMS_STRUCT = "struct Params { n: u32, inf: u32, nan: u32, pad: u32 }";

/** The values of the uniform parameters for a batch of `n`. */
export const paramsFor = (n: number) => new Uint32Array([n, 0x7f800000, 0x7fc00000, 0]);

/** A WGSL float32 expression for `x` rounded to float32 (∞ and NaN read at run time). */
export function literal(x: number): string {
  const v = Math.fround(x);
  if (Number.isNaN(v)) return NAN;
  if (v === Infinity) return INF;
  if (v === -Infinity) return NEG_INF;
  if (Object.is(v, -0)) return "(-0.0)";
  // The shortest decimal of the float32 value reads back to it exactly; an abstract float needs a point or exponent.
  const s = String(Math.abs(v));
  const text = /[.e]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(-${text})` : text;
}
