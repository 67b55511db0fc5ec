/**
 * How far an engine's means and sds are from a benchmark's reference
 * posterior (test/fixtures/reference/<model>.json: Stan's 4 × 5000-draw
 * runs), and whether that is close enough to call the posterior "reached".
 * @module
 */
import { readFileSync } from "node:fs";
import type { BenchmarkName } from "../../examples/index.ts";
import type { RefParam } from "../../test/helpers/reference.ts";

/** "Reached": every mean within 0.1 reference sd, every sd within 10 % (issue #13's criterion). */
export const TOLERANCE = { mean: 0.1, sd: 0.1 } as const;

/** Mean and sd of one scalar element. */
export interface Moments {
  readonly mean: number;
  readonly sd: number;
}

/** The worst errors over a model's elements, and where they are. */
export interface Errors {
  /** max over elements of |mean − ref mean| / ref sd. */
  readonly mean: number;
  readonly meanWorst: string;
  /** max over elements of |sd / ref sd − 1|. */
  readonly sd: number;
  readonly sdWorst: string;
  /** Both within {@link TOLERANCE}. */
  readonly reached: boolean;
}

/** A NaN error (no draws, a degenerate approximation) is the worst error there is. */
const nanToInfinity = (x: number) => (Number.isNaN(x) ? Infinity : x);

/** The reference posterior of benchmark `name`, by element name as Stan names it (`theta[1]`). */
export function reference(name: BenchmarkName): Readonly<Record<string, RefParam>> {
  const url = new URL(`../../test/fixtures/reference/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).parameters;
}

/**
 * The errors of `moments` (by element name) against every element of `ref`.
 * A NaN mean or sd counts as an infinite error (never reached).
 *
 * @example
 * ```ts
 * const rows = new Map(fit.summary().map((r) => [r.name, r]));
 * errorsAgainst((n) => rows.get(n), reference("eight_schools")).reached;
 * ```
 * @throws Error when an element of the reference has no moments: the names do not match.
 */
export function errorsAgainst(moments: (name: string) => Moments | undefined, ref: Readonly<Record<string, RefParam>>): Errors {
  let mean = 0;
  let meanWorst = "";
  let sd = 0;
  let sdWorst = "";
  for (const [name, r] of Object.entries(ref)) {
    const m = moments(name);
    if (m === undefined) throw new Error(`errorsAgainst: no draws of "${name}", an element of the reference posterior`);
    const em = nanToInfinity(Math.abs(m.mean - r.mean) / r.sd);
    const es = nanToInfinity(Math.abs(m.sd / r.sd - 1));
    if (em > mean || meanWorst === "") ((mean = em), (meanWorst = name));
    if (es > sd || sdWorst === "") ((sd = es), (sdWorst = name));
  }
  return { mean, meanWorst, sd, sdWorst, reached: mean <= TOLERANCE.mean && sd <= TOLERANCE.sd };
}
