/**
 * Autocovariances of chains: the mean over chains of the "biased" estimate
 * (1/N) Σᵢ (xᵢ − x̄)(xᵢ₊ₜ − x̄) that Geyer (1992) recommends, a few lags at a
 * time by direct sums or all lags at once by FFT.
 * @module
 */
import FFT from "fft.js";
import { type Chains, isDegenerateRange } from "./chains.ts";

/** Chains centred on their own means, chain after chain. */
export interface Centred {
  /** Centred draws, chain c at c·draws … (c + 1)·draws − 1. */
  readonly d: Float64Array;
  readonly chains: number;
  readonly draws: number;
  /** Each chain's mean. */
  readonly means: Float64Array;
  /** Whether a draw is not finite or all are equal (see `isDegenerate`). */
  readonly degenerate: boolean;
}

// Reused from call to call: a summary centres thousands of chains of one size.
let centredBuffer = new Float64Array(0);

/**
 * Centres every chain of `chains` (each `n` draws) on its mean, into a buffer
 * that the next call overwrites, and tells whether the draws are degenerate
 * (checked in the same pass, which ESS computations run thousands of times).
 *
 * @example
 * ```ts
 * centre([[1, 3], [2, 2]], 2).d; // Float64Array [-1, 1, 0, 0]
 * ```
 */
export function centre(chains: Chains, n: number): Centred {
  const m = chains.length;
  if (centredBuffer.length < m * n) centredBuffer = new Float64Array(m * n);
  const d = centredBuffer.subarray(0, m * n);
  const means = new Float64Array(m);
  let lo = Infinity;
  let hi = -Infinity;
  let finite = true;
  for (let c = 0; c < m; c++) {
    const x = chains[c];
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      s += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v - v !== 0) finite = false;
    }
    const mu = s / n;
    means[c] = mu;
    for (let i = 0; i < n; i++) d[c * n + i] = x[i] - mu;
  }
  return { d, chains: m, draws: n, means, degenerate: isDegenerateRange(lo, hi, finite) };
}

/**
 * Writes the mean autocovariance of lags `from` … `to − 1` to `out`, by
 * direct sums: M·N multiply-adds per lag, four lags per pass over the draws.
 * Cheaper than an FFT for the few lags that well-mixing chains need.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * directLags(centre([[1, 2, 3, 4]], 4), 0, 4, out); // out: [1.25, 0.3125, -0.375, -0.5625]
 * ```
 */
export function directLags(centred: Centred, from: number, to: number, out: Float64Array): void {
  const { d, chains: m, draws: n } = centred;
  for (let t = from; t < to; t += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < m; c++) {
      const end = (c + 1) * n;
      let i = c * n;
      for (; i < end - t - 3; i++) {
        const a = d[i];
        s0 += a * d[i + t];
        s1 += a * d[i + t + 1];
        s2 += a * d[i + t + 2];
        s3 += a * d[i + t + 3];
      }
      // The last few draws have partners at the shorter lags only.
      for (; i < end - t; i++) {
        const a = d[i];
        s0 += a * d[i + t];
        if (i + t + 1 < end) s1 += a * d[i + t + 1];
        if (i + t + 2 < end) s2 += a * d[i + t + 2];
      }
    }
    out[t] = s0 / n / m;
    if (t + 1 < to) out[t + 1] = s1 / n / m;
    if (t + 2 < to) out[t + 2] = s2 / n / m;
    if (t + 3 < to) out[t + 3] = s3 / n / m;
  }
}

/** An FFT of one size with its buffers, kept because summaries reuse one size column after column. */
interface Spectral {
  readonly fft: FFT;
  /** Two centred chains as the real and imaginary parts of one complex input, zero-padded. */
  readonly packed: Float64Array;
  readonly spectrum: Float64Array;
  /** The summed power spectrum, a real even sequence. */
  readonly power: Float64Array;
  /** How many complex entries of `packed` the last use filled (the rest are zero). */
  filled: number;
}

const spectralCache = new Map<number, Spectral>();

function spectralOfSize(size: number): Spectral {
  let s = spectralCache.get(size);
  if (s === undefined) {
    s = {
      fft: new FFT(size),
      packed: new Float64Array(2 * size),
      spectrum: new Float64Array(2 * size),
      power: new Float64Array(size),
      filled: 0,
    };
    spectralCache.set(size, s);
  }
  return s;
}

/**
 * Writes the mean autocovariance of lags `from` … N − 1 to `out`, by FFT with
 * zero padding to at least 2N − 1 points, so that the circular correlation is
 * the linear one. Batched: two chains share one complex transform as its real
 * and imaginary parts (their power spectra sum to (|Zₖ|² + |Z₋ₖ|²)/2), and the
 * summed spectrum, real and even, goes back through one real transform: M/2 + 1
 * transforms instead of 2M. The result is scaled so that lag 0 equals `lag0`,
 * the directly summed value, which carries no FFT rounding.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * fftLags(centre([[1, 2, 3, 4]], 4), 1.25, 1, out); // out[1 … 3]: [0.3125, -0.375, -0.5625] (to rounding)
 * ```
 */
export function fftLags(centred: Centred, lag0: number, from: number, out: Float64Array): void {
  const { d, chains: m, draws: n } = centred;
  let size = 4;
  while (size < 2 * n) size *= 2;
  const sp = spectralOfSize(size);
  const { fft, packed, spectrum, power } = sp;
  packed.fill(0, 2 * n, 2 * sp.filled);
  sp.filled = n;
  power.fill(0);
  for (let c = 0; c < m; c += 2) {
    const re = c * n;
    const im = (c + 1) * n;
    for (let i = 0; i < n; i++) {
      packed[2 * i] = d[re + i];
      packed[2 * i + 1] = c + 1 < m ? d[im + i] : 0;
    }
    fft.transform(spectrum, packed);
    for (let k = 0; k <= size / 2; k++) {
      const j = (size - k) % size;
      power[k] += (spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2 + spectrum[2 * j] ** 2 + spectrum[2 * j + 1] ** 2) / 2;
    }
  }
  for (let k = 1; k < size / 2; k++) power[size - k] = power[k];
  // The inverse transform of a real even sequence is the forward one up to 1/size, which the scaling absorbs.
  fft.realTransform(spectrum, power);
  const scale = spectrum[0] === 0 ? 0 : lag0 / spectrum[0];
  for (let t = from; t < n; t++) out[t] = spectrum[2 * t] * scale;
}

/**
 * Autocovariances of one sequence at lags 0 … N − 1, each the "biased"
 * estimate (1/N) Σᵢ (xᵢ − x̄)(xᵢ₊ₜ − x̄) that Geyer (1992) recommends,
 * computed in O(N log N) by FFT with zero padding to avoid wrap-around. A
 * constant sequence gives all zeros.
 *
 * @example
 * ```ts
 * autocovariance([1, 2, 3, 4]); // Float64Array [1.25, 0.3125, -0.375, -0.5625] (to rounding)
 * ```
 */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const centred = centre([x], n);
  directLags(centred, 0, 1, out);
  fftLags(centred, out[0], 1, out);
  return out;
}
