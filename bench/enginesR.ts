/**
 * The rstan half of `npm run bench:engines`: rstan's `vb` (ADVI, mean-field
 * and full-rank, Stan's defaults) on a benchmark model's Stan program and
 * sampo's data, one Rscript process per model (bench/engines/vb.R). Compiled
 * models are cached in bench/.cache/ under the same key as
 * `npm run bench -- --vs stan`, so either benchmark reuses the other's builds.
 * @module
 */
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchmarks, type BenchmarkName } from "../examples/index.ts";
import { rDump, stanData } from "./vsStanData.ts";
import { CACHE_DIR, cacheFile, ensureCacheDir, STAN_DIR } from "./vsStanR.ts";

const SCRIPT = fileURLToPath(new URL("./engines/vb.R", import.meta.url));
const LOG = `${CACHE_DIR}rstan-vb.log`;

/** rstan's two ADVI algorithms. */
export type VbAlgorithm = "meanfield" | "fullrank";

/** One rstan `vb` run. */
export interface VbRun {
  readonly algorithm: VbAlgorithm;
  /** Wall time of the `vb()` call in R (no compilation, no R startup). */
  readonly seconds: number;
  /** The error rstan raised, or null when it returned draws. */
  readonly error: string | null;
  /** The Pareto k̂ rstan reports in a warning (NaN when it reported none). */
  readonly khat: number;
  /** rstan's warnings, joined. */
  readonly warnings: string;
  /** Mean and sd of the draws (1000, rstan's `output_samples`) per column, named as Stan names them. */
  readonly summary: ReadonlyMap<string, { readonly mean: number; readonly sd: number }>;
}

function runScript(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn("Rscript", [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    proc.stdout.on("data", (chunk: Buffer) => appendFileSync(LOG, chunk));
    proc.stderr.on("data", (chunk: Buffer) => appendFileSync(LOG, chunk));
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bench/engines/vb.R exited with code ${code}; see ${LOG}`))));
  });
}

/** Reads the tab-separated lines vb.R writes (see its header). */
function parseOutput(text: string): VbRun[] {
  type Lines = { status?: string[]; summary: Map<string, { mean: number; sd: number }> };
  const runs = new Map<string, Lines>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const [algorithm, kind, ...rest] = line.split("\t");
    const run: Lines = runs.get(algorithm) ?? { summary: new Map() };
    runs.set(algorithm, run);
    if (kind === "status") run.status = rest;
    else if (kind === "param") run.summary.set(rest[0], { mean: Number(rest[1]), sd: Number(rest[2]) });
  }
  return [...runs].map(([algorithm, run]) => {
    if (run.status === undefined) throw new Error(`bench/engines/vb.R wrote no status line for ${algorithm}`);
    const [status, seconds, khat, message = ""] = run.status;
    return {
      algorithm: algorithm as VbAlgorithm,
      seconds: Number(seconds),
      error: status === "ok" ? null : message,
      khat: khat === "NA" ? NaN : Number(khat),
      warnings: status === "ok" ? message : "",
      summary: run.summary,
    };
  });
}

/**
 * rstan's `vb`, mean-field then full-rank, on benchmark `name` (its Stan
 * program bench/stan/<name>.stan, sampo's data). Compiles the model first
 * when bench/.cache/ has no build of its exact code (about a minute). rstan
 * must load (see `ensureRstan` in bench/vsStanR.ts); its output goes to
 * bench/.cache/rstan-vb.log.
 *
 * @example
 * ```ts
 * const [meanfield, fullrank] = await rstanVb("eight_schools", 1);
 * meanfield.summary.get("tau")?.sd;
 * ```
 */
export async function rstanVb(name: BenchmarkName, seed: number): Promise<VbRun[]> {
  ensureCacheDir();
  const stanFile = `${STAN_DIR}${name}.stan`;
  const values = stanData(name, benchmarks[name].data);
  const dataFile = Object.keys(values).length === 0 ? "-" : `${CACHE_DIR}data/${name}.R`;
  if (dataFile !== "-") writeFileSync(dataFile, rDump(values));
  const out = `${CACHE_DIR}runs/${name}-vb-seed${seed}.tsv`;
  appendFileSync(LOG, `\n=== ${new Date().toISOString()} ${name} seed ${seed}\n`);
  await runScript([stanFile, cacheFile(name, stanFile), dataFile, String(seed), out]);
  return parseOutput(readFileSync(out, "utf8"));
}
