/**
 * `npm run bench:onnx`: the ONNX backend's figures.
 *
 * 1. Throughput (points/s of log p + gradient) of every benchmark model on
 *    the JavaScript backend and on ONNX (CPU) at batch 1, 64 and 1024, side
 *    by side, and the crossover batch size (bench/onnxThroughput.ts).
 * 2. ESS/s of lockstep chains on ONNX CPU (256 chains) against NUTS on 2
 *    JavaScript workers, for eight_schools and sv (bench/onnxLockstep.ts).
 *
 *     npm run bench:onnx -- [--models simple,sv] [--skip-lockstep] [--sv-warmup 300 --sv-draws 100] [--seed 1]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type LockstepPlan, lockstepVsNuts } from "./onnxLockstep.ts";
import { throughput, throughputTable } from "./onnxThroughput.ts";

const MODELS = ["simple", "medium", "stress", "eight_schools", "funnel", "logistic", "sv"];

const { values } = parseArgs({
  options: {
    models: { type: "string" },
    "skip-lockstep": { type: "boolean" },
    "skip-throughput": { type: "boolean" },
    "es-warmup": { type: "string", default: "1000" },
    "es-draws": { type: "string", default: "1000" },
    "sv-warmup": { type: "string", default: "300" },
    "sv-draws": { type: "string", default: "100" },
    seed: { type: "string", default: "1" },
  },
});

const models = values.models === undefined ? MODELS : values.models.split(",");
if (values["skip-throughput"] !== true) {
  console.log("## Throughput: points/s of log p + gradient (best of 3 rounds)\n");
  console.log(throughputTable(await throughput(models)));
  console.log();
}
if (values["skip-lockstep"] !== true) {
  const plans: LockstepPlan[] = [
    { model: "eight_schools", chains: 256, warmup: Number(values["es-warmup"]), draws: Number(values["es-draws"]) },
    { model: "sv", chains: 256, warmup: Number(values["sv-warmup"]), draws: Number(values["sv-draws"]) },
  ];
  console.log("## Lockstep chains (ONNX CPU) vs NUTS (JS, 2 workers): min bulk ESS per second of wall clock\n");
  console.log("| model | sampler | seconds | draws | min ESS bulk | ESS/s |\n|---|---|---|---|---|---|");
  for (const plan of plans) {
    const rows = await lockstepVsNuts(plan, Number(values.seed));
    for (const r of rows)
      console.log(
        `| ${plan.model} | ${r.label} | ${r.seconds.toFixed(1)} | ${r.draws} | ${r.minEss.toFixed(0)} | ${r.essPerSecond.toFixed(1)} |`,
      );
    console.log(`| ${plan.model} | ratio lockstep / NUTS | | | | ${(rows[0].essPerSecond / rows[1].essPerSecond).toFixed(2)} |`);
  }
}
