/**
 * Pathfinder's local normal approximation at one L-BFGS iterate: mean
 * x − Σg and covariance Σ, the BFGS inverse-Hessian estimate built from the
 * diagonal α and the (s, y) history in the compact form of Byrd, Nocedal &
 * Schnabel (1994),
 *
 *   Σ = diag(α) − αY·N − Nᵀ·Yᵀα + Nᵀ(YᵀαY + D)N,  N = R⁻¹Sᵀ,
 *
 * R the upper triangle of SᵀY, D its diagonal (Zhang et al. 2022,
 * Algorithms 3–4; Stan's `taylor_approximation`). With 2m ≥ d pairs Σ is
 * formed and factored densely; otherwise Σ = α^½(I + W̄M̄W̄ᵀ)α^½ with the
 * d×2m factor W̄ orthogonalized by QR, so the cost stays O(d m²).
 * @module
 */
import { choleskyArray, dotArrays, matmulArrays, triSolveArrays } from "../../numeric/dense.ts";
import { transposeArray } from "../../numeric/structural.ts";
import type { CurvatureHistory } from "./history.ts";
import { thinQr } from "./qr.ts";

/** A normal distribution N(mean, Σ) given by a square root of Σ. */
export interface NormalApproximation {
  readonly mean: Float64Array;
  /** The diagonal of Σ. */
  readonly variance: Float64Array;
  /** log det of Σ's square root: ½ log det Σ. */
  readonly logDetChol: number;
  /** Writes mean + Σ^½ u into `out`, for a standard normal `u`. */
  draw(u: Float64Array, out: Float64Array): void;
}

/**
 * The normal approximation at iterate `x` with gradient `g` of −log p, from
 * the curvature history `h`; undefined when the estimate is not positive
 * definite or not finite (the iterate is then skipped, as Stan skips an
 * iterate whose approximation throws).
 */
export function normalApproximation(x: Float64Array, g: Float64Array, h: CurvatureHistory): NormalApproximation | undefined {
  const d = x.length;
  const m = h.s.length;
  const a = h.alpha;
  if (!a.every((v) => v > 0 && Number.isFinite(v))) return undefined;
  // Rᵀ (lower) holds R[j][i] = s_jᵀ y_i for j ≤ i; N = R⁻¹Sᵀ by back substitution.
  const rt = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) rt[i * m + j] = dotArrays(h.s[j], h.y[i]);
  const st = new Float64Array(m * d);
  for (let i = 0; i < m; i++) st.set(h.s[i], i * d);
  const n = triSolveArrays(rt, st, m, d, true);
  // E = YᵀαY + D.
  const e = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += h.y[i][c] * a[c] * h.y[j][c];
      e[i * m + j] = e[j * m + i] = v;
    }
    e[i * m + i] += rt[i * m + i];
  }
  const mean = centre(x, g, a, h.y, n, e, m);
  if (!mean.every(Number.isFinite)) return undefined;
  return 2 * m >= d ? dense(mean, a, h.y, n, e, m) : lowRank(mean, a, h.y, n, e, m);
}

/** x − Σg in O(d m). */
function centre(
  x: Float64Array,
  g: Float64Array,
  a: Float64Array,
  y: Float64Array[],
  n: Float64Array,
  e: Float64Array,
  m: number,
): Float64Array {
  const d = x.length;
  const ng = new Float64Array(m);
  const yag = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < d; c++) {
      ng[i] += n[i * d + c] * g[c];
      yag[i] += y[i][c] * a[c] * g[c];
    }
  }
  const eng = matmulArrays(e, ng, m, m, 1);
  const out = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let sg = a[c] * g[c];
    for (let i = 0; i < m; i++) sg += -a[c] * y[i][c] * ng[i] + n[i * d + c] * (eng[i] - yag[i]);
    out[c] = x[c] - sg;
  }
  return out;
}

/** Σ formed d×d and its Cholesky factor: for 2m ≥ d, where the low-rank form saves nothing. */
function dense(
  mean: Float64Array,
  a: Float64Array,
  y: Float64Array[],
  n: Float64Array,
  e: Float64Array,
  m: number,
): NormalApproximation | undefined {
  const d = mean.length;
  const en = matmulArrays(e, n, m, m, d);
  const sigma = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (let f = 0; f <= c; f++) {
      let v = c === f ? a[c] : 0;
      for (let i = 0; i < m; i++) v += -a[c] * y[i][c] * n[i * d + f] - n[i * d + c] * y[i][f] * a[f] + n[i * d + c] * en[i * d + f];
      sigma[c * d + f] = sigma[f * d + c] = v;
    }
  }
  const l = choleskyArray(sigma, d);
  if (Number.isNaN(l[0])) return undefined;
  let logDetChol = 0;
  for (let c = 0; c < d; c++) logDetChol += Math.log(l[c * d + c]);
  return {
    mean,
    variance: Float64Array.from({ length: d }, (_, c) => sigma[c * d + c]),
    logDetChol,
    draw(u, out) {
      for (let c = 0; c < d; c++) {
        let v = mean[c];
        for (let f = 0; f <= c; f++) v += l[c * d + f] * u[f];
        out[c] = v;
      }
    },
  };
}

/**
 * Σ = α^½(I + W̄M̄W̄ᵀ)α^½ with W̄ = [α^½Y, −α^-½Nᵀ] = QR̄ and M̄ = [[0, I], [I, E]]:
 * Σ^½ = α^½(Q(L − I)Qᵀ + I) with LLᵀ = I + R̄M̄R̄ᵀ (paper, Algorithm 4).
 */
function lowRank(
  mean: Float64Array,
  a: Float64Array,
  y: Float64Array[],
  n: Float64Array,
  e: Float64Array,
  m: number,
): NormalApproximation | undefined {
  const d = mean.length;
  const k = 2 * m;
  const sqrtA = a.map(Math.sqrt);
  const w = new Float64Array(d * k);
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < m; i++) {
      w[c * k + i] = sqrtA[c] * y[i][c];
      w[c * k + m + i] = -n[i * d + c] / sqrtA[c];
    }
  }
  const { q, r } = thinQr(w, d, k);
  const mBar = new Float64Array(k * k);
  for (let i = 0; i < m; i++) {
    mBar[i * k + m + i] = mBar[(m + i) * k + i] = 1;
    for (let j = 0; j < m; j++) mBar[(m + i) * k + m + j] = e[i * m + j];
  }
  const b = matmulArrays(matmulArrays(r, mBar, k, k, k), transposeArray(r, k, k), k, k, k);
  const c1 = Float64Array.from(b);
  for (let i = 0; i < k; i++) c1[i * k + i] += 1;
  const l = choleskyArray(c1, k);
  if (k > 0 && Number.isNaN(l[0])) return undefined;
  let logDetChol = 0;
  for (let i = 0; i < k; i++) logDetChol += Math.log(l[i * k + i]);
  for (let c = 0; c < d; c++) logDetChol += 0.5 * Math.log(a[c]);
  // diag(Σ)_c = α_c (1 + q_cᵀ B q_c), q_c the c-th row of Q.
  const variance = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let quad = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) quad += q[c * k + i] * b[i * k + j] * q[c * k + j];
    variance[c] = a[c] * (1 + quad);
  }
  const v = new Float64Array(k);
  const wv = new Float64Array(k);
  return {
    mean,
    variance,
    logDetChol,
    draw(u, out) {
      v.fill(0);
      for (let c = 0; c < d; c++) for (let i = 0; i < k; i++) v[i] += q[c * k + i] * u[c];
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j <= i; j++) s += l[i * k + j] * v[j];
        wv[i] = s - v[i];
      }
      for (let c = 0; c < d; c++) {
        let z = u[c];
        for (let i = 0; i < k; i++) z += q[c * k + i] * wv[i];
        out[c] = mean[c] + sqrtA[c] * z;
      }
    },
  };
}
