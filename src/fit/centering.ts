/**
 * Choosing each site's centering λ from a short pilot warm-up of the fully
 * non-centered model.
 *
 * For x ~ Normal(μ, σ) observed through a likelihood of curvature 1/s², the
 * best partial centering is λ = σ² / (σ² + s²) (Gorinova et al. 2020, §3):
 * 0 (non-centered) where the data are weak, 1 (centered) where they are
 * strong. In the non-centered coordinates z (x = μ + σz) the curvature of
 * log p along zᵢ is κᵢ = cᵢ + σ²/s², where cᵢ is the prior's own curvature
 * (1 for a normal; 2, or 1 at the walk's end, for a unit random walk), so
 * λᵢ = 1 − cᵢ/κᵢ, read off by finite differences of the gradient at the
 * pilot's last warm-up positions (λᵢ depends on σ, which varies over the
 * posterior; a low quantile over the positions is kept); a walk takes the
 * mean of its elements. A site written non-centered, z ~ Normal(0, 1) used
 * as x = μ + σz, is a candidate too: at λ = 0 it is sampled as written, its
 * coordinates are z, and the same curvature gives its λ.
 * @module
 */
import { compile } from "../codegen/compile.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import type { Shape, Numeric } from "../tensor/shape.ts";
import { nest } from "../interpreters/prior.ts";
import { Chain } from "../inference/chain.ts";
import type { ResolvedSampleOptions } from "../inference/options.ts";
import { type CenteringPlan, centeringDataName, centeringShape, type ReparamKind, reparameterize } from "../handlers/reparameterize.ts";
/** Pilot warm-up length; its last POINTS positions are used. */
const PILOT_WARMUP = 150;
const POINTS = 25;
/** Relative finite-difference step for the curvature. */
const H = 1e-4;

interface Candidate {
  readonly name: string;
  readonly kind: ReparamKind;
  readonly size: number;
  /** The shape of its λ. */
  readonly shape: Shape;
  readonly forced: boolean;
}

/**
 * The model compiled fully non-centered, with its reparameterizable sites.
 * One compile does both: the wrap reports each site before it looks the
 * site up in the plan, so the plan gets λ = 0 for a site as it is found.
 */
function nonCentered<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
): { density: CompiledDensity; cands: Candidate[]; plan: Map<string, Float64Array> } {
  const cands: Candidate[] = [];
  const plan = new Map<string, Float64Array>();
  const density = compile(
    reparameterize(mdl, plan, (site, kind) => {
      if (plan.has(site.name)) return;
      const size = site.shape.reduce((a, b) => a * b, 1);
      cands.push({ name: site.name, kind, size, shape: centeringShape(site, kind), forced: site.reparam === "noncentered" });
      plan.set(site.name, new Float64Array(kind === "walk" ? 1 : size));
    }),
    data,
  );
  return { density, cands, plan };
}

/** −∂²log p/∂θᵢ² at θ by central differences of the gradient. */
function curvature(density: CompiledDensity, theta: Float64Array, i: number, grad: Float64Array): number {
  const x = theta[i];
  const h = H * Math.max(1, Math.abs(x));
  theta[i] = x + h;
  density.logpGrad(theta, grad);
  const up = grad[i];
  theta[i] = x - h;
  density.logpGrad(theta, grad);
  const down = grad[i];
  theta[i] = x;
  return -(up - down) / (2 * h);
}

/**
 * The 20 % quantile of the pilot's λ at one element. λ falls where σ is
 * small, in the neck of a funnel, where a too-centered parameterization
 * diverges; the mean would be set by the wide part, so a low quantile
 * errs towards non-centering there, while sites whose data are strong
 * everywhere keep λ near 1.
 */
function lowQuantile(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(0.2 * (sorted.length - 1))];
}

/** The prior's own curvature at element j of a unit-scale site of `size` elements. */
function priorCurvature(kind: ReparamKind, j: number, size: number): number {
  return kind === "walk" && j < size - 1 ? 2 : 1;
}

/**
 * The centering of every reparameterizable site of `mdl` (an empty plan
 * when there are none), and the model compiled with it, ready to sample.
 * Deterministic given the seed: the pilot uses random stream 0, which no
 * chain uses.
 */
export function chooseCentering<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: ResolvedSampleOptions,
): { plan: CenteringPlan; density: CompiledDensity } {
  const { density, cands, plan } = nonCentered(mdl, data);
  const auto = cands.filter((c) => !c.forced);
  if (auto.length === 0) return { plan, density };
  const pilot = new Chain(density, {
    chain: 0,
    seed: opts.seed,
    warmup: PILOT_WARMUP,
    draws: 0,
    maxDepth: opts.maxDepth,
    targetAccept: opts.targetAccept,
    metric: "diag",
  });
  const points: Float64Array[] = [];
  for (let t = pilot.next(); t !== undefined; t = pilot.next()) if (t.iter > PILOT_WARMUP - POINTS) points.push(Float64Array.from(t.theta));
  const grad = new Float64Array(density.dim);
  for (const c of auto) {
    const entry = density.layout.find((e) => e.name === c.name)!;
    const lambda = new Float64Array(c.size);
    for (let j = 0; j < c.size; j++) {
      const shares = points.map((theta) => {
        const kappa = curvature(density, theta, entry.offset + j, grad);
        const prior = priorCurvature(c.kind, j, c.size);
        // A likelihood that adds no curvature (or negative curvature) leaves the site non-centered.
        return kappa > prior ? 1 - prior / kappa : 0;
      });
      lambda[j] = lowQuantile(shares);
    }
    plan.set(c.name, c.kind === "walk" ? Float64Array.of(lambda.reduce((a, b) => a + b, 0) / c.size) : lambda);
  }
  // λ is data of the density: the pilot's density becomes the chains' without another compile.
  density.setData(Object.fromEntries(cands.map((c) => [centeringDataName(c.name), nest(plan.get(c.name)!, c.shape) as Numeric])));
  return { plan, density };
}
