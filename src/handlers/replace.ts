/**
 * Effect handlers in the manner of NumPyro: `condition` and `substitute`
 * replace latent sites by values, for every interpreter (`block.ts` hides
 * sites from the handlers around it).
 *
 * Order follows NumPyro: the handler applied first is innermost and sees
 * each site first; `block` hides sites from the handlers applied around it
 * (the interpreter still sees them). So `block(condition(m, v))` conditions
 * and then hides, while in `condition(block(m), v)` the condition never sees
 * the hidden sites.
 *
 * Every name given to a handler must reach it: once the model has run, a
 * name that matched no site (misspelt, not a latent site, or hidden by an
 * inner `block`) throws a {@link SiteNameError}.
 * @module
 */
import { SiteNameError, ShapeError, SupportError } from "../errors.ts";
import { type MathAlg, numericToArray } from "../dsl/math.ts";
import {
  checkSupport,
  type Model,
  type ObserveSite,
  type Outputs,
  type SampleSite,
  type SiteHandler,
  type WrapEnv,
  withHandler,
} from "../dsl/model.ts";
import { sameShape, showShape } from "../tensor/shape.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { Numeric } from "../tensor/shape.ts";

type Kind = "sample" | "observe" | "data" | "deterministic" | "factor";

const described: { readonly [K in Kind]: string } = {
  sample: "a latent site",
  observe: "an observed site",
  data: "a data site",
  deterministic: "a deterministic",
  factor: "a factor",
};

/**
 * Forwards every site to `next`, recording which names and kinds it saw,
 * with `sample` replaced.
 */
function passThrough(next: SiteHandler, seen: Map<string, Kind>, sample: (site: SampleSite) => Tensor): SiteHandler {
  return {
    sample,
    observe(site: ObserveSite) {
      seen.set(site.name, "observe");
      next.observe(site);
    },
    data(name, values, shape) {
      seen.set(name, "data");
      return next.data(name, values, shape);
    },
    deterministic(name, value) {
      seen.set(name, "deterministic");
      return next.deterministic(name, value);
    },
    factor(name, logp) {
      seen.set(name, "factor");
      next.factor(name, logp);
    },
  };
}

/** Throws for the first name that reached no latent site of this handler. */
function reportUnmatched(handler: string, names: Iterable<string>, matched: ReadonlySet<string>, seen: ReadonlyMap<string, Kind>): void {
  for (const name of names) {
    if (matched.has(name)) continue;
    const kind = seen.get(name);
    throw new SiteNameError(
      name,
      kind === undefined
        ? `${handler}: no site of this name reached the handler (misspelt, or hidden by block)`
        : `${handler} applies to latent (sample) sites; this is ${described[kind]}`,
    );
  }
}

/** A user's value for a site, checked against its shape and support, as data of the interpreter. */
function siteValue(handler: string, site: SampleSite, given: Numeric, next: SiteHandler, env: WrapEnv): Tensor {
  const { values, shape } = numericToArray(given, site.name);
  if (!sameShape(shape, site.shape)) {
    throw new ShapeError(site.name, `${handler}: the value has shape ${showShape(shape)}, the site ${showShape(site.shape)}`);
  }
  const what = `${handler} value`;
  values.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new SupportError(site.name, `${what}${values.length > 1 ? `[${i}]` : ""} = ${x} must be finite`);
  });
  checkSupport(site.name, site.support, values, shape, env.known, what);
  // A data site, as m.observe makes of plain numbers: compiled densities can change it without a rebuild.
  return next.data(site.name, values, shape);
}

/** A handler that replaces some sample sites, and reports unknown names at the end. */
function replacing<D, O extends Outputs>(
  handler: string,
  mdl: Model<D, O>,
  values: Readonly<Record<string, Numeric>>,
  replace: (site: SampleSite, value: Tensor, next: SiteHandler, m: MathAlg) => void,
): Model<D, O> {
  // A Map, not the object: site names are user strings ("__proto__", "constructor").
  const given = new Map(Object.entries(values));
  return withHandler(mdl, (next, m, env) => {
    const matched = new Set<string>();
    const seen = new Map<string, Kind>();
    const h = passThrough(next, seen, (site) => {
      seen.set(site.name, "sample");
      const v = given.get(site.name);
      if (v === undefined) return next.sample(site);
      matched.add(site.name);
      const value = siteValue(handler, site, v, next, env);
      replace(site, value, next, m);
      return value;
    });
    return { ...h, finish: () => reportUnmatched(handler, given.keys(), matched, seen) };
  });
}

/**
 * Observes the named latent sites at the given values (NumPyro's
 * `condition`): each contributes its log density at that value and leaves
 * the parameter layout; its value becomes a data site of the same name, so
 * interpreters treat it as `m.observe(name, dist, value)` would. Values must
 * have the site's shape and lie in its support.
 *
 * @example
 * ```ts
 * const fixedTau = condition(eightSchools, { tau: 2 });
 * logDensity(fixedTau, data).layout.map((e) => e.name); // ["mu", "theta"]
 * ```
 */
export function condition<D, O extends Outputs>(model: Model<D, O>, values: Readonly<Record<string, Numeric>>): Model<D, O> {
  return replacing("condition", model, values, (site, value, next) =>
    next.observe({ name: site.name, family: site.family, params: site.params, value, shape: site.shape, batchShape: site.batchShape }),
  );
}

/**
 * Fixes the named latent sites at the given values (NumPyro's
 * `substitute`): they leave the parameter layout, and, as in NumPyro, each
 * keeps its log density at the given value in the joint (a factor of the
 * site's name), so the density is the one {@link condition} gives. Unlike
 * {@link condition}, the site does not become an observation: it has no
 * pointwise log-likelihood and no posterior predictive draws, and prior
 * draws report the given value. Values must have the site's shape and lie
 * in its support; the value becomes a data site of the same name.
 *
 * @example
 * ```ts
 * const atTau = substitute(eightSchools, { tau: 2 });
 * priorSample(atTau, data).draws.tau; // every draw is 2
 * ```
 */
export function substitute<D, O extends Outputs>(model: Model<D, O>, values: Readonly<Record<string, Numeric>>): Model<D, O> {
  return replacing("substitute", model, values, (site, value, next, m) =>
    next.factor(site.name, m.sum(site.family.logProb(m, value, site.params))),
  );
}
