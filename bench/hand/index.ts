/**
 * The hand-written baselines, by benchmark model name.
 * @module
 */
import type { HandFactory } from "./common.ts";
import { eightSchools } from "./eight_schools.ts";
import { funnel } from "./funnel.ts";
import { logistic } from "./logistic.ts";
import { medium } from "./medium.ts";
import { simple } from "./simple.ts";
import { stress } from "./stress.ts";
import { sv } from "./sv.ts";

/**
 * Factory of each model's hand-written log density + gradient.
 *
 * @example
 * ```ts
 * const f = handWritten.simple(data, offsets);
 * ```
 */
export const handWritten: Readonly<Record<string, HandFactory>> = {
  simple,
  medium,
  stress,
  eight_schools: eightSchools,
  funnel,
  logistic,
  sv,
};

export type { HandFactory, HandGrad, Offsets } from "./common.ts";
