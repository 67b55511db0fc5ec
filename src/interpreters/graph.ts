/**
 * The graph interpreter: runs a model with IR nodes as values and the
 * density handler, yielding the IR of log p and the parameter layout.
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import { runModel } from "../dsl/model.ts";
import type { Tensor } from "../dsl/tensor.ts";
import { Graph } from "../ir/graph.ts";
import type { Node } from "../ir/node.ts";
import { type DensityTrace, densityHandler } from "./density.ts";
import { graphOps } from "./graphOps.ts";
import { type LayoutEntry } from "../tensor/layout.ts";

/** The IR of a model's log density. */
export interface ModelGraph {
  readonly graph: Graph;
  /** log p at the unconstrained point, plus the log-Jacobian unless built without it. */
  readonly logp: Node;
  readonly layout: readonly LayoutEntry[];
  /** Constrained values of latent sites and deterministics, in model order. */
  readonly values: ReadonlyMap<string, Node>;
  /** Elementwise log-likelihood terms of observed sites. */
  readonly observed: ReadonlyMap<string, Node>;
}

const asNode = (t: Tensor): Node => t as unknown as Node;

/** Options of the graph builder (and of `compile`): whether the log-Jacobian is included. */
export interface GraphOptions {
  /**
   * Add the log-Jacobian of the transforms (true): false gives the density of
   * the constrained values at the transformed point, what maximum a
   * posteriori estimation on the constrained scale optimizes (Stan's
   * `jacobian=0`).
   */
  readonly jacobian?: boolean;
}

/**
 * Builds the IR of a model's log density (the structure pass: every
 * build-time check runs here).
 */
export function buildGraph<D, O extends Outputs>(mdl: Model<D, O>, data: D, opts: GraphOptions = {}): ModelGraph {
  const G = new Graph();
  let trace: DensityTrace | undefined;
  runModel(mdl, data, graphOps(G), (m) => {
    const h = densityHandler(
      m,
      { unconstrained: (offset, size, site) => G.param(offset, size, site) as unknown as Tensor<1> },
      { jacobian: opts.jacobian ?? true, data: (name, values, shape) => G.dataLeaf(name, values, shape) as unknown as Tensor },
    );
    trace = h.trace;
    return h.handler;
  });
  const t = trace as unknown as DensityTrace;
  return {
    graph: G,
    logp: asNode(t.total()),
    layout: t.layout,
    values: new Map([...t.values].map(([k, v]) => [k, asNode(v)])),
    observed: new Map([...t.observed].map(([k, v]) => [k, asNode(v)])),
  };
}
