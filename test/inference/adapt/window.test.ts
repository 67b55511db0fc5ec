/**
 * Stan's windowed warm-up as one part (adapt/window.ts), driven the way
 * chain.ts (one position per iteration) and lockstep/warmup.ts (n rows per
 * iteration) drive it: the events it reports, the metric it estimates in
 * each window (checked against an independent two-pass computation over
 * exactly that window's positions), and the step size it ends with (checked
 * against a transcription of Hoffman & Gelman's Algorithm 5 restarted where
 * the driver restarted it).
 */
import { describe, expect, it } from "vitest";
import { type WarmupEvent, windowAdaptation, type WindowAdaptationState } from "../../../src/inference/adapt/window.ts";
import { Rng } from "../../../src/random/rng.ts";

/** The window ends of a 1,000-iteration warm-up under Stan's defaults (computed by hand in windows.test.ts). */
const ENDS_1000 = [99, 149, 249, 449, 949];
/** The first iteration of each of those windows: the initial buffer is 75. */
const STARTS_1000 = [75, 100, 150, 250, 450];

/** Two-pass sample covariance of `rows` with Stan's regularization (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I; the diagonal or the matrix by rows. */
function regularized(rows: readonly Float64Array[], dense: boolean): number[] {
  const n = rows.length;
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] += r[i] / n;
  const out: number[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (!dense && j !== i) continue;
      let s = 0;
      for (const r of rows) s += (r[i] - mean[i]) * (r[j] - mean[j]);
      out.push((n / (n + 5)) * (s / (n - 1)) + (i === j ? 1e-3 * (5 / (n + 5)) : 0));
    }
  }
  return out;
}

/** Hoffman & Gelman (2014) Algorithm 5 from ε₀ over acceptance statistics `alphas` (clipped at 1); returns ε̄. */
function averagedStepSize(eps0: number, alphas: readonly number[], delta: number): number {
  const mu = Math.log(10 * eps0);
  let hBar = 0;
  let logEpsBar = 0;
  alphas.forEach((alpha, k) => {
    const m = k + 1;
    hBar = (1 - 1 / (m + 10)) * hBar + (delta - Math.min(1, alpha)) / (m + 10);
    const w = m ** -0.75;
    logEpsBar = w * (mu - (Math.sqrt(m) / 0.05) * hBar) + (1 - w) * logEpsBar;
  });
  return Math.exp(logEpsBar);
}

function expectRelClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

function expectAllClose(actual: readonly number[], expected: readonly number[], rel: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(rel * scale);
}

interface Run {
  events: WarmupEvent[];
  /** invMetric right after each "newMetric", with the iteration. */
  metrics: { i: number; invMetric: number[] }[];
  /** Every position fed, by iteration: n rows of d. */
  fed: Float64Array[][];
  /** Acceptance statistics fed, by iteration. */
  alphas: number[];
  /** Step sizes passed to restart, by iteration. */
  restarts: Map<number, number>;
  state: WindowAdaptationState;
}

/**
 * Drives a warm-up of `warmup` iterations as the samplers do: per iteration,
 * updateStepSize then updateMetric with n rows of d positions; on "newMetric"
 * a restart with a step size of our choosing (here 0.1·(k+1) for the k-th
 * window, standing in for the step-size heuristic). The positions' scale
 * changes from window to window so each window's estimate is distinct.
 */
function drive(warmup: number, d: number, n: number, dense: boolean, targetAccept = 0.8, eps0 = 0.5): Run {
  const wa = windowAdaptation({ dim: d, warmup, targetAccept, metric: dense ? "dense" : "diag" });
  const state = wa.init(eps0);
  const rng = new Rng(4242, n * 10 + (dense ? 1 : 0));
  const run: Run = { events: [], metrics: [], fed: [], alphas: [], restarts: new Map(), state };
  for (let i = 0; i < warmup; i++) {
    const alpha = i % 13 === 0 ? 1 + rng.uniform() : 0.4 + 0.6 * rng.uniform();
    run.alphas.push(alpha);
    wa.updateStepSize(state, alpha);
    const scale = 1 + Math.floor(i / 100);
    const rows = Array.from({ length: n }, () => {
      const z = Array.from({ length: d }, () => rng.normal());
      // Correlated coordinates (x₁ = z₀ + z₁, …) with different scales.
      return Float64Array.from({ length: d }, (_, j) => scale * (j + 1) * (z[j] + (j > 0 ? 0.7 * z[j - 1] : 0)) + i * 1e-3);
    });
    run.fed.push(rows);
    const batch = new Float64Array(n * d);
    rows.forEach((r, c) => batch.set(r, c * d));
    const event = wa.updateMetric(state, i, batch, n);
    run.events.push(event);
    if (event === "newMetric") {
      run.metrics.push({ i, invMetric: [...state.invMetric] });
      const eps = 0.1 * run.metrics.length;
      run.restarts.set(i, eps);
      wa.restart(state, eps);
    }
  }
  return run;
}

describe("window adaptation", () => {
  it("init: the unit metric and dual averaging around the given step size", () => {
    // Proves the starting state: ε as given, M⁻¹ = I (ones, or the identity by rows), μ = log 10ε, empty estimator.
    const diag = windowAdaptation({ dim: 3, warmup: 1000, targetAccept: 0.8, metric: "diag" }).init(0.25);
    expect(diag.stepSize).toBe(0.25);
    expect(diag.invMetric).toEqual([1, 1, 1]);
    expect(diag.dualAveraging).toEqual({ counter: 0, sBar: 0, xBar: 0, mu: Math.log(2.5) });
    expect(diag.welford.n).toBe(0);
    const dense = windowAdaptation({ dim: 2, warmup: 1000, targetAccept: 0.8, metric: "dense" }).init(1);
    expect(dense.invMetric).toEqual([1, 0, 0, 1]);
  });

  for (const dense of [false, true]) {
    const kind = dense ? "dense" : "diag";

    it(`${kind}, warm-up 1000: "newMetric" exactly at 99, 149, 249, 449, 949, "done" at 999, "continue" otherwise`, () => {
      // Proves the events the driver acts on follow Stan's default schedule (window ends computed by hand).
      const run = drive(1000, 3, 1, dense);
      run.events.forEach((e, i) => {
        const want = ENDS_1000.includes(i) ? "newMetric" : i === 999 ? "done" : "continue";
        expect({ i, e }).toEqual({ i, e: want });
      });
    });

    it(`${kind}, one position per iteration: each new metric is the regularized estimate of exactly that window's positions`, () => {
      // Proves that after window k, state.invMetric = (n/(n+5)) Σ̂ + 1e-3 (5/(n+5)) I over the positions fed at
      // iterations STARTS[k] … ENDS[k] — not the buffers', not the previous windows' (the estimator restarts).
      const d = 3;
      const run = drive(1000, d, 1, dense);
      expect(run.metrics.map((m) => m.i)).toEqual(ENDS_1000);
      run.metrics.forEach(({ invMetric }, k) => {
        const rows = run.fed.slice(STARTS_1000[k], ENDS_1000[k] + 1).flat();
        expect(rows.length).toBe(ENDS_1000[k] - STARTS_1000[k] + 1);
        expectAllClose(invMetric, regularized(rows, dense), 1e-12);
      });
      // The power of the check: including one more position (the iteration before the window) changes the estimate.
      const k = 1;
      const withExtra = regularized(run.fed.slice(STARTS_1000[k] - 1, ENDS_1000[k] + 1).flat(), dense);
      expect(Math.max(...withExtra.map((v, j) => Math.abs(v - run.metrics[k].invMetric[j])))).toBeGreaterThan(1e-6);
      // The terminal buffer is not collected: the estimator holds nothing at the end.
      expect(run.state.welford.n).toBe(0);
      expect(run.state.invMetric).toEqual(run.metrics[run.metrics.length - 1].invMetric);
    });

    it(`${kind}, lockstep-style input (4 rows per iteration): every row is counted`, () => {
      // Proves updateMetric reads all n rows of the batch: after window k the estimate is over 4 × (window length)
      // positions, exactly those of the rows fed in the window.
      const d = 3;
      const n = 4;
      const run = drive(1000, d, n, dense);
      expect(run.metrics.map((m) => m.i)).toEqual(ENDS_1000);
      run.metrics.forEach(({ invMetric }, k) => {
        const rows = run.fed.slice(STARTS_1000[k], ENDS_1000[k] + 1).flat();
        expect(rows.length).toBe(n * (ENDS_1000[k] - STARTS_1000[k] + 1));
        expectAllClose(invMetric, regularized(rows, dense), 1e-12);
      });
    });

    it(`${kind}: the step size follows dual averaging restarted at each window, and "done" sets its averaged iterate`, () => {
      // Proves (a) each updateStepSize sets ε to dual averaging's current iterate, (b) restart(ε) starts dual
      // averaging over around ε (μ = log 10ε, counters zero), and (c) at "done" the step size is ε̄ of
      // Algorithm 5 run from the last restart's ε over the acceptance statistics of iterations 950…999 only,
      // with the target δ = targetAccept (0.7 here, not the default 0.8).
      const run = drive(1000, 2, 1, dense, 0.7);
      const last = ENDS_1000[ENDS_1000.length - 1];
      const restartEps = run.restarts.get(last)!;
      expect(restartEps).toBeCloseTo(0.5, 12);
      const want = averagedStepSize(restartEps, run.alphas.slice(last + 1), 0.7);
      expectRelClose(run.state.stepSize, want, 1e-12);
      // With δ = 0.8 the answer would differ: the target is used.
      expect(Math.abs(Math.log(run.state.stepSize / averagedStepSize(restartEps, run.alphas.slice(last + 1), 0.8)))).toBeGreaterThan(0.01);
      // Without the restart (averaging from the start) it would differ too.
      expect(Math.abs(Math.log(run.state.stepSize / averagedStepSize(0.5, run.alphas, 0.7)))).toBeGreaterThan(0.01);
      expect(run.state.dualAveraging.counter).toBe(1000 - (last + 1));
    });
  }

  it("updateStepSize sets the current iterate ε_m (not ε̄) during warm-up", () => {
    // Proves the step size in force during warm-up is exp(x_m): after one update from ε₀ = 1 with α = 0.3 and
    // δ = 0.8, by hand log ε₁ = log 10 − (1/0.05)(0.5/11) = log 10 − 10/11.
    const wa = windowAdaptation({ dim: 1, warmup: 1000, targetAccept: 0.8, metric: "diag" });
    const s = wa.init(1);
    wa.updateStepSize(s, 0.3);
    expectRelClose(s.stepSize, Math.exp(Math.log(10) - 10 / 11), 1e-14);
    wa.updateStepSize(s, 0.9);
    const hBar2 = (11 / 12) * (0.5 / 11) + (0.8 - 0.9) / 12;
    expectRelClose(s.stepSize, Math.exp(Math.log(10) - (Math.sqrt(2) / 0.05) * hBar2), 1e-14);
  });

  it("restart resets dual averaging around the given step size and keeps the metric and the estimator", () => {
    // Proves restart(state, ε) sets ε in force and a fresh dual-averaging state with μ = log 10ε,
    // leaving the metric and the Welford estimator alone; the next update continues from the restart.
    const wa = windowAdaptation({ dim: 2, warmup: 1000, targetAccept: 0.8, metric: "diag" });
    const s = wa.init(1);
    for (let i = 0; i < 80; i++) {
      wa.updateStepSize(s, 0.5);
      wa.updateMetric(s, i, Float64Array.of(i, -i), 1);
    }
    const welford = structuredClone(s.welford);
    const invMetric = [...s.invMetric];
    wa.restart(s, 0.037);
    expect(s.stepSize).toBe(0.037);
    expect(s.dualAveraging).toEqual({ counter: 0, sBar: 0, xBar: 0, mu: Math.log(0.37) });
    expect(s.welford).toEqual(welford);
    expect(s.invMetric).toEqual(invMetric);
    wa.updateStepSize(s, 0.3);
    // By hand from ε = 0.037: log ε₁ = log 0.37 − 10/11.
    expectRelClose(s.stepSize, Math.exp(Math.log(0.37) - 10 / 11), 1e-14);
  });

  it('a short warm-up (100): one window 15…89, then "done" at 99', () => {
    // Proves the fallback schedule reaches the events: buffers ⌊15⌋ and ⌊10⌋ (by hand, see windows.test.ts);
    // the metric is the estimate over iterations 15…89.
    const run = drive(100, 2, 1, false);
    run.events.forEach((e, i) => expect({ i, e }).toEqual({ i, e: i === 89 ? "newMetric" : i === 99 ? "done" : "continue" }));
    expectAllClose(run.metrics[0].invMetric, regularized(run.fed.slice(15, 90).flat(), false), 1e-12);
  });

  it('under 20 iterations: no new metric, "done" at the last iteration, the unit metric kept', () => {
    // Proves a warm-up of 10 adapts only the step size: events continue × 9 then done; M⁻¹ stays I.
    const run = drive(10, 2, 1, true);
    expect(run.events).toEqual([...new Array<WarmupEvent>(9).fill("continue"), "done"]);
    expect(run.state.invMetric).toEqual([1, 0, 0, 1]);
    expectRelClose(run.state.stepSize, averagedStepSize(0.5, run.alphas, 0.8), 1e-12);
  });

  it("the state survives a JSON round trip mid-window and continues identically", () => {
    // Proves the state is plain data (what checkpoints rely on): resuming from JSON at iteration 120 gives the
    // same events, metric and step size as an uninterrupted run.
    const wa = windowAdaptation({ dim: 2, warmup: 300, targetAccept: 0.8, metric: "dense" });
    const a = wa.init(0.3);
    let b = wa.init(0.3);
    const rng = new Rng(77, 0);
    for (let i = 0; i < 300; i++) {
      const alpha = rng.uniform();
      const q = Float64Array.of(rng.normal(), rng.normal() * 3);
      for (const s of [a, b]) wa.updateStepSize(s, alpha);
      const ea = wa.updateMetric(a, i, q, 1);
      const eb = wa.updateMetric(b, i, q, 1);
      expect(eb).toBe(ea);
      if (ea === "newMetric") for (const s of [a, b]) wa.restart(s, 0.2);
      if (i === 120) b = JSON.parse(JSON.stringify(b)) as WindowAdaptationState;
    }
    expect(b).toEqual(a);
  });
});
