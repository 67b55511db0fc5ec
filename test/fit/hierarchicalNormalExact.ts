/**
 * The exact posterior of the normal hierarchical model
 *
 *   y_j ~ Normal(theta_j, sigma_j),  theta_j = mu + tau · z_j,  z_j ~ Normal(0, 1),
 *   mu ~ Normal(0, muScale),  tau known or ~ Half-Normal(tauScale),
 *
 * as reference summaries (mean and sd of mu, tau, theta[j] and
 * theta_raw[j] = z_j, exact: MCSE 0) for test/helpers/reference.ts.
 *
 * Given tau everything is Gaussian: with v_j = tau² + sigma_j²,
 * P = 1/muScale² + Σ 1/v_j and B = Σ y_j / v_j, mu | tau, y ~ Normal(B/P,
 * 1/P); with w_j = tau²/v_j, theta_j − mu = w_j (y_j − mu) + e_j,
 * e_j ~ Normal(0, w_j sigma_j²), so theta_j and z_j are linear in mu plus
 * independent noise; and p(y | tau) = ∫ N(mu | 0, muScale²) Π N(y_j | mu,
 * v_j) dmu in closed form. An unknown tau is integrated out by the
 * trapezoid rule on log tau (40,000 points over [1e-8, 200]: the moments
 * are exact to far below any Monte-Carlo error).
 */
import type { RefParam } from "../helpers/reference.ts";

/** The model's data and priors. */
export interface HierarchicalNormal {
  readonly y: readonly number[];
  readonly sigma: readonly number[];
  /** The prior sd of mu. */
  readonly muScale: number;
  /** tau: a known value, or the scale of its half-normal prior. */
  readonly tau: { readonly known: number } | { readonly halfNormal: number };
}

/** Conditional moments given tau: a density weight and E[x], E[x²] of every reported value. */
function given(h: HierarchicalNormal, tau: number): { logLik: number; m1: Map<string, number>; m2: Map<string, number> } {
  const v = h.sigma.map((s) => tau * tau + s * s);
  let P = 1 / (h.muScale * h.muScale);
  let B = 0;
  let C = 0;
  let logDet = 0;
  h.y.forEach((y, j) => {
    P += 1 / v[j];
    B += y / v[j];
    C += (y * y) / v[j];
    logDet += Math.log(v[j]);
  });
  const muMean = B / P;
  const m1 = new Map<string, number>();
  const m2 = new Map<string, number>();
  const put = (name: string, mean: number, variance: number) => {
    m1.set(name, mean);
    m2.set(name, variance + mean * mean);
  };
  put("mu", muMean, 1 / P);
  put("tau", tau, 0);
  h.y.forEach((y, j) => {
    const w = (tau * tau) / v[j];
    const s2 = h.sigma[j] ** 2;
    put(`theta[${j + 1}]`, w * y + (1 - w) * muMean, (1 - w) ** 2 / P + w * s2);
    put(`theta_raw[${j + 1}]`, (w * (y - muMean)) / tau, ((w * w) / P + w * s2) / (tau * tau));
  });
  // log p(y | tau), up to a constant.
  const logLik = -0.5 * logDet - 0.5 * Math.log(P) + 0.5 * ((B * B) / P - C);
  return { logLik, m1, m2 };
}

/** Reference summaries of the exact posterior (mean and sd, MCSE 0), by summary row name. */
export function exactPosterior(h: HierarchicalNormal): Record<string, RefParam> {
  const points: { weight: number; m1: Map<string, number>; m2: Map<string, number> }[] = [];
  if ("known" in h.tau) points.push({ weight: 1, ...given(h, h.tau.known) });
  else {
    const n = 40_000;
    const [lo, hi] = [Math.log(1e-8), Math.log(200)];
    const du = (hi - lo) / (n - 1);
    const scale = h.tau.halfNormal;
    const raw = Array.from({ length: n }, (_, i) => {
      const tau = Math.exp(lo + i * du);
      const g = given(h, tau);
      // Half-normal prior, and dtau = tau du; the trapezoid halves the ends.
      const logW = g.logLik - (tau * tau) / (2 * scale * scale) + Math.log(tau) + (i === 0 || i === n - 1 ? Math.log(0.5) : 0);
      return { logW, g };
    });
    const top = Math.max(...raw.map((r) => r.logW));
    const total = raw.reduce((a, r) => a + Math.exp(r.logW - top), 0);
    for (const r of raw) points.push({ weight: Math.exp(r.logW - top) / total, ...r.g });
  }
  const out: Record<string, RefParam> = {};
  for (const name of points[0].m1.keys()) {
    if (name === "tau" && "known" in h.tau) continue;
    let e1 = 0;
    let e2 = 0;
    for (const p of points) {
      e1 += p.weight * (p.m1.get(name) as number);
      e2 += p.weight * (p.m2.get(name) as number);
    }
    out[name] = { mean: e1, sd: Math.sqrt(Math.max(0, e2 - e1 * e1)), mcse_mean: 0, mcse_sd: 0 };
  }
  return out;
}
