/**
 * Tensors held as sign · e^log, for the reverse scans of the careful
 * gradient (see scanVjp.ts): a carried cotangent can exceed the largest
 * double before a factor that underflows to 0 multiplies it (a GARCH
 * recursion's y²/v² at v = e^(−354), times an initial variance e^(−1e8)),
 * and where reverse mode forms ∞·0 the exact gradient is 0. In log space
 * the magnitude is a finite log whatever its size, and products, quotients,
 * sums and reductions keep it so.
 * @module
 */
import type { Graph } from "../ir/graph.ts";
import type { Node } from "../ir/node.ts";
import { FINITE_FLOOR } from "../ir/simplify.ts";
import type { Shape } from "../tensor/shape.ts";

/** A tensor as sign · e^log: the log of its magnitude (−∞ where it is 0) and its sign (−1, 0 or 1). */
export interface SignedLog {
  readonly log: Node;
  readonly sign: Node;
}

/**
 * Builds signed logs of IR values. A value made of products, quotients,
 * exponentials and roots of others gets its log from theirs; a sum or
 * reduction of what {@link SignedLogs.valueOf} made (a carried cotangent) is
 * taken around its largest term; anything else is log|v| and sign(v) of its
 * value.
 */
export class SignedLogs {
  private readonly memo = new Map<number, SignedLog>();
  /** Whether a node is made from values of {@link valueOf}. */
  private readonly dependence = new Map<number, boolean>();

  constructor(private readonly G: Graph) {}

  /** The value sign · e^log, recorded so that {@link of} returns `s` for it. */
  valueOf(s: SignedLog): Node {
    const v = this.G.binary("mul", s.sign, this.G.unary("exp", s.log));
    this.memo.set(v.id, s);
    this.dependence.set(v.id, true);
    return v;
  }

  /** `v` as a signed log. */
  of(v: Node): SignedLog {
    const hit = this.memo.get(v.id);
    if (hit !== undefined) return hit;
    const s = this.rule(v);
    this.memo.set(v.id, s);
    return s;
  }

  /** a + b, around the larger term. */
  add(a: SignedLog, b: SignedLog): SignedLog {
    const G = this.G;
    const m = G.binary("max", G.binary("max", a.log, b.log), this.fill(FINITE_FLOOR, a.log.shape));
    const term = (x: SignedLog) => G.binary("mul", x.sign, G.unary("exp", G.binary("sub", x.log, m)));
    return this.around(m, G.binary("add", term(a), term(b)));
  }

  /** Σ a over `axis` (all axes for null), around the log-sum-exp of the magnitudes. */
  sum(a: SignedLog, axis: number | null): SignedLog {
    const G = this.G;
    const m = G.logSumExp(a.log, axis);
    const floor = G.binary("max", m, this.fill(FINITE_FLOOR, m.shape));
    const kept = axis === null ? [] : a.log.shape.map((d, k) => (k === axis ? 1 : d));
    const spread = G.broadcast(G.reshape(floor, kept), a.log.shape);
    const terms = G.binary("mul", a.sign, G.unary("exp", G.binary("sub", a.log, spread)));
    return this.around(floor, G.sum(terms, axis));
  }

  /** m + log|r| and sign(r), for a sum r of terms each scaled by e^(−m). */
  private around(m: Node, r: Node): SignedLog {
    const G = this.G;
    return { log: G.binary("add", m, G.unary("log", G.unary("abs", r))), sign: G.unary("sign", r) };
  }

  private fill(x: number, shape: Shape): Node {
    return this.G.broadcast(this.G.scalar(x), shape);
  }

  private depends(v: Node): boolean {
    let d = this.dependence.get(v.id);
    if (d === undefined) {
      d = v.src.some((s) => this.depends(s));
      this.dependence.set(v.id, d);
    }
    return d;
  }

  private rule(v: Node): SignedLog {
    const G = this.G;
    const x = () => this.of(v.src[0]);
    const y = () => this.of(v.src[1]);
    const same = (f: (t: Node) => Node) => {
      const s = x();
      return { log: f(s.log), sign: f(s.sign) };
    };
    switch (v.op) {
      case "const": {
        const { values } = (v as Node<"const">).arg;
        return {
          log: G.constant(
            values.map((e) => Math.log(Math.abs(e))),
            v.shape,
          ),
          sign: G.constant(
            values.map((e) => Math.sign(e)),
            v.shape,
          ),
        };
      }
      case "neg": {
        const s = x();
        return { log: s.log, sign: G.unary("neg", s.sign) };
      }
      case "mul":
      case "div": {
        const a = x();
        const b = y();
        return { log: G.binary(v.op === "mul" ? "add" : "sub", a.log, b.log), sign: G.binary("mul", a.sign, b.sign) };
      }
      case "exp":
        return { log: v.src[0], sign: this.fill(1, v.shape) };
      case "sqrt": {
        const s = x();
        return { log: G.binary("mul", s.log, this.fill(0.5, v.shape)), sign: s.sign };
      }
      case "broadcast":
        return same((t) => G.broadcast(t, v.shape));
      case "reshape":
        return same((t) => G.reshape(t, v.shape));
      case "transpose":
        return same((t) => G.transpose(t));
      case "gather":
        return same((t) => G.gather(t, (v as Node<"gather">).arg.indices));
      default:
    }
    // Sums of what a carried value makes can overflow; elsewhere a sum's value serves.
    if (this.depends(v)) {
      if (v.op === "add" || v.op === "sub") {
        const b = y();
        return this.add(x(), v.op === "add" ? b : { log: b.log, sign: G.unary("neg", b.sign) });
      }
      if (v.op === "sum") return this.sum(x(), (v as Node<"sum">).arg.axis);
    }
    return { log: G.unary("log", G.unary("abs", v)), sign: G.unary("sign", v) };
  }
}
