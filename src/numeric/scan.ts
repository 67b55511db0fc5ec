/**
 * The scan primitive of the numeric interpreter: a plain loop. Tangents
 * need no rule of their own, since the body runs on dual numbers and the
 * slicing and stacking are linear.
 * @module
 */
import type { ScanBody } from "../tensor/ops.ts";
import { sameShape, type Shape, showShape, sizeOf } from "../tensor/shape.ts";
import { concat, gather, reshape } from "./structural.ts";
import { type NumTensor, numTensor } from "./tensor.ts";

/** Row `t` of `x` along its first axis, that axis removed. */
function row(x: NumTensor, t: number): NumTensor {
  return reshape(gather(x, Int32Array.of(t)), x.shape.slice(1));
}

/** Stacks values of one shape along a new first axis. */
function stack(xs: readonly NumTensor[], shape: Shape): NumTensor {
  const rows = xs.map((x) => reshape(x, [1, ...shape]));
  return rows.length === 1 ? rows[0] : concat(rows);
}

/**
 * Runs `body` for t = 0 … length − 1 on the carry and row t of each
 * sequence; returns the final carry and the outputs stacked along a new
 * first axis. With length 0 the body is run once, on the initial carry and
 * zero rows, only to learn the output shapes (`[0, ...outShape]`); the carry
 * is then `init`. Throws if an output changes shape between steps.
 */
export function scan(
  body: ScanBody<NumTensor>,
  init: readonly NumTensor[],
  sequences: readonly NumTensor[],
  length: number,
): { carry: NumTensor[]; outputs: NumTensor[] } {
  if (length === 0) {
    const rows = sequences.map((s) => numTensor(new Float64Array(sizeOf(s.shape.slice(1))), s.shape.slice(1)));
    const probe = body(init, rows);
    return {
      carry: [...init],
      outputs: probe.outputs.map((o) => numTensor(new Float64Array(0), [0, ...o.shape])),
    };
  }
  let carry: readonly NumTensor[] = init;
  const steps: (readonly NumTensor[])[] = [];
  for (let t = 0; t < length; t++) {
    const r = body(
      carry,
      sequences.map((s) => row(s, t)),
    );
    carry = r.carry;
    steps.push(r.outputs);
  }
  const outputs = steps[0].map((first, j) => {
    for (const [t, outs] of steps.entries()) {
      if (!sameShape(outs[j].shape, first.shape)) {
        throw new Error(`scan: output ${j} has shape ${showShape(outs[j].shape)} at step ${t}, ${showShape(first.shape)} at step 0`);
      }
    }
    return stack(
      steps.map((outs) => outs[j]),
      first.shape,
    );
  });
  return { carry: [...carry], outputs };
}
