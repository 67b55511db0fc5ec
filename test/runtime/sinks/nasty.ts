/** One message of each type with every number JSON cannot write (no imports: worker threads bundle it). */
import type { SampleMessage } from "../../../src/runtime/messages.ts";

/** The numbers a codec must not lose: infinities, NaN, negative zero, extremes. */
export const NASTY = [Infinity, -Infinity, NaN, -0, 0, 1.5, -2.25e-308, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER];

const run = "3f6c1f4e-run";

/** One message of each type, special numbers wherever the protocol has numbers. */
export function nastyMessages(): SampleMessage[] {
  return [
    {
      type: "start",
      version: 1,
      run,
      valueLayout: [
        { name: "mu", shape: [], offset: 0, size: 1, kind: "parameter" },
        { name: "theta", shape: [2, 3], offset: 1, size: 6, kind: "deterministic" },
      ],
      layout: [
        { name: "mu", shape: [], offset: 0, size: 1, transform: { type: "identity" } },
        { name: "tau", shape: [3], offset: 1, size: 3, transform: { type: "lowerUpper", lower: -Infinity, upper: -0 } },
      ],
      settings: {
        chains: 4,
        draws: 10,
        warmup: 5,
        seed: 1,
        thin: 1,
        targetAccept: 0.8,
        maxDepth: 10,
        metric: "diag",
        saveWarmup: false,
        reparam: true,
      },
      modelHash: "abc",
      dataHash: "def",
      centering: { theta: [0, 1, NaN, -0], NaN: [Infinity] },
    },
    {
      type: "draw",
      run,
      chain: 1,
      iter: 1,
      warmup: true,
      values: [...NASTY],
      stats: { lp: -Infinity, acceptStat: NaN, stepSize: 0.5, treeDepth: 3, nLeapfrog: 7, divergent: true, energy: Infinity, recovered: 2 },
    },
    {
      type: "draw",
      run,
      chain: 2,
      iter: 9,
      warmup: false,
      values: [],
      stats: { lp: -0, acceptStat: 1, stepSize: 5e-324, treeDepth: 0, nLeapfrog: 0, divergent: false, energy: -1e300, recovered: 0 },
    },
    { type: "adapted", run, chain: 1, stepSize: Infinity, invMetric: [1, NaN, -0] },
    {
      type: "adapted",
      run,
      chain: 2,
      stepSize: 0.1,
      invMetric: [
        [1, -0],
        [Infinity, NaN],
      ],
    },
    { type: "chainDone", run, chain: 1, elapsed: { warmup: 0.25, sampling: NaN } },
    {
      type: "draw",
      run,
      chain: 1,
      iter: 2,
      warmup: false,
      values: [0.5],
      stats: { lp: NaN, acceptStat: NaN, stepSize: NaN, treeDepth: 0, nLeapfrog: 0, divergent: false, energy: NaN, recovered: 0 },
      columns: { lp_approx__: -Infinity, lp__: -0, NaN: NaN },
    },
    { type: "progress", run, phase: "path 2", iter: 0, total: 1000, metrics: { elbo: -Infinity, khat: NaN, logp: -0 } },
    { type: "progress", run, phase: "psis", iter: 1, metrics: {} },
    {
      type: "result",
      run,
      method: "pathfinder",
      info: {
        khat: Infinity,
        paths: [{ path: 1, ok: false, reason: "NaN → ∞", elbo: -Infinity }],
        message: "done",
        none: null,
        flag: true,
      },
      warnings: ["k̂ = Infinity", ""],
    },
    { type: "error", run, chain: 3, message: 'chain 3: NaN → ∞, "quoted"\nnew line' },
    { type: "error", run, message: "the run stopped" },
    { type: "done", run },
  ];
}
