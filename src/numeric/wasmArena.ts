/**
 * Float64 vectors in one WebAssembly memory, for kernels that work on them
 * in place: the memory is sized once (`reserve`), views are handed out in
 * order (`f64`), and a kernels module is instantiated over it. A kernel can
 * read only its own memory, so whatever it reads must be a view taken here.
 * Where WebAssembly or its SIMD is missing (or `loops` is asked for), the
 * memory is a plain ArrayBuffer and `kernels` is undefined: the owner runs
 * its JavaScript loops instead.
 * @module
 */

const BYTES = 8;
const PAGE = 65_536;

/** The part of the WebAssembly JavaScript API used here (the ES and Node type libraries this project compiles against lack it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
/** A compiled WebAssembly module. */
export type WasmModule = object;
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * The module of `base64` bytes (importing one memory as `env.memory`, and
 * whatever else its arena's owner gives it), compiled at the first call and
 * kept; null where WebAssembly or its SIMD is not available.
 */
export function wasmModule(base64: string): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      compiled = wasm !== undefined && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    }
    return compiled;
  };
}

/**
 * One memory of float64 views and the kernels `K` over it.
 *
 * @example
 * ```ts
 * const arena = new WasmArena<object>(() => null); // no kernels: a plain ArrayBuffer
 * arena.reserve(3);
 * const [a, b] = [arena.f64(1), arena.f64(2)];
 * b.set([1, 2]);
 * console.log(a.length, Array.from(b), arena.kernels); // 1 [1, 2] undefined
 * ```
 */
export class WasmArena<K extends object> {
  /** The kernels over this memory, undefined where they are not available (or `loops`). */
  kernels: K | undefined;
  private memory: WasmMemory | ArrayBuffer | undefined;
  private used = 0;
  private capacity = 0;

  /** `imports` are the module's imports besides `env.memory`. */
  constructor(
    private readonly module: () => WasmModule | null,
    private readonly loops = false,
    private readonly imports: object = {},
  ) {}

  /**
   * Sizes the memory for `doubles` float64s in all. Called once, before any
   * view is taken: growing WebAssembly memory later would detach the views
   * already handed out.
   */
  reserve(doubles: number): void {
    if (this.memory !== undefined) throw new Error("WasmArena: reserve is called once, before any view");
    const bytes = Math.max(1, doubles) * BYTES;
    const module = this.loops ? null : this.module();
    if (module === null || wasm === undefined) this.memory = new ArrayBuffer(bytes);
    else {
      const memory = new wasm.Memory({ initial: Math.ceil(bytes / PAGE) });
      this.kernels = new wasm.Instance(module, { ...this.imports, env: { memory } }).exports as K;
      this.memory = memory;
    }
    this.capacity = doubles;
  }

  /** A new zeroed view of `n` float64s. */
  f64(n: number): Float64Array {
    if (this.memory === undefined) throw new Error("WasmArena: reserve before taking views");
    const size = Math.max(1, n);
    if (this.used + size > this.capacity) throw new Error(`WasmArena: ${this.used + size} float64s asked for, ${this.capacity} reserved`);
    const buffer = this.memory instanceof ArrayBuffer ? this.memory : this.memory.buffer;
    const view = new Float64Array(buffer, this.used * BYTES, size);
    this.used += size;
    return view;
  }
}
