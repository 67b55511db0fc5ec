/**
 * Building blocks shared by the composites: polynomial evaluation and the
 * argument reduction that keeps sin(πx) accurate for the reflection formulas.
 * @module
 */
import type { Arith } from "./arith.ts";

/**
 * c₀ + c₁x + … + cₙxⁿ by Horner's rule (`cs` in ascending powers).
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * poly(numberArith, 2, [1, 0, 3]); // 1 + 3·2² = 13
 * ```
 */
export function poly<T, C>(A: Arith<T, C>, x: T, cs: readonly number[]): T {
  let s = A.c(cs[cs.length - 1]);
  for (let k = cs.length - 2; k >= 0; k--) s = A.add(A.mul(s, x), A.c(cs[k]));
  return s;
}

/**
 * x minus its nearest integer, in [−½, ½]. The subtraction is exact
 * (Sterbenz), so sin(π·f) keeps full relative accuracy where sin(π·x) would
 * lose log₂|x| bits; sin²(πx), cot(πx) and |sin(πx)| have period 1 in x.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * reduceToHalf(numberArith, -2.75); // 0.25
 * ```
 */
export function reduceToHalf<T, C>(A: Arith<T, C>, x: T): T {
  return A.sub(x, A.floor(A.add(x, A.c(0.5))));
}

/**
 * sin(πf)/π for a reduced f (|f| ≤ ½). Below 10⁻³⁰ it is f itself (the next
 * term is π²f³/6): πf would be subnormal for |f| ≲ 10⁻³⁰⁸ and lose digits.
 * The threshold is representable in float32 too.
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * sinPiOverPi(numberArith, 0.5); // 1/π
 * ```
 */
export function sinPiOverPi<T, C>(A: Arith<T, C>, f: T): T {
  const s = A.div(A.sin(A.mul(A.c(Math.PI), f)), A.c(Math.PI));
  return A.where(A.lt(A.abs(f), A.c(1e-30)), f, s);
}

/**
 * cos(πf) for a reduced f (|f| ≤ ½) as sin(π(½ − |f|)): near f = ±½, where
 * cos(πf) is small, ½ − |f| is exact and the sine keeps relative accuracy
 * (cos(π·f) would inherit πf's rounding as an absolute error).
 *
 * @example
 * ```ts
 * import { numberArith } from "./arith.ts";
 * cosPi(numberArith, 0.25); // √2/2
 * ```
 */
export function cosPi<T, C>(A: Arith<T, C>, f: T): T {
  return A.sin(A.mul(A.c(Math.PI), A.sub(A.c(0.5), A.abs(f))));
}
