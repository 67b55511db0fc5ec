/**
 * The IR every backend generates code from: log p, its gradient by
 * reverse-mode AD, and the constrained values, simplified together so that
 * log p and its gradient share their forward nodes.
 * @module
 */
import { gradient } from "../autodiff/grad.ts";
import type { ModelGraph } from "../interpreters/graph.ts";
import type { Node } from "../ir/node.ts";
import { simplify } from "../ir/simplify.ts";
import { stabilize } from "../ir/stabilize.ts";
import { verifyIR } from "../ir/verify.ts";
import { topoSort } from "../ir/walk.ts";

/** Simplified roots of a density. */
export interface DensityGraph {
  readonly logp: Node;
  /** Gradient with respect to each parameter leaf (`graph.params` order); null where log p does not depend on it. */
  readonly grads: readonly (Node | null)[];
  /** Constrained values, in `mg.values` order. */
  readonly values: readonly Node[];
  /**
   * log p and its gradient in the careful form (see `simplify`'s option), which the
   * JavaScript backend evaluates where the default form's are not finite; undefined where the
   * careful form is the same graph.
   */
  readonly careful?: { readonly logp: Node; readonly grads: readonly (Node | null)[] };
  /** All of the above, for whole-graph passes. */
  readonly roots: readonly Node[];
}

/** Differentiates and simplifies a model graph (verifying the result). */
export function densityGraph(mg: ModelGraph): DensityGraph {
  const G = mg.graph;
  // Stable forms first, so that the derivative rules see them (see stabilize.ts).
  const [logp, ...rawValues] = stabilize(G, [mg.logp, ...mg.values.values()]);
  const rawGrads = gradient(G, logp, G.params);
  const live = rawGrads.filter((g): g is Node => g !== null);
  // One simplification of everything, so logp and logpGrad share their forward nodes (and agree bit for bit).
  const roots = simplify(G, [logp, ...live, ...rawValues]);
  // Each parameter's simplified gradient, from roots laid out as [log p, ...live gradients of `raw`, …].
  const gradsIn = (raw: readonly (Node | null)[], rs: readonly Node[]) => {
    let k = 0;
    return raw.map((g) => (g === null ? null : rs[1 + k++]));
  };
  // The careful gradient carries scans' cotangents as signed logs (the same graph where there is no scan).
  const carefulRaw = topoSort([logp]).some((n) => n.op === "scan") ? gradient(G, logp, G.params, { signedLogScans: true }) : rawGrads;
  const carefulLive = carefulRaw.filter((g): g is Node => g !== null);
  // The careful log density apart from the careful gradient: only the gradient takes 0·∞ as 0.
  const carefulRoots = [...simplify(G, [logp], { careful: true }), ...simplify(G, carefulLive, { careful: true, zeroDominates: true })];
  const same = carefulRoots.every((r, k) => r === roots[k]);
  const careful = same ? undefined : { logp: carefulRoots[0], grads: gradsIn(carefulRaw, carefulRoots) };
  const grads = gradsIn(rawGrads, roots);
  const all = same ? roots : [...roots, ...carefulRoots];
  verifyIR(all);
  return { logp: roots[0], grads, values: roots.slice(1 + live.length), careful, roots: all };
}
