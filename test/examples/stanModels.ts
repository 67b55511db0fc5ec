/**
 * The Stan models of the examples, transcribed independently in plain
 * JavaScript loops (no sampo code), as Stan evaluates their model blocks
 * on constrained values: `target` up to additive constants, no Jacobian.
 * Used to check that each example's density is Stan's up to a constant.
 */

/** Constrained values by parameter name (scalars as length-1 arrays). */
export type Values = Readonly<Record<string, ArrayLike<number>>>;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const normal = (y: number, mu: number, s: number) => -0.5 * ((y - mu) / s) ** 2 - Math.log(s) - LOG_SQRT_2PI;
const cauchy = (y: number, mu: number, s: number) => -Math.log(Math.PI * s * (1 + ((y - mu) / s) ** 2));
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const bernoulliLogit = (y: number, eta: number) => y * eta - softplus(eta);
const expo = (y: number, rate: number) => Math.log(rate) - rate * y;
/** Stan's binomial_logit_lpmf(k | n, η) without log C(n, k). */
const binomialLogit = (k: number, n: number, eta: number) => k * eta - n * softplus(eta);
/** Stan's poisson_log_lpmf(k | η) without −log k!. */
const poissonLog = (k: number, eta: number) => k * eta - Math.exp(eta);
/** Stan's student_t_lpdf(y | ν, μ, s) without the terms constant in y, μ, s. */
const studentT = (y: number, nu: number, mu: number, s: number) => -Math.log(s) - ((nu + 1) / 2) * Math.log1p(((y - mu) / s) ** 2 / nu);
const logSumExp = (xs: readonly number[]) => {
  const mx = Math.max(...xs);
  return mx + Math.log(xs.reduce((a, x) => a + Math.exp(x - mx), 0));
};
const sum = (n: number, f: (i: number) => number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
};
const s0 = (p: Values, k: string) => p[k][0];
const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: readonly number[]) => {
  const mx = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - mx) ** 2, 0) / (x.length - 1));
};

/** Lower Cholesky factor of a small SPD matrix (row-major arrays). */
function cholesky(a: number[][]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
    }
  }
  return l;
}
const expQuad = (x: readonly number[], alpha: number, rho: number) =>
  x.map((xi) => x.map((xj) => alpha * alpha * Math.exp(-((xi - xj) ** 2) / (2 * rho * rho))));

/** y ~ normal(Σ_k β_k x_k, σ) for predictor columns x (x₀ = 1 for the intercept). */
function linear(y: readonly number[], cols: readonly (readonly number[])[], beta: ArrayLike<number>, sigma: number): number {
  return sum(y.length, (i) =>
    normal(
      y[i],
      sum(cols.length, (k) => beta[k] * cols[k][i]),
      sigma,
    ),
  );
}
const ones = (n: number) => new Array<number>(n).fill(1);
const indicator = (x: readonly number[], level: number) => x.map((v) => (v === level ? 1 : 0));

/** HMM forward algorithm: log Σ over state paths, from emission log densities emit[t][k]. */
function forward(emit: readonly (readonly number[])[], theta: readonly ArrayLike<number>[]): number {
  const K = theta.length;
  let gamma = [...emit[0]];
  for (let t = 1; t < emit.length; t++) {
    gamma = Array.from({ length: K }, (_, k) => logSumExp(gamma.map((g, j) => g + Math.log(theta[j][k]))) + emit[t][k]);
  }
  return logSumExp(gamma);
}

type D = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The posteriordb models, by posterior name. */
export const stanPosteriordb: Readonly<Record<string, (p: Values, d: D) => number>> = {
  "Rate_1_data-Rate_1_model": (p, d) => d.k * Math.log(s0(p, "theta")) + (d.n - d.k) * Math.log1p(-s0(p, "theta")),
  "Rate_3_data-Rate_3_model": (p, d) => {
    const t = s0(p, "theta");
    return (d.k1 + d.k2) * Math.log(t) + (d.n1 - d.k1 + d.n2 - d.k2) * Math.log1p(-t);
  },
  "nes_logit_data-nes_logit_model": (p, d) => sum(d.N, (i) => bernoulliLogit(d.vote[i], s0(p, "alpha") + d.income[i] * p.beta[0])),
  "wells_data-wells_dist": (p, d) => sum(d.N, (i) => bernoulliLogit(d.switched[i], p.beta[0] + p.beta[1] * d.dist[i])),
  "earnings-earn_height": (p, d) => linear(d.earn, [ones(d.N), d.height], p.beta, s0(p, "sigma")),
  "earnings-logearn_logheight_male": (p, d) =>
    linear(d.earn.map(Math.log), [ones(d.N), d.height.map(Math.log), d.male], p.beta, s0(p, "sigma")),
  "earnings-logearn_interaction_z": (p, d) => {
    const [mh, sh] = [mean(d.height), sd(d.height)];
    const z = d.height.map((h: number) => (h - mh) / sh);
    const inter = z.map((zi: number, i: number) => zi * d.male[i]);
    return linear(d.earn.map(Math.log), [ones(d.N), z, d.male, inter], p.beta, s0(p, "sigma"));
  },
  "kidiq-kidscore_momiq": (p, d) => cauchy(s0(p, "sigma"), 0, 2.5) + linear(d.kid_score, [ones(d.N), d.mom_iq], p.beta, s0(p, "sigma")),
  "kidiq-kidscore_interaction": (p, d) => {
    const inter = d.mom_hs.map((h: number, i: number) => h * d.mom_iq[i]);
    return cauchy(s0(p, "sigma"), 0, 2.5) + linear(d.kid_score, [ones(d.N), d.mom_hs, d.mom_iq, inter], p.beta, s0(p, "sigma"));
  },
  "kidiq_with_mom_work-kidscore_mom_work": (p, d) =>
    linear(d.kid_score, [ones(d.N), indicator(d.mom_work, 2), indicator(d.mom_work, 3), indicator(d.mom_work, 4)], p.beta, s0(p, "sigma")),
  "kilpisjarvi_mod-kilpisjarvi": (p, d) =>
    normal(s0(p, "alpha"), d.pmualpha, d.psalpha) +
    normal(s0(p, "beta"), d.pmubeta, d.psbeta) +
    linear(d.y, [ones(d.N), d.x], [s0(p, "alpha"), s0(p, "beta")], s0(p, "sigma")),
  "mesquite-mesquite": (p, d) =>
    linear(d.weight, [ones(d.N), d.diam1, d.diam2, d.canopy_height, d.total_height, d.density, d.group], p.beta, s0(p, "sigma")),
  "mesquite-logmesquite": (p, d) => {
    const l = (x: number[]) => x.map(Math.log);
    const cols = [ones(d.N), l(d.diam1), l(d.diam2), l(d.canopy_height), l(d.total_height), l(d.density), d.group];
    return linear(l(d.weight), cols, p.beta, s0(p, "sigma"));
  },
  "nes2000-nes": (p, d) => {
    const a = d.age_discrete;
    const cols = [ones(d.N), d.real_ideo, d.race_adj, indicator(a, 2), indicator(a, 3), indicator(a, 4), d.educ1, d.gender, d.income];
    return linear(d.partyid7, cols, p.beta, s0(p, "sigma"));
  },
  "sblrc-blr": (p, d) => blr(p, d),
  "sblri-blr": (p, d) => blr(p, d),
  "gp_pois_regr-gp_regr": (p, d) => {
    const [rho, alpha, sigma] = [s0(p, "rho"), s0(p, "alpha"), s0(p, "sigma")];
    const cov = expQuad(d.x, alpha, rho).map((row, i) => row.map((c, j) => (i === j ? c + sigma : c)));
    const l = cholesky(cov);
    const z: number[] = [];
    for (let i = 0; i < d.N; i++) z.push((d.y[i] - sum(i, (k) => l[i][k] * z[k])) / l[i][i]);
    const mvn = -0.5 * sum(d.N, (i) => z[i] ** 2) - sum(d.N, (i) => Math.log(l[i][i]));
    return 24 * Math.log(rho) - 4 * rho + normal(alpha, 0, 2) + normal(sigma, 0, 1) + mvn;
  },
  "gp_pois_regr-gp_pois_regr": (p, d) => {
    const [rho, alpha] = [s0(p, "rho"), s0(p, "alpha")];
    const l = cholesky(expQuad(d.x, alpha, rho).map((row, i) => row.map((c, j) => (i === j ? c + 1e-10 : c))));
    const f = l.map((row) => sum(d.N, (k) => row[k] * p.f_tilde[k]));
    return (
      24 * Math.log(rho) -
      4 * rho +
      normal(alpha, 0, 2) +
      sum(d.N, (i) => normal(p.f_tilde[i], 0, 1)) +
      sum(d.N, (i) => d.k[i] * f[i] - Math.exp(f[i]))
    );
  },
  "arma-arma11": (p, d) => {
    const [mu, phi, theta, sigma] = ["mu", "phi", "theta", "sigma"].map((k) => s0(p, k));
    const err: number[] = [d.y[0] - (mu + phi * mu)];
    for (let t = 1; t < d.T; t++) err.push(d.y[t] - (mu + phi * d.y[t - 1] + theta * err[t - 1]));
    return normal(mu, 0, 10) + normal(phi, 0, 2) + normal(theta, 0, 2) + cauchy(sigma, 0, 2.5) + sum(d.T, (t) => normal(err[t], 0, sigma));
  },
  "garch-garch11": (p, d) => {
    const [mu, a0, a1, b1] = ["mu", "alpha0", "alpha1", "beta1"].map((k) => s0(p, k));
    if (!(a0 > 0 && a1 > 0 && a1 < 1 && b1 > 0 && b1 < 1 - a1)) return -Infinity;
    const sigma: number[] = [d.sigma1];
    for (let t = 1; t < d.T; t++) sigma.push(Math.sqrt(a0 + a1 * (d.y[t - 1] - mu) ** 2 + b1 * sigma[t - 1] ** 2));
    return sum(d.T, (t) => normal(d.y[t], mu, sigma[t]));
  },
  "arK-arK": (p, d) => {
    const [alpha, sigma] = [s0(p, "alpha"), s0(p, "sigma")];
    let lp = normal(alpha, 0, 10) + sum(d.K, (k) => normal(p.beta[k], 0, 10)) + cauchy(sigma, 0, 2.5);
    for (let t = d.K; t < d.T; t++) lp += normal(d.y[t], alpha + sum(d.K, (k) => p.beta[k] * d.y[t - k - 1]), sigma);
    return lp;
  },
  "low_dim_gauss_mix-low_dim_gauss_mix": (p, d) => {
    const [mu, sigma, theta] = [p.mu, p.sigma, s0(p, "theta")];
    const prior = sum(2, (k) => normal(sigma[k], 0, 2) + normal(mu[k], 0, 2)) + 4 * Math.log(theta) + 4 * Math.log1p(-theta);
    return (
      prior +
      sum(d.N, (n) => logSumExp([Math.log(theta) + normal(d.y[n], mu[0], sigma[0]), Math.log1p(-theta) + normal(d.y[n], mu[1], sigma[1])]))
    );
  },
  "hmm_example-hmm_example": (p, d) => {
    const emit = d.y.map((y: number) => [normal(y, p.mu[0], 1), normal(y, p.mu[1], 1)]);
    return normal(p.mu[0], 3, 1) + normal(p.mu[1], 10, 1) + forward(emit, [p.theta1, p.theta2]);
  },
  "bball_drive_event_0-hmm_drive_0": (p, d) => {
    const emit = d.u.map((u: number, t: number) => [0, 1].map((k) => expo(u, p.phi[k]) + expo(d.v[t], p.lambda[k])));
    return driveprior(p, d) + forward(emit, [p.theta1, p.theta2]);
  },
  "bball_drive_event_1-hmm_drive_1": (p, d) => {
    const emit = d.u.map((u: number, t: number) => [0, 1].map((k) => normal(u, p.phi[k], d.tau) + normal(d.v[t], p.lambda[k], d.rho)));
    return driveprior(p, d) + forward(emit, [p.theta1, p.theta2]);
  },
  "eight_schools-eight_schools_centered": (p, d) => {
    const [mu, tau] = [s0(p, "mu"), s0(p, "tau")];
    return cauchy(tau, 0, 5) + normal(mu, 0, 5) + sum(d.J, (j) => normal(p.theta[j], mu, tau) + normal(d.y[j], p.theta[j], d.sigma[j]));
  },
  "eight_schools-eight_schools_noncentered": (p, d) => {
    const [mu, tau] = [s0(p, "mu"), s0(p, "tau")];
    return (
      cauchy(tau, 0, 5) +
      normal(mu, 0, 5) +
      sum(d.J, (j) => normal(p.theta_trans[j], 0, 1) + normal(d.y[j], p.theta_trans[j] * tau + mu, d.sigma[j]))
    );
  },
  "diamonds-diamonds": (p, d) => {
    const Kc = d.K - 1;
    const means = Array.from({ length: Kc }, (_, k) => sum(d.N, (i) => d.X[i][k + 1]) / d.N);
    const [Intercept, sigma] = [s0(p, "Intercept"), s0(p, "sigma")];
    const prior = sum(Kc, (k) => normal(p.b[k], 0, 1)) + studentT(Intercept, 3, 8, 10) + studentT(sigma, 3, 0, 10);
    if (d.prior_only) return prior;
    return prior + sum(d.N, (i) => normal(d.Y[i], Intercept + sum(Kc, (k) => (d.X[i][k + 1] - means[k]) * p.b[k]), sigma));
  },
  "GLMM_Poisson_data-GLMM_Poisson_model": (p, d) => {
    const [alpha, b1, b2, b3, sigma] = ["alpha", "beta1", "beta2", "beta3", "sigma"].map((k) => s0(p, k));
    const inside = Math.abs(alpha) < 20 && Math.abs(b1) < 10 && Math.abs(b2) < 10 && Math.abs(b3) < 10 && sigma > 0 && sigma < 5;
    if (!inside) return -Infinity;
    const logLambda = (t: number) =>
      alpha + b1 * d.year[t] + b2 * d.year[t] * d.year[t] + b3 * d.year[t] * d.year[t] * d.year[t] + p.eps[t];
    return sum(d.n, (t) => poissonLog(d.C[t], logLambda(t)) + normal(p.eps[t], 0, sigma));
  },
  "radon_mn-radon_hierarchical_intercept_centered": (p, d) => {
    const [mu_alpha, sigma_alpha] = [s0(p, "mu_alpha"), s0(p, "sigma_alpha")];
    return radonPrior(p) + sum(d.J, (j) => normal(p.alpha[j], mu_alpha, sigma_alpha)) + radonLikelihood(p.alpha, p, d);
  },
  "radon_mn-radon_hierarchical_intercept_noncentered": (p, d) => {
    const [mu_alpha, sigma_alpha] = [s0(p, "mu_alpha"), s0(p, "sigma_alpha")];
    const alpha = Array.from(p.alpha_raw, (a) => mu_alpha + sigma_alpha * a);
    return radonPrior(p) + sum(d.J, (j) => normal(p.alpha_raw[j], 0, 1)) + radonLikelihood(alpha, p, d);
  },
  "seeds_data-seeds_stanified_model": (p, d) => {
    const [a0, a1, a12, a2, sigma] = ["alpha0", "alpha1", "alpha12", "alpha2", "sigma"].map((k) => s0(p, k));
    const prior = normal(a0, 0, 1) + normal(a1, 0, 1) + normal(a2, 0, 1) + normal(a12, 0, 1) + cauchy(sigma, 0, 1);
    return (
      prior +
      sum(d.I, (i) => normal(p.b[i], 0, sigma)) +
      sum(d.I, (i) => binomialLogit(d.n[i], d.N[i], a0 + a1 * d.x1[i] + a2 * d.x2[i] + a12 * d.x1[i] * d.x2[i] + p.b[i]))
    );
  },
  "surgical_data-surgical_model": (p, d) => {
    const [mu, sigmasq] = [s0(p, "mu"), s0(p, "sigmasq")];
    const sigma = Math.sqrt(sigmasq);
    const invGamma = (x: number, a: number, b: number) => -(a + 1) * Math.log(x) - b / x;
    return (
      normal(mu, 0, 1000) +
      invGamma(sigmasq, 0.001, 0.001) +
      sum(d.N, (i) => normal(p.b[i], mu, sigma) + binomialLogit(d.r[i], d.n[i], p.b[i]))
    );
  },
};

function blr(p: Values, d: D): number {
  const sigma = s0(p, "sigma");
  const prior = sum(d.D, (k) => normal(p.beta[k], 0, 10)) + normal(sigma, 0, 10);
  return (
    prior +
    sum(d.N, (i) =>
      normal(
        d.y[i],
        sum(d.D, (k) => d.X[i][k] * p.beta[k]),
        sigma,
      ),
    )
  );
}

function radonPrior(p: Values): number {
  return (
    normal(s0(p, "sigma_alpha"), 0, 1) +
    normal(s0(p, "sigma_y"), 0, 1) +
    normal(s0(p, "mu_alpha"), 0, 10) +
    sum(2, (k) => normal(p.beta[k], 0, 10))
  );
}

function radonLikelihood(alpha: ArrayLike<number>, p: Values, d: D): number {
  const sigma_y = s0(p, "sigma_y");
  return sum(d.N, (n) =>
    normal(d.log_radon[n], alpha[d.county_idx[n] - 1] + d.log_uppm[n] * p.beta[0] + d.floor_measure[n] * p.beta[1], sigma_y),
  );
}

function driveprior(p: Values, d: D): number {
  const dirichlet = (x: ArrayLike<number>, a: readonly number[]) => sum(a.length, (k) => (a[k] - 1) * Math.log(x[k]));
  return (
    dirichlet(p.theta1, d.alpha[0]) +
    dirichlet(p.theta2, d.alpha[1]) +
    normal(p.phi[0], 0, 1) +
    normal(p.phi[1], 3, 1) +
    normal(p.lambda[0], 0, 1) +
    normal(p.lambda[1], 3, 1)
  );
}

/** The benchmark models (../shared/benchmarks/stan), by name. */
export const stanBenchmarks: Readonly<Record<string, (p: Values, d: D) => number>> = {
  simple: (p, d) =>
    normal(s0(p, "mu"), 0, 10) + expo(s0(p, "sigma"), 1) + sum(d.y.length, (i) => normal(d.y[i], s0(p, "mu"), s0(p, "sigma"))),
  medium: (p, d) => {
    const [mg, sg, a, b, so] = ["mu_global", "sigma_global", "alpha", "beta", "sigma_obs"].map((k) => s0(p, k));
    return (
      normal(mg, 0, 10) +
      expo(sg, 1) +
      normal(a, mg, sg) +
      normal(b, mg, sg) +
      expo(so, 2) +
      sum(d.y_a.length, (i) => normal(d.y_a[i], a, so)) +
      sum(d.y_b.length, (i) => normal(d.y_b[i], b, so))
    );
  },
  stress: (p, d) => {
    const [mp, sp] = [s0(p, "mu_pop"), s0(p, "sigma_pop")];
    let lp = normal(mp, 0, 10) + expo(sp, 0.5);
    for (const j of [1, 2, 3]) {
      const [g, n, y] = [s0(p, `group_${j}`), s0(p, `noise_${j}`), d[`y_${j}`] as number[]];
      lp += normal(g, mp, sp) + expo(n, 1) + sum(y.length, (i) => normal(y[i], g, n));
    }
    return lp;
  },
  eight_schools: (p, d) => {
    const [mu, tau] = [s0(p, "mu"), s0(p, "tau")];
    return normal(mu, 0, 5) + normal(tau, 0, 5) + sum(8, (j) => normal(p.theta[j], mu, tau) + normal(d.y[j], p.theta[j], d.sigma[j]));
  },
  funnel: (p) => normal(s0(p, "y"), 0, 3) + sum(9, (k) => normal(p.x[k], 0, Math.exp(s0(p, "y") / 2))),
  logistic: (p, d) =>
    normal(s0(p, "alpha"), 0, 10) +
    sum(20, (k) => normal(p.beta[k], 0, 10)) +
    sum(d.y.length, (i) => bernoulliLogit(d.y[i], s0(p, "alpha") + sum(20, (k) => d.X[i][k] * p.beta[k]))),
  sv: (p, d) => {
    const [sigma, nu, s, r] = [s0(p, "sigma"), s0(p, "nu"), p.s, d.returns as number[]];
    const lgammaHalf = (x: number) => lgamma(x);
    const t = (y: number, scale: number) =>
      lgammaHalf((nu + 1) / 2) -
      lgammaHalf(nu / 2) -
      0.5 * Math.log(nu * Math.PI) -
      Math.log(scale) -
      ((nu + 1) / 2) * Math.log1p((y / scale) ** 2 / nu);
    return (
      expo(sigma, 50) +
      expo(nu, 0.1) +
      normal(s[0], 0, sigma) +
      sum(r.length - 1, (i) => normal(s[i + 1], s[i], sigma)) +
      sum(r.length, (i) => t(r[i], Math.exp(s[i])))
    );
  },
};

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
function lgamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
