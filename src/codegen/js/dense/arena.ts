/**
 * The memory a generated density's buffers and data live in, and the dense
 * products that run over it in WebAssembly.
 *
 * V8 runs the generated JavaScript's multiply–add loops one float64 at a
 * time, with a bounds check per load; the WebAssembly kernels (kernels.wat)
 * use two-lane SIMD and no checks, about three times as fast on a 500 × 20
 * product; exp, and softplus with sigmoid, of a whole vector, in SIMD too,
 * two to three times as fast as V8's Math.exp and Math.log1p. They can read
 * only their own memory, so a density module built for them keeps every
 * buffer and data table there: its setup asks for all of it at once
 * (`reserve`), then takes views (`f64`, `table`) that the rest of the
 * generated code indexes like any Float64Array. Where WebAssembly or its
 * SIMD is missing, the same work runs as plain loops.
 * @module
 */
import { WasmArena, wasmModule } from "../../../numeric/wasmArena.ts";
import { KERNELS_BASE64 } from "./kernels.ts";

interface Kernels {
  gemv(X: number, x: number, y: number, n: number, k: number): void;
  gemvT(X: number, v: number, y: number, n: number, k: number): void;
  softplusSigmoid(x: number, sp: number, sg: number, n: number): void;
  exp(x: number, y: number, n: number): void;
}

const kernelModule = wasmModule(KERNELS_BASE64);

/** Options of a {@link DenseArena}. */
export interface DenseArenaOptions {
  /** Run the products as JavaScript loops even where WebAssembly is available (to test that path). */
  readonly loops?: boolean;
}

/**
 * One density's memory: float64 views handed out in order, and the dense
 * products over them.
 *
 * @example
 * ```ts
 * const w = new DenseArena();
 * w.reserve(2 * 3 + 3 + 2);
 * const X = w.f64(6), x = w.f64(3), y = w.f64(2);
 * X.set([1, 2, 3, 4, 5, 6]);
 * x.set([1, 0, -1]);
 * w.gemv(X, x, y, 2, 3);
 * console.log(Array.from(y)); // [-2, -2]
 * ```
 */
export class DenseArena extends WasmArena<Kernels> {
  constructor(options: DenseArenaOptions = {}) {
    super(kernelModule, options.loops === true);
  }

  /** Moves data table `tables[k]` into the arena: the table becomes a view here, so writes to it (new data) are what the code reads. */
  table(tables: Float64Array[], k: number): Float64Array {
    const view = this.f64(tables[k].length);
    view.set(tables[k]);
    tables[k] = view;
    return view;
  }

  /** `y[i] = Σₖ X[i·k + j] · x[j]` for i < n: the n × k row-major matrix `X` times `x`. */
  gemv(X: Float64Array, x: Float64Array, y: Float64Array, n: number, k: number): void {
    if (this.kernels !== undefined) return this.kernels.gemv(X.byteOffset, x.byteOffset, y.byteOffset, n, k);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += X[i * k + j] * x[j];
      y[i] = s;
    }
  }

  /** `y[j] = Σᵢ X[i·k + j] · v[i]` for j < k: `v` times the n × k row-major matrix `X` (that is, Xᵀv). */
  gemvT(X: Float64Array, v: Float64Array, y: Float64Array, n: number, k: number): void {
    if (this.kernels !== undefined) return this.kernels.gemvT(X.byteOffset, v.byteOffset, y.byteOffset, n, k);
    y.fill(0, 0, k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) y[j] += X[i * k + j] * v[i];
  }

  /** `y[i] = e^(x[i])` for i < n (`y` may be `x`). */
  exp(x: Float64Array, y: Float64Array, n: number): void {
    if (this.kernels !== undefined) return this.kernels.exp(x.byteOffset, y.byteOffset, n);
    for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]);
  }

  /**
   * `sp[i] = softplus(x[i])` and `sg[i] = sigmoid(x[i])` for i < n, both from
   * u = e^(−|x|) (which never overflows), as the generated code's helpers.
   */
  softplusSigmoid(x: Float64Array, sp: Float64Array, sg: Float64Array, n: number): void {
    if (this.kernels !== undefined) return this.kernels.softplusSigmoid(x.byteOffset, sp.byteOffset, sg.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const u = Math.exp(-Math.abs(x[i]));
      sp[i] = Math.max(x[i], 0) + Math.log1p(u);
      sg[i] = (x[i] >= 0 ? 1 : u) / (1 + u);
    }
  }
}
