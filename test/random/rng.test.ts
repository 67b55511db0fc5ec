/**
 * The counter-based stream (src/random/rng.ts): the Philox4x32-10 block
 * function gives Random123's published known answers and agrees with an
 * independent implementation of the specification (Salmon, Moraes, Dror &
 * Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3"); a stream is
 * reproducible, chains' streams differ and look independent; state() and
 * fromState() continue the exact sequence; uniforms lie in the open
 * interval (0, 1) and normals have mean 0 and sd 1.
 *
 * Monte Carlo checks use fixed seeds and a bound of 4 standard errors
 * (two-sided p ≈ 6e-5 for a correct generator), each written beside it.
 */
import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import { describe, expect, it } from "vitest";
import { hasWasmUniforms, philox4x32, philoxUniforms, Rng, type RngState } from "../../src/random/rng.ts";
import { assemble, kernelsModule, RANDOM } from "../../scripts/buildWasm.ts";
import { KERNELS_BASE64 } from "../../src/random/kernels.ts";

/**
 * Philox4x32-10 written from the paper and Random123's philox.h, in BigInt:
 * round(c, k) = (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0))
 * with M0 = 0xD2511F53, M1 = 0xCD9E8D57; the key is bumped by the Weyl
 * constants W0 = 0x9E3779B9, W1 = 0xBB67AE85 before each round after the first.
 */
function philoxReference(counter: readonly number[], key: readonly number[]): number[] {
  const MASK = 0xffffffffn;
  let [c0, c1, c2, c3] = counter.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + 0x9e3779b9n) & MASK;
      k1 = (k1 + 0xbb67ae85n) & MASK;
    }
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [((p1 >> 32n) ^ c1 ^ k0) & MASK, p1 & MASK, ((p0 >> 32n) ^ c3 ^ k1) & MASK, p0 & MASK];
  }
  return [c0, c1, c2, c3].map(Number);
}

const block = (counter: readonly number[], key0: number, key1: number): number[] => {
  const out = new Uint32Array(4);
  philox4x32(Uint32Array.from(counter), key0, key1, out);
  return Array.from(out);
};

/** n uniforms of a stream. */
const uniforms = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.uniform());

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}
function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return s / (xs.length - 1);
}
function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("the Philox4x32-10 block function", () => {
  // Random123's kat_vectors for philox4x32 with 10 rounds: counter words, key words, output words
  // (as copied into DEShawResearch/Random123-Boost, libs/random/test/test_philox.cpp).
  const kat: [counter: number[], key: number[], out: number[]][] = [
    [
      [0, 0, 0, 0],
      [0, 0],
      [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
    ],
    [
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0xffffffff, 0xffffffff],
      [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
    ],
    [
      [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
      [0xa4093822, 0x299f31d0],
      [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
    ],
  ];

  it("gives Random123's known answers", () => {
    for (const [counter, [k0, k1], out] of kat) expect(block(counter, k0, k1)).toEqual(out);
  });

  it("the independent BigInt implementation gives them too (so it can stand as the reference below)", () => {
    for (const [counter, key, out] of kat) expect(philoxReference(counter, key)).toEqual(out);
  });

  it("agrees with the independent implementation on 2000 counters and keys, extreme words included", () => {
    // xorshift32 (Marsaglia 2003), for inputs independent of the code under test.
    let s = 2463534242;
    const next = () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return s >>> 0;
    };
    const extremes = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
    const word = (t: number) => (t % 4 === 0 ? extremes[next() % extremes.length] : next());
    for (let t = 0; t < 2000; t++) {
      const counter = [word(t), word(t), word(t), word(t)];
      const key = [word(t), word(t)];
      expect(block(counter, key[0], key[1]), `counter ${counter}, key ${key}`).toEqual(philoxReference(counter, key));
    }
  });

  it("a stream starts from the block at counter 0 under its key: seed 0, stream 0 reads the first known answer", () => {
    // Each uniform takes 27 + 26 bits of two output words; the first two come from the first block.
    const [w0, w1, w2, w3] = kat[0][2];
    const rng = new Rng(0, 0);
    const bits = (hi: number, lo: number) => (hi >>> 5) * 2 ** 26 + (lo >>> 6);
    expect(Math.abs(rng.uniform() * 2 ** 53 - bits(w0, w1))).toBeLessThanOrEqual(1);
    expect(Math.abs(rng.uniform() * 2 ** 53 - bits(w2, w3))).toBeLessThanOrEqual(1);
  });
});

describe("the uniforms of a batch of blocks (WebAssembly, and the JavaScript fallback)", () => {
  /** Block n's two uniforms from the BigInt reference: 27 bits of one word and 26 of the next, in (0, 1). */
  const referenceUniforms = (first: number, n: number, stream: number, seed: number): number[] =>
    Array.from({ length: n }, (_, b) => {
      const c = first + b;
      const words = philoxReference(
        [c % 2 ** 32, Math.floor(c / 2 ** 32), stream % 2 ** 32, Math.floor(stream / 2 ** 32)],
        [seed % 2 ** 32, Math.floor(seed / 2 ** 32)],
      );
      const u = (hi: number, lo: number) => Math.min(((hi >>> 5) * 2 ** 26 + (lo >>> 6) + 0.5) / 2 ** 53, 1 - 2 ** -53);
      return [u(words[0], words[1]), u(words[2], words[3])];
    }).flat();
  const batch = (first: number, n: number, stream: number, seed: number, loops: boolean) => {
    const out = new Float64Array(2 * n);
    philoxUniforms(out, first, stream, seed, loops);
    return Array.from(out);
  };

  it("kernels.ts is what kernels.wat assembles to (run npm run build:wasm after editing the .wat)", async () => {
    const bytes = await assemble(RANDOM);
    expect(kernelsModule(RANDOM, bytes)).toContain(KERNELS_BASE64);
    expect(Buffer.from(bytes).toString("base64")).toBe(KERNELS_BASE64);
  });

  it("are there to be used: this runtime has WebAssembly", () => {
    expect(hasWasmUniforms()).toBe(true);
  });

  // Odd counts (the kernel computes blocks in pairs), a counter crossing 2³², high words of seed and stream.
  const cases: [number, number, number, number][] = [
    [0, 1, 0, 0],
    [0, 32, 1, 1],
    [7, 33, 2 ** 40 + 9, 12345],
    [2 ** 32 - 5, 11, 3, 2 ** 45 + 1],
    [8113018065910419, 3, 7382747448530715, 1],
    [Number.MAX_SAFE_INTEGER - 40, 20, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ];
  for (const [first, n, stream, seed] of cases) {
    it(`are the reference's at blocks ${first} … +${n - 1}, stream ${stream}, seed ${seed}, both ways`, () => {
      const want = referenceUniforms(first, n, stream, seed);
      expect(batch(first, n, stream, seed, false)).toEqual(want);
      expect(batch(first, n, stream, seed, true)).toEqual(want);
    });
  }

  it("a batch larger than the kernel's memory takes several calls and still reads consecutive blocks", () => {
    const n = 9000;
    const wasm = batch(5, n, 4, 9, false);
    expect(wasm).toEqual(batch(5, n, 4, 9, true));
    expect(wasm.slice(2 * 8190, 2 * 8200)).toEqual(referenceUniforms(5 + 8190, 10, 4, 9));
  });

  it("a stream's numbers 2n and 2n + 1 are block n's", () => {
    const rng = new Rng(11, 3);
    expect(uniforms(rng, 200)).toEqual(Float64Array.from(referenceUniforms(0, 100, 3, 11)));
  });
});

describe("streams", () => {
  it("are reproducible: the same seed and stream give the same numbers, uniform and normal", () => {
    const draw = (rng: Rng) => Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? rng.normal() : rng.uniform()));
    expect(draw(new Rng(42, 3))).toEqual(draw(new Rng(42, 3)));
  });

  it("differ between chains, between seeds, and in the high 32 bits of the seed and of the stream id", () => {
    const first = (rng: Rng) => Array.from(uniforms(rng, 1000));
    const streams = [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => first(new Rng(42, k))),
      first(new Rng(43, 1)),
      first(new Rng(42 + 2 ** 32, 1)),
      first(new Rng(42, 1 + 2 ** 32)),
    ];
    // 53-bit values: a shared value between two streams of 1000 is a coincidence of probability ~1e-10.
    const all = new Set(streams.flat());
    expect(all.size).toBe(streams.length * 1000);
  });

  it("of neighbouring chains are uncorrelated, as are neighbouring numbers of one stream", () => {
    // n = 100,000 pairs: the correlation of independent uniforms has standard error 1/√n; bound 4/√n.
    const n = 100_000;
    const a = uniforms(new Rng(11, 1), n + 1);
    const b = uniforms(new Rng(11, 2), n);
    const bound = 4 / Math.sqrt(n);
    expect(Math.abs(correlation(a.subarray(0, n), b))).toBeLessThan(bound);
    expect(Math.abs(correlation(a.subarray(0, n), a.subarray(1)))).toBeLessThan(bound);
  });
});

describe("state and fromState", () => {
  it("continue the exact sequence from any position, through JSON", () => {
    for (const taken of [0, 1, 2, 3, 8, 1001]) {
      const rng = new Rng(9, 4);
      uniforms(rng, taken);
      const saved = JSON.parse(JSON.stringify(rng.state())) as RngState;
      const resumed = Rng.fromState(saved);
      const draw = (r: Rng) => Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? r.uniform() : r.normal()));
      expect(draw(resumed), `after ${taken}`).toEqual(draw(rng));
      expect(resumed.state()).toEqual(rng.state());
    }
  });

  it("the state counts blocks consumed and doubles taken from the current one (two doubles a block)", () => {
    const rng = new Rng(9, 4);
    expect(rng.state()).toMatchObject({ seed: 9, stream: 4, counter: 0 });
    uniforms(rng, 1001);
    expect(rng.state()).toEqual({ seed: 9, stream: 4, counter: 501, used: 1 });
    // The n-th number depends only on (seed, stream, n): position 1000 is block 500, double 0.
    const fresh = new Rng(9, 4);
    const seq = uniforms(fresh, 1004);
    expect(Rng.fromState({ seed: 9, stream: 4, counter: 500, used: 2 }).uniform()).toBe(seq[1000]);
    expect(Rng.fromState({ seed: 9, stream: 4, counter: 501, used: 1 }).uniform()).toBe(seq[1001]);
  });

  it("a counter past 2³² blocks reads new blocks (the counter's high word is used)", () => {
    const at = (counter: number) => Rng.fromState({ seed: 9, stream: 4, counter, used: 2 }).uniform();
    expect(at(2 ** 32)).not.toBe(at(0));
    expect(at(2 ** 32 + 1)).not.toBe(at(1));
  });
});

describe("uniform", () => {
  const n = 1_000_000;
  const u = uniforms(new Rng(2024, 1), n);

  it("lies in the open interval (0, 1)", () => {
    let lo = 1;
    let hi = 0;
    for (const x of u) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
  });

  // Regression: where a block's first two words are all ones, the 53 bits are 2⁵³ − 1 and
  // (2⁵³ − 1 + ½)/2⁵³ rounds to exactly 1 (2⁵³ − ½ is halfway between two doubles and rounds to even, 2⁵³).
  // It happens once in 2⁵³ draws. The position was found by running Philox backwards from the output words
  // (ffffffff, ffffffff, af91d149, 22afc935) under seed 1 until the counter and the stream id were safe
  // integers; the reference implementation confirms it below.
  const [stream, counter] = [7382747448530715, 8113018065910419];
  it("(the block at seed 1, stream 7382747448530715, counter 8113018065910419 starts with two all-ones words)", () => {
    const words = [counter % 2 ** 32, Math.floor(counter / 2 ** 32), stream % 2 ** 32, Math.floor(stream / 2 ** 32)];
    expect(philoxReference(words, [1, 0]).slice(0, 2)).toEqual([0xffffffff, 0xffffffff]);
  });
  it("stays below 1 where the 53 bits are all ones", () => {
    expect(Rng.fromState({ seed: 1, stream, counter, used: 2 }).uniform()).toBeLessThan(1);
  });

  it("has mean 1/2 and variance 1/12", () => {
    // SE of the mean √(1/12 / n); SE of the sample variance √((μ₄ − σ⁴)/n) with μ₄ = 1/80, σ⁴ = 1/144. Bounds: 4 SE.
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n));
  });

  it("fills 100 bins, and 10 × 10 bins of consecutive pairs, evenly (chi-square)", () => {
    // Pearson's statistic against the chi-square quantile at 1 − 1e-4 (at most about 4 SE in a normal approximation).
    const chi2 = (counts: number[], total: number) =>
      counts.reduce((s, c) => s + (c - total / counts.length) ** 2 / (total / counts.length), 0);
    const bins = new Array<number>(100).fill(0);
    for (const x of u) bins[Math.floor(x * 100)]++;
    expect(chi2(bins, n)).toBeLessThan(chisqQuantile(1 - 1e-4, 99));
    const pairs = new Array<number>(100).fill(0);
    for (let i = 0; i + 1 < n; i += 2) pairs[10 * Math.floor(u[i] * 10) + Math.floor(u[i + 1] * 10)]++;
    expect(chi2(pairs, n / 2)).toBeLessThan(chisqQuantile(1 - 1e-4, 99));
  });

  it("is what prng draws (the function stdlib's samplers take)", () => {
    const a = new Rng(5, 2);
    const b = new Rng(5, 2);
    const f = a.prng;
    expect(Array.from({ length: 10 }, () => f())).toEqual(Array.from(uniforms(b, 10)));
  });
});

describe("normal", () => {
  const n = 200_000;
  const rng = new Rng(77, 3);
  const z = Float64Array.from({ length: n }, () => rng.normal());

  it("has mean 0 and sd 1", () => {
    // SE of the mean 1/√n; SE of the sample variance of a normal √(2/n). Bounds: 4 SE.
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it("has normal tails: P(|z| > 1.96) = 0.05, P(z > 2.576) = 0.005", () => {
    // Binomial SE √(p(1 − p)/n); bounds: 4 SE.
    const frac = (pred: (x: number) => boolean) => z.reduce((c, x) => c + (pred(x) ? 1 : 0), 0) / n;
    for (const [p, pred] of [
      [0.05, (x: number) => Math.abs(x) > 1.959964],
      [0.005, (x: number) => x > 2.575829],
    ] as const) {
      expect(Math.abs(frac(pred) - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});

describe("normals (pairs from Box–Muller)", () => {
  const n = 200_000;
  const rng = new Rng(78, 3);
  const z = new Float64Array(n);
  for (let at = 0; at < n; at += 101) rng.normals(z, at, Math.min(101, n - at)); // odd lengths: a pair cut short each time

  it("has mean 0, sd 1 and normal tails", () => {
    // As for normal: 4 SE bounds.
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    const frac = z.reduce((c, x) => c + (Math.abs(x) > 1.959964 ? 1 : 0), 0) / n;
    expect(Math.abs(frac - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / n));
  });

  it("the two of a pair are uncorrelated, also in their squares (cos and sin of one angle, one radius)", () => {
    // Over m pairs the sample correlation has SE 1/√m; bound 4/√m. Squares: cos²·r² and sin²·r² share r², so a
    // wrong pairing (the same angle twice, say) shows there first.
    const m = 99_000;
    const a = new Float64Array(m);
    const b = new Float64Array(m);
    const pair = new Float64Array(2);
    const r = new Rng(79, 1);
    for (let k = 0; k < m; k++) {
      r.normals(pair, 0, 2);
      a[k] = pair[0];
      b[k] = pair[1];
    }
    const corr = (x: Float64Array, y: Float64Array) => {
      const [mx, my] = [mean(x), mean(y)];
      let sxy = 0;
      for (let k = 0; k < x.length; k++) sxy += (x[k] - mx) * (y[k] - my);
      return sxy / x.length / Math.sqrt(variance(x) * variance(y));
    };
    expect(Math.abs(corr(a, b))).toBeLessThan(4 / Math.sqrt(m));
    // Squares of independent normals are uncorrelated too (their correlation's SE is again about 1/√m).
    expect(
      Math.abs(
        corr(
          a.map((x) => x * x),
          b.map((x) => x * x),
        ),
      ),
    ).toBeLessThan(4 / Math.sqrt(m));
  });

  it("holds no spare draw: a stream resumed from its state continues exactly", () => {
    const a = new Rng(80, 2);
    const first = new Float64Array(7);
    a.normals(first, 0, 7);
    const b = Rng.fromState(a.state());
    const [x, y] = [new Float64Array(5), new Float64Array(5)];
    a.normals(x, 0, 5);
    b.normals(y, 0, 5);
    expect(y).toEqual(x);
  });
});

describe("seeds", () => {
  it("must be non-negative safe integers", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => new Rng(bad), String(bad)).toThrow(RangeError);
    expect(() => new Rng(0)).not.toThrow();
    expect(() => new Rng(Number.MAX_SAFE_INTEGER)).not.toThrow();
  });
});
