/**
 * `npm run bench -- --vs stan`: sampo's NUTS against Stan's (rstan 2.21) on
 * the seven benchmark models, with the protocol of
 * ../shared/benchmarks/README.md: one chain, 1000 warm-up + 1000 draws,
 * target acceptance 0.8, tree depth 10, diagonal metric, five seeds, the two
 * systems' runs interleaved (seed 1 sampo, seed 1 Stan, seed 2 sampo, …),
 * each model in a process of its own.
 *
 *     npm run bench -- --vs stan [--models simple,sv] [--seeds 5] [--json out.json]
 *
 * Both systems' draws go through the same estimator (sampo's bulk ESS) and
 * the same agreement test (z-tests against Stan's long reference runs, as
 * test/helpers/reference.ts). See bench/README.md.
 * @module
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { benchmarks, type BenchmarkName } from "../examples/index.ts";
import type { AdaptKind } from "../src/inference/adapt/chainWarmup.ts";
import { readStanCsvFile } from "../src/io/stanCsv/file.ts";
import type { RefParam } from "../test/helpers/reference.ts";
import { rDump, stanData } from "./vsStanData.ts";
import { CACHE_DIR, ensureRstan, StanWorker } from "./vsStanR.ts";
import { timedSample } from "./vsStanSampo.ts";
import { finite, runFigures, type RunFigures, summarizeRuns, type SystemSummary } from "./vsStanStats.ts";

/** The benchmark models, in the order of ../shared/benchmarks/README.md. */
const MODELS = Object.keys(benchmarks) as BenchmarkName[];

/**
 * One row of the result (and of `--json`): medians over seeds; agreement as
 * counts of seeds. Times are warm-up + sampling; Stan's (its own `clock()`)
 * are CPU time, so `ratioCpu` compares like with like.
 */
export interface VsStanRow {
  readonly model: string;
  readonly seeds: number;
  /** Minimum bulk ESS per second of sampo's own (wall-clock) elapsed time. */
  readonly sampoEssPerS: number;
  /** Minimum bulk ESS per second of Stan's own elapsed time (CPU time). */
  readonly stanEssPerS: number;
  /** sampoEssPerS / stanEssPerS (of the medians); above 1 means sampo is faster. */
  readonly ratio: number;
  /** Minimum bulk ESS per second of sampo's process CPU time over the same span. */
  readonly sampoEssPerCpuS: number;
  /** sampoEssPerCpuS / stanEssPerS: CPU time against CPU time. */
  readonly ratioCpu: number;
  readonly sampoSeconds: number;
  readonly sampoCpuSeconds: number;
  readonly stanSeconds: number;
  /** Wall time of the whole sample() call (compilation and reparameterization pilot included). */
  readonly sampoCallSeconds: number;
  /** Wall time of the whole rstan call (R-side work included; no R startup, compilation cached). */
  readonly stanCallSeconds: number;
  readonly sampoMinEss: number;
  readonly stanMinEss: number;
  readonly sampoGradsPerDraw: number;
  readonly stanGradsPerDraw: number;
  readonly sampoUsPerGrad: number;
  readonly sampoUsPerGradCpu: number;
  readonly stanUsPerGrad: number;
  readonly sampoDivergences: number;
  readonly stanDivergences: number;
  readonly sampoDivergencesTotal: number;
  readonly stanDivergencesTotal: number;
  /** Seeds whose sampo run agrees with the reference posterior. */
  readonly sampoAgree: number;
  /** Seeds whose Stan run agrees with the reference posterior. */
  readonly stanAgree: number;
  /** sampo with Stan's warm-up (`adapt: "stan"`): minimum bulk ESS per second of its process CPU time. */
  readonly stanAdaptEssPerCpuS: number;
  /** stanAdaptEssPerCpuS / stanEssPerS: what sampo's sampler gains with Stan's adaptation, CPU against CPU. */
  readonly stanAdaptRatioCpu: number;
  readonly stanAdaptGradsPerDraw: number;
  readonly stanAdaptUsPerGradCpu: number;
  readonly stanAdaptAgree: number;
}

interface Args {
  readonly models: readonly BenchmarkName[];
  readonly seeds: number;
  readonly json: string | null;
  readonly warmup: number;
  readonly draws: number;
  /** Run as one model's process for the parent's table (see benchInChild): rows to --json, no table. */
  readonly child: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let vs: string | null = null;
  let models: readonly string[] = MODELS;
  let seeds = 5;
  let json: string | null = null;
  let warmup = 1000;
  let draws = 1000;
  let child = false;
  const count = (flag: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: ${flag} needs a positive integer, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--vs" && v !== undefined) ((vs = v), i++);
    else if (a === "--models" && v !== undefined) ((models = v.split(",").filter((s) => s !== "")), i++);
    else if (a === "--seeds" && v !== undefined) ((seeds = count(a, v)), i++);
    else if (a === "--json" && v !== undefined) ((json = v), i++);
    // Shorter chains for a smoke test only: the protocol's figures are 1000 + 1000.
    else if (a === "--warmup" && v !== undefined) ((warmup = count(a, v)), i++);
    else if (a === "--draws" && v !== undefined) ((draws = count(a, v)), i++);
    else if (a === "--child") child = true;
    else throw new Error(`bench: unknown or incomplete argument "${a}" (use --vs stan --models a,b --seeds N --json FILE)`);
  }
  if (vs !== "stan")
    throw new Error(
      `bench: say what to compare with: --vs stan${vs === null ? "" : ` (not "${vs}")`}; the gradient micro-benchmark is npm run bench:grad`,
    );
  for (const m of models) if (!(m in benchmarks)) throw new Error(`bench: unknown model "${m}" (known: ${MODELS.join(", ")})`);
  if (child && (models.length !== 1 || json === null)) throw new Error("bench: --child runs one model and needs --json");
  return { models: models as BenchmarkName[], seeds, json, warmup, draws, child };
}

function reference(name: string): Record<string, RefParam> {
  const url = new URL(`../test/fixtures/reference/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).parameters;
}

/** The funnel's x has an sd set by rare draws deep in the tail: its quantiles are tested instead (as in the tests). */
function heavyTailed(model: BenchmarkName): (element: string) => boolean {
  return model === "funnel" ? (n) => n !== "y" : () => false;
}

/**
 * A timed run whose figures (reading its draws, ESS, the reference tests)
 * are computed when called, after all timed runs of the model, so that the
 * garbage of that work is not collected inside the next timed sampo run.
 */
type TimedRun = () => RunFigures;

/** One sampo run (its default warm-up, or Stan's): sampo's own timer covers warm-up + sampling, not compilation. */
async function runSampo(name: BenchmarkName, seed: number, args: Args, adapt: AdaptKind): Promise<TimedRun> {
  const { model, data } = benchmarks[name];
  // saveWarmup only keeps the warm-up draws the stream produces anyway; they are needed to count its leapfrogs.
  const run = await timedSample(model, data, { chains: 1, seed, warmup: args.warmup, draws: args.draws, saveWarmup: true, adapt });
  const timing = { seconds: run.wall, cpuSeconds: run.cpu, callSeconds: run.call };
  return () => runFigures(run.valueLayout, run.chain, timing, reference(name), heavyTailed(name));
}

/** Untimed runs per model at most, and the time after which no new one starts (at least one runs). */
const WARM_RUNS = 60;
const WARM_MS = 5000;

/**
 * Untimed sampo runs of the protocol's length, alternating sampo's warm-up
 * and Stan's (both are timed below), so the timed runs measure sampo's
 * sampler once V8 has optimized it, as Stan's runs measure its compiled one.
 * It takes that many: in a fresh process (`node --trace-opt`, simple)
 * V8 optimized `Nuts.transition` and `buildTree` only during the 7th run
 * and the warm-up's update during the 13th, and `sample()` calls of simple
 * (1000 + 1000) took 40 ms first, 3–11 ms in calls 10–40 and 2.7–3 ms from
 * about the 40th on. Each model needs its own: every run compiles the
 * model into fresh functions. The first runs' cost is
 * `npm run bench:startup`'s figure.
 */
async function warmUpJit(name: BenchmarkName, args: Args): Promise<void> {
  const { model, data } = benchmarks[name];
  const t0 = performance.now();
  for (let k = 0; k < WARM_RUNS && (k === 0 || performance.now() - t0 < WARM_MS); k++) {
    const adapt = k % 2 === 0 ? "nutpie" : "stan";
    await timedSample(model, data, { chains: 1, seed: 1_000_000 + k, warmup: args.warmup, draws: args.draws, adapt });
  }
}

/** One Stan run: Stan's own elapsed time from its CSV file (no R startup, no compilation); Stan 2.21 measures it with clock(), CPU time. */
async function runStan(worker: StanWorker, name: BenchmarkName, dataFile: string | null, seed: number, args: Args): Promise<TimedRun> {
  const csv = `${CACHE_DIR}runs/${name}-seed${seed}.csv`;
  const called = performance.now();
  await worker.run(name, dataFile, seed, args.warmup, args.draws, csv);
  const callSeconds = (performance.now() - called) / 1000;
  return () => {
    const { layout, chain } = readStanCsvFile(csv);
    if (chain.elapsed === undefined) throw new Error(`${name}: ${csv} has no Elapsed Time block`);
    const seconds = chain.elapsed.warmup + chain.elapsed.sampling;
    return runFigures(layout, chain, { seconds, cpuSeconds: seconds, callSeconds }, reference(name), heavyTailed(name));
  };
}

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Three significant digits, thousands separated: ESS/s spans 10 to 100,000. */
const sig3 = (x: number) => (x >= 100 ? fmt(x) : x >= 10 ? fmt(x, 1) : fmt(x, 2));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function runLine(name: string, seed: number, system: string, r: RunFigures): string {
  const agree =
    r.failures.length === 0 ? "agrees" : `DISAGREES (${r.failures.length}: ${r.failures[0]}${r.failures.length > 1 ? "; …" : ""})`;
  return (
    `  ${name} seed ${seed} ${system.padEnd(5)} ${r.seconds.toFixed(3).padStart(7)} s (CPU ${r.cpuSeconds.toFixed(3)} s, call ${r.callSeconds.toFixed(3)} s)` +
    `  min ESS ${fmt(r.minEss).padStart(5)} (${r.minEssOf})  ESS/s ${sig3(r.essPerS)} (CPU ${sig3(r.essPerCpuS)})` +
    `  ${r.gradsPerDraw.toFixed(1)} grads/draw  ${r.usPerGradCpu.toFixed(2)} µs/grad CPU  ${r.divergences} div  ${agree}`
  );
}

function row(model: string, seeds: number, s: SystemSummary, t: SystemSummary, a: SystemSummary): VsStanRow {
  return {
    model,
    seeds,
    sampoEssPerS: s.essPerS,
    stanEssPerS: t.essPerS,
    ratio: finite(s.essPerS / t.essPerS),
    sampoEssPerCpuS: s.essPerCpuS,
    ratioCpu: finite(s.essPerCpuS / t.essPerS),
    sampoSeconds: s.seconds,
    sampoCpuSeconds: s.cpuSeconds,
    stanSeconds: t.seconds,
    sampoCallSeconds: s.callSeconds,
    stanCallSeconds: t.callSeconds,
    sampoMinEss: s.minEss,
    stanMinEss: t.minEss,
    sampoGradsPerDraw: s.gradsPerDraw,
    stanGradsPerDraw: t.gradsPerDraw,
    sampoUsPerGrad: s.usPerGrad,
    sampoUsPerGradCpu: s.usPerGradCpu,
    stanUsPerGrad: t.usPerGrad,
    sampoDivergences: s.divergences,
    stanDivergences: t.divergences,
    sampoDivergencesTotal: s.divergencesTotal,
    stanDivergencesTotal: t.divergencesTotal,
    sampoAgree: s.agree,
    stanAgree: t.agree,
    stanAdaptEssPerCpuS: a.essPerCpuS,
    stanAdaptRatioCpu: finite(a.essPerCpuS / t.essPerS),
    stanAdaptGradsPerDraw: a.gradsPerDraw,
    stanAdaptUsPerGradCpu: a.usPerGradCpu,
    stanAdaptAgree: a.agree,
  };
}

function printTable(rows: readonly VsStanRow[], args: Args): void {
  const n = args.seeds;
  console.log(
    `\nsampo vs Stan (rstan): 1 chain, ${args.warmup} warm-up + ${args.draws} draws, median of ${n} seeds.\n` +
      "ESS = minimum bulk ESS over all parameters, sampo's estimator applied to both systems' draws. Time = warm-up + sampling:\n" +
      "  sampo wall = sampo's own elapsed (wall clock); sampo CPU = process CPU time over the same span; Stan = Stan's own elapsed,\n" +
      "  which Stan 2.21 measures with clock(), i.e. CPU time. So 'ratio CPU' compares like with like; 'ratio' is wall vs CPU.\n" +
      "ratio = sampo ESS/s ÷ Stan ESS/s (> 1: sampo faster). grads/draw = mean n_leapfrog after warm-up; µs/grad = CPU time ÷ all leapfrogs\n" +
      `(warm-up included). div = divergences after warm-up, summed over seeds. agree = seeds passing the z-tests against the reference (of ${n}).\n` +
      'sampo, Stan\'s warm-up = sampo run with adapt: "stan" (same seeds, interleaved): its ratio CPU and grads/draw, so the share of the\n' +
      "adaptation and of the rest (gradient and sampler speed) in sampo's ratio shows.\n",
  );
  const head = [
    "",
    "ESS/s sampo",
    "",
    "Stan",
    "ratio",
    "ratio",
    "grads/draw",
    "",
    "µs/grad",
    "",
    "div",
    "",
    "agree",
    "",
    "sampo, Stan's warm-up",
    "",
    "",
  ];
  const head2 = [
    "model",
    "wall",
    "CPU",
    "",
    "",
    "CPU",
    "sampo",
    "Stan",
    "sampo",
    "Stan",
    "sampo",
    "Stan",
    "sampo",
    "Stan",
    "ratio CPU",
    "grads/draw",
    "agree",
  ];
  const widths = [14, 12, 9, 9, 7, 7, 11, 6, 9, 7, 7, 6, 7, 6, 23, 11, 7];
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("");
  console.log(line(head));
  console.log(line(head2));
  for (const r of rows) {
    console.log(
      line([
        r.model,
        sig3(r.sampoEssPerS),
        sig3(r.sampoEssPerCpuS),
        sig3(r.stanEssPerS),
        r.ratio.toFixed(2),
        r.ratioCpu.toFixed(2),
        r.sampoGradsPerDraw.toFixed(1),
        r.stanGradsPerDraw.toFixed(1),
        r.sampoUsPerGradCpu.toFixed(2),
        r.stanUsPerGrad.toFixed(2),
        String(r.sampoDivergencesTotal),
        String(r.stanDivergencesTotal),
        `${r.sampoAgree}/${n}`,
        `${r.stanAgree}/${n}`,
        r.stanAdaptRatioCpu.toFixed(2),
        r.stanAdaptGradsPerDraw.toFixed(1),
        `${r.stanAdaptAgree}/${n}`,
      ]),
    );
  }
}

/** sampo and Stan on one model: untimed warm-up runs, then the seeds' timed runs, then their figures. */
async function benchModel(worker: StanWorker, name: BenchmarkName, args: Args): Promise<VsStanRow> {
  const values = stanData(name, benchmarks[name].data);
  const dataFile = Object.keys(values).length === 0 ? null : `${CACHE_DIR}data/${name}.R`;
  if (dataFile !== null) writeFileSync(dataFile, rDump(values));
  process.stdout.write(`Stan model ${name}: `);
  console.log(await worker.compile(name));
  console.log(`${name} (load ${load()}):`);
  await warmUpJit(name, args);
  const timed: { sampo: TimedRun; stanAdapt: TimedRun; stan: TimedRun }[] = [];
  for (let seed = 1; seed <= args.seeds; seed++) {
    timed.push({
      sampo: await runSampo(name, seed, args, "nutpie"),
      stanAdapt: await runSampo(name, seed, args, "stan"),
      stan: await runStan(worker, name, dataFile, seed, args),
    });
  }
  const sampo: RunFigures[] = [];
  const stan: RunFigures[] = [];
  const stanAdapt: RunFigures[] = [];
  for (const [k, runs] of timed.entries()) {
    const [s, a, t] = [runs.sampo(), runs.stanAdapt(), runs.stan()];
    sampo.push(s);
    stanAdapt.push(a);
    stan.push(t);
    console.log(runLine(name, k + 1, "sampo", s));
    console.log(runLine(name, k + 1, "sampo·stan-adapt", a));
    console.log(runLine(name, k + 1, "Stan", t));
  }
  return row(name, args.seeds, summarizeRuns(sampo), summarizeRuns(stan), summarizeRuns(stanAdapt));
}

/**
 * Each model's runs in a process of their own (this script with
 * `--models <one> --child`), as each Stan model is a program of its own:
 * in one process the sampler's code, shared by every model, carries the
 * earlier models' type feedback into the later ones' (stress took 16–19 ms
 * per run after medium's runs, 9–11 ms on its own).
 */
function benchInChild(name: BenchmarkName, args: Args): VsStanRow {
  const json = `${CACHE_DIR}runs/${name}-row.json`;
  const argv = ["--vs", "stan", "--models", name, "--seeds", String(args.seeds), "--warmup", String(args.warmup)];
  argv.push("--draws", String(args.draws), "--json", json, "--child");
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv], { stdio: "inherit" });
  if (child.status !== 0) throw new Error(`bench: the process of model ${name} failed (exit ${child.status ?? child.signal})`);
  const rows = JSON.parse(readFileSync(json, "utf8")) as VsStanRow[];
  return rows[0];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // A model's process (--child) was started by one that has just checked: loading rstan takes about 0.8 s.
  if (!args.child) ensureRstan();
  if (!args.child) console.log(`load average at start (1, 5, 15 min): ${load()} (this machine: 2 cores)`);
  const rows: VsStanRow[] = [];
  if (args.models.length > 1) for (const name of args.models) rows.push(benchInChild(name, args));
  else {
    const worker = StanWorker.start();
    try {
      rows.push(await benchModel(worker, args.models[0], args));
    } finally {
      await worker.close();
    }
  }
  if (args.json !== null) writeFileSync(args.json, `${JSON.stringify(rows, null, 2)}\n`);
  if (args.child) return;
  printTable(rows, args);
  console.log(`\nload average at end (1, 5, 15 min): ${load()}`);
}

await main();
