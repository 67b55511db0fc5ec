/**
 * Posterior recovery on posteriordb: sample an example and z-test its
 * means and sds against posteriordb's reference summary
 * (test/fixtures/posteriordb-reference), as test/helpers/reference.ts
 * describes; posteriors without a reference are smoke tests (they sample,
 * every value is finite, R-hat is sane).
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { posteriordb, posteriordbNoReference } from "../../examples/index.ts";
import { sample, type SampleOptions } from "../../src/index.ts";
import { compareToReference, type RefParam } from "./reference.ts";

/** Posteriors with a reference that need an ODE solver, which sampo does not have yet. */
/** The posteriors with a reference that NUTS samples in a few seconds: the fast tier's (posteriordb.test.ts, and SMC's). */
export const QUICK = [
  "Rate_1_data-Rate_1_model",
  "Rate_3_data-Rate_3_model",
  "arK-arK",
  "arma-arma11",
  "earnings-earn_height",
  "earnings-logearn_interaction_z",
  "eight_schools-eight_schools_centered",
  "eight_schools-eight_schools_noncentered",
  "gp_pois_regr-gp_regr",
  "kidiq-kidscore_interaction",
  "kidiq-kidscore_momiq",
  "kidiq_with_mom_work-kidscore_mom_work",
  "mesquite-logmesquite",
  "mesquite-mesquite",
  "nes2000-nes",
  "sblrc-blr",
  "sblri-blr",
];

export const NEEDS_ODE = ["one_comp_mm_elim_abs-one_comp_mm_elim_abs", "hudson_lynx_hare-lotka_volterra"] as const;

function reference(name: string): Record<string, RefParam> {
  const url = new URL(`../fixtures/posteriordb-reference/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).parameters;
}

/**
 * Samples posterior `name` and checks it against its reference (or smoke-tests it); with `maxDivergences`, also that
 * the run diverged at most that often (divergent runs are biased, and their wide MCSEs can hide it).
 */
export async function checkPosterior(name: string, seed: number, opts: SampleOptions = {}, maxDivergences?: number): Promise<void> {
  const ex = posteriordb[name];
  expect(ex, `${name} is not in examples/index.ts`).toBeDefined();
  const fit = await sample(ex.model, ex.data, { chains: 4, seed, ...opts });
  if (maxDivergences !== undefined) {
    const divergences = fit.diagnostics().divergences.reduce((a, b) => a + b, 0);
    expect(divergences, `${name}: divergences`).toBeLessThanOrEqual(maxDivergences);
  }
  const rows = fit.summary();
  for (const r of rows) expect(Number.isFinite(r.mean), `${name}: ${r.name} has mean ${r.mean}`).toBe(true);
  if (posteriordbNoReference.has(name)) {
    const worst = Math.max(...rows.map((r) => (Number.isFinite(r.rhat) ? r.rhat : 1)));
    expect(worst, `${name}: max R-hat`).toBeLessThan(1.05);
    return;
  }
  expect(compareToReference(rows, reference(name))).toEqual([]);
}
