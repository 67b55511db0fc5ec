/**
 * Partial centering of location-scale sites (Gorinova, Moore & Hoffman
 * 2020, "Automatic reparameterisation of probabilistic programs"): a site
 * x ~ Normal(μ, σ) is sampled as x̃ ~ Normal(λμ, σ^λ) and reported as
 * x = μ + σ^(1−λ) (x̃ − λμ), which has the same distribution for every
 * λ ∈ [0, 1]; λ = 1 is the model as written (centered), λ = 0 is
 * non-centered (x = μ + σ z). A Gaussian random walk with scale σ is sampled
 * as x̃ ~ GRW(σ^λ), x = σ^(1−λ) x̃. A site written non-centered,
 * z ~ Normal(0, 1) used only as x = μ + σ z (affineSites.ts), is sampled
 * the same way (affineRewrite.ts), its λ keyed by z's name: there λ = 0 is
 * the model as written and λ = 1 centered. The λ are data of the compiled
 * density, one per element (one per walk), so changing them needs no
 * rebuild.
 * @module
 */
import { type HandlerWrap, type Model, type Outputs, type SampleSite, type WrapEnv, withHandler } from "../dsl/model.ts";
import { SiteNameError } from "../errors.ts";
import type { Shape } from "../tensor/shape.ts";
import { AffineRewrite, tildeParams } from "./affineRewrite.ts";
import { type AffineSite, findAffineSites, isStandardNormal } from "./affineSites.ts";

/** Centering λ per reparameterized site: one value per element (or one per random walk). */
export type CenteringPlan = ReadonlyMap<string, Float64Array>;

/** Which kind of reparameterization a site admits, if any. */
export type ReparamKind = "elementwise" | "walk";

/**
 * The kind of reparameterization `site` admits: normal sites with the
 * identity transform, and Gaussian random walks with a scalar scale. Sites
 * that ask to stay centered admit none.
 */
export function reparamKind(site: SampleSite): ReparamKind | undefined {
  if (site.reparam === "centered" || site.transformSpec.type !== "identity") return undefined;
  if (site.family.name === "normal") return "elementwise";
  if (site.family.name === "gaussian_random_walk" && site.batchShape.length === 0) return "walk";
  return undefined;
}

/**
 * Whether the location or scale of `site` depends on parameters, by the
 * graph interpreter's `known` (constants and data are known): rescaling by
 * a constant changes nothing the adapted metric does not. Only meaningful
 * while building the graph, where `known` is structural, so it is asked
 * when candidates are found, not when a plan is applied.
 */
function hasRandomLocScale(site: SampleSite, kind: ReparamKind, known: WrapEnv["known"]): boolean {
  const params = kind === "elementwise" ? ["loc", "scale"] : ["scale"];
  return params.some((p) => known(site.params[p]) === undefined);
}

/** The shape of a site's λ. */
export function centeringShape(site: SampleSite, kind: ReparamKind): Shape {
  return kind === "elementwise" ? site.shape : [];
}

/**
 * The data name under which a site's λ enters the compiled density. The
 * prefix cannot clash with the model's own data: those are site names, and
 * this name is registered directly with the interpreter, not as a site.
 */
export function centeringDataName(site: string): string {
  return `__sampo_centering__${site}`;
}

/**
 * The model with its reparameterizable sites sampled at centerings `plan`
 * (sites missing from the plan stay as written). Draws report every site as
 * written. `seen` is told of every site that admits a reparameterization
 * and whose location or scale is random (when run through the graph
 * interpreter, as `compile` does), and of every site written non-centered,
 * before the site is looked up in `plan`: `seen` may add it.
 */
export function reparameterize<D, O extends Outputs>(
  mdl: Model<D, O>,
  plan: CenteringPlan,
  seen?: (site: SampleSite, kind: ReparamKind) => void,
): Model<D, O> {
  // The written non-centered sites need the model's structure with its data: found once per data, when a standard normal is met.
  let data: D;
  let found: { data: D; sites: ReadonlyMap<string, AffineSite> } | undefined;
  const affineSites = (): ReadonlyMap<string, AffineSite> => {
    if (found === undefined || found.data !== data) found = { data, sites: findAffineSites(mdl, data) };
    return found.sites;
  };
  const wrap: HandlerWrap = (inner, m, env) => {
    const affine = new AffineRewrite(inner, m);
    const sample = (site: SampleSite) => {
      const kind = reparamKind(site);
      if (kind === undefined) return inner.sample(site);
      const written = kind === "elementwise" && isStandardNormal(site, env.known) ? affineSites().get(site.name) : undefined;
      if (seen !== undefined && (written !== undefined || hasRandomLocScale(site, kind, env.known))) seen(site, kind);
      const lambdas = plan.get(site.name);
      if (lambdas === undefined) return inner.sample(site);
      const lambda = inner.data(centeringDataName(site.name), lambdas, centeringShape(site, kind));
      if (written !== undefined) return affine.sample(site, lambda, written);
      if (kind === "elementwise") {
        const { loc, scale } = site.params;
        const tilde = inner.sample({ ...site, params: tildeParams(m, site, lambda, { loc, scale }) });
        const x = m.add(loc, m.mul(m.pow(scale, m.sub(1, lambda)), m.sub(tilde, m.mul(lambda, loc))));
        return inner.deterministic(site.name, x);
      }
      const { scale } = site.params;
      const tilde = inner.sample({ ...site, params: { ...site.params, scale: m.pow(scale, lambda) } });
      return inner.deterministic(site.name, m.mul(m.pow(scale, m.sub(1, lambda)), tilde));
    };
    return {
      ...inner,
      sample: (site) => affine.receive(site.name, sample(site)),
      deterministic: (name, value) => affine.receive(name, affine.deterministic(name, value)),
      data: (name, values, shape) => affine.receive(name, inner.data(name, values, shape)),
      finish: () => affine.finish(),
    };
  };
  const wrapped = withHandler(mdl, wrap);
  return {
    ...wrapped,
    fn: (m, d) => {
      data = d;
      return mdl.fn(m, d);
    },
  };
}

/**
 * The model reparameterized at `centering` (λ per site, as a run's `start`
 * message records it), refusing with a {@link SiteNameError} a name that is
 * not a normal (or random-walk) site with a random location or scale —
 * misspelt, or a site no centering applies to. The check reads the model's
 * structure as the graph builder sees it, so it runs when the model is
 * compiled or exported (where it is used).
 */
export function reparameterizeAt<D, O extends Outputs>(
  mdl: Model<D, O>,
  centering: Readonly<Record<string, readonly number[]>>,
): Model<D, O> {
  const plan = new Map(Object.entries(centering).map(([name, lambda]) => [name, Float64Array.from(lambda)]));
  const seen = new Set<string>();
  const wrapped = reparameterize(mdl, plan, (site) => seen.add(site.name));
  return {
    ...wrapped,
    fn: (m, d) => {
      seen.clear();
      const out = wrapped.fn(m, d);
      for (const name of plan.keys()) {
        if (!seen.has(name))
          throw new SiteNameError(
            name,
            "centering given for a site that is not a normal (or random-walk) site with a random location or scale, nor a standard normal written non-centered",
          );
      }
      return out;
    },
  };
}
