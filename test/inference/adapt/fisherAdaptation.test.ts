/**
 * nutpie's warm-up (adapt/fisherAdaptation.ts) driven as a chain drives
 * it, with exact independent draws of a Gaussian target and their exact
 * gradients standing in for NUTS: the events it reports (one "newMetric",
 * then a new metric after every iteration until the final stretch), the
 * initial metric from the gradient, the draws it does not count, the metric
 * it ends with (exactly Σ on a Gaussian: the Fisher estimate needs no
 * tolerance there, test/inference/adapt/fisher.test.ts), which form it
 * takes under "auto", and the step size (checked against a transcription of
 * dual averaging restarted where the driver restarted it).
 */
import { describe, expect, it } from "vitest";
import { dualAveragingFinal, dualAveragingInit, dualAveragingUpdate } from "../../../src/inference/adapt/dualAveraging.ts";
import {
  type DrawPoint,
  type FisherEvent,
  fisherAdaptation,
  type FisherAdaptationState,
} from "../../../src/inference/adapt/fisherAdaptation.ts";
import { Rng } from "../../../src/random/rng.ts";
import { correlatedGaussian } from "../../helpers/gaussian.ts";

const SDS = [1, 2, 0.5, 3, 10];
const D = SDS.length;

/** Σ with scales SDS and correlation ρ between every pair, row-major. */
const covariance = (rho: number): number[] => SDS.flatMap((si, i) => SDS.map((sj, j) => (i === j ? 1 : rho) * si * sj));

/** Exact independent draws of N(0, Σ) with their gradients and log densities. */
function drawsOf(cov: number[], seed: number): () => DrawPoint {
  const target = correlatedGaussian(new Array<number>(D).fill(0), cov);
  const rng = new Rng(seed, 9);
  return () => {
    const z = Array.from({ length: D }, () => rng.normal());
    const q = Float64Array.from({ length: D }, (_, i) => z.reduce((s, zj, j) => s + target.chol[i * D + j] * zj, 0));
    const g = new Float64Array(D);
    const lp = target.logpGrad(q, g);
    return { q, g, lp };
  };
}

interface Run {
  events: FisherEvent[];
  state: FisherAdaptationState;
  alphas: number[];
  /** Iteration of the restart, and the step size given. */
  restart?: { i: number; eps: number };
}

/** A warm-up of `warmup` iterations on N(0, Σ(ρ)); on "newMetric" a restart at 0.3 (standing in for the heuristic). */
function drive(metric: "diag" | "dense" | "auto", rho: number, warmup = 1000, seed = 1): Run {
  const fa = fisherAdaptation({ dim: D, warmup, targetAccept: 0.8, metric });
  const next = drawsOf(covariance(rho), seed);
  const state = fa.init(next(), 1);
  const rng = new Rng(seed, 10);
  const run: Run = { events: [], state, alphas: [] };
  for (let i = 0; i < warmup; i++) {
    const alpha = 0.5 + 0.5 * rng.uniform();
    run.alphas.push(alpha);
    const event = fa.update(state, i, next(), alpha);
    run.events.push(event);
    if (event === "newMetric") {
      fa.restart(state, 0.3);
      run.restart = { i, eps: 0.3 };
    }
  }
  return run;
}

/** The inverse metric of a state as a full matrix. */
function inverseOf(state: FisherAdaptationState): number[][] {
  const fa = fisherAdaptation({ dim: D, warmup: 1000, targetAccept: 0.8, metric: "auto" });
  const inv = fa.metric(state).inverse();
  return Array.isArray(inv[0]) ? (inv as number[][]) : (inv as number[]).map((v, i) => SDS.map((_, j) => (i === j ? v : 0)));
}

describe("nutpie's warm-up", () => {
  it("init: σ² = 1/|g| at the initial point, the point in both estimators, dual averaging around the step size", () => {
    const fa = fisherAdaptation({ dim: 2, warmup: 100, targetAccept: 0.8, metric: "auto" });
    const s = fa.init({ q: [1, 2], g: [-4, 0.5], lp: -3 }, 0.25);
    expect(s.invDiag).toEqual([0.25, 2]);
    expect(s.values).toEqual([]);
    expect([s.current.draws.n, s.next.draws.n, s.current.grads.n]).toEqual([1, 1, 1]);
    expect(s.current.draws.mean).toEqual([1, 2]);
    expect(s.dualAveraging).toEqual(dualAveragingInit(0.25));
    expect(fa.metric(s).kind).toBe("diag");
    // A given initial diagonal (Pathfinder's) replaces the gradient's.
    expect(fa.init({ q: [1, 2], g: [-4, 0.5], lp: -3 }, 1, [3, 5]).invDiag).toEqual([3, 5]);
  });

  it('events of a 1000-iteration warm-up: "newMetric" at 1, a new metric after every iteration to 849, "done" at 999', () => {
    // i = 1 is the first iteration whose estimator holds 3 draws (the initial point and two draws); 850 starts the final 15 %.
    const { events } = drive("auto", 0.95);
    expect(events[0]).toBe("continue");
    expect(events[1]).toBe("newMetric");
    expect(events.slice(2, 850).every((e) => e === "updatedMetric")).toBe(true);
    expect(events.slice(850, 999).every((e) => e === "continue")).toBe(true);
    expect(events[999]).toBe("done");
  });

  it("a draw with the previous draw's log density (the chain did not move) is not counted", () => {
    const fa = fisherAdaptation({ dim: D, warmup: 1000, targetAccept: 0.8, metric: "diag" });
    const next = drawsOf(covariance(0), 2);
    const s = fa.init(next(), 1);
    const moved = next();
    fa.update(s, 0, moved, 0.9);
    fa.update(s, 1, moved, 0.9);
    expect(s.current.draws.n).toBe(2);
    fa.update(s, 2, next(), 0.9);
    expect(s.current.draws.n).toBe(3);
  });

  for (const [metric, rho, form] of [
    ["auto", 0.95, "lowRank"],
    ["dense", 0.95, "lowRank"],
    ["auto", 0, "diag"],
    ["diag", 0.95, "diag"],
  ] as const) {
    it(`metric "${metric}" on ρ = ${rho}: ends as a ${form} metric${form === "diag" && rho > 0 ? " (the diagonal alone)" : " equal to Σ"}`, () => {
      const { state } = drive(metric, rho);
      const fa = fisherAdaptation({ dim: D, warmup: 1000, targetAccept: 0.8, metric });
      expect(fa.metric(state).kind).toBe(form);
      const inv = inverseOf(state);
      const cov = covariance(rho);
      if (metric === "diag") {
        // The Fisher diagonal of a correlated Gaussian is Σᵢᵢ/√(R⁻¹)ᵢᵢ, not Σᵢᵢ: only its structure is checked.
        inv.forEach((row, i) => row.forEach((v, j) => expect(v === 0).toBe(i !== j)));
        return;
      }
      // Exact independent draws: the estimate of the last window is Σ up to the γ/n ridge (1e-5 relative).
      inv.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - cov[i * D + j])).toBeLessThan(1e-5 * SDS[i] * SDS[j])));
    });
  }

  it("the step size: dual averaging over every warm-up iteration, restarted once, ending with the averaged iterate", () => {
    const run = drive("auto", 0.95);
    const { i: at, eps } = run.restart!;
    let da = dualAveragingInit(1);
    run.alphas.forEach((alpha, i) => {
      dualAveragingUpdate(da, alpha);
      if (i === at) da = dualAveragingInit(eps);
    });
    expect(run.state.stepSize).toBe(dualAveragingFinal(da));
  });

  it("the state survives a JSON round trip mid-warm-up and continues identically", () => {
    const fa = fisherAdaptation({ dim: D, warmup: 300, targetAccept: 0.8, metric: "auto" });
    const next = drawsOf(covariance(0.95), 3);
    const draws = Array.from({ length: 301 }, () => next());
    const a = fa.init(draws[0], 1);
    let b = fa.init(draws[0], 1);
    for (let i = 0; i < 300; i++) {
      if (i === 123) b = JSON.parse(JSON.stringify(b)) as FisherAdaptationState;
      const ea = fa.update(a, i, draws[i + 1], 0.7);
      expect(fa.update(b, i, draws[i + 1], 0.7)).toBe(ea);
      if (ea === "newMetric") [a, b].forEach((s) => fa.restart(s, 0.4));
    }
    expect(b).toEqual(a);
  });
});
