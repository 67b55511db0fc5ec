/**
 * Partial centering of a site written non-centered (found by
 * affineSites.ts): z ~ Normal(0, 1) used as x = loc + scale · z is sampled
 * as x̃ ~ Normal(λ·loc, scale^λ) and reported as z = scale^(−λ) (x̃ − λ·loc),
 * which is Normal(0, 1) for every λ ∈ [0, 1]. So x = loc + scale^(1−λ)
 * (x̃ − λ·loc), exactly as for a site written centered: λ = 0 is the model
 * as written, λ = 1 samples x itself.
 *
 * Where loc and scale are known at z's sample, x̃ is sampled there and the
 * model computes x from the z it receives. Otherwise z is sampled as
 * written (the coordinate is x̃) and the deterministic naming x completes
 * the rewrite: a factor turns z's Normal(0, 1) term into x̃'s density, the
 * deterministic returns x from x̃, and z and the deterministics on the way
 * are reported again from the new z. (The prior interpreter ignores
 * factors: forward-sample the model as written.)
 * @module
 */
import type { MathAlg } from "../dsl/math.ts";
import type { SampleSite, SiteHandler } from "../dsl/model.ts";
import type { Params } from "../dsl/distribution.ts";
import type { Tensor } from "../dsl/tensor.ts";
import type { Node } from "../ir/node.ts";
import type { AffineSite, AffineStep } from "./affineSites.ts";
import { replay } from "./irReplay.ts";

/** loc and scale of x = loc + scale · z; absent when the steps have none (0 and 1). */
interface Form {
  readonly loc?: Tensor;
  readonly scale?: Tensor;
}

/**
 * The parameters of x̃ ~ Normal(λ·loc, scale^λ), for a normal site
 * partially centered at `lambda` (the site's own loc and scale where `form`
 * has none).
 */
export function tildeParams(m: MathAlg, site: SampleSite, lambda: Tensor, form: Form): Params {
  return {
    ...site.params,
    ...(form.loc === undefined ? {} : { loc: m.mul(lambda, form.loc) }),
    ...(form.scale === undefined ? {} : { scale: m.pow(form.scale, lambda) }),
  };
}

/** z = scale^(−λ) (x̃ − λ·loc). */
function standardized(m: MathAlg, tilde: Tensor, lambda: Tensor, form: Form): Tensor {
  const shifted = form.loc === undefined ? tilde : m.sub(tilde, m.mul(lambda, form.loc));
  return form.scale === undefined ? shifted : m.mul(m.pow(form.scale, m.neg(lambda)), shifted);
}

/** `x` after one step, as the model computes it. */
function apply(m: MathAlg, step: AffineStep, operand: Tensor, x: Tensor): Tensor {
  return step.left ? m[step.op](operand, x) : m[step.op](x, operand);
}

/** loc and scale of the composed steps. */
function formOf(m: MathAlg, steps: readonly AffineStep[], operands: readonly Tensor[]): Form {
  let loc: Tensor | undefined;
  let scale: Tensor | undefined;
  steps.forEach((s, i) => {
    const v = operands[i];
    if (s.op === "add") loc = loc === undefined ? v : m.add(loc, v);
    else if (s.op === "sub") loc = loc === undefined ? m.neg(v) : m.sub(loc, v);
    else {
      loc = loc === undefined ? undefined : m[s.op](loc, v);
      scale = scale === undefined ? (s.op === "mul" ? v : m.div(1, v)) : m[s.op](scale, v);
    }
  });
  return { loc, scale };
}

/** A rewrite waiting for its deterministic. */
interface Pending {
  readonly site: SampleSite;
  /** z's coordinate as sampled: x̃. */
  readonly tilde: Tensor;
  readonly lambda: Tensor;
  readonly how: AffineSite;
}

/**
 * One run's rewrites of written non-centered sites, over the handler
 * `inner` and algebra `m`. Every value the model receives by name must pass
 * {@link AffineRewrite.receive}: the steps' operands are replayed from them.
 */
export class AffineRewrite {
  private readonly received = new Map<string, Tensor>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly inner: SiteHandler,
    private readonly m: MathAlg,
  ) {}

  /** Notes a value the model receives under `name`, and returns it. */
  receive<T extends Tensor>(name: string, t: T): T {
    this.received.set(name, t);
    return t;
  }

  /** z sampled at centering `lambda`, rewritten as `how` says. */
  sample(site: SampleSite, lambda: Tensor, how: AffineSite): Tensor {
    if (how.at !== undefined) {
      const tilde = this.inner.sample(site);
      this.pending.set(how.at, { site, tilde, lambda, how });
      return tilde;
    }
    const form = formOf(this.m, how.steps, this.operands(how));
    const tilde = this.inner.sample({ ...site, params: tildeParams(this.m, site, lambda, form) });
    return this.inner.deterministic(site.name, standardized(this.m, tilde, lambda, form));
  }

  /** The deterministic `name` with `value`: where a pending rewrite completes, x from x̃ instead. */
  deterministic(name: string, value: Tensor): Tensor {
    const p = this.pending.get(name);
    if (p === undefined) return this.inner.deterministic(name, value);
    this.pending.delete(name);
    const { m, inner } = this;
    const { site, tilde, lambda, how } = p;
    const operands = this.operands(how);
    const form = formOf(m, how.steps, operands);
    const logp = (params: Params) => m.sum(site.family.logProb(m, tilde, params));
    inner.factor(`__sampo_jacobian__${site.name}`, m.sub(logp(tildeParams(m, site, lambda, form)), logp(site.params)));
    let x = inner.deterministic(site.name, standardized(m, tilde, lambda, form));
    let k = 0;
    how.steps.forEach((step, i) => {
      for (; k < how.named.length && how.named[k].after === i; k++) inner.deterministic(how.named[k].name, x);
      x = apply(m, step, operands[i], x);
    });
    for (; k < how.named.length; k++) inner.deterministic(how.named[k].name, x);
    return inner.deterministic(name, x);
  }

  /** Once the model has returned: every rewrite waiting for a deterministic got it (the model ran as when its sites were found). */
  finish(): void {
    for (const [at, p] of this.pending) {
      throw new Error(
        `internal error: '${p.site.name}' waited for the deterministic '${at}', which the model did not give; please report this model`,
      );
    }
  }

  /** The steps' operands, replayed from the values received so far. */
  private operands(how: AffineSite): Tensor[] {
    const isLeaf = (n: Node) => how.leaves.has(n.id);
    const leaf = (n: Node): Tensor => {
      const t = this.received.get(how.leaves.get(n.id) as string);
      if (t === undefined) throw new Error(`internal error: '${how.leaves.get(n.id)}' is needed before the model gives it`);
      return t;
    };
    return replay(
      this.m,
      how.steps.map((s) => s.operand),
      isLeaf,
      leaf,
    );
  }
}
