/**
 * The VJP of a scan: a reverse scan over the recorded carry history, whose
 * body is the VJP of the forward body (recomputed from the carry at each
 * step). Cotangents of free values are accumulated in extra carries. The
 * careful gradient carries cotangents as signed logs (see signedLog.ts).
 * @module
 */
import { type Shape, sizeOf } from "../tensor/shape.ts";
import type { Graph } from "../ir/graph.ts";
import type { Node } from "../ir/node.ts";
import type { VjpContext } from "./rule.ts";
import { SignedLogs } from "./signedLog.ts";

/** A cotangent carried by the reverse scan: its placeholders, and its value in terms of them. */
interface CarriedInput {
  readonly placeholders: readonly Node<"placeholder">[];
  readonly value: Node;
}

/** How the reverse scan carries a cotangent: as its value, or as a signed log. */
interface Carrying {
  /** The placeholders that carry a cotangent of `shape`. */
  input(shape: Shape): CarriedInput;
  /** What carries cotangent `v`. */
  parts(v: Node): Node[];
  /** What carries acc + p. */
  add(acc: CarriedInput, p: Node): Node[];
  /** The cotangent carried by `parts` (as many as `parts` gives). */
  value(parts: readonly Node[]): Node;
  /** Nodes per carried cotangent. */
  readonly width: number;
}

function byValue(G: Graph): Carrying {
  return {
    input(shape) {
      const p = G.placeholder(shape);
      return { placeholders: [p], value: p };
    },
    parts: (v) => [v],
    add: (acc, p) => [G.binary("add", acc.value, p)],
    value: ([v]) => v,
    width: 1,
  };
}

function bySignedLog(G: Graph): Carrying {
  const logs = new SignedLogs(G);
  return {
    input(shape) {
      const log = G.placeholder(shape);
      const sign = G.placeholder(shape);
      return { placeholders: [log, sign], value: logs.valueOf({ log, sign }) };
    },
    parts(v) {
      const s = logs.of(v);
      return [s.log, s.sign];
    },
    add(acc, p) {
      const s = logs.add(logs.of(acc.value), logs.of(p));
      return [s.log, s.sign];
    },
    value: ([log, sign]) => logs.valueOf({ log, sign }),
    width: 2,
  };
}

/** Cotangents of a scan's sources: initial carries, sequences, free values. */
export function scanVjp(n: Node<"scan">, G: Graph, need: readonly boolean[], ctx: VjpContext): (Node | null)[] {
  const a = n.arg;
  const T = a.length;
  const nC = a.carry.length;
  const nS = a.slices.length;
  const nO = a.outputs.length;
  const init = n.src.slice(0, nC);
  const seqs = n.src.slice(nC, nC + nS);
  const free = n.src.slice(nC + nS);
  const carrying = ctx.signedLogScans ? bySignedLog(G) : byValue(G);
  const zeros = (shape: Shape) => G.constant(new Float64Array(sizeOf(shape)), shape);
  const rev = Int32Array.from({ length: T }, (_, k) => T - 1 - k);
  const cots = ctx.resultCots(n);
  const gFinal = init.map((c, i) => cots[i] ?? zeros(c.shape));
  const gOut = a.outputs.map((_, j) => cots[nC + j] ?? null);
  const history = init.map((c, i) => G.make("scanResult", [T, ...c.shape], [n], { index: nC + nO + i }));

  const sliceIdx = seqs.map((_, j) => j).filter((j) => need[nC + j]);
  const freeIdx = free.map((_, k) => k).filter((k) => need[nC + nS + k]);
  const outIdx = gOut.map((_, j) => j).filter((j) => gOut[j] !== null);

  const lambda = init.map((c) => carrying.input(c.shape));
  const acc = freeIdx.map((k) => carrying.input(free[k].shape));
  const gy = outIdx.map((j) => G.placeholder(a.outputs[j].shape));
  const parts = ctx.vjp(
    [...a.nextCarry, ...outIdx.map((j) => a.outputs[j])],
    [...lambda.map((l) => l.value), ...gy],
    [...a.carry, ...sliceIdx.map((j) => a.slices[j]), ...freeIdx.map((k) => free[k])],
  );
  const nextLambda = a.carry.map((c, i) => carrying.parts(parts[i] ?? zeros(c.shape)));
  const gSlices = sliceIdx.map((j, q) => parts[nC + q] ?? zeros(a.slices[j].shape));
  const nextAcc = freeIdx.map((_, q) => {
    const p = parts[nC + sliceIdx.length + q];
    return p === null ? acc[q].placeholders : carrying.add(acc[q], p);
  });

  const back = G.scanFromBody(
    {
      length: T,
      carry: [...lambda, ...acc].flatMap((c) => c.placeholders),
      // The forward placeholders become slices of the reverse scan: the body's VJP recomputes from them.
      slices: [...a.carry, ...a.slices, ...gy],
      nextCarry: [...nextLambda, ...nextAcc].flat(),
      outputs: gSlices,
    },
    [...gFinal, ...freeIdx.map((k) => zeros(free[k].shape))].flatMap((g) => carrying.parts(g)),
    [...history.map((h) => G.gather(h, rev)), ...seqs.map((s) => G.gather(s, rev)), ...outIdx.map((j) => G.gather(gOut[j] as Node, rev))],
  );
  const w = carrying.width;
  const carried = (c: number) => carrying.value(back.carry.slice(c * w, (c + 1) * w));
  const result: (Node | null)[] = new Array(n.src.length).fill(null);
  init.forEach((_, i) => {
    if (need[i]) result[i] = carried(i);
  });
  sliceIdx.forEach((j, q) => {
    result[nC + j] = G.gather(back.outputs[q], rev);
  });
  freeIdx.forEach((k, q) => {
    result[nC + nS + k] = carried(nC + q);
  });
  return result;
}
