/**
 * Algebraic simplification of a model's IR before code generation (after
 * differentiation, so the gradient benefits too):
 *
 * - dimensions of size 1 are dropped from computations (see squeeze.ts):
 *   a scalar parameter's arithmetic is scalar arithmetic;
 * - elementwise arithmetic is put in polynomial form (see poly.ts): scalar
 *   factors leave per-element work, like terms merge, data-only factors
 *   gather into one node;
 * - a full sum of a polynomial becomes a combination of sums of monomials,
 *   so loop-invariant factors multiply the sum once instead of each term;
 * - softplus and sigmoid of −y go through those of y where both signs
 *   occur, so one exp(−|y|) serves both;
 * - squares and reciprocals of exponentials fold into the exponent;
 * - exponentials and roots leave logarithms and roots (stabilize.ts), for
 *   what differentiation built (the model itself is stabilized before).
 *
 * Every rewrite is an identity of real arithmetic; results differ from the
 * unsimplified graph by rounding only.
 * @module
 */
import { foldExpPowers } from "./expPowers.ts";
import { Graph } from "./graph.ts";
import { expandMatmulProducts } from "./matmulProducts.ts";
import { isScalar, isUnary, type Node } from "./node.ts";
import { PolyAlgebra } from "./poly.ts";
import { rebuild } from "./rebuild.ts";
import { squeezeRule } from "./squeeze.ts";
import { stableRule } from "./stabilize.ts";
import { topoSort } from "./walk.ts";

const arithmetic = new Set(["neg", "add", "sub", "mul", "div", "pow"]);

/** f(−y) in terms of f(y), for functions with a parity. */
const reflect: Partial<Record<string, (G: Graph, fy: Node, y: Node) => Node>> = {
  abs: (_G, fy) => fy,
  cos: (_G, fy) => fy,
  sin: (G, fy) => G.unary("neg", fy),
  tanh: (G, fy) => G.unary("neg", fy),
  erf: (G, fy) => G.unary("neg", fy),
};

/** f(−y) in terms of f(y) for softplus and sigmoid, nearly odd: softplus(y) − y and 1 − sigmoid(y). */
const mirror: Record<"softplus" | "sigmoid", (G: Graph, fy: Node, y: Node) => Node> = {
  softplus: (G, fy, y) => G.binary("sub", fy, y),
  sigmoid: (G, fy) => G.binary("sub", G.broadcast(G.scalar(1), fy.shape), fy),
};

/** y when x is −y (a negation, or a vector polynomial that reads better negated), else undefined. */
function negated(alg: PolyAlgebra, x: Node): Node | undefined {
  if (x.op === "neg") return x.src[0];
  if (isScalar(x)) return undefined;
  const p = alg.polyOf(x);
  return PolyAlgebra.leadsNegative(p) ? alg.build(PolyAlgebra.negate(p), x.shape) : undefined;
}

/**
 * Rules for unary functions: the stable forms of stabilize.ts (log(exp(x)) = x, …), and f(−y) through f(y) so a
 * function of an expression and of its negation share one evaluation.
 */
function unaryRule(G: Graph, alg: PolyAlgebra, n: Node): Node | undefined {
  if (!isUnary(n.op)) return undefined;
  const stable = stableRule(G, alg, n);
  if (stable !== undefined) return stable;
  const r = reflect[n.op];
  if (r === undefined) return undefined;
  const y = negated(alg, n.src[0]);
  return y === undefined ? undefined : r(G, G.unary(n.op as "abs", y), y);
}

/** Ops whose result carries its sources' values linearly (sums, scalings, layout). */
const linear = new Set(["neg", "add", "sub", "mul", "div", "sum", "cumsum", "concat", "reshape", "transpose", "broadcast", "gather"]);

/** The ids of the nodes (in topological `order`) whose value reaches an exp through linear ops only. */
function feedsExp(order: readonly Node[]): Set<number> {
  const out = new Set<number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (n.op === "exp" || (linear.has(n.op) && out.has(n.id))) for (const s of n.src) out.add(s.id);
  }
  return out;
}

/**
 * `roots` with softplus(−y) and sigmoid(−y) taken through f(y) where softplus or sigmoid of y is taken too:
 * one exp(−|y|) then serves both signs, and y merges with the terms around it (a Bernoulli-logit likelihood
 * is x·η − softplus(η)). Elsewhere f(−y) stays: softplus(y) − y is ∞ − ∞ at y = ∞, and so are the sums it
 * is split into where Σy overflows (log σ(20x) at x = 9e306), and so does an f(−y) that is exponentiated
 * (see feedsExp).
 */
function shareMirrors(G: Graph, alg: PolyAlgebra, roots: readonly Node[]): Node[] {
  const order = topoSort(roots);
  const fns = order.filter((n) => n.op === "softplus" || n.op === "sigmoid");
  const taken = new Set(fns.map((n) => PolyAlgebra.signature(alg.polyOf(n.src[0]))));
  // A mirror keeps absolute accuracy only (softplus(y) − y rounds e^(−y) to 0 for y > 37): not for
  // what is exponentiated, whose relative accuracy counts (a simplex's e^(log fraction), fraction ≈ 1).
  const exponentiated = feedsExp(order);
  const mirrored = new Set(
    fns
      .filter((n) => {
        if (exponentiated.has(n.id)) return false;
        const y = negated(alg, n.src[0]);
        return y !== undefined && taken.has(PolyAlgebra.signature(alg.polyOf(y)));
      })
      .map((n) => n.id),
  );
  return rebuild(G, roots, (n, original) => {
    const y = mirrored.has(original.id) ? negated(alg, n.src[0]) : undefined;
    return y === undefined ? n : mirror[n.op as keyof typeof mirror](G, G.unary(n.op as "softplus", y), y);
  });
}

/**
 * The nodes whose own IR is needed: roots, and nodes some op other than
 * arithmetic or a full sum reads (those read their sources' polynomials).
 * Scan bodies count as readers of what they use.
 */
function builtNodes(roots: readonly Node[]): Set<number> {
  const out = new Set(roots.map((r) => r.id));
  const seen = new Set<number>();
  const visit = (rs: readonly Node[]) => {
    for (const n of topoSort(rs, (x) => seen.has(x.id))) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      const transparent = arithmetic.has(n.op) || (n.op === "sum" && n.shape.length === 0);
      if (!transparent) for (const s of n.src) out.add(s.id);
      if (n.op === "scan") {
        const a = (n as Node<"scan">).arg;
        for (const r of [...a.nextCarry, ...a.outputs]) out.add(r.id);
        visit([...a.nextCarry, ...a.outputs]);
      }
    }
  };
  visit(roots);
  return out;
}

/**
 * A floor for values that may be −∞ where a gradient rule needs them finite
 * (logSumExp's weights e^(x − lse) for terms all −∞): max(y, FINITE_FLOOR)
 * differs from y only at y = −∞, where the rule's result without it is NaN
 * (e^(−∞ − (−∞))). Compiled code recomputes a non-finite default result in
 * the careful form, so only the careful form keeps the floor, and the
 * default form does not pay for it.
 */
export const FINITE_FLOOR = -Number.MAX_VALUE;

/** Options of {@link simplify}. */
export interface SimplifyOptions {
  /**
   * The careful form: every product and quotient of two factors or more is
   * taken in log space, ±e^(Σ e·log|a|), with its scalar coefficients
   * (never formed apart from what they multiply): finite wherever the value
   * is, in whatever order the default form's factors under- or overflow,
   * for a few operations more per element; a factor of a matrix product
   * multiplies each of its terms (see matmulProducts.ts). Compiled code runs
   * it where the default form's result is not finite.
   */
  readonly careful?: boolean;
  /**
   * In the careful form, an exact zero factor of a product without
   * divisions makes it 0 whatever the other factors (0·∞ = 0, as a
   * forward-mode tangent of 0 has it: a gradient 0.2·r·λ at r = 0 with the
   * cotangent λ overflowed). For gradients only: where the zero is an
   * underflow and the ∞ an overflow, 0 need not be the value, and a
   * sampler stays exact with any gradient but not with any log density.
   */
  readonly zeroDominates?: boolean;
}

/** The simplified graph of `roots` (same values up to rounding). */
export function simplify(G: Graph, roots: readonly Node[], options: SimplifyOptions = {}): Node[] {
  const alg = new PolyAlgebra(G, options.careful, options.zeroDominates);
  const shared = shareMirrors(G, alg, options.careful === true ? expandMatmulProducts(G, roots) : roots);
  const built = builtNodes(shared);
  // Rules build new nodes over simplified sources; those are simplified in turn.
  const simp = (n: Node, original?: Node): Node => {
    // max(y, FINITE_FLOOR): the builders fold a broadcast constant into a constant.
    if (options.careful !== true && n.op === "max" && Graph.isConstEqual(n.src[1], FINITE_FLOOR)) return n.src[0];
    const r = squeezeRule(G, n, simp) ?? unaryRule(G, alg, n);
    if (r !== undefined) return r;
    if (n.op === "sum" && n.shape.length === 0 && n.src[0].shape.length > 0) {
      const x = n.src[0];
      return arithmetic.has(x.op) || x.op === "broadcast" ? alg.buildSum(alg.polyOf(x), x.shape) : n;
    }
    if (!arithmetic.has(n.op)) return n;
    // Arithmetic only arithmetic reads is never emitted: its readers rebuild from its polynomial.
    if (original !== undefined && !built.has(original.id)) return n;
    return alg.build(alg.polyOf(n), n.shape);
  };
  return foldExpPowers(G, alg, rebuild(G, shared, simp));
}
