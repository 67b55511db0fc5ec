/**
 * The building blocks on small inputs with known answers (R's outputs worked
 * by hand), and posterior's behaviour at the edges: constant, short,
 * non-finite and single-chain input.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/random/rng.ts";
import {
  autocovariance,
  averageRanks,
  ebfmi,
  essBulk,
  essGeyer,
  essMean,
  essQuantile,
  essTail,
  foldDraws,
  formatSummaryTable,
  mcseMean,
  mcseQuantile,
  mcseSd,
  median,
  quantile,
  quantiles,
  rhat,
  rhatBasic,
  splitChains,
  summarizeColumn,
  zScale,
} from "../../../src/inference/diagnostics/index.ts";
import { centre, directLags, fftLags } from "../../../src/inference/diagnostics/autocov.ts";
import { pooled } from "../../../src/inference/diagnostics/column.ts";
import { argsort } from "../../../src/inference/diagnostics/sort.ts";

function normals(seed: number, chains: number, n: number): Float64Array[] {
  return Array.from({ length: chains }, (_, c) => {
    const g = new Rng(seed, c);
    return Float64Array.from({ length: n }, () => g.normal());
  });
}

describe("autocovariance", () => {
  it("equals the direct O(N²) sum (1/N) Σ (xᵢ − x̄)(xᵢ₊ₜ − x̄) at every lag", () => {
    for (const n of [1, 2, 3, 7, 64, 1000, 1025]) {
      const [x] = normals(7, 1, n);
      const m = x.reduce((a, b) => a + b, 0) / n;
      const got = autocovariance(x);
      for (let t = 0; t < n; t++) {
        let s = 0;
        for (let i = 0; i + t < n; i++) s += (x[i] - m) * (x[i + t] - m);
        expect(Math.abs(got[t] - s / n)).toBeLessThan(1e-12 * Math.max(1, got[0]));
      }
    }
  });

  it("is zero for a constant sequence", () => {
    expect(Array.from(autocovariance([3, 3, 3, 3]))).toEqual([0, 0, 0, 0]);
  });
});

describe("mean autocovariance of several chains", () => {
  it("is the same by direct sums and by the batched FFT (an odd chain count included), and equals the O(N²) sum", () => {
    for (const [m, n] of [
      [1, 7],
      [2, 64],
      [3, 100],
      [5, 1000],
    ]) {
      const chains = normals(13, m, n).map((c) => {
        let x = 0;
        return c.map((e) => (x = 0.7 * x + e));
      });
      const direct = new Float64Array(n);
      const byFft = new Float64Array(n);
      const c = centre(chains, n);
      directLags(c, 0, n, direct);
      fftLags(c, direct[0], 0, byFft);
      for (let t = 0; t < n; t++) {
        let s = 0;
        for (const x of chains) {
          const mu = x.reduce((a, b) => a + b, 0) / n;
          for (let i = 0; i + t < n; i++) s += (x[i] - mu) * (x[i + t] - mu);
        }
        expect(Math.abs(direct[t] - s / n / m)).toBeLessThan(1e-12 * direct[0]);
        expect(Math.abs(byFft[t] - s / n / m)).toBeLessThan(1e-12 * direct[0]);
      }
    }
  });
});

describe("argsort", () => {
  const byComparison = (x: Float64Array) =>
    Array.from(x.keys()).sort((a, b) => {
      const [u, v] = [x[a], x[b]];
      if (Number.isNaN(u) !== Number.isNaN(v)) return Number.isNaN(u) ? 1 : -1;
      if (u !== v) return u < v ? -1 : 1;
      if (Object.is(u, -0) !== Object.is(v, -0)) return Object.is(u, -0) ? -1 : 1;
      return a - b; // stable
    });

  it("orders like a stable comparison sort: −0 before 0, NaN last, equal high words and long runs of them", () => {
    const g = new Rng(21, 0);
    const specials = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, 1, -1];
    const inputs = [
      Float64Array.from({ length: 2000 }, () => g.normal()),
      Float64Array.from({ length: 2000 }, () => specials[Math.floor(g.uniform() * specials.length)]),
      Float64Array.from({ length: 2000 }, () => Math.floor(g.uniform() * 5)),
      // All draws agree in their high 32 bits: the full 64-bit sort.
      Float64Array.from({ length: 2000 }, () => 1e6 + 1e-4 * g.uniform()),
      // Short runs of equal high words, mended by insertion sort.
      Float64Array.from({ length: 2000 }, () => -5000 + 0.01 * g.normal()),
      new Float64Array(0),
    ];
    for (const x of inputs) expect(Array.from(argsort(x, new Int32Array(x.length)))).toEqual(byComparison(x));
  });
});

describe("summarizeColumn", () => {
  it("gives to the bit what the single diagnostics give, for odd and even lengths and non-finite draws", () => {
    for (const n of [7, 200, 201]) {
      const chains = normals(17, 4, n);
      if (n === 201) chains[2][100] = Infinity; // a middle draw, dropped by splitting
      if (n === 7) chains[1][0] = -Infinity;
      const row = summarizeColumn(chains);
      expect(row.ess_bulk).toBe(essBulk(chains));
      expect(row.ess_tail).toBe(essTail(chains));
      expect(row.rhat).toBe(rhat(chains));
      expect(row.mcse_mean).toBe(mcseMean(chains));
      expect(row.mcse_sd).toBe(mcseSd(chains));
      expect([row.q05, row.q50, row.q95]).toEqual(quantiles(chains, [0.05, 0.5, 0.95]));
      expect(pooled(chains).sortedDraws()).toEqual(Float64Array.from(chains.flatMap((c) => Array.from(c))).sort());
    }
  });
});

describe("rank", () => {
  it("gives tied values their average rank (R's rank)", () => {
    expect(Array.from(averageRanks([10, 30, 20, 20]))).toEqual([1, 4, 2.5, 2.5]);
    expect(Array.from(averageRanks([5, 5, 5]))).toEqual([2, 2, 2]);
  });

  it("z-scales pooled ranks with Blom's offset", () => {
    const z = zScale([
      [1, 2],
      [3, 4],
    ]);
    // qnorm((1 − 3/8)/(4 + 1/4)) and qnorm((2 − 3/8)/4.25), from R
    expect(z[0][0]).toBeCloseTo(-1.049131397963971, 14);
    expect(z[0][1]).toBeCloseTo(-0.2993069104656671, 14);
    expect(z[1][1]).toBeCloseTo(1.049131397963971, 14);
  });

  it("splits chains into halves, dropping the middle draw of an odd length", () => {
    expect(
      splitChains([
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ]).map((c) => Array.from(c)),
    ).toEqual([
      [1, 2],
      [6, 7],
      [4, 5],
      [9, 10],
    ]);
    expect(splitChains([[1]]).map((c) => Array.from(c))).toEqual([[1]]);
  });

  it("folds around the pooled median", () => {
    expect(
      foldDraws([
        [1, 2],
        [3, 10],
      ]).map((c) => Array.from(c)),
    ).toEqual([
      [1.5, 0.5],
      [0.5, 7.5],
    ]);
  });

  it("rejects chains of different lengths", () => {
    expect(() =>
      essBulk([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(RangeError);
  });
});

describe("quantile (R type 7)", () => {
  it("matches R's quantile(c(1, 2, 3, 4, 10), c(.05, .5, .95))", () => {
    expect(
      quantiles(
        [
          [1, 2, 3],
          [4, 10],
        ],
        [0.05, 0.5, 0.95],
      ).map((q) => +q.toFixed(12)),
    ).toEqual([1.2, 3, 8.8]);
    expect(quantile([[4, 1, 2, 3]], 0)).toBe(1);
    expect(quantile([[4, 1, 2, 3]], 1)).toBe(4);
    expect(
      median([
        [1, 5],
        [2, 8],
      ]),
    ).toBe(3.5);
  });

  it("is NaN if any draw is NaN (quantile2 with na.rm = FALSE)", () => {
    expect(quantile([[1, NaN, 3]], 0.5)).toBeNaN();
  });
});

describe("Geyer's estimator", () => {
  it("gives M·N/2 for 3 to 5 draws per chain, whatever the draws (posterior's max_t = 0 case)", () => {
    expect(
      essGeyer([
        [0.1, -1.2, 0.7, 0.3, -0.4],
        [1.1, -0.2, 0.5, -0.9, 0.2],
      ]),
    ).toBe(5);
    expect(
      essGeyer([
        [1, 5, 2],
        [0, 4, 4],
      ]),
    ).toBe(3);
  });

  it("caps ESS at S·log10(S) for antithetic chains", () => {
    // AR(1) with ρ = −0.9 has ESS = 19·S, above the cap 3.6·S at S = 4000.
    const chains = Array.from({ length: 4 }, (_, c) => {
      const g = new Rng(11, c);
      let x = 0;
      return Float64Array.from({ length: 1000 }, () => (x = -0.9 * x + g.normal()));
    });
    expect(essMean(chains)).toBeCloseTo(4000 * Math.log10(4000), 8);
  });
});

describe("edge cases as posterior", () => {
  const constant = [
    [2, 2, 2, 2, 2, 2, 2, 2],
    [2, 2, 2, 2, 2, 2, 2, 2],
  ];

  it("constant draws: ESS, R-hat and MCSE are NaN (NA in posterior), mean and quantiles defined", () => {
    for (const f of [essBulk, essTail, essMean, rhat, mcseMean, mcseSd]) expect(f(constant)).toBeNaN();
    expect(essQuantile(constant, 0.5)).toBeNaN();
    expect(mcseQuantile(constant, 0.5)).toBeNaN();
    const row = summarizeColumn(constant);
    expect([row.mean, row.sd, row.q05, row.q50, row.q95]).toEqual([2, 0, 2, 2, 2]);
  });

  it("non-finite draws: NaN diagnostics, except where ranks absorb an infinity", () => {
    const [a, b] = normals(3, 2, 100);
    b[17] = Infinity;
    // posterior checks for non-finite values after rank normalization in
    // ess_bulk and rhat (an infinite draw just has the top rank), before it in
    // ess_quantile and ess_mean.
    for (const f of [essTail, essMean, mcseMean]) expect(f([a, b])).toBeNaN();
    const finite = Float64Array.from(b, (v) => (v === Infinity ? 1e300 : v));
    expect(essBulk([a, b])).toBe(essBulk([a, finite]));
    expect(rhat([a, b])).toBe(rhat([a, finite]));
    b[17] = NaN;
    for (const f of [essBulk, essTail, rhat, mcseMean]) expect(f([a, b])).toBeNaN();
  });

  it("short chains: ESS needs ≥ 3 draws per split half, R-hat ≥ 2", () => {
    const five = normals(4, 4, 5);
    expect(essBulk(five)).toBeNaN(); // halves of 2
    expect(rhat(five)).toBeGreaterThan(0); // halves of 2 still have a variance
    const six = normals(4, 4, 6);
    expect(essBulk(six)).toBe(12); // halves of 3: M·N/2 as above
    const three = normals(4, 4, 3);
    expect(rhat(three)).toBeNaN(); // halves of 1 have no variance
    expect(rhatBasic(normals(4, 4, 1), false)).toBeNaN();
  });

  it("a single chain works through its split halves; unsplit R-hat is NaN", () => {
    const one = normals(5, 1, 1000);
    expect(essBulk(one)).toBeGreaterThan(500);
    expect(rhat(one)).toBeLessThan(1.01);
    expect(rhatBasic(one, false)).toBeNaN();
  });

  it("essQuantile at p = 1 uses (S − 1/2)/S so the indicator is not constant", () => {
    const x = normals(6, 4, 500);
    expect(essQuantile(x, 1)).toBeGreaterThan(0);
    expect(() => essQuantile(x, 1.5)).toThrow(RangeError);
  });

  it("E-BFMI is NaN for fewer than two energies or a constant series", () => {
    expect(ebfmi([1])).toBeNaN();
    expect(ebfmi([4, 4, 4])).toBeNaN();
    // rstan's get_bfmi: (Σ diff² / N) / var
    expect(ebfmi([1, 2, 4])).toBeCloseTo((1 + 4) / 3 / (7 / 3), 14);
  });
});

describe("formatSummaryTable", () => {
  it("prints an aligned table with one line per row, NA for NaN", () => {
    const rows = [
      { name: "mu", row: summarizeColumn(normals(8, 4, 500)) },
      {
        name: "theta[10]",
        row: summarizeColumn([
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 1, 1, 1],
        ]),
      },
    ];
    const text = formatSummaryTable(rows);
    const lines = text.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0].split(/\s+/)).toEqual([
      "variable",
      "mean",
      "sd",
      "q05",
      "q50",
      "q95",
      "ess_bulk",
      "ess_tail",
      "rhat",
      "mcse_mean",
      "mcse_sd",
    ]);
    expect(lines[2].startsWith("theta[10]")).toBe(true);
    expect(lines[2]).toContain("NA");
    // Right-aligned numeric columns end at the same offsets on every line.
    const ends = (l: string) => [...l.matchAll(/\S+/g)].slice(1).map((m) => m.index! + m[0].length);
    expect(ends(lines[1])).toEqual(ends(lines[0]));
    expect(ends(lines[2])).toEqual(ends(lines[0]));
    // ESS is whole, R-hat has three decimals.
    const cells = lines[1].split(/\s+/);
    expect(cells[6]).toMatch(/^\d+$/);
    expect(cells[8]).toMatch(/^\d\.\d{3}$/);
  });
});
