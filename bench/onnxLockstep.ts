/**
 * ESS per second of lockstep chains on ONNX (onnxruntime's CPU provider,
 * one batched call per leapfrog step for all chains) against NUTS on the
 * JavaScript backend in 2 worker threads, on the same model and machine.
 *
 * ESS is the minimum bulk ESS over all parameters (sampo's estimator, which
 * matches the R package posterior) of the kept draws; seconds are wall
 * clock of the whole call, warm-up and the reparameterization pilot
 * included on both sides.
 * @module
 */
import { benchmarks } from "../examples/index.ts";
import { elementNames } from "../src/tensor/layout.ts";
import type { Fit } from "../src/fit/fit.ts";
import { sampleLockstep } from "../src/fit/lockstep.ts";
import { sample } from "../src/fit/sample.ts";

/** Run lengths of one comparison. */
export interface LockstepPlan {
  readonly model: string;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
}

/** One side's result. */
export interface EssRate {
  readonly label: string;
  readonly seconds: number;
  readonly minEss: number;
  readonly essPerSecond: number;
  readonly draws: number;
}

/** Minimum bulk ESS over the parameters' elements (deterministics left out). */
function minEss(fit: Fit): number {
  const names = elementNames(fit.valueLayout);
  const params = new Set(fit.valueLayout.filter((e) => e.kind === "parameter").flatMap((e) => names.slice(e.offset, e.offset + e.size)));
  return Math.min(
    ...fit
      .summary()
      .filter((r) => params.has(r.name))
      .map((r) => r.ess_bulk),
  );
}

async function timed(label: string, run: () => Promise<Fit>): Promise<EssRate> {
  const start = performance.now();
  const fit = await run();
  const seconds = (performance.now() - start) / 1000;
  const ess = minEss(fit);
  return { label, seconds, minEss: ess, essPerSecond: ess / seconds, draws: fit.chains.reduce((a, c) => a + c.draws, 0) };
}

/** Lockstep on ONNX CPU against NUTS on 2 JS workers (4 chains, 1000 + 1000), same seed. */
export async function lockstepVsNuts(plan: LockstepPlan, seed: number): Promise<EssRate[]> {
  const { model, data } = benchmarks[plan.model as keyof typeof benchmarks];
  const lockstep = await timed(`lockstep ONNX CPU, ${plan.chains} chains, ${plan.warmup} + ${plan.draws}`, () =>
    sampleLockstep(model, data, { backend: "onnx", chains: plan.chains, warmup: plan.warmup, draws: plan.draws, seed }),
  );
  const nuts = await timed("NUTS JS, 4 chains on 2 workers, 1000 + 1000", () => sample(model, data, { chains: 4, workers: 2, seed }));
  return [lockstep, nuts];
}
