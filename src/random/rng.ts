/**
 * A counter-based random stream (Philox4x32-10, Salmon et al. 2011): the
 * n-th number depends only on (seed, stream, n), so a chain restarted from
 * a checkpoint, on another thread or machine, continues exactly.
 * @module
 */

import { wasmModule } from "../numeric/wasmArena.ts";
import { KERNELS_BASE64 } from "./kernels.ts";

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * High 32 bits of the 64-bit product of two uint32. The double product a·b
 * is within 2¹¹ of the exact one and the low word (Math.imul) is exact, so
 * (a·b − low)/2³² lies within 2⁻²⁰ of the high word: rounding gives it
 * exactly, in five operations instead of a 16-bit long multiplication.
 */
function mulhi(a: number, b: number): number {
  return Math.round((a * b - (Math.imul(a, b) >>> 0)) * 2.3283064365386963e-10);
}

/** One Philox4x32-10 block: four uint32 from a 128-bit counter and a 64-bit key. */
export function philox4x32(counter: Uint32Array, key0: number, key1: number, out: Uint32Array): void {
  let c0 = counter[0];
  let c1 = counter[1];
  let c2 = counter[2];
  let c3 = counter[3];
  let k0 = key0 >>> 0;
  let k1 = key1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** The position of a stream, enough to resume it exactly. */
export interface RngState {
  readonly seed: number;
  readonly stream: number;
  /** Blocks consumed so far. */
  readonly counter: number;
  /** Doubles already taken from the current block (0, 1 or 2). */
  readonly used: number;
}

/** Blocks computed at a time: a draw then costs an array read, and a block's arithmetic runs in a batch. */
const BATCH = 32;
const TWO32 = 4294967296;
/** Blocks per call of the WebAssembly uniforms: its one page (64 KiB) holds 4096 blocks' doubles, and it computes an odd count's one block more. */
const WASM_BLOCKS = 4094;

/** The uniform in (0, 1) of two block words: 27 bits of the first, 26 of the second (53 in all). */
function uniformOf(hi: number, lo: number): number {
  const u = ((hi >>> 5) * 67108864 + (lo >>> 6) + 0.5) / 9007199254740992;
  // All 53 bits set gives 2⁵³ − ½, which rounds to 2⁵³: keep the interval open with the largest double below 1.
  return u < 1 ? u : 1 - 2 ** -53;
}

/** kernels.wat's export: the uniforms of n blocks, written at byte offset `out` of its memory. */
interface PhiloxExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  uniforms(out: number, n: number, ctrLo: number, ctrHi: number, streamLo: number, streamHi: number, key0: number, key1: number): void;
}

/** The exports, and a view of the doubles they write (the memory never grows, so the view stays valid). */
interface PhiloxKernels {
  readonly exports: PhiloxExports;
  readonly out: Float64Array;
}

const philoxModule = wasmModule(KERNELS_BASE64);
let philoxKernels: PhiloxKernels | null | undefined;

/** The WebAssembly uniforms, one instance for the thread; null where WebAssembly is missing. */
function kernels(): PhiloxKernels | null {
  if (philoxKernels === undefined) {
    const module = philoxModule();
    const api = (globalThis as { WebAssembly?: { Instance: new (m: object, imports: object) => { exports: unknown } } }).WebAssembly;
    if (module === null || api === undefined) philoxKernels = null;
    else {
      const exports = new api.Instance(module, {}).exports as PhiloxExports;
      philoxKernels = { exports, out: new Float64Array(exports.memory.buffer) };
    }
  }
  return philoxKernels;
}

/** Whether the uniforms come from WebAssembly in this runtime (else from {@link philox4x32}). */
export function hasWasmUniforms(): boolean {
  return kernels() !== null;
}

/**
 * out ← the two uniforms of each of the blocks first, first + 1, …
 * (out.length / 2 of them) of `stream` under `seed`: in WebAssembly where
 * it is available (`loops` false), else with {@link philox4x32}; the two
 * give the same bits.
 */
export function philoxUniforms(out: Float64Array, first: number, stream: number, seed: number, loops = false): void {
  const n = out.length >> 1;
  const [s0, s1, k0, k1] = [stream >>> 0, Math.floor(stream / TWO32) >>> 0, seed >>> 0, Math.floor(seed / TWO32) >>> 0];
  const wasm = loops ? null : kernels();
  if (wasm !== null) {
    for (let at = 0; at < n; at += WASM_BLOCKS) {
      const m = Math.min(WASM_BLOCKS, n - at);
      const c = first + at;
      wasm.exports.uniforms(0, m, c >>> 0, Math.floor(c / TWO32) >>> 0, s0, s1, k0, k1);
      out.set(wasm.out.subarray(0, 2 * m), 2 * at);
    }
    return;
  }
  const ctr = new Uint32Array(4);
  const block = new Uint32Array(4);
  for (let b = 0; b < n; b++) {
    const c = first + b;
    ctr.set([c >>> 0, Math.floor(c / TWO32) >>> 0, s0, s1]);
    philox4x32(ctr, k0, k1, block);
    out[2 * b] = uniformOf(block[0], block[1]);
    out[2 * b + 1] = uniformOf(block[2], block[3]);
  }
}

/**
 * A reproducible stream of uniform and normal numbers. Streams with different
 * `stream` ids (one per chain) are independent. Block n of the stream is
 * Philox4x32-10 at counter n under the key `seed`; its two doubles are the
 * stream's numbers 2n and 2n + 1.
 *
 * @example
 * ```ts
 * const rng = new Rng(42, 1);
 * rng.uniform(); rng.normal();
 * ```
 */
export class Rng {
  /** The uniforms of blocks base … base + BATCH − 1, once filled. */
  private readonly buf = new Float64Array(2 * BATCH);
  private base = 0;
  /** Doubles in buf (0 until the first fill) and doubles of it taken. */
  private filled = 0;
  private pos = 0;

  constructor(
    readonly seed: number,
    readonly stream = 0,
  ) {
    if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    }
  }

  /** A stream resumed at a saved position. */
  static fromState(s: RngState): Rng {
    const r = new Rng(s.seed, s.stream);
    if (s.used >= 2) r.base = s.counter;
    else {
      r.base = s.counter - 1;
      r.fill();
      r.pos = s.used;
    }
    return r;
  }

  /** The current position: blocks begun, and doubles taken from the last of them. */
  state(): RngState {
    const { seed, stream, base, pos } = this;
    return pos === 0 ? { seed, stream, counter: base, used: 2 } : { seed, stream, counter: base + ((pos + 1) >> 1), used: pos & 1 ? 1 : 2 };
  }

  /** The next batch of blocks. */
  private fill(): void {
    this.base += this.filled >> 1;
    philoxUniforms(this.buf, this.base, this.stream, this.seed);
    this.filled = this.buf.length;
    this.pos = 0;
  }

  /** A uniform double in the open interval (0, 1), from 53 random bits. */
  uniform(): number {
    if (this.pos === this.filled) this.fill();
    return this.buf[this.pos++];
  }

  /** A standard normal draw (Box–Muller on two uniforms). */
  normal(): number {
    const u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills out[at, at + n) with standard normal draws: Box–Muller's two
   * normals (cosine and sine) from each pair of uniforms, so n draws cost
   * ⌈n/2⌉ pairs (one Philox block each) where n calls of {@link normal}
   * cost n. Holds no spare draw between calls, so the stream's position
   * ({@link state}) still says everything.
   */
  normals(out: Float64Array, at: number, n: number): void {
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(this.uniform()));
      const a = 2 * Math.PI * this.uniform();
      out[at + i] = r * Math.cos(a);
      if (i + 1 < n) out[at + i + 1] = r * Math.sin(a);
    }
  }

  /** A function drawing uniforms, as stdlib's samplers take it (`prng` option). */
  get prng(): () => number {
    return () => this.uniform();
  }
}
