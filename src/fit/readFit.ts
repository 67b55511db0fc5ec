/**
 * A {@link Fit} from Stan CSV files: sampo's own `--out` directories,
 * CmdStan's or rstan's output.
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Model, Outputs } from "../dsl/model.ts";
import { Fit } from "./fit.ts";
import { readStanCsvFile, type StanCsvFile } from "../io/stanCsv/index.ts";
import { type FitSettings } from "../inference/options.ts";

/** The `chain-<k>.csv` files of a directory, in chain order. */
async function chainFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((f) => /^chain-\d+\.csv$/.test(f));
  names.sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10));
  if (names.length === 0) throw new Error(`${dir}: no chain-<k>.csv files`);
  return names.map((f) => join(dir, f));
}

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
      ? await chainFiles(source)
      : typeof source === "string"
        ? [source]
        : source;
  const files = await Promise.all(paths.map((p) => readStanCsvFile(p)));
  const layout = files[0].layout;
  for (const [i, f] of files.entries()) {
    if (JSON.stringify(f.layout) !== JSON.stringify(layout)) throw new Error(`${paths[i]}: its columns differ from ${paths[0]}'s`);
  }
  const chains = files.map((f, i) => ({ ...f.chain, chain: i + 1 }));
  return new Fit<D, O>(layout, settingsOf(files), chains, model === undefined ? undefined : { model, data: data as D });
}
