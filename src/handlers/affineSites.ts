/**
 * Finding the sites a model writes non-centered: `z ~ Normal(0, 1)` whose
 * only use is an affine map x = loc + scale · z, reached through `+`, `−`,
 * `·` and `/` by terms that do not depend on z, possibly through several
 * deterministics (`theta = mu + tau * z`). Partial centering
 * (reparameterize.ts) then samples such a z as it samples a centered
 * site x ~ Normal(loc, scale).
 *
 * The model runs once through the graph builder with every standard normal
 * and every deterministic replaced by a distinct probe node, so that the
 * uses of each are the probe's consumers in the IR (interning would merge a
 * deterministic with its value). From each probe the path of single uses
 * is followed while each use is one affine step: its other operand must be
 * replayable from values the model received by name (irReplay.ts) and, for
 * `·` and `/`, positive by construction (a positive-support site, a
 * positive constant, exp, softplus, sigmoid, and sums, products, quotients,
 * powers and broadcasts of those), as partial centering takes powers of the
 * scale. Not matched, deliberately: a z with a non-constant or non-standard
 * location or scale, or one pinned with `reparam`; a z used anywhere but on
 * its path (twice, inside a non-affine function, broadcast to a larger
 * shape); `c − z` and `c / z`; a scale of data (data may change sign after
 * `setData`); a path whose terms are all constants or data. A path stops
 * where it meets the one an earlier site is rewritten along (`theta = mu +
 * tau1·z1 + tau2·z2`, both given after z1 and z2: z1 is rewritten at theta,
 * z2 is not).
 *
 * A path is rewritten where its loc and scale are known: at z's own sample
 * when every value they use was received before z, else at the last
 * deterministic on it (`theta`, whose loc and scale the model has computed
 * by then), provided everything z feeds goes through that deterministic.
 * @module
 */
import type { HandlerWrap, Model, Outputs, SampleSite, WrapEnv } from "../dsl/model.ts";
import { withHandler } from "../dsl/model.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { buildGraph } from "../interpreters/graph.ts";
import type { Arg, Node } from "../ir/node.ts";
import { topoSort } from "../ir/walk.ts";
import { sizeOf } from "../tensor/shape.ts";
import { canReplay } from "./irReplay.ts";

/** One affine step from z towards x: x ← x op operand (operand ∘ x when `left`). */
export interface AffineStep {
  readonly op: "add" | "sub" | "mul" | "div";
  /** The other operand, IR of the discovery graph, replayed from the values the model received by name. */
  readonly operand: Node;
  readonly left: boolean;
}

/** How one written non-centered site is rewritten. */
export interface AffineSite {
  /** From z to the x that is partially centered, in the model's order. */
  readonly steps: readonly AffineStep[];
  /**
   * Where: undefined to rewrite at z's own sample; otherwise the
   * deterministic naming x, at which loc and scale are known.
   */
  readonly at?: string;
  /** Deterministics named along the steps before `at`, after how many steps: re-reported from the rewritten z. */
  readonly named: readonly { readonly name: string; readonly after: number }[];
  /** The IR nodes that are values the model received by name (sites, deterministics, data): the operands' leaves. */
  readonly leaves: ReadonlyMap<number, string>;
}

/**
 * Whether `site` is a standard normal that may be rewritten: Normal(0, 1)
 * by known values, the identity transform, and `reparam` left to "auto".
 */
export function isStandardNormal(site: SampleSite, known: WrapEnv["known"]): boolean {
  if (site.family.name !== "normal" || site.transformSpec.type !== "identity" || site.reparam !== "auto") return false;
  const is = (p: string, v: number) => known(site.params[p])?.every((x) => x === v) ?? false;
  return is("loc", 0) && is("scale", 1);
}

const node = (t: Tensor): Node => t as unknown as Node;

/** What the probed run of a model records. */
interface Probed {
  /** Values the model received by name, with the order it received them in. */
  readonly leaves: Map<number, { readonly name: string; readonly order: number }>;
  /** The probe of each standard normal, by site. */
  readonly probes: Map<string, Node>;
  /** The probe of each deterministic → its name. */
  readonly named: Map<number, string>;
  /** The probes of the deterministics. */
  readonly deterministics: Node[];
  /** Values of sites with positive support ((0, ∞) or (0, 1)). */
  readonly positive: Set<number>;
}

/** Runs `mdl` through the graph builder with probes (see the module comment). */
function probe<D, O extends Outputs>(mdl: Model<D, O>, data: D): { logp: Node; probed: Probed } {
  const probed: Probed = { leaves: new Map(), probes: new Map(), named: new Map(), deterministics: [], positive: new Set() };
  const wrap: HandlerWrap = (inner, m, env) => {
    const receive = <T extends Tensor>(name: string, t: T): T => {
      if (!probed.leaves.has(node(t).id)) probed.leaves.set(node(t).id, { name, order: probed.leaves.size });
      return t;
    };
    // x + (a data leaf of zeros of its own): the same value, a node no other expression can be.
    const distinct = (name: string, x: Tensor): Tensor => {
      const shape = node(x).shape;
      return m.add(x, inner.data(`__sampo_probe__${name}`, new Float64Array(sizeOf(shape)), shape));
    };
    const constant = (t: Tensor) => node(t).op === "const";
    return {
      ...inner,
      sample(site) {
        const x = inner.sample(site);
        if (site.support.kind === "positive" || site.support.kind === "unit") probed.positive.add(node(x).id);
        if (!isStandardNormal(site, env.known) || !constant(site.params.loc) || !constant(site.params.scale)) return receive(site.name, x);
        const p = distinct(site.name, x);
        probed.probes.set(site.name, node(p));
        return receive(site.name, p);
      },
      deterministic(name, value) {
        const q = inner.deterministic(name, distinct(name, value));
        probed.named.set(node(q).id, name);
        probed.deterministics.push(node(q));
        return receive(name, q);
      },
      data: (name, values, shape) => receive(name, inner.data(name, values, shape)),
    };
  };
  return { logp: buildGraph(withHandler(mdl, wrap), data).logp, probed };
}

/** Whether IR node `n` is positive by construction (see the module comment). */
function positivity(probed: Probed): (n: Node) => boolean {
  const memo = new Map<number, boolean>();
  const positive = (n: Node): boolean => {
    let r = memo.get(n.id);
    if (r === undefined) {
      r = probed.named.has(n.id) ? positive(n.src[0]) : probed.positive.has(n.id) || rule(n);
      memo.set(n.id, r);
    }
    return r;
  };
  const rule = (n: Node): boolean => {
    switch (n.op) {
      case "const":
        return (n.arg as Arg<"const">).values.every((v) => v > 0);
      case "exp":
      case "softplus":
      case "sigmoid":
        return true;
      case "sqrt":
      case "broadcast":
      case "reshape":
      case "gather":
      case "pow":
        return positive(n.src[0]);
      case "add":
      case "mul":
      case "div":
        return positive(n.src[0]) && positive(n.src[1]);
      default:
        return false;
    }
  };
  return positive;
}

/** The affine step `c` takes from `n`, if it is one. */
function stepOf(c: Node, n: Node): AffineStep | undefined {
  if (c.src.length !== 2 || c.src[0] === c.src[1]) return undefined;
  const left = c.src[1] === n;
  switch (c.op) {
    case "add":
    case "mul":
      return { op: c.op, operand: c.src[left ? 0 : 1], left };
    case "sub":
    case "div":
      return left ? undefined : { op: c.op, operand: c.src[1], left };
    default:
      return undefined;
  }
}

/** One use along a path: an affine step, or a deterministic naming the value. */
type Item = { readonly step: AffineStep } | { readonly name: string };

const stepsOf = (items: readonly Item[]): AffineStep[] => items.flatMap((it) => ("step" in it ? [it.step] : []));

/**
 * The sites of `mdl` (with `data`) written non-centered, by name, and how
 * each is rewritten (see the module comment).
 */
export function findAffineSites<D, O extends Outputs>(mdl: Model<D, O>, data: D): ReadonlyMap<string, AffineSite> {
  const { logp, probed } = probe(mdl, data);
  // Uses by the density and by every deterministic (a reported value is a use too).
  const users = new Map<number, Node[]>();
  for (const n of topoSort([logp, ...probed.deterministics])) {
    for (const s of n.src) users.get(s.id)?.push(n) ?? users.set(s.id, [n]);
  }
  const inLogp = new Set(topoSort([logp]).map((n) => n.id));
  const isLeaf = (n: Node) => probed.leaves.has(n.id);
  const positive = positivity(probed);
  const admissible = (s: AffineStep) => (s.op === "add" || s.op === "sub" || positive(s.operand)) && canReplay([s.operand], isLeaf);
  const received = (s: AffineStep) => Math.max(-1, ...topoSort([s.operand], isLeaf).map((n) => probed.leaves.get(n.id)?.order ?? -1));
  const random = (s: AffineStep) => topoSort([s.operand]).some((n) => n.op === "param");
  const leaves = new Map([...probed.leaves].map(([id, { name }]) => [id, name]));
  const claimed = new Set<number>();
  const found = new Map<string, AffineSite>();
  for (const [name, p] of probed.probes) {
    if (!inLogp.has(p.id)) continue;
    // The path of single uses from the probe, while each is affine or a deterministic; nodes[i + 1] is items[i]'s result.
    const items: Item[] = [];
    const nodes = [p];
    for (let n = p; ;) {
      const us = users.get(n.id) ?? [];
      if (us.length !== 1 || claimed.has(us[0].id)) break;
      const det = probed.named.get(us[0].id);
      const step = det === undefined ? stepOf(us[0], n) : undefined;
      if (det === undefined && (step === undefined || !admissible(step))) break;
      items.push(step === undefined ? { name: det as string } : { step });
      n = us[0];
      nodes.push(n);
    }
    // At the sample: the items before the first step using a value received after z; at a deterministic: up to the last one.
    const order = probed.leaves.get(p.id)?.order ?? -1;
    const late = items.findIndex((it) => "step" in it && received(it.step) > order);
    const atSample = late < 0 ? items.length : late;
    const atNamed = items.findLastIndex((it) => "name" in it) + 1;
    const sample = stepsOf(items.slice(0, atSample)).length >= stepsOf(items.slice(0, atNamed)).length;
    const k = sample ? atSample : atNamed;
    const steps = stepsOf(items.slice(0, k));
    if (steps.length === 0 || !steps.some(random)) continue;
    const named: { name: string; after: number }[] = [];
    if (!sample) {
      for (const [i, it] of items.slice(0, k - 1).entries())
        if ("name" in it) named.push({ name: it.name, after: stepsOf(items.slice(0, i)).length });
    }
    for (const n of nodes.slice(0, k + 1)) claimed.add(n.id);
    found.set(name, { steps, at: sample ? undefined : (items[k - 1] as { name: string }).name, named, leaves });
  }
  return found;
}
