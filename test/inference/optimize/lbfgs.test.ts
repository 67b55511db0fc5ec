/**
 * L-BFGS (src/inference/optimize/lbfgs.ts) on hand-written targets: the
 * modes, each of Stan's stopping rules alone with its message, failing
 * densities, a bad start, the path and the progress events.
 */
import { describe, expect, it } from "vitest";
import { lbfgs, LBFGS_DEFAULTS } from "../../../src/inference/optimize/lbfgs.ts";
import { OptimizeError } from "../../../src/inference/optimize/errors.ts";
import type { EngineProgress } from "../../../src/inference/engine.ts";
import { gaussian } from "../../helpers/gaussian.ts";
import { type Failure, failingWhere, illConditioned, rosenbrock } from "./targets.ts";

const { density, mu, sd } = illConditioned;
/** Five sds below the mode in every coordinate. */
const gaussStart = () => Float64Array.from(mu, (m, i) => m - 5 * sd[i]);
const rosenStart = () => Float64Array.of(-1.2, 1);
/** Every convergence test off (a tolerance of 0 never fires: the tests are strict). */
const OFF = { tolObj: 0, tolRelObj: 0, tolGrad: 0, tolRelGrad: 0, tolParam: 0 } as const;
/** Only the gradient-norm test, at Stan's 1e-8. */
const GRAD_ONLY = { ...OFF, tolGrad: 1e-8 } as const;

/**
 * For the Gaussian, ∇ log p = −Σ⁻¹(x − μ), so x − μ = −Σ∇ and a stop on
 * ‖∇‖ < 1e-8 bounds |xᵢ − μᵢ| = σᵢ²|∇ᵢ| < σᵢ²·1e-8, exactly.
 */
function expectGaussianMode(x: Float64Array) {
  x.forEach((v, i) => expect(Math.abs(v - mu[i])).toBeLessThan(sd[i] ** 2 * 1e-8));
}

/**
 * Near Rosenbrock's mode x − x* ≈ H⁻¹∇ with ‖H⁻¹‖ = 1 / 0.3994 ≈ 2.5 at
 * (1, 1) (H = [[−802, 400], [400, −200]]), so ‖∇‖ < 1e-8 gives
 * |xᵢ − 1| < 2.5e-8; 5e-8 leaves a factor 2 for the cubic remainder.
 */
function expectRosenbrockMode(x: Float64Array) {
  for (const v of x) expect(Math.abs(v - 1)).toBeLessThan(5e-8);
}

describe("lbfgs", () => {
  it("finds the mode of an ill-conditioned Gaussian (d = 10, condition number 1e4)", () => {
    const r = lbfgs(density, gaussStart(), GRAD_ONLY);
    expect(r.converged).toBe(true);
    expect(r.message).toBe("Convergence detected: gradient norm is below tolerance");
    expectGaussianMode(r.x);
  });

  it("finds Rosenbrock's mode (1, 1) from (−1.2, 1)", () => {
    const r = lbfgs(rosenbrock, rosenStart(), GRAD_ONLY);
    expect(r.converged).toBe(true);
    expectRosenbrockMode(r.x);
  });

  it("stops with Stan's defaults on the relative gradient test, near the mode", () => {
    for (const [target, x0] of [
      [density, gaussStart()],
      [rosenbrock, rosenStart()],
    ] as const) {
      const r = lbfgs(target, x0);
      expect(r.message).toBe("Convergence detected: relative gradient magnitude is below tolerance");
      // The test bounds ∇ᵀH∇ (H the L-BFGS inverse-Hessian estimate) by 1e7·ε·max(|log p|, 1) ≈ 2.2e-9 here.
      // With H exact that is twice the gap to the maximum (0 for both targets), so log p ≥ −1.1e-9; H is an
      // estimate (the Gaussian stops at −1.5e-7, Rosenbrock at −1.1e-10), so we allow 1e-6, ~900 times the exact-H gap.
      expect(r.logp).toBeGreaterThan(-1e-6);
    }
  });

  // Each test alone (the others off) stops the run with Stan's words.
  const tests = [
    ["tolObj", "Convergence detected: absolute change in objective function was below tolerance"],
    ["tolRelObj", "Convergence detected: relative change in objective function was below tolerance"],
    ["tolGrad", "Convergence detected: gradient norm is below tolerance"],
    ["tolRelGrad", "Convergence detected: relative gradient magnitude is below tolerance"],
    ["tolParam", "Convergence detected: absolute parameter change was below tolerance"],
  ] as const;
  for (const [key, message] of tests) {
    it(`stops on ${key} alone with "${message}"`, () => {
      for (const [target, x0] of [
        [density, gaussStart()],
        [rosenbrock, rosenStart()],
      ] as const) {
        const r = lbfgs(target, x0, { ...OFF, [key]: LBFGS_DEFAULTS[key] });
        expect(r.message).toBe(message);
        expect(r.converged).toBe(true);
      }
    });
  }

  it("stops at maxIterations, not converged", () => {
    const r = lbfgs(rosenbrock, rosenStart(), { ...OFF, maxIterations: 5 });
    expect(r.message).toBe("Maximum number of iterations hit, may not be at an optima");
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(5);
    expect(r.path).toHaveLength(6);
    const none = lbfgs(rosenbrock, rosenStart(), { maxIterations: 0 });
    expect([none.iterations, none.converged, none.path.length]).toEqual([0, false, 1]);
  });

  const failures: Failure[] = ["nan", "gradient", "throw"];
  for (const how of failures) {
    it(`treats a density failing (${how}) at trial steps as failed trials, and still converges`, () => {
      // Past half an sd above the mode the Gaussian fails; the line search's tenfold expansions go there.
      const g = failingWhere(density, (x) => x.some((v, i) => (v - mu[i]) / sd[i] > 0.5), how);
      const r = lbfgs(g, gaussStart(), GRAD_ONLY);
      expect(g.failures).toBeGreaterThan(0);
      expect(r.recovered).toBe(g.failures);
      expect(r.converged).toBe(true);
      expectGaussianMode(r.x);
      const b = failingWhere(rosenbrock, (x) => x[0] > 1.01, how);
      const rb = lbfgs(b, rosenStart(), GRAD_ONLY);
      expect(b.failures).toBeGreaterThan(0);
      expect(rb.recovered).toBe(b.failures);
      expectRosenbrockMode(rb.x);
    });
  }

  it("still converges when every third evaluation is NaN", () => {
    let calls = 0;
    const flaky = {
      dim: density.dim,
      logp: density.logp,
      logpGrad: (x: Float64Array, g: Float64Array) => (++calls % 3 === 0 ? NaN : density.logpGrad(x, g)),
    };
    const r = lbfgs(flaky, gaussStart(), GRAD_ONLY);
    expect(r.recovered).toBe(Math.floor(calls / 3));
    expect(r.evaluations).toBe(calls);
    expectGaussianMode(r.x);
  });

  it("ends with Stan's line-search message and the best point when no step makes progress", () => {
    // N(0, diag(1, 4)) that fails wherever x₀ > −3: the mode cannot be reached.
    const g = failingWhere(gaussian([0, 0], [1, 2]), (x) => x[0] > -3, "nan");
    const r = lbfgs(g, Float64Array.of(-5, 1));
    expect(r.message).toBe("Line search failed to achieve a sufficient decrease, no more progress can be made");
    expect(r.converged).toBe(false);
    expect(r.x).toEqual(r.path[r.path.length - 1].x);
    expect(r.logp).toBe(Math.max(...r.path.map((p) => p.logp)));
    expect(r.x[0]).toBeLessThanOrEqual(-3);
    // Failing everywhere but the start: 1 + 11 evaluations (the first trial and Stan's 10 restarts), no step.
    const stuck = failingWhere(gaussian([0, 0], [1, 2]), (x) => x[0] !== -5, "throw");
    const s = lbfgs(stuck, Float64Array.of(-5, 1));
    expect([s.converged, s.iterations, s.path.length, s.evaluations, s.recovered]).toEqual([false, 0, 1, 12, 11]);
  });

  it("throws an OptimizeError naming what is not finite at the initial point", () => {
    const bad = (how: Failure) => failingWhere(density, () => true, how);
    expect(() => lbfgs(bad("nan"), gaussStart())).toThrow(/log density is NaN at the initial point/);
    expect(() => lbfgs(bad("gradient"), gaussStart())).toThrow(/gradient of the log density is Infinity in coordinate 0/);
    expect(() => lbfgs(bad("throw"), gaussStart())).toThrow(/threw at the initial point: density failed here/);
    expect(() => lbfgs(bad("throw"), gaussStart())).toThrow(OptimizeError);
    expect(() => lbfgs(density, new Float64Array(3))).toThrow(/3 values, the density has dimension 10/);
    expect(() => lbfgs(density, gaussStart(), { history: 0 })).toThrow(/history must be a positive integer/);
    expect(() => lbfgs(density, gaussStart(), { tolGrad: NaN })).toThrow(/tolGrad must be non-negative/);
  });

  it("returns a path from x0 along which log p never decreases, each point as the density gives it", () => {
    const x0 = rosenStart();
    const r = lbfgs(rosenbrock, x0);
    expect(r.path[0].x).toEqual(x0);
    expect(r.path).toHaveLength(r.iterations + 1);
    const g = new Float64Array(2);
    for (let k = 0; k < r.path.length; k++) {
      const p = r.path[k];
      expect(p.logp).toBe(rosenbrock.logpGrad(p.x, g));
      expect(p.grad).toEqual(g);
      if (k > 0) expect(p.logp).toBeGreaterThanOrEqual(r.path[k - 1].logp);
    }
    expect(r.x).toEqual(r.path[r.path.length - 1].x);
  });

  it("reports progress per iteration and stops on an aborted signal", () => {
    const events: EngineProgress[] = [];
    const r = lbfgs(rosenbrock, rosenStart(), { onProgress: (p) => events.push(p) });
    expect(events.map((e) => e.iter)).toEqual(Array.from({ length: r.iterations }, (_, i) => i + 1));
    const lastEvent = events[events.length - 1];
    expect(lastEvent).toMatchObject({ phase: "optimize", total: 2000, metrics: { logp: r.logp } });
    expect(lastEvent.metrics.gradNorm).toBeCloseTo(Math.hypot(...r.grad), 15);
    const ctl = new AbortController();
    ctl.abort(new Error("stop"));
    expect(() => lbfgs(rosenbrock, rosenStart(), { signal: ctl.signal })).toThrow("stop");
  });
});
