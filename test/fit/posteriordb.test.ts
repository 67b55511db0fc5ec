/**
 * NUTS against posteriordb's reference posteriors: the quick ones (a few
 * seconds each). The rest, the smoke tests of the posteriors without a
 * reference, and diamonds run in posteriordb.slow.test.ts. Not tested:
 * NEEDS_ODE (test/helpers/posteriordb.ts). Each has its own fixed seed.
 */
import { describe, it } from "vitest";
import { checkPosterior } from "../helpers/posteriordb.ts";

const QUICK = [
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

describe("posteriordb reference posteriors (quick)", () => {
  for (const [i, name] of QUICK.entries()) it(name, () => checkPosterior(name, 300 + i));
});
