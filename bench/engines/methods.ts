/**
 * sampo's engines other than NUTS in `npm run bench:engines`: Pathfinder,
 * ADVI (mean-field, full-rank) and SMC, one run each with Stan's defaults,
 * their gradient evaluations, engine time and errors against the reference.
 * A method that throws is reported as one row, not a failed benchmark.
 * @module
 */
import { benchmarks, type BenchmarkName } from "../../examples/index.ts";
import type { MethodFit } from "../../src/fit/methodFit.ts";
import { advi } from "../../src/fit/methods/advi.ts";
import { pathfinder } from "../../src/fit/methods/pathfinder.ts";
import { smc } from "../../src/fit/methods/smc.ts";
import { type Errors, errorsAgainst, reference } from "./errors.ts";

/** The methods run here, by their row label. */
export const METHODS = ["Pathfinder", "ADVI meanfield", "ADVI fullrank", "SMC"] as const;
export type MethodLabel = (typeof METHODS)[number];

/** One method's run on one model. */
export interface MethodRun {
  readonly method: MethodLabel;
  /** Gradient evaluations the method reports (`info.gradientEvaluations`). */
  readonly gradients: number;
  /** The engine's own time (the method's `chainDone` elapsed: no compilation). */
  readonly seconds: number;
  readonly errors: Errors | null;
  /** What the method says about its run (k̂, convergence, evidence), in short. */
  readonly note: string;
  /** The error the method threw, or null. */
  readonly error: string | null;
}

type Info = Readonly<Record<string, unknown>>;
type Runner = (name: BenchmarkName, seed: number) => Promise<MethodFit<unknown, never, Info>>;

const fixed = (x: unknown, digits: number) => (typeof x === "number" ? x.toFixed(digits) : "?");

/** How to run each method, and what of its `info` to note. */
const RUNNERS: Readonly<Record<MethodLabel, { readonly run: Runner; readonly note: (info: Info) => string }>> = {
  Pathfinder: {
    run: (name, seed) => pathfinder(benchmarks[name].model, benchmarks[name].data, { seed }) as never,
    note: (i) => `k̂ ${fixed(i.khat, 2)}`,
  },
  "ADVI meanfield": {
    run: (name, seed) => advi(benchmarks[name].model, benchmarks[name].data, { seed, algorithm: "meanfield" }) as never,
    note: (i) => `${i.converged ? "converged" : "NOT converged"} at ${String(i.iterations)} it.`,
  },
  "ADVI fullrank": {
    run: (name, seed) => advi(benchmarks[name].model, benchmarks[name].data, { seed, algorithm: "fullrank" }) as never,
    note: (i) => `${i.converged ? "converged" : "NOT converged"} at ${String(i.iterations)} it.`,
  },
  SMC: {
    run: (name, seed) => smc(benchmarks[name].model, benchmarks[name].data, { seed }) as never,
    note: (i) => `log Z ${fixed(i.logEvidence, 2)} ± ${fixed(i.logEvidenceSe, 2)}`,
  },
};

/**
 * Runs `method` on benchmark `name` once, with `seed` and the method's
 * defaults. Never throws: a failure is a row with its `error`.
 *
 * @example
 * ```ts
 * const r = await runMethod("Pathfinder", "eight_schools", 1);
 * r.errors?.reached;
 * ```
 */
export async function runMethod(method: MethodLabel, name: BenchmarkName, seed: number): Promise<MethodRun> {
  const { run, note } = RUNNERS[method];
  try {
    const fit = await run(name, seed);
    const rows = new Map(fit.summary().map((r) => [r.name, r]));
    const recovered = typeof fit.info.recovered === "number" && fit.info.recovered > 0 ? `, ${fit.info.recovered} recovered` : "";
    return {
      method,
      gradients: Number(fit.info.gradientEvaluations),
      // SMC's independent runs are chains of one call: each reports the call's time.
      seconds: Math.max(...fit.chains.map((c) => c.elapsed?.sampling ?? NaN)),
      errors: errorsAgainst((e) => rows.get(e), reference(name)),
      note: note(fit.info) + recovered,
      error: null,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { method, gradients: NaN, seconds: NaN, errors: null, note: "", error: message.split("\n")[0] };
  }
}
