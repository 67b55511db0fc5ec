/**
 * Trajectory-length adaptation by the ChEES criterion (Hoffman, Radul &
 * Sountsov 2021, "An Adaptive MCMC Scheme for Setting Trajectory Lengths in
 * Hamiltonian Monte Carlo"): gradient ascent in log T on
 *
 *     ChEES = ¼ E[(‖x̃ − E x‖² − ‖x − E x‖²)²],
 *
 * the change in the estimator of the expected square between a chain's
 * state x and its proposal x̃, with E x estimated across chains. Each
 * trajectory runs for time u·T with a jitter u ∈ (0, 1] shared by all
 * chains (a Halton sequence, as TensorFlow Probability and BlackJAX do), so
 * ∂x̃/∂T = u·v with v the velocity at the proposal.
 *
 * Choices, after TFP's `GradientBasedTrajectoryLengthAdaptation`: the
 * proposals are centred on their acceptance-weighted mean, each chain's
 * gradient is weighted by its acceptance probability (chains below 1e-4
 * and divergent ones count for nothing), Adam without momentum (β₂ 0.95,
 * bias-corrected), each log-space update clipped to
 * ±0.35, T kept below maxLeapfrog·ε, and the T sampled with after
 * warm-up is the iterate average of log T with weights t^(−1/2). Two
 * departures. Norms are taken in the metric's coordinates (each coordinate
 * divided by its estimated sd), so that once the metric is adapted every
 * coordinate counts, not only the widest one. The learning rate is 0.05,
 * twice TFP's: Adam moves log T by about the learning rate per iteration,
 * and T must grow again after each of the metric windows (`warmup.ts`); at
 * 0.025 it grows e-fold per 40 iterations, too slowly for a target whose
 * scales span 1e-2 to 1e2 to get its metric within 400 iterations.
 * @module
 */

/** Settings of the ChEES adaptation. */
export interface CheesSettings {
  /** Adam's learning rate in log T (0.05). */
  readonly learningRate: number;
  /** Adam's decay of the squared gradient (0.95). */
  readonly beta2: number;
  /** Bound on the size of one log-space update (0.35 ≈ log(2)/2). */
  readonly maxUpdate: number;
  /** T never exceeds this many steps of the current step size (1000). */
  readonly maxLeapfrog: number;
}

/** TFP's defaults, but for a doubled learning rate. */
export const DEFAULT_CHEES: CheesSettings = { learningRate: 0.05, beta2: 0.95, maxUpdate: 0.35, maxLeapfrog: 1000 };

/** The state of the adaptation; plain numbers, so it checkpoints as JSON. */
export interface CheesState {
  /** log T, the current iterate. */
  logT: number;
  /** Adam's moving average of the squared gradient, and its step count. */
  sqGrad: number;
  adamSteps: number;
  /** The iterate average of log T, and the iterates it averages. */
  logTBar: number;
  averaged: number;
}

/**
 * The Halton (van der Corput, base 2) number of index i ≥ 1: 0.5, 0.25,
 * 0.75, 0.125, … — jitters that cover (0, 1) evenly, with no random stream.
 */
export function halton(i: number): number {
  let x = 0;
  let f = 0.5;
  for (let k = i; k > 0; k = Math.floor(k / 2), f /= 2) x += f * (k % 2);
  return x;
}

/** Leapfrog steps for trajectory length T jittered by u: max(1, ⌈u·T/ε⌉). */
export function leapfrogSteps(u: number, trajectoryLength: number, stepSize: number, maxLeapfrog: number): number {
  return Math.min(maxLeapfrog, Math.max(1, Math.ceil((u * trajectoryLength) / stepSize)));
}

/** What the ChEES gradient is computed from: one lockstep transition of n chains in d dimensions. */
export interface CheesSample {
  readonly n: number;
  readonly dim: number;
  /** Start positions and proposals (n × d) and the proposals' momenta. */
  readonly start: Float64Array;
  readonly proposal: Float64Array;
  readonly proposalMomentum: Float64Array;
  readonly acceptProb: Float64Array;
  readonly divergent: Uint8Array;
  /** The trajectory's jitter u. */
  readonly jitter: number;
}

/**
 * ∂ChEES/∂log T estimated from one transition, at trajectory length T.
 * With W = diag(1/invMetric) the squared norm and the velocity v = M⁻¹p,
 * chain c contributes (‖x̃ − x̃̄‖²_W − ‖x − x̄‖²_W) · (x̃ − x̃̄)ᵀ W v · u,
 * and (x̃ − x̃̄)ᵀ W M⁻¹ p = (x̃ − x̃̄)ᵀ p. Returns 0 when no chain carries
 * weight.
 */
export function cheesGradient(s: CheesSample, invMetric: Float64Array, trajectoryLength: number): number {
  const { n, dim: d, start, proposal, proposalMomentum: p, acceptProb, divergent } = s;
  const weight = (c: number) => (divergent[c] === 0 && acceptProb[c] > 1e-4 ? acceptProb[c] : 0);
  const startMean = new Float64Array(d);
  const propMean = new Float64Array(d);
  let wSum = 0;
  for (let c = 0; c < n; c++) {
    const w = weight(c);
    wSum += w;
    for (let i = 0; i < d; i++) {
      startMean[i] += start[c * d + i] / n;
      if (w > 0) propMean[i] += w * proposal[c * d + i];
    }
  }
  if (!(wSum > 0)) return 0;
  for (let i = 0; i < d; i++) propMean[i] /= wSum;
  let g = 0;
  for (let c = 0; c < n; c++) {
    const w = weight(c);
    if (w === 0) continue;
    let propSq = 0;
    let startSq = 0;
    let along = 0;
    for (let i = 0; i < d; i++) {
      const xt = proposal[c * d + i] - propMean[i];
      const x = start[c * d + i] - startMean[i];
      propSq += (xt * xt) / invMetric[i];
      startSq += (x * x) / invMetric[i];
      along += xt * p[c * d + i];
    }
    const gc = (propSq - startSq) * along;
    if (Number.isFinite(gc)) g += w * gc;
  }
  return (s.jitter * trajectoryLength * g) / wSum;
}

/** Starts (or restarts) the adaptation at trajectory length T, forgetting Adam's state and the average. */
export function cheesInit(trajectoryLength: number): CheesState {
  return { logT: Math.log(trajectoryLength), sqGrad: 0, adamSteps: 0, logTBar: 0, averaged: 0 };
}

/**
 * log T clipped to log(maxLeapfrog·ε). There is no lower bound (a
 * trajectory takes at least one step anyway): dual averaging's early step
 * sizes swing by orders of magnitude, and a floor at ε would drag T along.
 */
export function clipLogT(logT: number, stepSize: number, maxLeapfrog: number): number {
  return Math.min(Math.log(maxLeapfrog * stepSize), logT);
}

/**
 * One Adam ascent step on log T with gradient `grad` (from
 * {@link cheesGradient}); `stepSize` is the step size the next trajectory
 * uses. Mutates and returns `s`.
 */
export function cheesUpdate(s: CheesState, grad: number, stepSize: number, settings: CheesSettings = DEFAULT_CHEES): CheesState {
  const { learningRate, beta2, maxUpdate, maxLeapfrog } = settings;
  if (Number.isFinite(grad)) {
    s.adamSteps++;
    s.sqGrad = beta2 * s.sqGrad + (1 - beta2) * grad * grad;
    const sqHat = s.sqGrad / (1 - beta2 ** s.adamSteps);
    const step = (learningRate * grad) / Math.sqrt(sqHat + 1e-20);
    s.logT += Math.min(maxUpdate, Math.max(-maxUpdate, step));
  }
  s.logT = clipLogT(s.logT, stepSize, maxLeapfrog);
  s.averaged++;
  const w = s.averaged ** -0.5;
  s.logTBar = w * s.logT + (1 - w) * s.logTBar;
  return s;
}

/** The current trajectory length, for the next warm-up transition. */
export function cheesTrajectoryLength(s: CheesState): number {
  return Math.exp(s.logT);
}

/** The trajectory length to sample with: the averaged iterate, at most maxLeapfrog·ε of the final step size. */
export function cheesFinal(s: CheesState, stepSize: number, settings: CheesSettings = DEFAULT_CHEES): number {
  return Math.exp(clipLogT(s.averaged > 0 ? s.logTBar : s.logT, stepSize, settings.maxLeapfrog));
}

/**
 * The trajectory length carried across a change of metric. A trajectory
 * of length T under inverse metric Σ moves coordinate i of sd sᵢ at a rate
 * ~√Σᵢ/sᵢ; the slowest coordinate sets the useful length, so with the new
 * metric Σ' the same progress takes T·minᵢ √(Σᵢ/Σ'ᵢ). Where T was short of
 * its optimum this errs short, which costs gradients less than erring long.
 */
export function rescaleTrajectoryLength(trajectoryLength: number, oldInvMetric: Float64Array, newInvMetric: Float64Array): number {
  let ratio = Infinity;
  for (let i = 0; i < oldInvMetric.length; i++) ratio = Math.min(ratio, Math.sqrt(oldInvMetric[i] / newInvMetric[i]));
  return Number.isFinite(ratio) && ratio > 0 ? trajectoryLength * ratio : trajectoryLength;
}
