/**
 * Interleaved timing of gradient functions: each function gets its own
 * generated loop (its own call site, kept monomorphic), a warm-up, a call
 * count calibrated to a minimum duration, then rounds alternating which side
 * runs first, so machine drift hits every side alike.
 * @module
 */

/** Something with a `logpGrad` method (a compiled density, or a wrapped baseline). */
export interface GradTarget {
  logpGrad(theta: Float64Array, grad: Float64Array): number;
}

type Loop = (target: GradTarget, thetas: readonly Float64Array[], grad: Float64Array, n: number) => number;

/** A fresh loop per target: a shared loop would see many targets and go megamorphic. */
function makeLoop(): Loop {
  return new Function(
    "target",
    "thetas",
    "grad",
    "n",
    `"use strict";
    let sink = 0;
    const mask = thetas.length - 1;
    for (let i = 0; i < n; i++) sink += target.logpGrad(thetas[i & mask], grad);
    return sink;`,
  ) as Loop;
}

/** Keeps results observable so no call can be optimized away. */
let sink = 0;

/** One timed side: its loop and calibrated call count. */
interface Side {
  readonly target: GradTarget;
  readonly loop: Loop;
  readonly grad: Float64Array;
  n: number;
  readonly ns: number[];
}

function run(side: Side, thetas: readonly Float64Array[], n: number): number {
  const t0 = process.hrtime.bigint();
  sink += side.loop(side.target, thetas, side.grad, n);
  return Number(process.hrtime.bigint() - t0);
}

/** Options of {@link timeInterleaved}. */
export interface TimingOptions {
  /** Number of rounds (medians are taken over them). */
  readonly rounds: number;
  /** Minimum duration of one timed loop, in ms. */
  readonly minMs: number;
  /** Warm-up duration per side, in ms. */
  readonly warmupMs: number;
}

/**
 * Median nanoseconds per call of each target, over interleaved rounds.
 * `thetas.length` must be a power of two (the points are cycled).
 *
 * @example
 * ```ts
 * const [a, b] = timeInterleaved([compiled, { logpGrad: hand }], thetas, { rounds: 9, minMs: 50, warmupMs: 200 });
 * ```
 */
export function timeInterleaved(targets: readonly GradTarget[], thetas: readonly Float64Array[], opts: TimingOptions): number[] {
  if ((thetas.length & (thetas.length - 1)) !== 0) throw new Error("timeInterleaved: thetas.length must be a power of two");
  const dim = thetas[0].length;
  const sides: Side[] = targets.map((target) => ({ target, loop: makeLoop(), grad: new Float64Array(dim), n: 1, ns: [] }));
  for (const side of sides) {
    // Warm-up, growing the call count until it alone fills the warm-up time; then calibrate.
    let n = 64;
    let spent = 0;
    let last = run(side, thetas, n);
    while (spent < opts.warmupMs * 1e6 || last < opts.minMs * 1e6) {
      spent += last;
      if (last < opts.minMs * 1e6) n *= 2;
      last = run(side, thetas, n);
    }
    side.n = Math.ceil((n * opts.minMs * 1.2e6) / last);
  }
  for (let r = 0; r < opts.rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) side.ns.push(run(side, thetas, side.n) / side.n);
  }
  if (Number.isNaN(sink)) console.error("(a timed function returned NaN)");
  return sides.map((s) => median(s.ns));
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}
