/**
 * The shared context of the TSDoc examples: the names an example may use
 * without defining them, beside everything "sampo" exports and the exports
 * of the file it documents (see ./harness.ts).
 *
 * Kept small and cheap (nothing here samples): an example that needs a fit
 * makes it, so that it reads as a whole program.
 * @module
 */
import eightSchoolsModel, { data as eightSchoolsData } from "../../examples/eight_schools.ts";
import { compile, Rng, type MathAlg } from "sampo";
import { makeMath } from "../../src/dsl/math.ts";
import { numericOps } from "../../src/numeric/ops.ts";

/** The centered eight-schools model (examples/eight_schools.ts). */
export const eightSchools = eightSchoolsModel;

/** The eight-schools data: effects `y` and standard errors `sigma`, J = 8. */
export const data = eightSchoolsData;

/** The eight-schools density compiled to JavaScript (θ unconstrained, dimension 10). */
export const density = compile(eightSchools, data);

/**
 * The algebra over plain numbers (the numeric interpreter's, as the
 * reference density uses): the `m` of examples of functions that take any
 * {@link MathAlg}. Inside a model, `m` is the model's own algebra instead.
 */
export const m: MathAlg = makeMath(numericOps, { site: () => undefined });

/**
 * Four chains of 1000 draws of a scalar, for the convergence diagnostics: a
 * mildly autocorrelated AR(1) series per chain (fixed seeds, so every run
 * of the examples sees the same numbers).
 */
function ar1Chain(seed: number, n = 1000, phi = 0.3): number[] {
  const rng = new Rng(seed, 1);
  const out: number[] = [];
  let x = 0;
  for (let i = 0; i < n; i++) {
    x = phi * x + Math.sqrt(1 - phi * phi) * rng.normal();
    out.push(x);
  }
  return out;
}

/** Chain 1 of a scalar's draws (see {@link ar1Chain}). */
export const chain1 = ar1Chain(1);
/** Chain 2 of a scalar's draws. */
export const chain2 = ar1Chain(2);
/** Chain 3 of a scalar's draws. */
export const chain3 = ar1Chain(3);
/** Chain 4 of a scalar's draws. */
export const chain4 = ar1Chain(4);
