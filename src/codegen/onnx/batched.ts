/**
 * Which IR values vary across the batch. The IR describes one point; in the
 * ONNX graph a value that depends on θ carries a leading batch axis B, and
 * one that depends only on data and constants does not (it is computed
 * once per call, and ONNX's broadcasting aligns it with batched values).
 * @module
 */
import type { Arg, Node } from "../../ir/node.ts";

/** Answers "does this node depend on θ?" with a cache, across scan bodies. */
export class Batchedness {
  private readonly memo = new Map<number, boolean>();
  /** Per scan node, which carries are batched (the fixed point of the loop). */
  private readonly scanCarries = new Map<number, boolean[]>();

  /** Whether `n` depends on θ (or on a batched placeholder). */
  of(n: Node): boolean {
    const hit = this.memo.get(n.id);
    if (hit !== undefined) return hit;
    let b: boolean;
    if (n.op === "param") b = true;
    else if (n.op === "placeholder") throw new Error(`ONNX lowering: placeholder ${n.id} read outside its scan`);
    else if (n.op === "scanResult") b = this.scanResult(n as Node<"scanResult">);
    else b = n.src.some((s) => this.of(s));
    this.memo.set(n.id, b);
    return b;
  }

  /** Which carries of a scan are batched. */
  carries(scan: Node<"scan">): readonly boolean[] {
    const hit = this.scanCarries.get(scan.id);
    if (hit !== undefined) return hit;
    const a = scan.arg;
    const k = a.carry.length;
    const carries = scan.src.slice(0, k).map((s) => this.of(s));
    a.slices.forEach((p, i) => this.memo.set(p.id, this.of(scan.src[k + i])));
    // A carry is batched if its initial value is or if the body makes it so: iterate to the fixed point.
    for (;;) {
      a.carry.forEach((p, i) => this.memo.set(p.id, carries[i]));
      const inner = this.bodyNodes(scan);
      inner.forEach((id) => this.memo.delete(id));
      const next = a.nextCarry.map((c, i) => carries[i] || this.of(c));
      if (next.every((b, i) => b === carries[i])) break;
      next.forEach((b, i) => (carries[i] = b));
    }
    this.scanCarries.set(scan.id, carries);
    return carries;
  }

  private scanResult(n: Node<"scanResult">): boolean {
    const scan = n.src[0] as Node<"scan">;
    const a = scan.arg;
    const k = a.carry.length;
    const carries = this.carries(scan);
    const index = (n.arg as Arg<"scanResult">).index;
    if (index < k) return carries[index];
    if (index < k + a.outputs.length) return this.of(a.outputs[index - k]);
    return carries[index - k - a.outputs.length];
  }

  /** Ids of nodes computed in a scan's body (that depend on its placeholders), except the placeholders. */
  private bodyNodes(scan: Node<"scan">): number[] {
    const own = new Set<number>([...scan.arg.carry, ...scan.arg.slices].map((p) => p.id));
    const ids: number[] = [];
    const seen = new Map<number, boolean>();
    const visit = (n: Node): boolean => {
      const s = seen.get(n.id);
      if (s !== undefined) return s;
      const inside = !own.has(n.id) && n.src.map(visit).some(Boolean);
      seen.set(n.id, own.has(n.id) || inside);
      if (inside) ids.push(n.id);
      return own.has(n.id) || inside;
    };
    [...scan.arg.nextCarry, ...scan.arg.outputs].forEach(visit);
    return ids;
  }
}
