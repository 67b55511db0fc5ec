/**
 * `npm run bench:overhead`: where a NUTS chain's time goes beyond the
 * gradient. Per benchmark model, one chain of 1000 + 1000 iterations
 * (seed 1): the bare `logpGrad` (µs per call, at the chain's own draws),
 * then the time per gradient of the NUTS `Chain` alone (Stan's warm-up,
 * diagonal metric) and of a whole `sample()` call (sampo's defaults: nutpie's
 * warm-up, metric "auto"; in this thread, workers 0), and their overheads
 * (time per gradient − bare). Each divides by its own run's gradients (its
 * leapfrog steps, warm-up included).
 *
 *   npm run bench:overhead [-- --models simple,sv --rounds 5]
 * @module
 */
import { parseArgs } from "node:util";
import { benchmarks } from "../examples/index.ts";
import { compile } from "../src/codegen/compile.ts";
import { Chain } from "../src/inference/chain.ts";
import { sample } from "../src/fit/sample.ts";

const { values } = parseArgs({
  options: { models: { type: "string", default: Object.keys(benchmarks).join(",") }, rounds: { type: "string", default: "10" } },
});
const rounds = Number(values.rounds);
const SETTINGS = { chain: 1, seed: 1, warmup: 1000, draws: 1000, maxDepth: 10, targetAccept: 0.8, metric: "diag" } as const;

/** The best of `rounds` runs of `f`, in ms. */
async function best(f: () => unknown): Promise<number> {
  let t = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

console.log(`NUTS overhead per gradient, 1 chain × (1000 + 1000), best of ${rounds}; µs\n`);
console.log(
  "| model | d | Chain gradients | bare logpGrad | Chain per grad | Chain overhead | sample() gradients | sample() per grad | sample() overhead |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const name of values.models.split(",")) {
  const { model, data } = benchmarks[name as keyof typeof benchmarks];
  const density = compile(model, data);
  // The chain alone, keeping its draws (to time the bare gradient where the chain spends its time).
  const draws: Float64Array[] = [];
  let grads = 0;
  const chainMs = await best(() => {
    draws.length = 0;
    grads = 0;
    const chain = new Chain(density, SETTINGS);
    for (let t = chain.next(); t !== undefined; t = chain.next()) {
      grads += t.stats.nLeapfrog;
      if (!t.warmup) draws.push(Float64Array.from(t.theta));
    }
  });
  const g = new Float64Array(density.dim);
  const bareMs = await best(() => {
    for (let k = 0; k < grads; k++) density.logpGrad(draws[k % draws.length], g);
  });
  // sample() adapts otherwise (nutpie's warm-up, its own metric): its trajectories, and so its gradients, are its own.
  let sampleGrads = 0;
  const sampleMs = await best(async () => {
    const fit = await sample(model, data, { chains: 1, warmup: 1000, draws: 1000, seed: 1, workers: 0, reparam: false, saveWarmup: true });
    sampleGrads = fit.chains[0].stats.nLeapfrog.reduce((a, b) => a + b, 0);
  });
  const us = (ms: number, n = grads) => (ms * 1000) / n;
  const f = (x: number) => x.toFixed(2);
  const perSample = us(sampleMs, sampleGrads);
  console.log(
    `| ${[name, density.dim, grads, f(us(bareMs)), f(us(chainMs)), f(us(chainMs) - us(bareMs)), sampleGrads, f(perSample), f(perSample - us(bareMs))].join(" | ")} |`,
  );
}
