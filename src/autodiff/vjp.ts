/**
 * Vector–Jacobian products, one rule per IR op. The table's type makes a
 * forgotten op a compile error. A rule receives the node, the cotangent `g`
 * of its output and which sources need one; it returns a cotangent (or null)
 * per source.
 * @module
 */
import type { Graph } from "../ir/graph.ts";
import type { Arg, Node, Op } from "../ir/node.ts";
import { FINITE_FLOOR } from "../ir/simplify.ts";
import type { VjpRule } from "./rule.ts";
import { scanVjp } from "./scanVjp.ts";

const leaf: VjpRule<Op> = () => [];
const range = (start: number, n: number) => Int32Array.from({ length: n }, (_, k) => start + k);

/** g · f'(x) for a unary op, with f' built from x and the output y. */
function unaryRule<K extends Op>(deriv: (G: Graph, x: Node, y: Node) => Node): VjpRule<K> {
  return (n, g, G) => [G.binary("mul", g, deriv(G, n.src[0], n))];
}

function c(G: Graph, x: number, like: Node): Node {
  return G.broadcast(G.scalar(x), like.shape);
}

/** The lower triangle of a square matrix (diagonal kept), as a mask product. */
function tril(G: Graph, x: Node): Node {
  const n = x.shape[0];
  const mask = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) mask[i * n + j] = 1;
  return G.binary("mul", x, G.constant(mask, [n, n]));
}

/** outer(a, b) of two vectors. */
function outer(G: Graph, a: Node, b: Node): Node {
  return G.matmul(G.reshape(a, [a.shape[0], 1]), G.reshape(b, [1, b.shape[0]]));
}

/** The rules. */
export const vjpRules: { readonly [K in Op]: VjpRule<K> } = {
  const: leaf,
  param: leaf,
  data: leaf,
  neg: (_n, g, G) => [G.unary("neg", g)],
  exp: unaryRule((_G, _x, y) => y),
  log: (n, g, G) => [G.binary("div", g, n.src[0])],
  log1p: (n, g, G) => [G.binary("div", g, G.binary("add", c(G, 1, n), n.src[0]))],
  expm1: unaryRule((G, _x, y) => G.binary("add", y, c(G, 1, y))),
  sqrt: (n, g, G) => [G.binary("div", G.binary("mul", g, c(G, 0.5, n)), n)],
  abs: unaryRule((G, x) => G.unary("sign", x)),
  sigmoid: unaryRule((G, _x, y) => G.binary("mul", y, G.binary("sub", c(G, 1, y), y))),
  softplus: unaryRule((G, x) => G.unary("sigmoid", x)),
  tanh: unaryRule((G, _x, y) => G.binary("sub", c(G, 1, y), G.binary("mul", y, y))),
  sin: unaryRule((G, x) => G.unary("cos", x)),
  cos: unaryRule((G, x) => G.unary("neg", G.unary("sin", x))),
  erf: unaryRule((G, x) => G.binary("mul", c(G, 2 / Math.sqrt(Math.PI), x), G.unary("exp", G.unary("neg", G.binary("mul", x, x))))),
  lgamma: unaryRule((G, x) => G.unary("digamma", x)),
  digamma: unaryRule((G, x) => G.unary("trigamma", x)),
  trigamma: unaryRule((G, x) => G.unary("tetragamma", x)),
  tetragamma: () => {
    throw new Error("sampo differentiates special functions to second order only (tetragamma has no rule)");
  },
  sign: () => [null],
  step: () => [null],
  add: (_n, g) => [g, g],
  sub: (_n, g, G) => [g, G.unary("neg", g)],
  mul: (n, g, G, need) => [need[0] ? G.binary("mul", g, n.src[1]) : null, need[1] ? G.binary("mul", g, n.src[0]) : null],
  div: (n, g, G, need) => {
    const b = n.src[1];
    const ga = G.binary("div", g, b);
    return [need[0] ? ga : null, need[1] ? G.unary("neg", G.binary("mul", ga, n)) : null];
  },
  pow: (n, g, G, need) => {
    const [a, b] = n.src;
    const ga = need[0] ? G.binary("mul", g, G.binary("mul", b, G.binary("pow", a, G.binary("sub", b, c(G, 1, b))))) : null;
    const gb = need[1] ? G.binary("mul", g, G.binary("mul", n, G.unary("log", a))) : null;
    return [ga, gb];
  },
  max: (n, g, G, need) => {
    const pick = G.unary("step", G.binary("sub", n.src[0], n.src[1]));
    return [need[0] ? G.binary("mul", g, pick) : null, need[1] ? G.binary("mul", g, G.binary("sub", c(G, 1, pick), pick)) : null];
  },
  min: (n, g, G, need) => {
    const pick = G.unary("step", G.binary("sub", n.src[1], n.src[0]));
    return [need[0] ? G.binary("mul", g, pick) : null, need[1] ? G.binary("mul", g, G.binary("sub", c(G, 1, pick), pick)) : null];
  },
  broadcast: (n, g, G) => [G.sumTo(g, n.src[0].shape)],
  sumTo: (n, g, G) => [G.broadcast(g, n.src[0].shape)],
  reshape: (n, g, G) => [G.reshape(g, n.src[0].shape)],
  sum: (n, g, G) => {
    const x = n.src[0];
    const axis = n.arg.axis;
    const kept =
      axis === null
        ? g
        : G.reshape(
            g,
            x.shape.map((d, k) => (k === axis ? 1 : d)),
          );
    return [G.broadcast(kept, x.shape)];
  },
  logSumExp: (n, g, G) => {
    const x = n.src[0];
    const axis = n.arg.axis;
    const keep = (t: Node) =>
      axis === null
        ? t
        : G.reshape(
            t,
            x.shape.map((d, k) => (k === axis ? 1 : d)),
          );
    // Where every term is −∞ so is the result, and the weights e^(x − lse) would be NaN;
    // −∞ is moved to the least finite number there, which makes them 0 (as a tangent is).
    const lse = G.binary("max", n, c(G, FINITE_FLOOR, n));
    const weights = G.unary("exp", G.binary("sub", x, G.broadcast(keep(lse), x.shape)));
    return [G.binary("mul", G.broadcast(keep(g), x.shape), weights)];
  },
  gather: (n, g, G) => [G.scatterAdd(g, n.arg.indices, n.src[0].shape[0])],
  scatterAdd: (n, g, G) => [G.gather(g, (n.arg as Arg<"scatterAdd">).indices)],
  concat: (n, g, G, need) => {
    let start = 0;
    return n.src.map((x, i) => {
      const part = need[i] ? G.gather(g, range(start, x.shape[0])) : null;
      start += x.shape[0];
      return part;
    });
  },
  transpose: (_n, g, G) => [G.transpose(g)],
  matmul: (n, g, G, need) => {
    const [a, b] = n.src;
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra === 2 && rb === 2) {
      return [need[0] ? G.matmul(g, G.transpose(b)) : null, need[1] ? G.matmul(G.transpose(a), g) : null];
    }
    if (ra === 2 && rb === 1) {
      return [need[0] ? outer(G, g, b) : null, need[1] ? G.matmul(G.transpose(a), g) : null];
    }
    if (ra === 1 && rb === 2) {
      return [need[0] ? G.matmul(b, g) : null, need[1] ? outer(G, a, g) : null];
    }
    return [need[0] ? G.binary("mul", G.broadcast(g, b.shape), b) : null, need[1] ? G.binary("mul", G.broadcast(g, a.shape), a) : null];
  },
  cholesky: (n, g, G) => {
    // Ā = L⁻ᵀ Φ(Lᵀ Ḡ) L⁻¹, the adjoint of dL = L Φ(L⁻¹ dA L⁻ᵀ) (Φ: lower triangle, diagonal halved).
    const l = n;
    const k = l.shape[0];
    const phi = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) phi[i * k + j] = i === j ? 0.5 : 1;
    const p = G.binary("mul", G.matmul(G.transpose(l), g), G.constant(phi, [k, k]));
    const left = G.triSolve(l, p, true);
    return [G.transpose(G.triSolve(l, G.transpose(left), true))];
  },
  triSolve: (n, g, G, need) => {
    const [l, b] = n.src;
    const x = n;
    const t = n.arg.transpose;
    const gb = G.triSolve(l, g, !t);
    let gl: Node | null = null;
    if (need[0]) {
      const prod =
        b.shape.length === 1 ? (t ? outer(G, x, gb) : outer(G, gb, x)) : t ? G.matmul(x, G.transpose(gb)) : G.matmul(gb, G.transpose(x));
      gl = G.unary("neg", tril(G, prod));
    }
    return [gl, need[1] ? gb : null];
  },
  placeholder: leaf,
  scanResult: (n, g, _G, _need, ctx) => {
    ctx.addResultCot(n.src[0], n.arg.index, g);
    return [null];
  },
  scan: (n, _g, G, need, ctx) => scanVjp(n, G, need, ctx),
  cumsum: (n, g, G) => {
    const len = n.shape[0];
    const rev = Int32Array.from({ length: len }, (_, k) => len - 1 - k);
    return [G.gather(G.cumsum(G.gather(g, rev)), rev)];
  },
};
