/**
 * `npm run bench:adapt`: effective draws per gradient of nutpie's warm-up
 * (the default) against Stan's (`adapt: "stan"`) inside sampo, on the seven
 * benchmark models, same seeds. Per run: 4 chains of 1000 + 1000 (and
 * nutpie's also with half the warm-up, 500), the minimum over parameters of
 * bulk ESS, divided by every leapfrog step of the run, warm-up included
 * (each is one gradient; the few of the initialization and step-size
 * searches are left out, alike for all). Counts, not time: the figures do
 * not depend on the machine's load.
 *
 * ```sh
 * npm run bench:adapt                                  # all seven, seeds 1–3
 * npm run bench:adapt -- --models simple,sv --seeds 5  # a subset, five seeds
 * npm run bench:adapt -- --json adapt.json             # also write the rows
 * ```
 * @module
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchmarks } from "../examples/index.ts";
import type { AdaptKind } from "../src/inference/adapt/chainWarmup.ts";
import { sample } from "../src/fit/sample.ts";

const { values: args } = parseArgs({ options: { models: { type: "string" }, seeds: { type: "string" }, json: { type: "string" } } });
const models = (args.models?.split(",") ?? Object.keys(benchmarks)) as (keyof typeof benchmarks)[];
const seeds = Array.from({ length: Number(args.seeds ?? 3) }, (_, i) => i + 1);
/** The runs compared, by label. */
const VARIANTS = [
  { label: "nutpie", adapt: "nutpie", warmup: 1000 },
  { label: "nutpie, warm-up 500", adapt: "nutpie", warmup: 500 },
  { label: "stan", adapt: "stan", warmup: 1000 },
] as const satisfies readonly { label: string; adapt: AdaptKind; warmup: number }[];
type Variant = (typeof VARIANTS)[number];

/** One run's figures. */
interface Row {
  model: string;
  variant: Variant["label"];
  seed: number;
  minEssBulk: number;
  gradients: number;
  essPerGradient: number;
  /** Gradients of the warm-up alone. */
  warmupGradients: number;
  divergences: number;
}

async function run(model: keyof typeof benchmarks, { label, adapt, warmup }: Variant, seed: number): Promise<Row> {
  const { model: mdl, data } = benchmarks[model];
  const fit = await sample(mdl, data, { chains: 4, seed, adapt, warmup, saveWarmup: true });
  const params = new Set(fit.valueLayout.filter((e) => e.kind === "parameter").map((e) => e.name));
  const minEssBulk = Math.min(
    ...fit
      .summary()
      .filter((r) => params.has(r.name.replace(/\[.*$/, "")))
      .map((r) => r.ess_bulk),
  );
  let gradients = 0;
  let warmupGradients = 0;
  let divergences = 0;
  for (const c of fit.chains) {
    c.stats.nLeapfrog.forEach((n, i) => {
      gradients += n;
      if (i < c.warmup) warmupGradients += n;
      else divergences += c.stats.divergent[i];
    });
  }
  return { model, variant: label, seed, minEssBulk, gradients, essPerGradient: minEssBulk / gradients, warmupGradients, divergences };
}

const rows: Row[] = [];
for (const model of models) {
  for (const seed of seeds) {
    for (const variant of VARIANTS) {
      const row = await run(model, variant, seed);
      rows.push(row);
      process.stderr.write(
        `${model} ${variant.label} seed ${seed}: min ESS ${row.minEssBulk.toFixed(0)}, ${row.gradients} gradients (${row.warmupGradients} in warm-up), ${row.divergences} divergences\n`,
      );
    }
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const of = (model: string, variant: Variant["label"], key: "essPerGradient" | "warmupGradients") =>
  median(rows.filter((r) => r.model === model && r.variant === variant).map((r) => r[key]));

const labels = VARIANTS.map((v) => v.label);
console.log(`ESS per gradient (min bulk ESS over parameters / leapfrog steps, warm-up included; median of seeds ${seeds.join(", ")})\n`);
console.log(`| model | ${labels.join(" | ")} | nutpie / stan | warm-up gradients: ${labels.join(" / ")} |`);
console.log(`|---|${labels.map(() => "---:|").join("")}---:|---:|`);
for (const model of models) {
  const ess = labels.map((v) => of(model, v, "essPerGradient"));
  const warm = labels.map((v) => of(model, v, "warmupGradients").toFixed(0));
  console.log(`| ${model} | ${ess.map((e) => e.toFixed(4)).join(" | ")} | ${(ess[0] / ess[2]).toFixed(2)} | ${warm.join(" / ")} |`);
}
if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify(rows, null, 2)}\n`);
