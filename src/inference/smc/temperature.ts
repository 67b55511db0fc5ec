/**
 * The next temperature of adaptive tempering (Jasra et al. 2011; PyMC's
 * and BlackJAX's `adaptive_tempered`): the largest β' ≤ 1 at which the
 * incremental weights exp((β' − β) · log L) keep an effective sample size
 * of `essThreshold` times the particles that have one.
 * @module
 */

/** Bisection halvings: the interval (0, 1] down to 2⁻⁶⁰, below any β step that matters. */
const HALVINGS = 60;

/**
 * Kish's effective sample size (Σw)² / Σw² of the weights exp(δ · ℓᵢ);
 * entries with ℓᵢ = −∞ weigh 0.
 *
 * @example
 * ```ts
 * essOfIncrement(Float64Array.of(0, 0, 0), 1); // 3
 * ```
 */
export function essOfIncrement(logL: Float64Array, delta: number): number {
  let m = -Infinity;
  for (const l of logL) if (l > m) m = l;
  if (m === -Infinity) return 0;
  let s = 0;
  let s2 = 0;
  for (const l of logL) {
    if (l === -Infinity) continue;
    const w = Math.exp(delta * (l - m));
    s += w;
    s2 += w * w;
  }
  return (s * s) / s2;
}

/**
 * The next inverse temperature from `beta`: 1 when the step to 1 keeps an
 * ESS of at least `essThreshold` × (particles with finite ℓ), else the β'
 * found by bisection where the ESS crosses that level. ESS decreases in
 * β' (the weights' spread grows), so the bisection is well posed. Always
 * moves forward: when even the smallest step tried drops below the level
 * (log L spread over ~10¹⁸), that step is taken.
 *
 * @example
 * ```ts
 * nextBeta(Float64Array.of(-1, -2, -30), 0, 0.5); // a β' in (0, 1)
 * ```
 */
export function nextBeta(logL: Float64Array, beta: number, essThreshold: number): { beta: number; ess: number } {
  let finite = 0;
  for (const l of logL) if (l > -Infinity) finite++;
  const goal = essThreshold * finite;
  const room = 1 - beta;
  const atOne = essOfIncrement(logL, room);
  if (atOne >= goal) return { beta: 1, ess: atOne };
  let lo = 0;
  let hi = room;
  for (let k = 0; k < HALVINGS; k++) {
    const mid = 0.5 * (lo + hi);
    if (essOfIncrement(logL, mid) >= goal) lo = mid;
    else hi = mid;
  }
  const delta = lo > 0 ? lo : hi;
  return { beta: Math.min(1, beta + delta), ess: essOfIncrement(logL, delta) };
}
