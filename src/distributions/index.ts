/**
 * The distribution constructors of the modelling algebra (`m.normal(…)`),
 * one family per file in this folder.
 * @module
 */
import type { Dist, Family } from "../dsl/distribution.ts";
import type { Broadcast, Operand, Rank, RankOf, Tensor } from "../dsl/tensor.ts";
import { bernoulli } from "./bernoulli.ts";
import { bernoulliLogit } from "./bernoulliLogit.ts";
import { beta } from "./beta.ts";
import { binomial } from "./binomial.ts";
import { binomialLogit } from "./binomialLogit.ts";
import { categorical } from "./categorical.ts";
import { categoricalLogit } from "./categoricalLogit.ts";
import { cauchy } from "./cauchy.ts";
import { dirichlet } from "./dirichlet.ts";
import { exponential } from "./exponential.ts";
import { flat } from "./flat.ts";
import { gamma } from "./gamma.ts";
import { gaussianRandomWalkFamily } from "./gaussianRandomWalk.ts";
import { halfCauchy } from "./halfCauchy.ts";
import { halfFlat } from "./halfFlat.ts";
import { halfNormal } from "./halfNormal.ts";
import { halfStudentT } from "./halfStudentT.ts";
import { inverseGamma } from "./inverseGamma.ts";
import { laplace } from "./laplace.ts";
import { lkjCholeskyFamily } from "./lkjCholesky.ts";
import { logistic } from "./logistic.ts";
import { logNormal } from "./logNormal.ts";
import { componentParam, mixtureFamily } from "./mixture.ts";
import { mvNormal } from "./mvNormal.ts";
import { mvNormalCholesky } from "./mvNormalCholesky.ts";
import { negativeBinomial } from "./negativeBinomial.ts";
import { normal } from "./normal.ts";
import { poisson } from "./poisson.ts";
import { poissonLog } from "./poissonLog.ts";
import { studentT } from "./studentT.ts";
import { uniform } from "./uniform.ts";
import { weibull } from "./weibull.ts";

type B2<A, B> = Broadcast<A, B>;
type B3<A, B, C> = Broadcast<Broadcast<A, B> extends infer R ? Tensor<R & Rank> : never, C>;
/** The rank of an operand, as a {@link Rank}. */
export type R1<A> = RankOf<A> & Rank;
/** The rank of an operand with its last axis dropped (a categorical over rows). */
export type Drop1<A> = RankOf<A> extends 1 ? 0 : RankOf<A> extends 2 ? 1 : Rank;

/**
 * Distribution constructors. Parameters may be constants, data or random
 * quantities of any broadcastable shape. Names follow Stan where Stan has the
 * family (`negativeBinomial` is Stan's `neg_binomial_2`).
 */
export interface Distributions {
  /** Normal(loc, scale). */
  normal<A extends Operand, B extends Operand>(loc: A, scale: B): Dist<B2<A, B>>;
  /** Half-normal on [0, ∞) with the given scale. */
  halfNormal<A extends Operand>(scale: A): Dist<R1<A>>;
  /** Cauchy(loc, scale). */
  cauchy<A extends Operand, B extends Operand>(loc: A, scale: B): Dist<B2<A, B>>;
  /** Half-Cauchy on [0, ∞). */
  halfCauchy<A extends Operand>(scale: A): Dist<R1<A>>;
  /** Student's t(ν, loc, scale). */
  studentT<A extends Operand, B extends Operand, C extends Operand>(nu: A, loc: B, scale: C): Dist<B3<A, B, C>>;
  /** Half Student's t on [0, ∞). */
  halfStudentT<A extends Operand, B extends Operand>(nu: A, scale: B): Dist<B2<A, B>>;
  /** Exponential with rate λ (mean 1/λ). */
  exponential<A extends Operand>(rate: A): Dist<R1<A>>;
  /** Gamma with shape α and rate β (mean α/β). */
  gamma<A extends Operand, B extends Operand>(shape: A, rate: B): Dist<B2<A, B>>;
  /** Inverse gamma with shape α and scale β. */
  inverseGamma<A extends Operand, B extends Operand>(shape: A, scale: B): Dist<B2<A, B>>;
  /** Beta(α, β) on (0, 1). */
  beta<A extends Operand, B extends Operand>(a: A, b: B): Dist<B2<A, B>>;
  /** Uniform(lower, upper); bounds may be parameters (the support's interval is these tensors; −∞ density outside). */
  uniform<A extends Operand, B extends Operand>(lower: A, upper: B): Dist<B2<A, B>>;
  /** Improper flat density on ℝ (no prior sampler). */
  flat(): Dist<0>;
  /** Improper flat density on (0, ∞) (no prior sampler). */
  halfFlat(): Dist<0>;
  /** Log-normal: log x ~ Normal(mu, sigma). */
  logNormal<A extends Operand, B extends Operand>(mu: A, sigma: B): Dist<B2<A, B>>;
  /** Laplace (double exponential) with location and scale. */
  laplace<A extends Operand, B extends Operand>(loc: A, scale: B): Dist<B2<A, B>>;
  /** Logistic with location and scale. */
  logistic<A extends Operand, B extends Operand>(loc: A, scale: B): Dist<B2<A, B>>;
  /** Weibull with shape α and scale σ. */
  weibull<A extends Operand, B extends Operand>(shape: A, scale: B): Dist<B2<A, B>>;
  /** Bernoulli with probability p. */
  bernoulli<A extends Operand>(p: A): Dist<R1<A>>;
  /** Bernoulli with log-odds (Stan's bernoulli_logit). */
  bernoulliLogit<A extends Operand>(logit: A): Dist<R1<A>>;
  /** Binomial with n trials and probability p. */
  binomial<A extends Operand, B extends Operand>(n: A, p: B): Dist<B2<A, B>>;
  /** Binomial with n trials and log-odds. */
  binomialLogit<A extends Operand, B extends Operand>(n: A, logit: B): Dist<B2<A, B>>;
  /** Poisson with rate λ. */
  poisson<A extends Operand>(rate: A): Dist<R1<A>>;
  /** Poisson with log-rate (Stan's poisson_log). */
  poissonLog<A extends Operand>(logRate: A): Dist<R1<A>>;
  /** Negative binomial with mean μ and dispersion φ (Stan's neg_binomial_2; variance μ + μ²/φ). */
  negativeBinomial<A extends Operand, B extends Operand>(mu: A, phi: B): Dist<B2<A, B>>;
  /**
   * Categorical over 0 … K−1 with probabilities p (last axis); values are
   * real tensors holding integers, −∞ density outside 0 … K−1.
   */
  categorical<A extends Operand>(p: A): Dist<Drop1<A>>;
  /** Categorical over 0 … K−1 with unnormalized log-probabilities (last axis). */
  categoricalLogit<A extends Operand>(logits: A): Dist<Drop1<A>>;
  /** Dirichlet(α) over the simplex of the last axis. */
  dirichlet<A extends Operand>(alpha: A): Dist<1>;
  /** Multivariate normal with mean μ (`[..., K]`) and one covariance Σ (`[K, K]`). */
  mvNormal<A extends Operand, B extends Operand>(mu: A, cov: B): Dist<1>;
  /** Multivariate normal with mean μ and lower Cholesky factor L of the covariance. */
  mvNormalCholesky<A extends Operand, B extends Operand>(mu: A, choleskyFactor: B): Dist<1>;
  /** LKJ distribution over K×K Cholesky factors of correlation matrices, shape η (Stan's lkj_corr_cholesky, normalized). */
  lkjCholesky<B extends Operand>(dim: number, eta: B): Dist<2>;
  /** Gaussian random walk of `steps` points: x₀ ~ N(0, σ), xₜ ~ N(xₜ₋₁, σ). */
  gaussianRandomWalk<A extends Operand>(scale: A, steps: number): Dist<1>;
  /**
   * Finite mixture of scalar components with weights on the simplex (`[K]`,
   * or `[N, K]` per element of a vector batch). Components are distributions
   * built with these constructors, e.g. `m.mixture(w, [m.normal(a, 1), m.normal(b, 1)])`;
   * the mixture's parameters are `weights` and `c{k}_{name}` for each
   * component's (`c0_loc`, `c1_scale`, …).
   */
  mixture(weights: Operand, components: readonly Dist[]): Dist;
}

/** Builds a distribution value (parameters lifted to tensors). */
export type Lift = (x: Operand) => Tensor;

/** Attaches parameters to a family. */
export function dist(family: Family, params: Record<string, Tensor>): Dist {
  return { family, params };
}

/**
 * The constructors, over the running interpreter's lifting of plain numbers.
 * Each attaches its parameters, lifted, to a family; the rank a model sees
 * is carried by the interface's types only.
 *
 * @example
 * ```ts
 * const d = constructors((x) => m.add(x, 0)).normal(0, [1, 2]); // lifted by the numeric algebra `m`
 * d.family.name; // "normal"; d.params holds the tensors loc (shape []) and scale (shape [2])
 * ```
 */
export function constructors(lift: Lift): Distributions {
  // The phantom rank of a Dist is the interface's business; `never` fits every declared rank.
  const make = (family: Family, params: Record<string, Operand>): Dist<never> =>
    dist(family, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, lift(v)]))) as Dist<never>;
  return {
    normal: (loc, scale) => make(normal, { loc, scale }),
    halfNormal: (scale) => make(halfNormal, { scale }),
    cauchy: (loc, scale) => make(cauchy, { loc, scale }),
    halfCauchy: (scale) => make(halfCauchy, { scale }),
    studentT: (nu, loc, scale) => make(studentT, { nu, loc, scale }),
    halfStudentT: (nu, scale) => make(halfStudentT, { nu, scale }),
    exponential: (rate) => make(exponential, { rate }),
    gamma: (shape, rate) => make(gamma, { shape, rate }),
    inverseGamma: (shape, scale) => make(inverseGamma, { shape, scale }),
    beta: (a, b) => make(beta, { a, b }),
    uniform: (lower, upper) => make(uniform, { lower, upper }),
    flat: () => make(flat, {}),
    halfFlat: () => make(halfFlat, {}),
    logNormal: (mu, sigma) => make(logNormal, { mu, sigma }),
    laplace: (loc, scale) => make(laplace, { loc, scale }),
    logistic: (loc, scale) => make(logistic, { loc, scale }),
    weibull: (shape, scale) => make(weibull, { shape, scale }),
    bernoulli: (p) => make(bernoulli, { p }),
    bernoulliLogit: (logit) => make(bernoulliLogit, { logit }),
    binomial: (n, p) => make(binomial, { n, p }),
    binomialLogit: (n, logit) => make(binomialLogit, { n, logit }),
    poisson: (rate) => make(poisson, { rate }),
    poissonLog: (logRate) => make(poissonLog, { logRate }),
    negativeBinomial: (mu, phi) => make(negativeBinomial, { mu, phi }),
    categorical: (p) => make(categorical, { p }),
    categoricalLogit: (logits) => make(categoricalLogit, { logits }),
    dirichlet: (alpha) => make(dirichlet, { alpha }),
    mvNormal: (mu, cov) => make(mvNormal, { mu, cov }),
    mvNormalCholesky: (mu, choleskyFactor) => make(mvNormalCholesky, { mu, L: choleskyFactor }),
    lkjCholesky: (dim, eta) => make(lkjCholeskyFamily(dim), { eta }),
    gaussianRandomWalk: (scale, steps) => make(gaussianRandomWalkFamily(steps), { scale }),
    mixture: (weights, components) => {
      const params: Record<string, Operand> = { weights };
      components.forEach((c, k) => {
        for (const [name, t] of Object.entries(c.params)) params[componentParam(k, name)] = t;
      });
      return make(mixtureFamily(components), params);
    },
  };
}
