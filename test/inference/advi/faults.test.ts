/**
 * ADVI as a run: the eta search, Stan's messages, progress, batching (one
 * density call per estimate), bad points dropped and counted, and the
 * failures that stop with an AdviError carrying the best approximation.
 */
import { describe, expect, it } from "vitest";
import { type BatchDensity, batchOf } from "../../../src/codegen/batch.ts";
import type { LogDensity } from "../../../src/codegen/density.ts";
import { advi } from "../../../src/inference/advi/advi.ts";
import { AdviError } from "../../../src/inference/advi/errors.ts";
import { ETA_SEQUENCE } from "../../../src/inference/advi/etaSearch.ts";
import type { EngineProgress } from "../../../src/inference/engine.ts";
import { gaussian, standardNormal } from "../../helpers/gaussian.ts";

/** A density by its log p and gradient, in dimension d. */
function density(d: number, logpGrad: (x: Float64Array, g: Float64Array) => number): LogDensity {
  return { dim: d, logpGrad, logp: (x) => logpGrad(x, new Float64Array(d)) };
}

/** Counts the batch calls and the points of each. */
function counted(inner: BatchDensity) {
  const sizes: number[] = [];
  const batch: BatchDensity = {
    dim: inner.dim,
    logpGradBatch(points, n, logp, grad) {
      sizes.push(n);
      return inner.logpGradBatch(points, n, logp, grad);
    },
  };
  return { batch, sizes };
}

async function adviError(p: Promise<unknown>): Promise<AdviError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AdviError);
  return e as AdviError;
}

describe("advi: a run", () => {
  it("searches eta from Stan's list, then converges by Stan's criteria, reporting progress", async () => {
    // Stan's tolerance is relative: an ELBO near 0 (this Gaussian's is ≈ 2.5, its noise ≈ 0.15) never meets 1 %,
    // so the target carries a constant −100 (ELBO ≈ −97.5, relative noise ≈ 0.2 %).
    const inner = gaussian([2, -1, 0.5], [1, 0.5, 2]);
    const target = density(3, (x, g) => inner.logpGrad(x, g) - 100);
    const events: EngineProgress[] = [];
    const r = await advi(batchOf(target), { seed: 4, onProgress: (p) => events.push(p) });
    expect(ETA_SEQUENCE).toContain(r.eta);
    expect(r.converged).toBe(true);
    expect(r.message).toMatch(/^(MEAN|MEDIAN) ELBO CONVERGED/);
    const etas = events.filter((e) => e.phase === "eta");
    expect(etas.length).toBeGreaterThanOrEqual(2);
    expect(etas.map((e) => e.metrics.eta)).toEqual(ETA_SEQUENCE.slice(0, etas.length));
    expect(etas.map((e) => e.iter)).toEqual(etas.map((_, i) => 50 * (i + 1)));
    const elbos = events.filter((e) => e.phase === "elbo");
    expect(elbos.map((e) => e.iter)).toEqual(r.elbo.map((e) => e.iter));
    expect(elbos.every((e) => e.total === 10000 && Number.isFinite(e.metrics.elbo))).toBe(true);
    expect(r.iterations).toBe(r.elbo.at(-1)?.iter);
    // The first relative change is 1 (Stan starts from an ELBO of 0).
    expect(r.elbo[0].relMean).toBe(1);
    expect(r.draws.n).toBe(1000);
    expect(r.recovered).toBe(0);
  });

  it("without convergence, Stan's maximum-iterations message", async () => {
    const r = await advi(batchOf(standardNormal(2)), { seed: 1, eta: 0.1, maxIterations: 250, tolRelObj: 1e-12 });
    expect(r.converged).toBe(false);
    expect(r.message).toBe("The maximum number of iterations is reached! The algorithm may not have converged.");
    expect(r.iterations).toBe(250);
  });

  it("one logpGradBatch call per gradient, per ELBO estimate and for the output draws", async () => {
    const { batch, sizes } = counted(batchOf(standardNormal(3)));
    const r = await advi(batch, { seed: 2, eta: 1, gradSamples: 3, maxIterations: 300, tolRelObj: 1e-12, outputDraws: 50 });
    // 300 gradient calls of 3 points, ELBO calls of 100 points at 100, 200, 300, then the 50 draws.
    const expected = [...Array<number>(99).fill(3), 100, ...Array<number>(100).fill(3), 100, ...Array<number>(100).fill(3), 100, 50];
    expected.splice(0, 0, 3);
    expect(sizes).toEqual(expected);
    expect(r.gradientEvaluations).toBe(900 + 300 + 50);
  });

  it("output draws: log_p__ is log p at the draw, log_g__ is −½‖η‖² as Stan writes it", async () => {
    const target = gaussian([1, -1], [2, 0.5]);
    const r = await advi(batchOf(target), { seed: 3, eta: 1, outputDraws: 20 });
    if (r.approximation.kind !== "meanfield") throw new Error("meanfield expected");
    const { mu, omega } = r.approximation;
    for (let k = 0; k < 20; k++) {
      const x = r.draws.points.subarray(2 * k, 2 * k + 2);
      expect(r.draws.columns.log_p__[k]).toBe(target.logp(x));
      const eta = [0, 1].map((i) => (x[i] - mu[i]) / Math.exp(omega[i]));
      expect(r.draws.columns.log_g__[k]).toBeCloseTo(-0.5 * (eta[0] ** 2 + eta[1] ** 2), 10);
    }
  });

  it("draws the initial mean from uniform(−2, 2) when no init is given, reproducibly", async () => {
    const { batch, sizes } = counted(batchOf(standardNormal(4)));
    const a = await advi(batch, { seed: 9, eta: 1, maxIterations: 1, outputDraws: 1 });
    const b = await advi(batchOf(standardNormal(4)), { seed: 9, eta: 1, maxIterations: 1, outputDraws: 1 });
    expect(a.approximation).toEqual(b.approximation);
    expect(sizes).toEqual([1, 1]);
  });

  it("drops and counts the draws where the density is NaN or throws", async () => {
    // N(0, I₂), but NaN where x₀ > 2 and throwing where x₁ < −2 (batchOf turns a throw into NaN): ≈ 4.5 % of the
    // fitted q's draws. (A bad region in the bulk would pull the fit into it: the draws that pull back are the dropped ones.)
    const inner = standardNormal(2);
    const bad = (x: Float64Array) => x[0] > 2 || x[1] < -2;
    let badPoints = 0;
    const d = density(2, (x, g) => {
      if (x[1] < -2) throw new Error("outside");
      return x[0] > 2 ? Number.NaN : inner.logpGrad(x, g);
    });
    const { batch } = counted(batchOf(d));
    const watched: BatchDensity = {
      dim: 2,
      async logpGradBatch(points, n, logp, grad) {
        for (let k = 0; k < n; k++) if (bad(points.subarray(2 * k, 2 * k + 2))) badPoints++;
        await batch.logpGradBatch(points, n, logp, grad);
      },
    };
    const r = await advi(watched, { seed: 5, eta: 0.5, maxIterations: 1000 });
    expect(r.recovered).toBeGreaterThan(0);
    expect(r.recovered).toBe(badPoints);
    expect(r.approximation.mu.every(Number.isFinite)).toBe(true);
    // Output draws where log p is not finite are kept as draws of the approximation.
    expect(r.draws.columns.log_p__.some((v) => Number.isNaN(v))).toBe(true);
  });

  /** log p = +½‖x‖²: improper, the ELBO grows without bound. */
  const improper = density(2, (x, g) => {
    g.set(x);
    return 0.5 * (x[0] ** 2 + x[1] ** 2);
  });

  it("an improper density with eta fixed huge blows up at once: AdviError with the best approximation", async () => {
    const init = Float64Array.of(0.5, -0.5);
    const e = await adviError(advi(batchOf(improper), { seed: 6, init, eta: 1000 }));
    expect(e.name).toBe("AdviError");
    expect(e.message).toMatch(/no usable draw/);
    // Nothing was evaluated past the initial point, so the best is the initial approximation.
    expect(e.best).toEqual({ kind: "meanfield", mu: init, omega: new Float64Array(2) });
  });

  it("an improper density: Stan's 'may be diverging' at the end of the run is an AdviError", async () => {
    const e = await adviError(advi(batchOf(improper), { seed: 6, init: Float64Array.of(0.5, -0.5), eta: 1, maxIterations: 3000 }));
    expect(e.message).toContain("MAY BE DIVERGING... INSPECT ELBO");
    expect(e.best.kind).toBe("meanfield");
    expect(e.best.mu.every(Number.isFinite)).toBe(true);
    // The ELBO of an improper density only grows: the best is the last evaluation's.
    expect(e.bestElbo).toBeGreaterThan(1e10);
  });

  it("every eta ending below the initial ELBO: 'All proposed step-sizes failed', carrying the initial approximation", async () => {
    // log p = −½‖x‖² with its gradient's sign flipped: every step goes the wrong way.
    // 10,000 ELBO draws: the ELBO's standard error (≈ 0.04 from q = N((3, 3), I)) is far below the loss of even eta 0.01 (≈ 0.8).
    const wrong = density(2, (x, g) => {
      g.set(x);
      return -0.5 * (x[0] ** 2 + x[1] ** 2);
    });
    const e = await adviError(advi(batchOf(wrong), { seed: 8, init: Float64Array.of(3, 3), elboSamples: 10_000 }));
    expect(e.message).toMatch(/^All proposed step-sizes failed/);
    expect(e.best).toEqual({ kind: "meanfield", mu: Float64Array.of(3, 3), omega: Float64Array.of(0, 0) });
  });

  it("no usable draw at the start: the initial ELBO cannot be computed", async () => {
    const e = await adviError(advi(batchOf(density(2, () => Number.NaN)), { seed: 1 }));
    expect(e.message).toMatch(/^Cannot compute ELBO using the initial variational distribution/);
    expect(e.bestElbo).toBe(Number.NEGATIVE_INFINITY);
  });

  it("stops at an aborted signal with its reason", async () => {
    const ctl = new AbortController();
    ctl.abort(new Error("stop"));
    await expect(advi(batchOf(standardNormal(2)), { seed: 1, signal: ctl.signal })).rejects.toThrow("stop");
  });

  it("rejects bad options by name", async () => {
    await expect(advi(batchOf(standardNormal(2)), { seed: 1, gradSamples: 0 })).rejects.toThrow(/gradSamples/);
    await expect(advi(batchOf(standardNormal(2)), { seed: 1, init: new Float64Array(3) })).rejects.toThrow(/init has length 3/);
  });
});
