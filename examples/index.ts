/**
 * The registry of examples, used by the tests and the benchmarks: the seven
 * benchmark models of ../shared/benchmarks (`benchmarks`) and the
 * posteriordb posteriors written in sampo (`posteriordb`), each a model with
 * its data, keyed by name (posteriordb's posterior name for the latter).
 * `posteriordbNoReference` names the posteriordb entries without a
 * reference posterior (smoke tests only).
 *
 * @example
 * ```ts
 * import { benchmarks, posteriordb } from "../examples/index.ts";
 * const { model, data } = benchmarks.eight_schools;
 * const ref = logDensity(model, data);
 * ```
 * @module
 */
import type { Model, Outputs } from "../src/dsl/model.ts";

import * as simple from "./simple.ts";
import * as medium from "./medium.ts";
import * as stress from "./stress.ts";
import * as eight_schools from "./eight_schools.ts";
import * as funnel from "./funnel.ts";
import * as logistic from "./logistic.ts";
import * as sv from "./sv.ts";
import * as pdb_Rate_1_data_Rate_1_model from "./posteriordb/Rate_1_data-Rate_1_model.ts";
import * as pdb_Rate_3_data_Rate_3_model from "./posteriordb/Rate_3_data-Rate_3_model.ts";
import * as pdb_arK_arK from "./posteriordb/arK-arK.ts";
import * as pdb_arma_arma11 from "./posteriordb/arma-arma11.ts";
import * as pdb_bball_drive_event_0_hmm_drive_0 from "./posteriordb/bball_drive_event_0-hmm_drive_0.ts";
import * as pdb_bball_drive_event_1_hmm_drive_1 from "./posteriordb/bball_drive_event_1-hmm_drive_1.ts";
import * as pdb_earnings_earn_height from "./posteriordb/earnings-earn_height.ts";
import * as pdb_earnings_logearn_interaction_z from "./posteriordb/earnings-logearn_interaction_z.ts";
import * as pdb_earnings_logearn_logheight_male from "./posteriordb/earnings-logearn_logheight_male.ts";
import * as pdb_eight_schools_eight_schools_centered from "./posteriordb/eight_schools-eight_schools_centered.ts";
import * as pdb_eight_schools_eight_schools_noncentered from "./posteriordb/eight_schools-eight_schools_noncentered.ts";
import * as pdb_garch_garch11 from "./posteriordb/garch-garch11.ts";
import * as pdb_gp_pois_regr_gp_pois_regr from "./posteriordb/gp_pois_regr-gp_pois_regr.ts";
import * as pdb_gp_pois_regr_gp_regr from "./posteriordb/gp_pois_regr-gp_regr.ts";
import * as pdb_hmm_example_hmm_example from "./posteriordb/hmm_example-hmm_example.ts";
import * as pdb_kidiq_kidscore_interaction from "./posteriordb/kidiq-kidscore_interaction.ts";
import * as pdb_kidiq_kidscore_momiq from "./posteriordb/kidiq-kidscore_momiq.ts";
import * as pdb_kidiq_with_mom_work_kidscore_mom_work from "./posteriordb/kidiq_with_mom_work-kidscore_mom_work.ts";
import * as pdb_kilpisjarvi_mod_kilpisjarvi from "./posteriordb/kilpisjarvi_mod-kilpisjarvi.ts";
import * as pdb_low_dim_gauss_mix_low_dim_gauss_mix from "./posteriordb/low_dim_gauss_mix-low_dim_gauss_mix.ts";
import * as pdb_mesquite_logmesquite from "./posteriordb/mesquite-logmesquite.ts";
import * as pdb_mesquite_mesquite from "./posteriordb/mesquite-mesquite.ts";
import * as pdb_nes2000_nes from "./posteriordb/nes2000-nes.ts";
import * as pdb_nes_logit_data_nes_logit_model from "./posteriordb/nes_logit_data-nes_logit_model.ts";
import * as pdb_sblrc_blr from "./posteriordb/sblrc-blr.ts";
import * as pdb_sblri_blr from "./posteriordb/sblri-blr.ts";
import * as pdb_wells_data_wells_dist from "./posteriordb/wells_data-wells_dist.ts";
import * as pdb_GLMM_Poisson_data_GLMM_Poisson_model from "./posteriordb/GLMM_Poisson_data-GLMM_Poisson_model.ts";
import * as pdb_diamonds_diamonds from "./posteriordb/diamonds-diamonds.ts";
import * as pdb_radon_mn_radon_hierarchical_intercept_centered from "./posteriordb/radon_mn-radon_hierarchical_intercept_centered.ts";
import * as pdb_radon_mn_radon_hierarchical_intercept_noncentered from "./posteriordb/radon_mn-radon_hierarchical_intercept_noncentered.ts";
import * as pdb_seeds_data_seeds_stanified_model from "./posteriordb/seeds_data-seeds_stanified_model.ts";
import * as pdb_surgical_data_surgical_model from "./posteriordb/surgical_data-surgical_model.ts";

/** A model and its data. The data type is checked where the pair is made ({@link example}). */
export interface Example {
  readonly model: Model<unknown, Outputs>;
  readonly data: unknown;
}

/**
 * Pairs a model with its data, checking that they fit, and forgets the data
 * type so that examples of different data can share one registry.
 */
export function example<D, O extends Outputs>(model: Model<D, O>, data: D): Example {
  return { model: model as unknown as Model<unknown, Outputs>, data };
}

/** The benchmark models (../shared/benchmarks), by name. */
export const benchmarks = {
  simple: example(simple.default, simple.data),
  medium: example(medium.default, medium.data),
  stress: example(stress.default, stress.data),
  eight_schools: example(eight_schools.default, eight_schools.data),
  funnel: example(funnel.default, funnel.data),
  logistic: example(logistic.default, logistic.data),
  sv: example(sv.default, sv.data),
} as const satisfies Readonly<Record<string, Example>>;

/** Posteriors of posteriordb written in sampo, by posterior name. */
export const posteriordb: Readonly<Record<string, Example>> = {
  "Rate_1_data-Rate_1_model": example(pdb_Rate_1_data_Rate_1_model.default, pdb_Rate_1_data_Rate_1_model.data),
  "Rate_3_data-Rate_3_model": example(pdb_Rate_3_data_Rate_3_model.default, pdb_Rate_3_data_Rate_3_model.data),
  "arK-arK": example(pdb_arK_arK.default, pdb_arK_arK.data),
  "arma-arma11": example(pdb_arma_arma11.default, pdb_arma_arma11.data),
  "bball_drive_event_0-hmm_drive_0": example(pdb_bball_drive_event_0_hmm_drive_0.default, pdb_bball_drive_event_0_hmm_drive_0.data),
  "bball_drive_event_1-hmm_drive_1": example(pdb_bball_drive_event_1_hmm_drive_1.default, pdb_bball_drive_event_1_hmm_drive_1.data),
  "earnings-earn_height": example(pdb_earnings_earn_height.default, pdb_earnings_earn_height.data),
  "earnings-logearn_interaction_z": example(pdb_earnings_logearn_interaction_z.default, pdb_earnings_logearn_interaction_z.data),
  "earnings-logearn_logheight_male": example(pdb_earnings_logearn_logheight_male.default, pdb_earnings_logearn_logheight_male.data),
  "eight_schools-eight_schools_centered": example(
    pdb_eight_schools_eight_schools_centered.default,
    pdb_eight_schools_eight_schools_centered.data,
  ),
  "eight_schools-eight_schools_noncentered": example(
    pdb_eight_schools_eight_schools_noncentered.default,
    pdb_eight_schools_eight_schools_noncentered.data,
  ),
  "garch-garch11": example(pdb_garch_garch11.default, pdb_garch_garch11.data),
  "gp_pois_regr-gp_pois_regr": example(pdb_gp_pois_regr_gp_pois_regr.default, pdb_gp_pois_regr_gp_pois_regr.data),
  "gp_pois_regr-gp_regr": example(pdb_gp_pois_regr_gp_regr.default, pdb_gp_pois_regr_gp_regr.data),
  "hmm_example-hmm_example": example(pdb_hmm_example_hmm_example.default, pdb_hmm_example_hmm_example.data),
  "kidiq-kidscore_interaction": example(pdb_kidiq_kidscore_interaction.default, pdb_kidiq_kidscore_interaction.data),
  "kidiq-kidscore_momiq": example(pdb_kidiq_kidscore_momiq.default, pdb_kidiq_kidscore_momiq.data),
  "kidiq_with_mom_work-kidscore_mom_work": example(
    pdb_kidiq_with_mom_work_kidscore_mom_work.default,
    pdb_kidiq_with_mom_work_kidscore_mom_work.data,
  ),
  "kilpisjarvi_mod-kilpisjarvi": example(pdb_kilpisjarvi_mod_kilpisjarvi.default, pdb_kilpisjarvi_mod_kilpisjarvi.data),
  "low_dim_gauss_mix-low_dim_gauss_mix": example(
    pdb_low_dim_gauss_mix_low_dim_gauss_mix.default,
    pdb_low_dim_gauss_mix_low_dim_gauss_mix.data,
  ),
  "mesquite-logmesquite": example(pdb_mesquite_logmesquite.default, pdb_mesquite_logmesquite.data),
  "mesquite-mesquite": example(pdb_mesquite_mesquite.default, pdb_mesquite_mesquite.data),
  "nes2000-nes": example(pdb_nes2000_nes.default, pdb_nes2000_nes.data),
  "nes_logit_data-nes_logit_model": example(pdb_nes_logit_data_nes_logit_model.default, pdb_nes_logit_data_nes_logit_model.data),
  "sblrc-blr": example(pdb_sblrc_blr.default, pdb_sblrc_blr.data),
  "sblri-blr": example(pdb_sblri_blr.default, pdb_sblri_blr.data),
  "wells_data-wells_dist": example(pdb_wells_data_wells_dist.default, pdb_wells_data_wells_dist.data),
  "GLMM_Poisson_data-GLMM_Poisson_model": example(
    pdb_GLMM_Poisson_data_GLMM_Poisson_model.default,
    pdb_GLMM_Poisson_data_GLMM_Poisson_model.data,
  ),
  "diamonds-diamonds": example(pdb_diamonds_diamonds.default, pdb_diamonds_diamonds.data),
  "radon_mn-radon_hierarchical_intercept_centered": example(
    pdb_radon_mn_radon_hierarchical_intercept_centered.default,
    pdb_radon_mn_radon_hierarchical_intercept_centered.data,
  ),
  "radon_mn-radon_hierarchical_intercept_noncentered": example(
    pdb_radon_mn_radon_hierarchical_intercept_noncentered.default,
    pdb_radon_mn_radon_hierarchical_intercept_noncentered.data,
  ),
  "seeds_data-seeds_stanified_model": example(pdb_seeds_data_seeds_stanified_model.default, pdb_seeds_data_seeds_stanified_model.data),
  "surgical_data-surgical_model": example(pdb_surgical_data_surgical_model.default, pdb_surgical_data_surgical_model.data),
};

/**
 * The entries of {@link posteriordb} that posteriordb gives no reference
 * posterior for (../shared/posteriordb/_no_reference): smoke tests only.
 * Every other entry has a reference_summary.json in ../shared/posteriordb.
 */
export const posteriordbNoReference: ReadonlySet<string> = new Set([
  "GLMM_Poisson_data-GLMM_Poisson_model",
  "radon_mn-radon_hierarchical_intercept_centered",
  "radon_mn-radon_hierarchical_intercept_noncentered",
  "seeds_data-seeds_stanified_model",
  "surgical_data-surgical_model",
]);

/** Names of the benchmark models. */
export type BenchmarkName = keyof typeof benchmarks;
