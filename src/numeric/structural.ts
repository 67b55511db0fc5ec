/**
 * Shape-changing and reducing primitives of the numeric interpreter. All
 * but logSumExp are linear, so each is one array map lifted by
 * {@link linear}: the tangent moves exactly like the values.
 * @module
 */
import { broadcastStrides, type Shape, sizeOf, stridesOf } from "../tensor/shape.ts";
import { logSumExpStrided } from "../special/index.ts";
import { linear, linearN, type NumTensor, numTensor } from "./tensor.ts";

/** NumPy broadcast of `x` to `shape`: reads each output element at broadcast strides. */
export function broadcast(x: NumTensor, shape: Shape): NumTensor {
  const strides = broadcastStrides(x.shape, shape);
  const n = sizeOf(shape);
  return linear(x, shape, (a) => {
    const out = new Float64Array(n);
    const idx = new Array<number>(shape.length).fill(0);
    let src = 0;
    for (let i = 0; i < n; i++) {
      out[i] = a[src];
      // Odometer increment of the multi-index, keeping the source offset in step.
      for (let k = shape.length - 1; k >= 0; k--) {
        idx[k]++;
        src += strides[k];
        if (idx[k] < shape[k]) break;
        src -= strides[k] * idx[k];
        idx[k] = 0;
      }
    }
    return out;
  });
}

/** Same elements under a new shape (the arrays are shared, not copied). */
export function reshape(x: NumTensor, shape: Shape): NumTensor {
  return numTensor(x.v, shape, x.d);
}

/**
 * A reduction's view of a shape as [outer, n, inner]: reducing over `axis`
 * reads elements o·n·inner + k·inner + i for k < n. Axis null reduces all.
 */
function reductionView(shape: Shape, axis: number | null): { outer: number; n: number; inner: number; out: Shape } {
  if (axis === null) return { outer: 1, n: sizeOf(shape), inner: 1, out: [] };
  return {
    outer: sizeOf(shape.slice(0, axis)),
    n: shape[axis],
    inner: sizeOf(shape.slice(axis + 1)),
    out: shape.filter((_, j) => j !== axis),
  };
}

/** Sum over all elements (axis null) or over one axis, which is removed. */
export function sum(x: NumTensor, axis: number | null): NumTensor {
  const { outer, n, inner, out } = reductionView(x.shape, axis);
  return linear(x, out, (a) => {
    const r = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) for (let i = 0; i < inner; i++) r[o * inner + i] += a[(o * n + k) * inner + i];
    }
    return r;
  });
}

/**
 * log Σ exp over all elements or one axis, stably. The tangent is the
 * softmax-weighted sum of the tangents; where the result is ±∞ it is 0,
 * since no finite perturbation moves an infinite result.
 */
export function logSumExp(x: NumTensor, axis: number | null): NumTensor {
  const { outer, n, inner, out } = reductionView(x.shape, axis);
  const v = new Float64Array(outer * inner);
  const d = x.d === null ? null : new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const lse = logSumExpStrided(x.v, base, n, inner);
      v[o * inner + i] = lse;
      if (d === null || x.d === null || !Number.isFinite(lse)) continue;
      let t = 0;
      for (let k = 0; k < n; k++) {
        const dk = x.d[base + k * inner];
        if (dk !== 0) t += Math.exp(x.v[base + k * inner] - lse) * dk;
      }
      d[o * inner + i] = t;
    }
  }
  return numTensor(v, out, d);
}

/** Rows `indices` along the first axis: shape [k, ...rest]. */
export function gather(x: NumTensor, indices: Int32Array): NumTensor {
  const rest = x.shape.slice(1);
  const row = sizeOf(rest);
  return linear(x, [indices.length, ...rest], (a) => {
    const out = new Float64Array(indices.length * row);
    indices.forEach((r, k) => out.set(a.subarray(r * row, (r + 1) * row), k * row));
    return out;
  });
}

/** Concatenation along the first axis. */
export function concat(xs: readonly NumTensor[]): NumTensor {
  const rest = xs[0].shape.slice(1);
  const rows = xs.reduce((acc, x) => acc + x.shape[0], 0);
  return linearN(xs, [rows, ...rest], (as) => {
    const out = new Float64Array(rows * sizeOf(rest));
    let at = 0;
    for (const a of as) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  });
}

/** Transpose of an m×n row-major array. */
export function transposeArray(a: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/** Matrix transpose. */
export function transpose(x: NumTensor): NumTensor {
  const [m, n] = x.shape;
  return linear(x, [n, m], (a) => transposeArray(a, m, n));
}

/** Cumulative sum along the first axis. */
export function cumsum(x: NumTensor): NumTensor {
  const row = x.shape.length === 0 ? 1 : stridesOf(x.shape)[0];
  return linear(x, x.shape, (a) => {
    const out = Float64Array.from(a);
    for (let i = row; i < out.length; i++) out[i] += out[i - row];
    return out;
  });
}
