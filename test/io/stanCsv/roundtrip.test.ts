import { describe, expect, it } from "vitest";
import type { Adaptation, ChainDraws, DrawStats } from "../../../src/inference/draws.ts";
import { STAN_STAT_COLUMNS } from "../../../src/io/stanCsv/columns.ts";
import { readStanCsv } from "../../../src/io/stanCsv/read.ts";
import { csvAdaptation, csvElapsed, csvHeader, csvRow, stanCsv, type StanCsvConfig } from "../../../src/io/stanCsv/write.ts";
import { SAMPO_VERSION } from "../../../src/version.ts";
import { bits, layoutOf, randomBits, rng } from "./helpers.ts";

const layout = layoutOf([
  ["mu", []],
  ["theta", [3]],
  ["L", [2, 3]],
  ["sigma", [], "deterministic"],
]);

/** Random draws with doubles of random bits, so every digit matters. */
function randomChain(seed: number, warmup: number, draws: number, adaptation?: Adaptation): ChainDraws {
  const u = rng(seed);
  const n = warmup + draws;
  const col = (f: () => number) => Float64Array.from({ length: n }, f);
  const stats = {
    lp: col(() => randomBits(u)),
    acceptStat: col(u),
    stepSize: col(() => u() * 0.3),
    treeDepth: col(() => Math.floor(u() * 10)),
    nLeapfrog: col(() => Math.floor(u() * 1023)),
    divergent: col(() => (u() < 0.2 ? 1 : 0)),
    energy: col(() => randomBits(u)),
    recovered: col(() => (u() < 0.3 ? Math.floor(u() * 4) : 0)),
  };
  stats.energy[1] = Infinity;
  stats.energy[2] = -Infinity;
  stats.lp[3] = -0;
  const values = Array.from({ length: 11 }, () => col(() => randomBits(u)));
  return {
    chain: 2,
    warmup,
    draws,
    stats,
    values,
    ...(adaptation ? { adaptation } : {}),
    elapsed: { warmup: 0.25 + u(), sampling: 1 / 3 },
  };
}

const config: Omit<StanCsvConfig, "chain"> = { model: "round_trip", seed: 99, warmup: 10, draws: 12, saveWarmup: true };

function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(Array.from(b, bits)).toEqual(Array.from(a, bits));
}

describe("csvRow", () => {
  it("writes a 2×3 site in Stan's column-major order", () => {
    const small = layoutOf([["L", [2, 3]]]);
    const header = csvHeader({ model: "m", chain: 1, seed: 1, warmup: 0, draws: 1 }, small);
    const columnLine = header.trimEnd().split("\n").at(-1)!;
    expect(columnLine).toBe(`${STAN_STAT_COLUMNS.join(",")},L.1.1,L.2.1,L.1.2,L.2.2,L.1.3,L.2.3,recovered__`);
    const stats: DrawStats = {
      lp: -1.5,
      acceptStat: 0.9,
      stepSize: 0.1,
      treeDepth: 3,
      nLeapfrog: 7,
      divergent: true,
      energy: Infinity,
      recovered: 2,
    };
    // Row-major storage: L[i][j] = 10 * (i + 1) + (j + 1).
    const row = csvRow(stats, [11, 12, 13, 21, 22, 23], small);
    expect(row).toBe("-1.5,0.9,0.1,3,7,1,inf,11,21,12,22,13,23,2\n");
    expect(csvRow(stats, [11, 12, 13, 21, 22, 23], small, { recoveredColumn: false })).toBe("-1.5,0.9,0.1,3,7,1,inf,11,21,12,22,13,23\n");
  });

  it("refuses a value vector shorter than the layout", () => {
    const stats: DrawStats = { lp: 0, acceptStat: 0, stepSize: 0, treeDepth: 0, nLeapfrog: 0, divergent: false, energy: 0, recovered: 0 };
    expect(() => csvRow(stats, [1, 2], layout)).toThrow(/2 values, the layout 11/);
  });
});

describe("csvHeader, csvAdaptation, csvElapsed", () => {
  it("writes rstan's and CmdStan's keys, sampo_version and the layout", () => {
    const h = csvHeader({ ...config, chain: 4, thin: 2, adaptDelta: 0.95, metric: "dense_e", extra: { note: "a=b" } }, layout);
    for (const line of [
      "# model=round_trip",
      "# method=sample",
      `# sampo_version=${SAMPO_VERSION}`,
      "# seed=99",
      "# chain_id=4",
      "# iter=22",
      "# warmup=10",
      "# num_samples=12",
      "# num_warmup=10",
      "# save_warmup=1",
      "# thin=2",
      "# adapt_gamma=0.05",
      "# adapt_delta=0.95",
      "# adapt_kappa=0.75",
      "# adapt_t0=10",
      "# max_treedepth=10",
      "# metric=dense_e",
      "# sampler_t=NUTS(dense_e)",
      "# note=a\\u003db",
    ]) {
      expect(h.split("\n")).toContain(line);
    }
    expect(
      h.endsWith(
        "\n#\nlp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,theta.1,theta.2,theta.3,L.1.1,L.2.1,L.1.2,L.2.2,L.1.3,L.2.3,sigma,recovered__\n",
      ),
    ).toBe(true);
    expect(readStanCsv(h).config.note).toBe("a=b");
  });

  it("writes the adaptation block, diagonal and dense, as CmdStan does", () => {
    expect(csvAdaptation({ stepSize: 0.239609, invMetric: [7.42132, 0.393283] })).toBe(
      "# Adaptation terminated\n# Step size = 0.239609\n# Diagonal elements of inverse mass matrix:\n# 7.42132, 0.393283\n",
    );
    expect(
      csvAdaptation({
        stepSize: 0.5,
        invMetric: [
          [1, 0.5],
          [0.5, 2],
        ],
      }),
    ).toBe("# Adaptation terminated\n# Step size = 0.5\n# Elements of inverse mass matrix:\n# 1, 0.5\n# 0.5, 2\n");
  });

  it("writes the elapsed block in the layout of rstan's file", () => {
    expect(csvElapsed(0.041914, 0.018337)).toBe(
      "# \n#  Elapsed Time: 0.041914 seconds (Warm-up)\n#                0.018337 seconds (Sampling)\n#                0.060251 seconds (Total)\n# \n",
    );
  });
});

describe("write then read", () => {
  it("returns every number bit for bit, with warm-up, adaptation and elapsed times", () => {
    const adaptation: Adaptation = { stepSize: 0.1 + 0.2, invMetric: [1 / 3, Math.PI, 1e-300, 7] };
    const chain = randomChain(7, 10, 12, adaptation);
    const text = stanCsv(chain, layout, config);
    // CmdStan's order: header, warm-up rows, adaptation block, sampling rows, elapsed.
    const lines = text.split("\n");
    const col = lines.findIndex((l) => l.startsWith("lp__,"));
    expect(lines[col + 11]).toBe("# Adaptation terminated");
    expect(lines.at(-5)).toMatch(/^#  Elapsed Time: /);

    const back = readStanCsv(text);
    expect(back.truncated).toBe(false);
    expect(back.layout).toEqual(layout);
    expect(back.chain.chain).toBe(2);
    expect(back.chain.warmup).toBe(10);
    expect(back.chain.draws).toBe(12);
    for (const k of Object.keys(chain.stats) as (keyof DrawStats)[]) expectSameBits(chain.stats[k], back.chain.stats[k]);
    expect(back.chain.values.length).toBe(chain.values.length);
    chain.values.forEach((v, i) => expectSameBits(v, back.chain.values[i]));
    expect(back.chain.stats.energy[1]).toBe(Infinity);
    expect(Object.is(back.chain.stats.lp[3], -0)).toBe(true);
    expect(back.chain.adaptation!.stepSize).toBe(0.1 + 0.2);
    expectSameBits(adaptation.invMetric as number[], back.chain.adaptation!.invMetric as number[]);
    expectSameBits([chain.elapsed!.warmup, chain.elapsed!.sampling], [back.chain.elapsed!.warmup, back.chain.elapsed!.sampling]);
  });

  it("keeps a dense inverse metric and NaN values", () => {
    const adaptation: Adaptation = {
      stepSize: 0.7,
      invMetric: [
        [2, 0.1 + 0.2],
        [0.1 + 0.2, 1 / 7],
      ],
    };
    const chain = randomChain(8, 0, 5, adaptation);
    chain.values[4][2] = NaN;
    const back = readStanCsv(stanCsv(chain, layout, { ...config, warmup: 10, draws: 5, saveWarmup: false }));
    expect(back.chain.adaptation).toEqual(adaptation);
    expect(back.chain.warmup).toBe(0);
    expect(back.chain.values[4][2]).toBeNaN();
  });

  it("with save_warmup=0, every row is a sampling row", () => {
    const chain = randomChain(9, 0, 6, { stepSize: 0.5, invMetric: [1, 1, 1, 1] });
    const text = stanCsv(chain, layout, { ...config, saveWarmup: false });
    expect(text).toContain("# save_warmup=0\n");
    const back = readStanCsv(text);
    expect(back.config.save_warmup).toBe("0");
    expect(back.chain.warmup).toBe(0);
    expect(back.chain.draws).toBe(6);
    chain.values.forEach((v, i) => expectSameBits(v, back.chain.values[i]));
    // Without an adaptation block (a non-adaptive run) the header still says there are no warm-up rows.
    const noAdapt = readStanCsv(stanCsv({ ...chain, adaptation: undefined }, layout, { ...config, saveWarmup: false }));
    expect(noAdapt.chain.warmup).toBe(0);
    expect(noAdapt.chain.draws).toBe(6);
  });

  it("drops a last row cut mid-way by a killed writer", () => {
    const chain = randomChain(10, 10, 12, { stepSize: 0.5, invMetric: [1, 1, 1, 1] });
    const text = stanCsv({ ...chain, elapsed: undefined }, layout, config);
    const lastRow = text.lastIndexOf("\n", text.length - 2) + 1;
    for (const end of [lastRow + 1, lastRow + 30, text.length - 1]) {
      const back = readStanCsv(text.slice(0, end));
      expect(back.truncated).toBe(true);
      expect(back.chain.warmup).toBe(10);
      expect(back.chain.draws).toBe(11);
      chain.values.forEach((v, i) => expectSameBits(v.subarray(0, 21), back.chain.values[i]));
    }
    expect(readStanCsv(text).truncated).toBe(false);
  });

  it("keeps names that column names alone would misread, via sampo_layout", () => {
    const odd = layoutOf([
      ["s.1", []],
      ["a.b", [2]],
      ["m", [1, 2], "deterministic"],
    ]);
    const chain = randomChain(11, 0, 3);
    const values = [chain.values[0], chain.values[1], chain.values[2], chain.values[3], chain.values[4]];
    const text = stanCsv({ ...chain, values }, odd, config);
    const back = readStanCsv(text);
    expect(back.layout).toEqual(odd);
    values.forEach((v, i) => expectSameBits(v, back.chain.values[i]));
    // Without the layout comment (a file from elsewhere: one of sampo's must have it) the reader falls back to the column names (and their ambiguity).
    const stripped = readStanCsv(text.replace(/^# sampo_layout=.*\n/m, "").replace(/^# sampo_version=.*\n/m, ""));
    expect(stripped.layout.map((e) => [e.name, e.shape])).toEqual([
      ["s", [1]],
      ["a.b", [2]],
      ["m", [1, 2]],
    ]);
  });

  it("writes Stan's columns only when recovered__ is turned off", () => {
    const chain = randomChain(12, 0, 3);
    const text = stanCsv(chain, layout, { ...config, recoveredColumn: false });
    expect(text).not.toContain("recovered__");
    const back = readStanCsv(text);
    expect(Array.from(back.chain.stats.recovered)).toEqual([0, 0, 0]);
    chain.values.forEach((v, i) => expectSameBits(v, back.chain.values[i]));
  });
});
