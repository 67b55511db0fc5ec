/**
 * Rewrites for numbers at the edges: forms of an expression whose value
 * and, above all, whose reverse-mode derivative stay finite where the
 * written form's do not. They run on a model's graph before it is
 * differentiated (so the derivative rules see the stable form) and again
 * in the simplifier (for what differentiation builds).
 *
 * Why they matter: a reverse-mode rule multiplies the cotangent by a local
 * derivative, so an intermediate that underflows or overflows poisons the
 * chain even when the end result is finite. √(c·eˣ) with eˣ = 0 has the
 * derivative (½/√(c·eˣ))·c·eˣ = ∞·0 = NaN, while √c·e^(x/2) has
 * ½·√c·e^(x/2) = 0. The reference interpreter (forward mode) does not see
 * this: a zero tangent stops the chain there.
 *
 * Each rule is an identity of real arithmetic on the rule's domain, and
 * gives NaN (or the same infinity) outside it, as the written form does.
 * @module
 */
import { sizeOf } from "../tensor/shape.ts";
import type { Graph } from "./graph.ts";
import { type ElementwiseUnary, isScalar, type Node } from "./node.ts";
import { type Mono, type Poly, PolyAlgebra } from "./poly.ts";
import { rebuild } from "./rebuild.ts";

const allScalar = (p: Poly) => p.every((m) => [...m.pow.keys()].every(isScalar));

/** Whether a node is ≥ 0 (or NaN) wherever it is evaluated, by its form alone (data can change, so it never counts). */
function nonNegative(n: Node): boolean {
  switch (n.op) {
    case "exp":
    case "sqrt":
    case "abs":
    case "softplus":
    case "sigmoid":
      return true;
    case "const":
      return (n.arg as { values: Float64Array }).values.every((v) => v >= 0);
    case "broadcast":
    case "reshape":
      return nonNegative(n.src[0]);
    case "max":
      return nonNegative(n.src[0]) || nonNegative(n.src[1]);
    case "mul":
      return n.src[0] === n.src[1] || (nonNegative(n.src[0]) && nonNegative(n.src[1]));
    case "div":
    case "add":
      return nonNegative(n.src[0]) && nonNegative(n.src[1]);
    default:
      return false;
  }
}

/** A polynomial 1 ± a of one atom a (power 1), as the atom and the sign. */
function onePlusAtom(p: Poly): { atom: Node; sign: number } | undefined {
  if (p.length !== 2) return undefined;
  const [one, term] = p[0].pow.size === 0 ? p : [p[1], p[0]];
  if (one.pow.size !== 0 || one.num !== 1 || term.pow.size !== 1 || Math.abs(term.num) !== 1) return undefined;
  const [atom, k] = [...term.pow][0];
  return k === 1 ? { atom, sign: term.num } : undefined;
}

/** Whether every monomial of a polynomial is ≥ 0 by its form (a positive coefficient, atoms ≥ 0 or to even powers). */
function nonNegativePoly(p: Poly): boolean {
  return p.every((m) => m.num > 0 && [...m.pow].every(([a, e]) => e % 2 === 0 || nonNegative(a)));
}

/**
 * A polynomial c ± σ(y) as c' + σ(s·y) (c' = c for +σ(y), c − 1 for −σ(y) = σ(−y) − 1), for one
 * monomial ±σ(y) and a rest c' that is ≥ 0 by its form and not 0.
 */
function plusSigmoid(alg: PolyAlgebra, written: Poly): { rest: Poly; y: Poly } | undefined {
  // A scalar sum broadcast over a vector is one atom of the vector's polynomial (a Bernoulli's
  // 1 − σ(z) + shift): open it.
  const p = written.reduce<Poly>((acc, m) => {
    const [a, k] = m.pow.size === 1 ? [...m.pow][0] : [];
    const open = a !== undefined && k === 1 && isScalar(a) && (a.op === "add" || a.op === "sub");
    return PolyAlgebra.plus(acc, open ? PolyAlgebra.times(alg.polyOf(a), m.num) : [m]);
  }, []);
  for (const m of p) {
    const [a, k] = m.pow.size === 1 ? [...m.pow][0] : [];
    if (a?.op !== "sigmoid" || k !== 1 || Math.abs(m.num) !== 1) continue;
    const others = p.filter((o) => o !== m);
    const rest = m.num === 1 ? others : PolyAlgebra.plus(others, [{ num: -1, pow: new Map() }]);
    const y = PolyAlgebra.times(alg.polyOf(a.src[0]), m.num);
    return rest.length > 0 && nonNegativePoly(rest) ? { rest, y } : undefined;
  }
  return undefined;
}

/** The rewrite of one node, given the polynomial reader of its graph; undefined when none applies. */
export function stableRule(G: Graph, alg: PolyAlgebra, n: Node): Node | undefined {
  const x = n.src[0];
  const shape = n.shape;
  // A polynomial built as a scalar when it only has scalar atoms (then broadcast by its reader).
  const built = (p: Poly) => alg.build(p, allScalar(p) ? [] : shape);
  const unary = (op: ElementwiseUnary, y: Node) => {
    const u = G.unary(op, y);
    return stableRule(G, alg, u) ?? u;
  };
  // f of what is left of a product once exponentials and roots have left it. A product of signs alone (what a
  // careful-form product ±e^(…) leaves) is not rewritten again: the careful form builds it as ±e^(…) once more,
  // and the rule would take that apart without end.
  const ofRest = (op: ElementwiseUnary, m: Mono) => {
    const inner = built([m]);
    return [...m.pow.keys()].every((a) => a.op === "sign") ? G.unary(op, inner) : unary(op, inner);
  };
  const atom = (a: Node): Mono => ({ num: 1, pow: new Map([[a, 1]]) });
  switch (n.op) {
    case "sqrt": {
      // √(r·a²ᵏ·eʸ) = √r·|a|ᵏ·e^(y/2): exponentials and even powers leave the root, so neither an
      // underflowing eʸ (the Gaussian-process spectral density √(c·e^(−l²λ²/2))) nor a² = 0 makes
      // the derivative ∞·0. Both sides are NaN for r < 0.
      // A sum's common factor counts: c·eʸ + eʸ is (c + 1)·eʸ.
      const p = [alg.atomize(alg.polyOf(x), shape)];
      if (p[0].pow.size === 0) return undefined;
      let exponent: Poly = [];
      const under = new Map<Node, number>();
      const out = new Map<Node, number>();
      for (const [a, e] of p[0].pow) {
        if (a.op === "exp") exponent = PolyAlgebra.plus(exponent, PolyAlgebra.times(alg.polyOf(a.src[0]), e / 2));
        else if (e % 2 === 0) out.set((e / 2) % 2 === 0 ? a : G.unary("abs", a), e / 2);
        else under.set(a, e);
      }
      if (under.size === p[0].pow.size) return undefined;
      const num = p[0].num;
      const factors: Mono = { num: under.size === 0 && num >= 0 ? Math.sqrt(num) : 1, pow: out };
      if (under.size > 0 || num < 0) out.set(ofRest("sqrt", { num, pow: under }), 1);
      if (exponent.length > 0) out.set(G.unary("exp", built(exponent)), 1);
      return alg.build([factors], shape);
    }
    case "log": {
      // log(eʸ) = y: log∘exp under- and overflows where y does not (and its derivative is 0/0 there).
      if (x.op === "exp") return x.src[0];
      // log σ(y) = −softplus(−y): σ(y) underflows to 0 below −745 (Stan's logit of an inv_logit).
      if (x.op === "sigmoid") return G.unary("neg", unary("softplus", G.unary("neg", x.src[0])));
      // The log of a reshape or transpose is that of the values moved, where they have a stable form (a
      // simplex's pieces e^(log stick + log fraction), laid out as its vectors).
      if (x.op === "reshape" || x.op === "transpose") {
        const inner = stableRule(G, alg, G.unary("log", x.src[0]));
        return inner === undefined ? undefined : x.op === "reshape" ? G.reshape(inner, shape) : G.transpose(inner);
      }
      // The log of a stack is the stack of logs, where a part has a stable form (a mixture's weights w, 1 − w).
      if (x.op === "concat") {
        const rows = x.src.map((r) => (r.op === "reshape" ? { inner: r.src[0], shape: r.shape } : { inner: r, shape: r.shape }));
        const logs = rows.map(({ inner }) => stableRule(G, alg, G.unary("log", inner)));
        if (logs.every((l) => l === undefined)) return undefined;
        return G.concat(rows.map(({ inner, shape: s }, k) => G.reshape(logs[k] ?? G.unary("log", inner), s)));
      }
      const p = alg.polyOf(x);
      // log(1 + eʸ) = softplus(y), finite for every finite y; log(1 − σ(y)) = −softplus(y).
      const onePlus = onePlusAtom(p);
      if (onePlus?.atom.op === "exp" && onePlus.sign === 1) return unary("softplus", onePlus.atom.src[0]);
      if (onePlus?.atom.op === "sigmoid" && onePlus.sign === -1) return G.unary("neg", unary("softplus", onePlus.atom.src[0]));
      // log(c + σ(y)) = log1p(c) − softplus(−y) + softplus(log(c/(1 + c)) − y) for c ≥ 0: a count's
      // x·log(p + 1[x = 0]) (Stan's multiply_log) at p = σ(y), where σ(y) underflows and the
      // derivative σ(y)·(1 − σ(y))/(c + σ(y)) is 0·∞; here it is σ(−y) − σ(log(c/(1 + c)) − y).
      // At c = 0 the last term is softplus(−∞) = 0. Both sides are finite for every finite y.
      const shifted = plusSigmoid(alg, p);
      if (shifted !== undefined) {
        const c = built(shifted.rest);
        const log1pC = unary("log1p", c);
        const w = G.binary("sub", unary("log", c), log1pC);
        const minusY = PolyAlgebra.negate(shifted.y);
        return alg.build(
          [
            atom(log1pC),
            { num: -1, pow: new Map([[unary("softplus", built(minusY)), 1]]) },
            atom(unary("softplus", built(PolyAlgebra.plus(alg.polyOf(w), minusY)))),
          ],
          shape,
        );
      }
      if (p.length === 0) return undefined;
      const mono = alg.atomize(p, shape);
      // log(r·√aᵏ·eʸ) = log r + (k/2)·log a + y: exponentials and roots (always ≥ 0) leave the
      // logarithm; both sides are NaN for r < 0 and −∞ at 0.
      let terms: Poly = [];
      const rest = new Map<Node, number>();
      for (const [a, e] of mono.pow) {
        if (a.op === "exp") terms = PolyAlgebra.plus(terms, PolyAlgebra.times(alg.polyOf(a.src[0]), e));
        else if (a.op === "sqrt") terms = PolyAlgebra.plus(terms, [{ num: e / 2, pow: new Map([[unary("log", a.src[0]), 1]]) }]);
        else rest.set(a, e);
      }
      if (rest.size === mono.pow.size) return undefined;
      const num = mono.num;
      if (rest.size === 0) {
        if (!(num > 0)) return undefined;
        terms = PolyAlgebra.plus(terms, [{ num: Math.log(num), pow: new Map() }]);
      } else terms = PolyAlgebra.plus(terms, [atom(ofRest("log", { num, pow: rest }))]);
      return alg.build(terms, shape);
    }
    case "log1p": {
      // log1p(eʸ) = softplus(y); log1p(−σ(y)) = −softplus(y) (Stan's logit: σ(y) rounds to 1 above 37).
      if (x.op === "exp") return unary("softplus", x.src[0]);
      const p = alg.polyOf(x);
      const [a, k] = p.length === 1 && p[0].pow.size === 1 ? [...p[0].pow][0] : [];
      return a?.op === "sigmoid" && k === 1 && p[0].num === -1 ? G.unary("neg", unary("softplus", a.src[0])) : undefined;
    }
    case "pow": {
      // (r·eʸ)ᵇ = e^(b·(y + log r)) for r > 0: a power of a positive scale (a partial centering's
      // τ^λ, τ = eʸ) costs one exp instead of an exp and a log, its derivative none more (b·(r·eʸ)ᵇ
      // against b·u^(b−1)·u'), and an eʸ that under- or overflows no longer takes the power with it.
      const p = alg.polyOf(x);
      if (p.length !== 1 || !(p[0].num > 0) || p[0].pow.size === 0) return undefined;
      let exponent: Poly = p[0].num === 1 ? [] : [{ num: Math.log(p[0].num), pow: new Map() }];
      for (const [a, e] of p[0].pow) {
        // A scalar site's value reaches a vector's power reshaped to [] (then broadcast): look through that.
        const ex = a.op === "reshape" && sizeOf(a.src[0].shape) === 1 ? a.src[0] : a;
        if (ex.op !== "exp") return undefined;
        const y = ex.src[0];
        exponent = PolyAlgebra.plus(
          exponent,
          PolyAlgebra.times(alg.polyOf(y.shape.length > 0 && sizeOf(y.shape) === 1 ? G.reshape(y, []) : y), e),
        );
      }
      return G.unary("exp", G.binary("mul", n.src[1], alg.build(exponent, shape)));
    }
    case "exp":
      // e^(log a) = a for a ≥ 0 (0 included: e^−∞ = 0); for a < 0 the left side is NaN, so only
      // forms that cannot be negative are rewritten. Its derivative a·(1/a) is 0/0 at a = 0.
      return x.op === "log" && nonNegative(x.src[0]) ? x.src[0] : undefined;
    default:
      return undefined;
  }
}

/** `roots` with {@link stableRule} applied everywhere (before differentiation). */
export function stabilize(G: Graph, roots: readonly Node[]): Node[] {
  const alg = new PolyAlgebra(G);
  return rebuild(G, roots, (n) => stableRule(G, alg, n) ?? n);
}
