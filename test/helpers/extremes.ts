/**
 * Numbers at the edges of float64 (issue #16), as fast-check arbitraries:
 * where exp under- and overflows (±745, ±710), huge and tiny magnitudes,
 * subnormals, values one ulp either side of the support bounds the ops have
 * (0, ±1), and ordinary values between them, so that one coordinate of a
 * point can be extreme while the others are not.
 */
import { fc } from "@fast-check/vitest";

/** One ulp of 1 below and above. */
const BELOW_ONE = 1 - Number.EPSILON / 2;
const ABOVE_ONE = 1 + Number.EPSILON;

/** Landmarks: exp's thresholds, the range's ends, subnormals and the bounds 0 and ±1 one ulp inside and out. */
const landmarks = [
  0,
  -0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1e-300,
  -1e-300,
  1e-150,
  -1e-150,
  1e-16,
  -1e-16,
  BELOW_ONE,
  ABOVE_ONE,
  -BELOW_ONE,
  -ABOVE_ONE,
  36,
  -36,
  40,
  -40,
  354,
  -354,
  700,
  -700,
  709.78,
  -709.78,
  710,
  -710,
  745,
  -745,
  800,
  -800,
  1e8,
  -1e8,
  1e16,
  -1e16,
  1e150,
  -1e150,
  1e300,
  -1e300,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
];

/** A finite double from the edges, a log-uniform magnitude, or an ordinary value. */
export const extremeDouble: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...landmarks),
  fc.tuple(fc.boolean(), fc.double({ min: -323, max: 308, noNaN: true })).map(([neg, e]) => (neg ? -1 : 1) * 10 ** e),
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A point of ℝ^dim with extreme coordinates. */
export function extremePoint(dim: number): fc.Arbitrary<Float64Array> {
  return fc.array(extremeDouble, { minLength: dim, maxLength: dim }).map((xs) => Float64Array.from(xs));
}
