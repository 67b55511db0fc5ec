/**
 * A counter-based random stream (Philox4x32-10, Salmon et al. 2011): the
 * n-th number depends only on (seed, stream, n), so a chain restarted from
 * a checkpoint, on another thread or machine, continues exactly.
 * @module
 */

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

/**
 * A reproducible stream of uniform and normal numbers. Streams with different
 * `stream` ids (one per chain) are independent.
 *
 * @example
 * ```ts
 * const rng = new Rng(42, 1);
 * rng.uniform(); rng.normal();
 * ```
 */
export class Rng {
  private readonly ctr = new Uint32Array(4);
  private readonly block = new Uint32Array(4);
  private counter = 0;
  private used = 2;

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
    r.counter = s.counter;
    if (s.used < 2) {
      r.counter -= 1;
      r.refill();
      r.used = s.used;
    }
    return r;
  }

  /** The current position. */
  state(): RngState {
    return { seed: this.seed, stream: this.stream, counter: this.counter, used: this.used };
  }

  private refill(): void {
    this.ctr[0] = this.counter >>> 0;
    this.ctr[1] = Math.floor(this.counter / 0x100000000) >>> 0;
    this.ctr[2] = this.stream >>> 0;
    this.ctr[3] = Math.floor(this.stream / 0x100000000) >>> 0;
    philox4x32(this.ctr, this.seed >>> 0, Math.floor(this.seed / 0x100000000) >>> 0, this.block);
    this.counter += 1;
    this.used = 0;
  }

  /** A uniform double in the open interval (0, 1), from 53 random bits. */
  uniform(): number {
    if (this.used >= 2) this.refill();
    const i = 2 * this.used++;
    const hi = this.block[i] >>> 5; // 27 bits
    const lo = this.block[i + 1] >>> 6; // 26 bits
    const u = (hi * 67108864 + lo + 0.5) / 9007199254740992;
    // All 53 bits set gives 2⁵³ − ½, which rounds to 2⁵³: keep the interval open with the largest double below 1.
    return u < 1 ? u : 1 - 2 ** -53;
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
