/**
 * NUTS against posteriordb's reference posteriors: the slow ones, the
 * posteriors without a reference (smoke tests) and diamonds (N = 5000,
 * d = 26) with 500 draws per chain, whose z-tests use our own MCSEs, so the
 * bounds widen with fewer draws by themselves. diamonds' predictors are
 * strongly correlated: with a diagonal metric every transition hits the
 * maximum tree depth (1023 gradients of 5000 rows each), with a dense one
 * trees are depth 4, as a Stan user would run it. Each has its own fixed
 * seed, the same under both warm-ups (nutpie's and Stan's).
 */
import { describe, it } from "vitest";
import { ADAPTS } from "../helpers/adapt.ts";
import { checkPosterior } from "../helpers/posteriordb.ts";

const SLOW = [
  "bball_drive_event_0-hmm_drive_0",
  "bball_drive_event_1-hmm_drive_1",
  "earnings-logearn_logheight_male",
  "garch-garch11",
  "gp_pois_regr-gp_pois_regr",
  "hmm_example-hmm_example",
  "kilpisjarvi_mod-kilpisjarvi",
  "low_dim_gauss_mix-low_dim_gauss_mix",
  "nes_logit_data-nes_logit_model",
  "wells_data-wells_dist",
];
const SMOKE = [
  "GLMM_Poisson_data-GLMM_Poisson_model",
  "radon_mn-radon_hierarchical_intercept_centered",
  "radon_mn-radon_hierarchical_intercept_noncentered",
  "seeds_data-seeds_stanified_model",
  "surgical_data-surgical_model",
];

/**
 * Run as a Stan user runs a posterior that diverges: gp_pois_regr (a GP's
 * hyperparameters over its latent values, a funnel) at target acceptance
 * 0.95. At 0.8 nutpie's warm-up settles on steps of ≈ 0.4 (Stan's ≈ 0.03),
 * the chains diverge 20–550 times in 4000 draws and alpha's sd came out
 * low (0.66–0.73 against 0.79) in 6 of 14 seeds tried (404–413, both
 * momentum streams); at 0.95 the steps are ≈ 0.22, 0–6 divergences and
 * every seed of 404–409 agrees (Stan's warm-up: 4–5 divergences). The
 * divergence bound keeps a biased run from passing on its wide MCSEs.
 */
const SETTINGS: Readonly<Record<string, { targetAccept: number; maxDivergences: number }>> = {
  "gp_pois_regr-gp_pois_regr": { targetAccept: 0.95, maxDivergences: 20 },
};

for (const adapt of ADAPTS) {
  describe(`posteriordb reference posteriors (slow, adapt ${adapt})`, () => {
    for (const [i, name] of SLOW.entries()) {
      const s = SETTINGS[name];
      it(name, () => checkPosterior(name, 400 + i, { adapt, targetAccept: s?.targetAccept }, s?.maxDivergences));
    }
    it("diamonds-diamonds", () => checkPosterior("diamonds-diamonds", 450, { warmup: 500, draws: 500, metric: "dense", adapt }));
  });

  describe(`posteriordb posteriors without a reference (smoke, adapt ${adapt})`, () => {
    for (const [i, name] of SMOKE.entries()) it(name, () => checkPosterior(name, 500 + i, { adapt }));
  });
}
