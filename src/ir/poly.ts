/**
 * Elementwise arithmetic as polynomials: a sum of monomials
 * `num · Π atomᵉ`, where atoms are IR nodes (scalars, which are the same for
 * every element, or nodes of the expression's shape) and exponents are
 * integers. Reading an expression into this form and building it back
 * pulls scalar factors out of per-element work, groups like terms, cancels
 * factors (exp(s)/exp(s)), collects data-only factors into one (hoistable)
 * node, and lets a sum of a polynomial become a combination of sums of its
 * monomials: Σᵢ c·f(i) = c·Σᵢ f(i).
 *
 * Sums are never multiplied out ((y − μ)² stays a square of y − μ), and
 * Σ(y − μ) of data y is not split into Σy − nμ: either would trade a few
 * operations for cancellation. A scale that leaves the square of a latent
 * vector keeps half of its power inside (Σ(x·e^(−y/2))², not e^(−y)·Σx²),
 * so that the sum does not overflow where the written form does not.
 * @module
 */
import { sizeOf, type Shape } from "../tensor/shape.ts";
import { Graph } from "./graph.ts";
import { isScalar, type Node } from "./node.ts";
import { readsDataTest, staticTest } from "./static.ts";

/** `num · Π atomᵉ` (exponents never 0). */
export interface Mono {
  readonly num: number;
  readonly pow: ReadonlyMap<Node, number>;
}

/** A sum of monomials with distinct atom sets (the empty list is 0). */
export type Poly = readonly Mono[];

const keys = new WeakMap<ReadonlyMap<Node, number>, string>();

/** The identity of a monomial's atoms (memoized: polynomials of long sums compare many). */
function fullKey(pow: ReadonlyMap<Node, number>): string {
  let k = keys.get(pow);
  if (k === undefined) {
    k = key(pow);
    keys.set(pow, k);
  }
  return k;
}

function key(pow: ReadonlyMap<Node, number>, keep: (a: Node) => boolean = () => true): string {
  const parts: string[] = [];
  for (const [a, e] of pow) if (keep(a)) parts.push(`${a.id}^${e}`);
  return parts.sort().join(" ");
}

/** Most monomials of a polynomial before it is built and used as one atom. */
const MAX_TERMS = 64;

function mulMono(a: Mono, b: Mono): Mono {
  const pow = new Map(a.pow);
  for (const [x, e] of b.pow) {
    const s = (pow.get(x) ?? 0) + e;
    if (s === 0) pow.delete(x);
    else pow.set(x, s);
  }
  return { num: a.num * b.num, pow };
}

function invMono(a: Mono): Mono {
  return { num: 1 / a.num, pow: new Map([...a.pow].map(([x, e]) => [x, -e])) };
}

/** P + Q, merging monomials over the same atoms (order of first appearance kept). */
function addPoly(p: Poly, q: Poly): Poly {
  const out: Mono[] = [];
  const at = new Map<string, number>();
  for (const m of [...p, ...q]) {
    const k = fullKey(m.pow);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(m);
    } else out[i] = { num: out[i].num + m.num, pow: out[i].pow };
  }
  return out.filter((m) => m.num !== 0);
}

function scale(p: Poly, m: Mono): Poly {
  return p.map((x) => mulMono(m, x)).filter((x) => x.num !== 0);
}

/** The largest monomial dividing every monomial of `p` (numbers only when all have one magnitude). */
function commonFactor(p: Poly): Mono {
  const [first, ...rest] = p;
  const pow = new Map<Node, number>();
  for (const [x, e] of first.pow) {
    let c = e;
    for (const m of rest) {
      const f = m.pow.get(x) ?? 0;
      c = Math.sign(f) !== Math.sign(c) ? 0 : Math.sign(c) * Math.min(Math.abs(c), Math.abs(f));
      if (c === 0) break;
    }
    if (c !== 0) pow.set(x, c);
  }
  const num = rest.every((m) => Math.abs(m.num) === Math.abs(first.num)) ? first.num : 1;
  return { num, pow };
}

/** Cap of log|a| in the careful form's products: beyond any finite factor's (709.8), far from overflowing a sum of them. */
const LOG_CAP = 1e300;

/** Reads elementwise expressions as polynomials and builds them back as IR. */
export class PolyAlgebra {
  private readonly polys = new Map<number, Poly>();
  private readonly monos = new Map<number, Mono>();
  private readonly isStatic = staticTest();
  private readonly readsData = readsDataTest();

  /**
   * @param careful Build the careful form (see `simplify`'s option): each monomial one product of
   * all its factors, in log space from two factors on.
   * @param zeroDominates In the careful form, an exact zero factor of a product makes it 0 (see
   * `simplify`'s option).
   */
  constructor(
    private readonly G: Graph,
    private readonly careful = false,
    private readonly zeroDominates = false,
  ) {}

  /** A scalar node as a monomial of scalar atoms. */
  scalarMono(s: Node): Mono {
    let m = this.monos.get(s.id);
    if (m !== undefined) return m;
    const v = Graph.constValue(s);
    if (v !== undefined && Number.isFinite(v[0])) m = { num: v[0], pow: new Map() };
    else if (s.op === "neg") m = mulMono({ num: -1, pow: new Map() }, this.scalarMono(s.src[0]));
    else if (s.op === "mul") m = mulMono(this.scalarMono(s.src[0]), this.scalarMono(s.src[1]));
    else if (s.op === "div" && this.scalarMono(s.src[1]).num !== 0)
      m = mulMono(this.scalarMono(s.src[0]), invMono(this.scalarMono(s.src[1])));
    else m = { num: 1, pow: new Map([[s, 1]]) };
    this.monos.set(s.id, m);
    return m;
  }

  /** The polynomial of a node (elementwise arithmetic is looked through, anything else is an atom). */
  polyOf(n: Node): Poly {
    let p = this.polys.get(n.id);
    if (p === undefined) {
      p = this.read(n);
      this.polys.set(n.id, p);
    }
    return p;
  }

  private read(n: Node): Poly {
    const atom: Poly = [{ num: 1, pow: new Map([[n, 1]]) }];
    const v = Graph.constValue(n);
    if (v !== undefined)
      return v.every((x) => x === v[0]) && Number.isFinite(v[0]) ? (v[0] === 0 ? [] : [{ num: v[0], pow: new Map() }]) : atom;
    const [a, b] = n.src;
    switch (n.op) {
      case "broadcast": {
        if (sizeOf(a.shape) !== 1) return atom;
        const m = this.scalarMono(this.G.reshape(a, []));
        return m.num === 0 ? [] : [m];
      }
      case "neg":
        return scale(this.polyOf(a), { num: -1, pow: new Map() });
      case "add":
        return this.bounded(addPoly(this.polyOf(a), this.polyOf(b)), n.shape);
      case "sub":
        return this.bounded(addPoly(this.polyOf(a), scale(this.polyOf(b), { num: -1, pow: new Map() })), n.shape);
      case "mul":
        return this.mul(this.polyOf(a), this.polyOf(b), n.shape);
      case "div": {
        const q = this.polyOf(b);
        if (q.length === 0) return atom;
        return this.mul(this.polyOf(a), [invMono(this.atomize(q, n.shape))], n.shape);
      }
      case "pow": {
        const e = Graph.constValue(b);
        const k = e !== undefined && e.every((x) => x === e[0]) ? e[0] : NaN;
        if (![2, 3, 4, -1, -2].includes(k)) return atom;
        const base = this.polyOf(a);
        if (base.length === 0) return atom;
        const m = this.atomize(base, n.shape);
        return [{ num: m.num ** k, pow: new Map([...m.pow].map(([x, f]) => [x, f * k])) }];
      }
      default:
        return atom;
    }
  }

  /** `p`, or one atom built from it when it has many terms (so a long chain of sums costs linear time). */
  private bounded(p: Poly, shape: Shape): Poly {
    return p.length > MAX_TERMS ? [{ num: 1, pow: new Map([[this.build(p, shape), 1]]) }] : p;
  }

  private mul(p: Poly, q: Poly, shape: Shape): Poly {
    if (p.length === 0 || q.length === 0) return [];
    // Scalar factors distribute; other products of sums stay products (of atoms).
    if (p.length === 1 && [...p[0].pow.keys()].every(isScalar)) return scale(q, p[0]);
    if (q.length === 1 && [...q[0].pow.keys()].every(isScalar)) return scale(p, q[0]);
    return [mulMono(this.atomize(p, shape), this.atomize(q, shape))];
  }

  /** A single monomial equal to `p`: its common factor times the rest built as one atom. */
  atomize(p: Poly, shape: Shape): Mono {
    if (p.length === 1) return p[0];
    const c = commonFactor(p);
    const rest = scale(p, invMono(c));
    return mulMono(c, { num: 1, pow: new Map([[this.build(rest, shape), 1]]) });
  }

  /** The IR of a polynomial over `shape`. */
  build(p: Poly, shape: Shape): Node {
    const G = this.G;
    if (p.length === 0) return G.broadcast(G.scalar(0), shape);
    if (this.careful) return p.map((m) => this.carefulTerm(m, shape)).reduce((acc, t) => G.binary("add", acc, t));
    if (p.length > 1) {
      const c = commonFactor(p);
      if (c.num !== 1 || c.pow.size > 0) return this.scaled(c, this.build(scale(p, invMono(c)), shape), shape);
    }
    let acc: Node | undefined;
    for (const { vec, coef, negative } of this.terms(p.map((m) => this.balanced(m, shape)))) {
      const term = vec === null ? G.broadcast(coef ?? G.scalar(1), shape) : coef === null ? vec : this.scaledBy(coef, vec, shape);
      acc = acc === undefined ? term : G.binary(negative ? "sub" : "add", acc, term);
    }
    return acc as Node;
  }

  /** Σ over all elements of a polynomial over `shape`, as a scalar combination of sums of its monomials. */
  buildSum(p: Poly, shape: Shape): Node {
    const G = this.G;
    // Data and loop invariants summed together (Σ(y − μ)) stay one sum: apart, Σy and nμ may cancel.
    const invariant = (m: Mono) => [...m.pow.keys()].every(isScalar);
    const data = (m: Mono) => !invariant(m) && [...m.pow.keys()].every((a) => isScalar(a) || this.isStatic(a));
    if (p.some(invariant) && p.some(data)) {
      const joint = p.filter((m) => invariant(m) || data(m));
      p = [...p.filter((m) => !invariant(m) && !data(m)), this.atomize(joint, shape)];
    }
    if (this.careful) return this.carefulSum(p, shape);
    p = p.map((m) => this.balanced(m, shape));
    let acc: Node | undefined;
    for (const { vec, coef, negative } of this.terms(p)) {
      const total = vec === null ? G.scalar(sizeOf(shape)) : G.sum(vec, null);
      const term = coef === null ? total : G.binary("mul", coef, total);
      acc = acc === undefined ? term : G.binary(negative ? "sub" : "add", acc, term);
    }
    return acc ?? G.scalar(0);
  }

  /**
   * The careful form of Σ p: each monomial summed whole (see
   * {@link carefulTerm}). c·Σv is 0·∞ where Σv overflows and c = 0, and a
   * coefficient c may overflow before an underflowing v multiplies it (a
   * Gaussian-process spectral density's z·√(√(2π))·Σe^(…) at z = −1.1e308).
   */
  private carefulSum(p: Poly, shape: Shape): Node {
    const G = this.G;
    const scalarOnly = (m: Mono) => [...m.pow.keys()].every(isScalar);
    const terms = p.map((m) => (scalarOnly(m) ? this.product(m.pow, m.num * sizeOf(shape)) : G.sum(this.carefulTerm(m, shape), null)));
    return terms.length === 0 ? G.scalar(0) : terms.reduce((acc, t) => G.binary("add", acc, t));
  }

  /**
   * A monomial over `shape` in the careful form: one product of all its
   * factors, scalars broadcast (in log space from two factors on, see
   * {@link product}), so that no scalar coefficient is formed apart, where it
   * may overflow while the whole is finite (the squared-exponential
   * covariance's 2α²/ρ² times its underflowing exponential).
   */
  private carefulTerm(m: Mono, shape: Shape): Node {
    const G = this.G;
    if (m.pow.size === 0) return G.broadcast(G.scalar(m.num), shape);
    const spread = (a: Node) => (isScalar(a) && shape.length > 0 ? G.broadcast(a, shape) : a);
    return this.product(new Map([...m.pow].map(([a, e]) => [spread(a), e])), m.num);
  }

  /**
   * A monomial of per-element atoms v that read no data (latent vectors)
   * and scalar atoms s with powers of 2 or more, half of each such power
   * moved onto v: c·d·v²·s²ʲ⁺ʳ as c·d·sʳ·w², and c·d·v·s²ʲ⁺ʳ as c·d·sʲ⁺ʳ·w,
   * for the atom w = v·sʲ (d static, r = 0 or ±1); other monomials as they
   * are. s²·Σv² overflows where Σ(v·s)² does not (a funnel's Σx²·e^(−y) at
   * x = 1e154, y = 710, where the reference computes (x/e^(y/2))²), and v·s²
   * where (v·s)·s does not (s² = ∞, v = 0). It costs a product per element:
   * within noise for latent vectors (funnel, eight_schools, sv), but 17 % of
   * the gradient of `simple` for a likelihood's residuals y − μ, summed over
   * every observation; those, which read data, are left as they are (the
   * careful form's log-space products take them).
   */
  private balanced(m: Mono, shape: Shape): Mono {
    const atoms = [...m.pow];
    const moving = atoms.filter(([a]) => !isScalar(a) && !this.isStatic(a));
    const scales = atoms.filter(([a, e]) => isScalar(a) && Math.abs(e) >= 2);
    // w's power: 2 for a square, 1 for a single atom; other products keep their form.
    const k = moving.every(([, e]) => e % 2 === 0) ? 2 : moving.length === 1 && moving[0][1] === 1 ? 1 : 0;
    if (moving.length === 0 || scales.length === 0 || k === 0 || moving.some(([a]) => this.readsData(a))) return m;
    const half = (e: number) => Math.trunc(e / 2);
    const inner = new Map(moving.map(([a, e]) => [a, e / k]));
    for (const [a, e] of scales) inner.set(a, half(e));
    const outer = new Map([[this.build([{ num: 1, pow: inner }], shape), k]]);
    for (const [a, e] of atoms) {
      const left = !inner.has(a) ? e : isScalar(a) ? e - k * half(e) : 0;
      if (left !== 0) outer.set(a, left);
    }
    return { num: m.num, pow: outer };
  }

  /**
   * The terms of a sum: per group of monomials with the same non-scalar
   * atoms, their product (null for none) and scalar coefficient (null for
   * 1), negated when the term is to be subtracted (never the first).
   */
  private terms(p: Poly): { vec: Node | null; coef: Node | null; negative: boolean }[] {
    return this.groups(p).map(([vec, coefs], k) => {
      const negative = k > 0 && coefs.length === 1 && coefs[0].num < 0;
      const coef = this.sumOfMonos(negative ? [{ num: -coefs[0].num, pow: coefs[0].pow }] : coefs);
      return { vec, coef, negative };
    });
  }

  /**
   * Monomials grouped by their non-scalar atoms: each group's product node
   * (null for none) and scalar coefficients. Groups come in a canonical
   * order (so a − b and −b + a build one node), led by a positive one.
   */
  private groups(p: Poly): [Node | null, Mono[]][] {
    const out = new Map<string, [Node | null, Mono[]]>();
    for (const m of p) {
      const k = key(m.pow, (a) => !isScalar(a));
      const coef: Mono = { num: m.num, pow: new Map([...m.pow].filter(([a]) => isScalar(a))) };
      const g = out.get(k);
      if (g !== undefined) g[1].push(coef);
      else out.set(k, [this.vectorProduct(new Map([...m.pow].filter(([a]) => !isScalar(a)))), [coef]]);
    }
    const sorted = [...out.keys()].sort().map((k) => out.get(k) as [Node | null, Mono[]]);
    const lead = sorted.findIndex(([, cs]) => cs.length > 1 || cs[0].num > 0);
    return lead <= 0 ? sorted : [sorted[lead], ...sorted.slice(0, lead), ...sorted.slice(lead + 1)];
  }

  /** Whether −p reads better than p (its canonically first monomial is negative): odd and even functions use it. */
  static leadsNegative(p: Poly): boolean {
    if (p.length === 0) return false;
    let first = p[0];
    let firstKey = fullKey(first.pow);
    for (const m of p) {
      const k = fullKey(m.pow);
      if (k < firstKey) [first, firstKey] = [m, k];
    }
    return first.num < 0;
  }

  /** A key equal for equal polynomials (over the same atoms), whatever the order of their monomials. */
  static signature(p: Poly): string {
    return p
      .map((m) => `${m.num}·${fullKey(m.pow)}`)
      .sort()
      .join(" + ");
  }

  /** −p. */
  static negate(p: Poly): Poly {
    return scale(p, { num: -1, pow: new Map() });
  }

  /** k·p. */
  static times(p: Poly, k: number): Poly {
    return scale(p, { num: k, pow: new Map() });
  }

  /** p + q. */
  static plus(p: Poly, q: Poly): Poly {
    return addPoly(p, q);
  }

  private scaled(c: Mono, x: Node, shape: Shape): Node {
    const vec = new Map([...c.pow].filter(([a]) => !isScalar(a)));
    const coef = this.sumOfMonos([{ num: c.num, pow: new Map([...c.pow].filter(([a]) => isScalar(a))) }]);
    const v = vec.size === 0 ? x : this.G.binary("mul", this.vectorProduct(vec) as Node, x);
    return coef === null ? v : this.scaledBy(coef, v, shape);
  }

  private scaledBy(coef: Node, x: Node, shape: Shape): Node {
    const v = Graph.constValue(coef);
    if (v !== undefined && v[0] === -1) return this.G.unary("neg", x);
    return this.G.binary("mul", this.G.broadcast(coef, shape), x);
  }

  /**
   * The scalar Σ of monomials of scalar atoms (null when it is exactly 1).
   * Data-only monomials are summed first, then the others added: so
   * p + (1 − k) is not (p + 1) − k, which is 0 for p = 1e-154 and k = 1, and
   * the data-only part is computed once per data set.
   */
  private sumOfMonos(ms: readonly Mono[]): Node | null {
    if (ms.length === 1 && ms[0].num === 1 && ms[0].pow.size === 0) return null;
    const fixed = (m: Mono) => [...m.pow.keys()].every((a) => this.isStatic(a));
    let acc: Node | undefined;
    for (const m of [...ms.filter(fixed), ...ms.filter((m) => !fixed(m))]) {
      if (acc !== undefined && m.num < 0) acc = this.G.binary("sub", acc, this.product(m.pow, -m.num));
      else acc = acc === undefined ? this.product(m.pow, m.num) : this.G.binary("add", acc, this.product(m.pow, m.num));
    }
    return acc as Node;
  }

  /**
   * The product of non-scalar atoms (null for none). Data-only atoms are
   * collected into one factor, which code generation computes once per data set.
   */
  private vectorProduct(pow: ReadonlyMap<Node, number>): Node | null {
    if (pow.size === 0) return null;
    const fixed = new Map([...pow].filter(([a]) => this.isStatic(a)));
    const moving = new Map([...pow].filter(([a]) => !this.isStatic(a)));
    if (fixed.size === 0 || moving.size === 0) return this.product(pow, 1);
    // The data-only factor leads, so f·x is shared by f·x and f·x·x.
    return this.product(moving, 1, this.product(fixed, 1));
  }

  /**
   * num · lead · Π atomᵉ, multiplying in id order and dividing once by the
   * product of the negative powers (in the careful form, a product of two
   * factors or more is taken in log space).
   */
  private product(pow: ReadonlyMap<Node, number>, num: number, lead: Node | null = null): Node {
    const G = this.G;
    const atoms = [...pow].sort(([a], [b]) => a.id - b.id);
    const chain = (sign: number): Node | null => {
      let acc: Node | null = sign > 0 ? lead : null;
      for (const [a, e] of atoms) {
        for (let k = 0; k < e * sign; k++) acc = acc === null ? a : G.binary("mul", acc, a);
      }
      return acc;
    };
    const like = lead !== null ? lead.shape : atoms.length > 0 ? atoms[0][0].shape : [];
    const c = (x: number) => G.broadcast(G.scalar(x), like);
    const factors: (readonly [Node, number])[] = lead === null ? atoms : [[lead, 1], ...atoms];
    const count = factors.reduce((n, [, e]) => n + Math.abs(e), 0);
    if (this.careful && num !== 0 && count >= 2) {
      // In log space: ±e^(Σ e·log|a|) is finite wherever the product is, in whatever order its
      // factors would under- or overflow (relative error about |Σ e·log|a||·ε, below 1e-12).
      let exponent: Node = c(Math.log(Math.abs(num)));
      let sign: Node | null = null;
      // zeroDominates: in a product without divisions, an infinite factor's log is capped (finite
      // factors' never reach the cap), so that an exact zero factor makes it 0; it stays ∞ otherwise.
      // With divisions it is not: ∞/∞ would become 0.
      const cap = this.zeroDominates && factors.every(([, e]) => e > 0);
      for (const [a, e] of factors) {
        // log eʸ = y: an eʸ that under- or overflows keeps its exponent (also a scalar's, broadcast).
        const ex = a.op === "broadcast" && a.src[0].op === "exp" ? a.src[0] : a;
        const logAbs = () => G.unary("log", G.unary("abs", a));
        const log = ex.op === "exp" ? G.broadcast(ex.src[0], like) : cap ? G.binary("min", logAbs(), c(LOG_CAP)) : logAbs();
        exponent = G.binary("add", exponent, e === 1 ? log : G.binary("mul", c(e), log));
        if (e % 2 !== 0 && ex.op !== "exp") sign = sign === null ? G.unary("sign", a) : G.binary("mul", sign, G.unary("sign", a));
      }
      const magnitude = G.unary("exp", exponent);
      const r = sign === null ? magnitude : G.binary("mul", sign, magnitude);
      return num < 0 ? G.unary("neg", r) : r;
    }
    // c/a, not c·(1/a), which is ∞ for a subnormal a.
    if (this.careful && count === 1 && factors[0][1] === -1) return G.binary("div", c(num), factors[0][0]);
    let up = chain(1);
    let down = chain(-1);
    // A scalar denominator becomes a shared reciprocal: scalar coefficients divide by the same few values.
    if (down !== null && like.length === 0) {
      const recip = G.binary("div", c(1), down);
      up = up === null ? recip : G.binary("mul", up, recip);
      down = null;
    }
    let r: Node;
    if (up === null) r = down === null ? c(num) : G.binary("div", c(num), down);
    else {
      r = num === 1 ? up : num === -1 ? G.unary("neg", up) : G.binary("mul", c(num), up);
      if (down !== null) r = G.binary("div", r, down);
    }
    return r;
  }
}
