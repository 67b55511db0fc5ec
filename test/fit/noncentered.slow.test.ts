/**
 * posteriordb's radon county intercepts written non-centered
 * (radon_hierarchical_intercept_noncentered: the standard normals first,
 * rewritten at the deterministic `alpha`), sampled with the automatic
 * reparameterization, against the same posterior written centered
 * (posteriordb has no reference for either): means and sds z-tested with
 * both fits' Monte-Carlo standard errors, Bonferroni over the 90 values at
 * family-wise level 1e-3 (test/helpers/reference.ts). 4 chains of 1000 +
 * 1000 draws each; about 10 s per fit (919 observations). The rest of the
 * non-centered models: noncentered.test.ts.
 */
import { describe, expect, it } from "vitest";
import { posteriordb } from "../../examples/index.ts";
import { sample } from "../../src/fit/sample.ts";
import { compareToReference, type RefParam } from "../helpers/reference.ts";

describe("radon written non-centered", () => {
  it("radon county intercepts written non-centered: the same posterior written centered", async () => {
    const [nc, centered] = await Promise.all(
      ["radon_mn-radon_hierarchical_intercept_noncentered", "radon_mn-radon_hierarchical_intercept_centered"].map((name, i) =>
        sample(posteriordb[name].model, posteriordb[name].data, { chains: 4, seed: 404 + i }),
      ),
    );
    const reference: Record<string, RefParam> = Object.fromEntries(
      centered.summary().map((r) => [r.name, { mean: r.mean, sd: r.sd, mcse_mean: r.mcse_mean, mcse_sd: r.mcse_sd }]),
    );
    expect(compareToReference(nc.summary(), reference)).toEqual([]);
  });
});
