/**
 * The VJP of a scan: a reverse scan over the recorded carry history, whose
 * body is the VJP of the forward body (recomputed from the carry at each
 * step). Cotangents of free values are accumulated in extra carries.
 * @module
 */
import { type Shape, sizeOf } from "../tensor/shape.ts";
import type { Graph } from "../ir/graph.ts";
import type { Node } from "../ir/node.ts";
import type { VjpContext } from "./rule.ts";

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
  const zeros = (shape: Shape) => G.constant(new Float64Array(sizeOf(shape)), shape);
  const rev = Int32Array.from({ length: T }, (_, k) => T - 1 - k);
  const cots = ctx.resultCots(n);
  const gFinal = init.map((c, i) => cots[i] ?? zeros(c.shape));
  const gOut = a.outputs.map((_, j) => cots[nC + j] ?? null);
  const history = init.map((c, i) => G.make("scanResult", [T, ...c.shape], [n], { index: nC + nO + i }));

  const sliceIdx = seqs.map((_, j) => j).filter((j) => need[nC + j]);
  const freeIdx = free.map((_, k) => k).filter((k) => need[nC + nS + k]);
  const outIdx = gOut.map((_, j) => j).filter((j) => gOut[j] !== null);

  const lambda = init.map((c) => G.placeholder(c.shape));
  const acc = freeIdx.map((k) => G.placeholder(free[k].shape));
  const gy = outIdx.map((j) => G.placeholder(a.outputs[j].shape));
  const parts = ctx.vjp(
    [...a.nextCarry, ...outIdx.map((j) => a.outputs[j])],
    [...lambda, ...gy],
    [...a.carry, ...sliceIdx.map((j) => a.slices[j]), ...freeIdx.map((k) => free[k])],
  );
  const nextLambda = a.carry.map((c, i) => parts[i] ?? zeros(c.shape));
  const gSlices = sliceIdx.map((j, q) => parts[nC + q] ?? zeros(a.slices[j].shape));
  const nextAcc = freeIdx.map((_, q) => {
    const p = parts[nC + sliceIdx.length + q];
    return p === null ? acc[q] : G.binary("add", acc[q], p);
  });

  const back = G.scanFromBody(
    {
      length: T,
      carry: [...lambda, ...acc],
      // The forward placeholders become slices of the reverse scan: the body's VJP recomputes from them.
      slices: [...a.carry, ...a.slices, ...gy],
      nextCarry: [...nextLambda, ...nextAcc],
      outputs: gSlices,
    },
    [...gFinal, ...freeIdx.map((k) => zeros(free[k].shape))],
    [...history.map((h) => G.gather(h, rev)), ...seqs.map((s) => G.gather(s, rev)), ...outIdx.map((j) => G.gather(gOut[j] as Node, rev))],
  );
  const result: (Node | null)[] = new Array(n.src.length).fill(null);
  init.forEach((_, i) => {
    if (need[i]) result[i] = back.carry[i];
  });
  sliceIdx.forEach((j, q) => {
    result[nC + j] = G.gather(back.outputs[q], rev);
  });
  freeIdx.forEach((k, q) => {
    result[nC + nS + k] = back.carry[nC + q];
  });
  return result;
}
