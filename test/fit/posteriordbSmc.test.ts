/**
 * SMC against posteriordb's reference posteriors: the quick tier of
 * posteriordb.test.ts (NUTS), the same references and the same family-wise
 * level (1e-3 per posterior, Bonferroni over its means and sds).
 *
 * The Monte-Carlo errors are SMC's own: the particles of a run share
 * ancestors, so neither their count nor an autocorrelation ESS (which
 * `summary()` computes as if each run were a Markov chain) gives the error.
 * Each parameter's mean and sd are estimated per run, and the spread of the
 * R independent runs gives their standard error, known to R − 1 degrees of
 * freedom: the limit is a Student-t quantile. The reference's error is
 * added in quadrature as test/helpers/reference.ts does (its mcse_mean, or
 * sd/√ESS; sd/√(2 ESS) for the sd); the t(R − 1) quantile applied to the
 * sum is conservative. SMC's O(1/N) bias of the moments is far below these
 * errors: over 100 runs of arK-arK at N = 200 every |t| was ≤ 2.
 *
 * Eight of the quick posteriors have improper priors (Stan's implicit flat
 * ones: m.flat, m.halfFlat) and SMC, which starts from prior draws, cannot
 * run them; it says so with a ModelError naming the site, which is what
 * they test here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { posteriordb } from "../../examples/index.ts";
import { ModelError } from "../../src/errors.ts";
import { smc } from "../../src/fit/methods/smc.ts";
import { QUICK } from "../helpers/posteriordb.ts";
import type { RefParam } from "../helpers/reference.ts";
import { acrossRuns, tLimit } from "../inference/smc/runStats.ts";

/** The quick tier's posteriors with flat priors on the regression coefficients `beta` (and on sigma for some). */
const IMPROPER = [
  "earnings-earn_height",
  "earnings-logearn_interaction_z",
  "kidiq-kidscore_interaction",
  "kidiq-kidscore_momiq",
  "kidiq_with_mom_work-kidscore_mom_work",
  "mesquite-logmesquite",
  "mesquite-mesquite",
  "nes2000-nes",
];

/** The quick tier's posteriors with proper priors. */
const PROPER = QUICK.filter((name) => !IMPROPER.includes(name));

/**
 * Independent runs and particles per run: 10 runs give t(9) limits (6–7 at
 * these test counts); 200 particles keep the tier at ~15 s on one core.
 */
const RUNS = 10;
const PARTICLES = 200;

function reference(name: string): Record<string, RefParam> {
  const url = new URL(`../fixtures/posteriordb-reference/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).parameters;
}

/** Mean and sd of each run's draws. */
function perRun(chains: readonly Float64Array[]): { means: number[]; sds: number[] } {
  const means = chains.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  const sds = chains.map((c, k) => Math.sqrt(c.reduce((a, b) => a + (b - means[k]) ** 2, 0) / (c.length - 1)));
  return { means, sds };
}

/** Runs SMC on posterior `name` and returns the failed comparisons with its reference (empty when all pass). */
async function checkSmc(name: string, seed: number): Promise<string[]> {
  const ex = posteriordb[name];
  expect(ex, `${name} is not in examples/index.ts`).toBeDefined();
  const fit = await smc(ex.model, ex.data, { seed, runs: RUNS, particles: PARTICLES });
  expect(fit.chains).toHaveLength(RUNS);
  expect(Number.isFinite(fit.info.logEvidence), `${name}: log evidence ${fit.info.logEvidence}`).toBe(true);
  const ref = reference(name);
  const names = Object.keys(ref);
  const limit = tLimit(RUNS, 2 * names.length, 1e-3);
  const columns = new Map(fit.summary().map((r, j) => [r.name, j]));
  const failures: string[] = [];
  const test = (what: string, ours: { mean: number; se: number }, theirs: number, theirSe: number) => {
    const t = (ours.mean - theirs) / Math.hypot(ours.se, theirSe);
    if (!(Math.abs(t) <= limit)) failures.push(`${what} ${ours.mean} vs ${theirs} (t = ${t.toFixed(2)}, limit ${limit.toFixed(2)})`);
  };
  for (const p of names) {
    const j = columns.get(p);
    if (j === undefined) {
      failures.push(`${p}: not in the fit`);
      continue;
    }
    const r = ref[p];
    const { means, sds } = perRun(fit.column(j));
    const ess = r.ess_bulk ?? 10_000;
    test(`${p}: mean`, acrossRuns(means), r.mean, r.mcse_mean ?? r.sd / Math.sqrt(ess));
    test(`${p}: sd`, acrossRuns(sds), r.sd, r.mcse_sd ?? r.sd / Math.sqrt(2 * ess));
  }
  return failures;
}

describe("posteriordb reference posteriors (quick) by SMC", () => {
  for (const [i, name] of PROPER.entries()) it(name, async () => expect(await checkSmc(name, 500 + i)).toEqual([]));

  it("the quick posteriors with improper priors are refused, naming the site", async () => {
    for (const name of IMPROPER) {
      expect(QUICK).toContain(name);
      const ex = posteriordb[name];
      const run = smc(ex.model, ex.data, { seed: 1, runs: 2, particles: 10 });
      await expect(run, name).rejects.toBeInstanceOf(ModelError);
      await expect(run, name).rejects.toMatchObject({ site: "beta", message: expect.stringContaining("improper prior") });
    }
  });
});
