/**
 * The methods' glue, end to end: `optimize` finds a closed-form mode with
 * and without the Jacobian; a method's stream, written to a run directory,
 * reads back with `readFit` into the very draws its `MethodFit` holds;
 * `init: "pathfinder"` starts NUTS chains at distinct Pathfinder draws.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { model } from "../../src/dsl/model.ts";
import { collectMethod, MethodFit } from "../../src/fit/methodFit.ts";
import { adviStream } from "../../src/fit/methods/advi.ts";
import { laplace, laplaceStream } from "../../src/fit/methods/laplace.ts";
import { optimize, optimizeStream } from "../../src/fit/methods/optimize.ts";
import { smcStream } from "../../src/fit/methods/smc.ts";
import { pathfinderStream } from "../../src/fit/methods/pathfinder.ts";
import { readFit } from "../../src/fit/readFit.ts";
import { sample } from "../../src/fit/sample.ts";
import { MethodDirectory } from "../../src/runtime/methodDirectory.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";

const y = [1.2, 0.4, 2.1, 1.7, 0.9];
/** mu ~ N(0, 10), y ~ N(mu, 1): the posterior of mu is normal with mode Σy / (n + 1/100). */
const conjugate = model((m, d: { y: number[] }) => {
  const mu = m.sample("mu", m.normal(0, 10));
  m.observe("y", m.normal(mu, 1), d.y);
  return { mu };
});
/** sigma ~ Gamma(3, 2) alone: the constrained mode is (a − 1)/b = 1; with the Jacobian of σ = exp z, the mode of log σ has σ = a/b = 1.5. */
const gamma = model((m, _d: Record<string, never>) => ({ sigma: m.sample("sigma", m.gamma(3, 2)) }));

describe("optimize", () => {
  it("finds the closed-form modes, without the Jacobian by default and with it on request", async () => {
    // Tolerance 1e-6: L-BFGS stops at a relative gradient below Stan's 1e7·ε ≈ 2e-9, far inside it.
    const mode = await optimize(conjugate, { y }, { seed: 1 });
    expect(mode.draws.mu[0]).toBeCloseTo(y.reduce((a, b) => a + b) / (y.length + 0.01), 6);
    expect(mode.info.converged).toBe(true);
    // Here 1e-4: Stan's objective tests stop once successive log p differ by < 1e-12 (or 1e4·ε relative), which bounds
    // the last step's gain, not the distance to the mode, on this flat maximum (observed 3e-5).
    expect((await optimize(gamma, {}, { seed: 1 })).draws.sigma[0]).toBeCloseTo(1, 4);
    expect((await optimize(gamma, {}, { seed: 1, jacobian: true })).draws.sigma[0]).toBeCloseTo(1.5, 4);
  });
});

describe("laplace", () => {
  it("draws from N(mode, (−H)⁻¹): on the conjugate model that is the exact posterior", async () => {
    const n = y.length;
    const precision = n + 1 / 100;
    const fit = await laplace(conjugate, { y }, { seed: 1, draws: 4000 });
    // The Hessian by central differences of the exact gradient of a quadratic: exact up to rounding (1e-6 relative).
    expect(fit.info.covariance[0][0] * precision).toBeCloseTo(1, 6);
    expect(fit.info.jacobian).toBe(true);
    // 4000 independent draws: the mean's MC se is sd/√4000 ≈ 0.0070; 4.5 se ≈ 0.032 (one failure in ~1e5 seeds).
    const draws = fit.draws.mu;
    const mean = draws.reduce((a, b) => a + b) / draws.length;
    expect(Math.abs(mean - y.reduce((a, b) => a + b) / precision)).toBeLessThan(4.5 * Math.sqrt(1 / precision / 4000));
    // log_q__ = −½ z·z and log_p__ − log_q__ is constant for a Gaussian target.
    const { log_p__: lp, log_q__: lq } = fit.columns[0];
    for (let k = 1; k < 10; k++) expect(lp[k] - lq[k]).toBeCloseTo(lp[0] - lq[0], 8);
  });

  it("says there is no mode when the density grows without bound", async () => {
    const { model: es, data: esData } = benchmarks.eight_schools;
    await expect(laplace(es, esData, { seed: 1 })).rejects.toThrow(/no mode found/);
  });
});

/** Collects a stream while a MethodDirectory writes it, as the CLI does. */
async function writeAndCollect(stream: AsyncGenerator<SampleMessage>, dir: string): Promise<MethodFit> {
  const sink = new MethodDirectory(dir, "m.ts");
  async function* tee() {
    for await (const m of stream) {
      sink.add(m);
      yield m;
    }
  }
  return collectMethod(tee());
}

describe("a method's files read back as its fit", () => {
  const { model: logistic, data } = benchmarks.logistic;
  for (const [name, stream] of [
    ["pathfinder", () => pathfinderStream(logistic, data, { seed: 3 })],
    ["advi", () => adviStream(logistic, data, { seed: 3, algorithm: "fullrank" })],
    ["optimize", () => optimizeStream(logistic, data, { seed: 3 })],
    ["laplace", () => laplaceStream(logistic, data, { seed: 3, draws: 200 })],
    ["smc", () => smcStream(logistic, data, { seed: 3, particles: 100, runs: 2 })],
  ] as const) {
    it(`${name}: readFit gives the same draws, columns and figures`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `sampo-${name}-`));
      const fit = await writeAndCollect(stream(), dir);
      const back = (await readFit(dir)) as MethodFit;
      expect(back.method).toBe(fit.method);
      // CSV numbers round-trip exactly (shortest representation).
      expect(back.chains.map((c) => c.values)).toEqual(fit.chains.map((c) => c.values));
      expect(back.columns).toEqual(fit.columns);
      expect(back.info).toEqual(fit.info);
      expect(back.summary()).toEqual(fit.summary());
    });
  }
});

describe('init: "pathfinder"', () => {
  it("starts each chain at its own point and the posterior is the same", async () => {
    const { model: logistic, data } = benchmarks.logistic;
    const fit = await sample(logistic, data, {
      chains: 2,
      warmup: 300,
      draws: 300,
      seed: 2,
      init: "pathfinder",
      saveWarmup: true,
      workers: 0,
    });
    const first = fit.chains.map((c) => c.values.map((v) => v[0]));
    expect(first[0]).not.toEqual(first[1]);
    expect(fit.settings.initGradients).toBeGreaterThan(0);
    expect(fit.diagnostics().divergences).toEqual([0, 0]);
  });
});
