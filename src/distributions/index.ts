/**
 * The distribution constructors of the modelling algebra (`m.normal(…)`),
 * one family per file in this folder.
 * @module
 */
import type { Dist, Family } from "../dsl/distribution.ts";
import type { Broadcast, Operand, Rank, RankOf, Tensor } from "../dsl/tensor.ts";

type B2<A, B> = Broadcast<A, B>;
type B3<A, B, C> = Broadcast<Broadcast<A, B> extends infer R ? Tensor<R & Rank> : never, C>;
type R1<A> = RankOf<A> & Rank;
type Drop1<A> = RankOf<A> extends 1 ? 0 : RankOf<A> extends 2 ? 1 : Rank;

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
  /** Uniform(lower, upper); bounds may be parameters. */
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
  /** Categorical over 0 … K−1 with probabilities p (last axis). */
  categorical<A extends Operand>(p: A): Dist<Drop1<A>>;
  /** Categorical over 0 … K−1 with unnormalized log-probabilities (last axis). */
  categoricalLogit<A extends Operand>(logits: A): Dist<Drop1<A>>;
  /** Dirichlet(α) over the simplex of the last axis. */
  dirichlet<A extends Operand>(alpha: A): Dist<1>;
  /** Multivariate normal with mean μ and covariance Σ. */
  mvNormal<A extends Operand, B extends Operand>(mu: A, cov: B): Dist<1>;
  /** Multivariate normal with mean μ and lower Cholesky factor L of the covariance. */
  mvNormalCholesky<A extends Operand, B extends Operand>(mu: A, choleskyFactor: B): Dist<1>;
  /** LKJ distribution over K×K Cholesky factors of correlation matrices, shape η. */
  lkjCholesky<B extends Operand>(dim: number, eta: B): Dist<2>;
  /** Gaussian random walk of `steps` points: x₀ ~ N(0, σ), xₜ ~ N(xₜ₋₁, σ). */
  gaussianRandomWalk<A extends Operand>(scale: A, steps: number): Dist<1>;
  /** Finite mixture of scalar components with weights on the simplex. */
  mixture(weights: Operand, components: readonly Dist[]): Dist;
}

/** Builds a distribution value (parameters lifted to tensors). */
export type Lift = (x: Operand) => Tensor;

/** Attaches parameters to a family. */
export function dist(family: Family, params: Record<string, Tensor>): Dist {
  return { family, params };
}

/** The constructors, over the running interpreter's lifting of plain numbers. */
export declare function constructors(lift: Lift): Distributions;
