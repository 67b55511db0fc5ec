/**
 * A {@link Fit} from Stan CSV files: sampo's own `--out` directories,
 * CmdStan's or rstan's output.
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import type { Model, Outputs } from "../dsl/model.ts";
import { Fit } from "./fit.ts";
import { MethodFit } from "./methodFit.ts";
import type { RunManifest } from "../runtime/drawLog.ts";
import { parseRunJson } from "../runtime/resumeFiles.ts";
import { StanCsvError, type StanCsvFile } from "../io/stanCsv/index.ts";
import { readCsvFiles } from "../runtime/readInThreads.ts";
import { methodChains } from "../io/stanCsv/methodChains.ts";
import { type FitSettings, methodFitSettings } from "../inference/options.ts";

/** The `chain-<k>.csv` files of a directory, in chain order, or its one `<method>.csv` file. */
async function runFiles(dir: string): Promise<string[]> {
  const all = await readdir(dir);
  const names = all.filter((f) => /^chain-\d+\.csv$/.test(f));
  names.sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10));
  if (names.length > 0) return names.map((f) => join(dir, f));
  const method = METHODS.find((m) => all.includes(`${m}.csv`));
  if (method !== undefined) return [join(dir, `${method}.csv`)];
  throw new Error(`${dir}: no chain-<k>.csv files and no ${METHODS.map((m) => `${m}.csv`).join(", ")}`);
}

const METHODS = ["optimize", "laplace", "variational", "pathfinder", "smc"] as const;

/** The run settings a CSV header records (CmdStan's and rstan's keys both read). */
function settingsOf(files: readonly StanCsvFile[]): FitSettings {
  const c = files[0].config;
  const num = (fallback: number, ...keys: string[]) => {
    for (const k of keys) if (c[k] !== undefined && Number.isFinite(Number(c[k]))) return Number(c[k]);
    return fallback;
  };
  const warmup = num(0, "warmup", "num_warmup");
  return {
    chains: files.length,
    warmup,
    draws: num(files[0].chain.draws, "num_samples") || num(warmup, "iter") - warmup,
    seed: num(0, "seed"),
    thin: num(1, "thin"),
    targetAccept: num(0.8, "adapt_delta", "delta"),
    maxDepth: num(10, "max_treedepth", "max_depth"),
    metric: /dense/.test(c.metric ?? c.sampler_t ?? "") ? "dense" : "diag",
    saveWarmup: files[0].chain.warmup > 0,
    reparam: false,
  };
}

/**
 * Reads a fit from a directory of `chain-<k>.csv` files or from a list of
 * CSV files. Give the model and data to enable `predictive()` and
 * `logLik()`.
 *
 * @example
 * ```ts no-run: reads a run directory written by `sampo sample … --out runs/es`
 * const fit = await readFit("runs/es");
 * console.log(fit.summaryTable());
 * ```
 */
export async function readFit<D = unknown, O extends Outputs = Outputs>(
  source: string | readonly string[],
  model?: Model<D, O>,
  data?: D,
): Promise<Fit<D, O>> {
  const paths =
    typeof source === "string" && (await stat(source)).isDirectory()
      ? await runFiles(source)
      : typeof source === "string"
        ? [source]
        : source;
  const files = await readCsvFiles(paths);
  const layout = files[0].layout;
  for (const [i, f] of files.entries()) {
    if (JSON.stringify(f.layout) !== JSON.stringify(layout))
      throw new StanCsvError(`its columns differ from ${paths[0]}'s`, undefined, paths[i]);
  }
  const src = model === undefined ? undefined : { model, data: data as D };
  const method = METHODS.find((m) => m === files[0].config.method);
  if (method !== undefined) return methodFit(method, files[0], dirname(paths[0]), src);
  const chains = files.map((f, i) => ({ ...f.chain, chain: i + 1 }));
  return new Fit<D, O>(layout, settingsOf(files), chains, src);
}

/**
 * A method's file as a {@link MethodFit}: CmdStan's variational mean row
 * dropped, SMC's runs split by `run__`, the figures from `run.json` beside
 * it when there is one (sampo's own runs).
 */
function methodFit<D, O extends Outputs>(
  method: (typeof METHODS)[number],
  file: StanCsvFile,
  dir: string,
  src: { readonly model: Model<D, O>; readonly data: D } | undefined,
): MethodFit<D, O> {
  const parts = methodChains(method, file);
  const manifestPath = join(dir, "run.json");
  const manifest = existsSync(manifestPath) ? (parseRunJson(readFileSync(manifestPath, "utf8"), manifestPath) as RunManifest) : undefined;
  const seed = Number(file.config.seed ?? 0);
  const settings = methodFitSettings(parts.length, parts[0]?.draws.draws ?? 0, Number.isInteger(seed) && seed >= 0 ? seed : 0);
  return new MethodFit<D, O>(
    method,
    file.layout,
    settings,
    parts.map((p) => p.draws),
    parts.map((p) => p.columns),
    manifest?.result?.info ?? {},
    manifest?.result?.warnings ?? [],
    src,
  );
}
