/**
 * The Stan side of `npm run bench -- --vs stan`: installing rstan when it is
 * missing, and driving one long-lived R process (bench/stan/worker.R) that
 * compiles the models (cached in bench/.cache/) and samples them on demand.
 * @module
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** bench/.cache/: compiled Stan models, data files, CSV files and rstan's log; never committed. */
export const CACHE_DIR = fileURLToPath(new URL("./.cache/", import.meta.url));
/** The Stan programs, copies of ../shared/benchmarks/stan/ (nothing reads ../shared at run time). */
export const STAN_DIR = fileURLToPath(new URL("./stan/", import.meta.url));
const WORKER = `${STAN_DIR}worker.R`;
const LOG = `${CACHE_DIR}rstan.log`;

/** Creates bench/.cache/ with a .gitignore of its own, so it stays out of git whatever the root .gitignore says. */
export function ensureCacheDir(): void {
  for (const sub of ["", "runs", "data"]) mkdirSync(`${CACHE_DIR}${sub}`, { recursive: true });
  writeFileSync(`${CACHE_DIR}.gitignore`, "*\n");
}

function rstanLoads(): boolean {
  const r = spawnSync("Rscript", ["-e", "suppressPackageStartupMessages(library(rstan))"], { stdio: "ignore" });
  return r.status === 0;
}

function apt(args: readonly string[]): boolean {
  const r = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return r.status === 0;
}

/**
 * Makes sure `Rscript` can load rstan. When it cannot and this process runs
 * as root, installs Debian's r-cran-rstan (about 700 packages, a few
 * minutes), refreshing the package lists first if the plain install fails.
 *
 * @throws Error when rstan is missing and cannot be installed here.
 */
export function ensureRstan(): void {
  if (rstanLoads()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "bench --vs stan: Rscript cannot load rstan; install it with `apt-get install -y r-cran-rstan` (as root) and run again",
    );
  }
  console.log("rstan is missing: installing Debian's r-cran-rstan (apt-get install -y r-cran-rstan) …");
  const installed = apt(["install", "-y", "r-cran-rstan"]) || (apt(["update"]) && apt(["install", "-y", "r-cran-rstan"]));
  if (!installed || !rstanLoads()) throw new Error("bench --vs stan: installing r-cran-rstan failed (see apt-get's output above)");
}

/** The cache file of a compiled model: keyed by the Stan code, so an edited model is recompiled. */
export function cacheFile(name: string, stanFile: string): string {
  const hash = createHash("sha256").update(readFileSync(stanFile)).digest("hex").slice(0, 16);
  return `${CACHE_DIR}${name}-${hash}.rds`;
}

/**
 * One R process running bench/stan/worker.R. Requests go one at a time: each
 * is a tab-separated line on its stdin, answered by one `@@sampo` line; all
 * other output (rstan's compiler and sampler chatter) goes to
 * bench/.cache/rstan.log.
 */
export class StanWorker {
  private readonly proc: ChildProcessWithoutNullStreams;
  private pending: { resolve: (line: string) => void; reject: (e: Error) => void } | null = null;
  private exited: Error | null = null;

  private constructor() {
    this.proc = spawn("Rscript", [WORKER], { stdio: ["pipe", "pipe", "pipe"] });
    createInterface({ input: this.proc.stdout }).on("line", (line) => {
      if (!line.startsWith("@@sampo ")) return appendFileSync(LOG, `${line}\n`);
      const p = this.pending;
      this.pending = null;
      p?.resolve(line.slice("@@sampo ".length).trim());
    });
    this.proc.stderr.on("data", (chunk: Buffer) => appendFileSync(LOG, chunk));
    this.proc.on("exit", (code) => {
      this.exited = new Error(`the rstan worker exited (code ${code}); see ${LOG}`);
      this.pending?.reject(this.exited);
      this.pending = null;
    });
  }

  /** Starts the worker (rstan must load: see {@link ensureRstan}). */
  static start(): StanWorker {
    ensureCacheDir();
    appendFileSync(LOG, `\n=== ${new Date().toISOString()} worker started\n`);
    return new StanWorker();
  }

  private request(fields: readonly (string | number)[]): Promise<string> {
    if (this.exited !== null) return Promise.reject(this.exited);
    if (this.pending !== null) return Promise.reject(new Error("StanWorker: one request at a time"));
    return new Promise<string>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.proc.stdin.write(`${fields.join("\t")}\n`);
    }).then((answer) => {
      if (answer.startsWith("error")) throw new Error(`rstan: ${answer.slice("error".length).trim()} (log: ${LOG})`);
      return answer;
    });
  }

  /**
   * Loads model `name` (bench/stan/<name>.stan) into the worker, compiling it
   * when bench/.cache/ has no build of this exact code.
   *
   * @returns "cached", or "compiled <seconds>".
   */
  async compile(name: string): Promise<string> {
    const stanFile = `${STAN_DIR}${name}.stan`;
    return (await this.request(["compile", name, stanFile, cacheFile(name, stanFile)])).replace(/^ok\s*/, "");
  }

  /**
   * Samples one chain of a compiled model with the protocol's settings
   * (adapt_delta 0.8, max_treedepth 10, diagonal metric, warm-up saved) and
   * writes it to `csvFile`.
   *
   * @param dataFile An R dump file, or null for a model without data.
   */
  async run(name: string, dataFile: string | null, seed: number, warmup: number, draws: number, csvFile: string): Promise<void> {
    await this.request(["run", name, dataFile ?? "-", seed, warmup, draws, csvFile]);
  }

  /** Asks the worker to quit and waits for it. */
  async close(): Promise<void> {
    if (this.exited !== null) return;
    const done = new Promise<void>((resolve) => this.proc.once("exit", () => resolve()));
    this.proc.stdin.end("quit\n");
    await done;
  }
}
