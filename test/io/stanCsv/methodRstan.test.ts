/**
 * The Stan CSV file of each method other than NUTS, as a run directory
 * holds it, read by R: by rstan's `read_stan_csv` where rstan 2.21 (Debian's
 * r-cran-rstan, installed when missing) can read it, else by
 * `utils::read.csv(comment.char = "#")`; in both cases the names and values
 * R reads are those of sampo's fit.
 *
 * Which files rstan 2.21 reads, following `read_stan_csv`:
 *
 * - variational: read. `parse_stancsv_comments` sees CmdStan's
 *   `output_samples=<n>` and sets iter = n, warmup = 0, thin = 1,
 *   save_warmup = 1; `read_stan_csv` then drops the first row
 *   (`if ("output_samples" %in% names(...)) df <- df[-1, ]`), CmdStan's
 *   mean row. It warns 'line with "Elapsed Time" not found', as for
 *   CmdStan's own variational files (which have no timing lines either).
 *   `log_p__` and `log_g__` are not in its list of sampler columns, so it
 *   reads them as parameters. `print`/`summary` of the stanfit fail in
 *   rstan 2.21 ("dims [product …] do not match the length of object"):
 *   with `method = variational` in `stan_args`, `summary` wants the
 *   `khat` that only `vb()` attaches (`sim$diagnostics`), for CmdStan's
 *   files too (paul-buerkner/brms#1560); so this reads the draws with
 *   `as.matrix` and the means with `get_posterior_mean`, which work.
 * - optimize, pathfinder, smc: not read. Without `output_samples`,
 *   `read_stan_csv` needs the sampling settings warmup, thin and iter
 *   (`num_warmup`, `num_samples`) in the comments:
 *   `warmup <- sapply(cs_lst2, function(i) i$warmup)` is `list(NULL)` and
 *   `all_int_eq(warmup)` stops with "not all are integers". CmdStan's files
 *   of these methods have no such settings either (rstan 2.21, of Stan
 *   2.21, predates pathfinder, Stan 2.33; SMC is sampo's own), and
 *   writing them would describe an optimum or a Pathfinder run as a chain
 *   of MCMC iterations.
 * - laplace: not read, and earlier: its columns are `log_p__, log_q__`
 *   (CmdStan ≥ 2.33), with no `lp__`, so `df[c(paridx, lp__idx)[midx]]`
 *   with `lp__idx` NA stops with "undefined columns selected" (rstan 2.21
 *   predates the laplace method, Stan 2.31).
 *
 * Numbers: sampo writes each double in its shortest round-trip form (not
 * CmdStan's default few significant digits) and R prints what it read with
 * `%.17g`. Here R reads every value back bit for bit; the check allows
 * 1e-15 relative, a few ulps, as R's `R_strtod` is not promised to round
 * correctly on every platform. R's means are its own sums of those values
 * (off by an ulp or so here; checked at 1e-12 of the largest draw).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { model } from "../../../src/dsl/model.ts";
import { collectMethod, type MethodFit } from "../../../src/fit/methodFit.ts";
import { adviStream } from "../../../src/fit/methods/advi.ts";
import { laplaceStream } from "../../../src/fit/methods/laplace.ts";
import { optimizeStream } from "../../../src/fit/methods/optimize.ts";
import { pathfinderStream } from "../../../src/fit/methods/pathfinder.ts";
import { smcStream } from "../../../src/fit/methods/smc.ts";
import { parseNumber } from "../../../src/io/stanCsv/format.ts";
import { MethodDirectory } from "../../../src/runtime/methodDirectory.ts";
import type { SampleMessage } from "../../../src/runtime/messages.ts";
import { ensureDebianPackage } from "../../helpers/debian.ts";

const y = [1.2, 0.4, 2.1, 1.7, 0.9, 1.4];
/** A scalar, a constrained scalar and a 2×3 matrix, so the files' column-major order and the constraining show. */
const small = model((m, d: { y: number[] }) => {
  const mu = m.sample("mu", m.normal(0, 10));
  const sigma = m.sample("sigma", m.gamma(3, 2));
  const theta = m.sample("theta", m.normal(mu, 1), { shape: [2, 3] });
  m.observe("y", m.normal(mu, sigma), d.y);
  return { mu, sigma, theta };
});
const data = { y };

type Method = "variational" | "optimize" | "laplace" | "pathfinder" | "smc";
const streams: Record<Method, () => AsyncGenerator<SampleMessage>> = {
  variational: () => adviStream(small, data, { seed: 11, outputDraws: 100 }),
  optimize: () => optimizeStream(small, data, { seed: 11 }),
  laplace: () => laplaceStream(small, data, { seed: 11, draws: 100 }),
  pathfinder: () => pathfinderStream(small, data, { seed: 11, draws: 100 }),
  smc: () => smcStream(small, data, { seed: 11, particles: 50, runs: 2 }),
};
const METHODS = Object.keys(streams) as Method[];
/** Stan's names of the value columns, column-major. */
const VALUE_COLUMNS = ["mu", "sigma", "theta.1.1", "theta.2.1", "theta.1.2", "theta.2.2", "theta.1.3", "theta.2.3"];
/** Each file's leading columns (CmdStan's; SMC's are its engine's). */
const LEADING: Record<Method, string[]> = {
  variational: ["lp__", "log_p__", "log_g__"],
  optimize: ["lp__"],
  laplace: ["log_p__", "log_q__"],
  pathfinder: ["lp_approx__", "lp__"],
  smc: ["lp__", "log_lik__", "run__"],
};

/** Runs a method's stream while a MethodDirectory writes it, as the CLI does. */
async function writeAndCollect(stream: AsyncGenerator<SampleMessage>, dir: string): Promise<MethodFit> {
  const sink = new MethodDirectory(dir, "small.ts");
  async function* tee() {
    for await (const msg of stream) {
      sink.add(msg);
      yield msg;
    }
  }
  return collectMethod(tee());
}

/**
 * One R process for every file: rstan's `read_stan_csv` (its error, its
 * warnings, and when it reads the file its draws, means and settings) and
 * `read.csv`, each written to `out` as text (tab-separated, as rstan's
 * names have commas; numbers as `%.17g`).
 */
const R_SCRIPT = `
suppressPackageStartupMessages(library(rstan))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
files <- args[-1]
num <- function(x) sprintf("%.17g", x)
write_matrix <- function(m, path)
  writeLines(c(paste(colnames(m), collapse = "\t"), apply(m, 1, function(r) paste(num(r), collapse = "\t"))), path)
for (file in files) {
  m <- sub("[.]csv$", "", basename(file))
  warns <- character(0)
  fit <- withCallingHandlers(tryCatch(read_stan_csv(file), error = function(e) e),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  writeLines(warns, file.path(out, paste0(m, ".warnings")))
  if (inherits(fit, "error")) {
    writeLines(conditionMessage(fit), file.path(out, paste0(m, ".error")))
  } else {
    write_matrix(as.matrix(fit), file.path(out, paste0(m, ".draws")))
    pm <- get_posterior_mean(fit)
    writeLines(paste(rownames(pm), num(pm[, 1]), sep = "\t"), file.path(out, paste0(m, ".means")))
    a <- fit@stan_args[[1]]
    writeLines(c(paste0("method=", a$method), paste0("iter=", a$iter), paste0("warmup=", a$warmup), paste0("thin=", a$thin),
      paste0("chain_id=", a$chain_id), paste0("chains=", fit@sim$chains), paste0("mode=", fit@mode)), file.path(out, paste0(m, ".args")))
  }
  d <- utils::read.csv(file, comment.char = "#", check.names = FALSE, colClasses = "numeric")
  write_matrix(as.matrix(d), file.path(out, paste0(m, ".readcsv")))
}
`;

/** A matrix R wrote: column names and rows of numbers, tab-separated. */
interface RMatrix {
  readonly names: string[];
  readonly rows: number[][];
}

function readMatrix(path: string): RMatrix {
  const [head, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  return {
    names: head.split("\t"),
    rows: lines.map((l) =>
      l.split("\t").map((f) => {
        const x = parseNumber(f);
        if (x === undefined) throw new Error(`${path}: "${f}" is not a number`);
        return x;
      }),
    ),
  };
}

/** Value `name` (Stan's `theta[2,3]` or the CSV's `theta.2.3`) of every draw of the fit, chains concatenated. */
function valuesOf(fit: MethodFit, name: string): number[] {
  const [site, ...idx] = name.replace(/\]$/, "").split(/[[,.]/);
  const draws = (fit.draws as Record<string, unknown[]>)[site];
  expect(draws, `no site ${site} in the fit`).toBeDefined();
  return draws.map((d) => idx.reduce<unknown>((v, i) => (v as unknown[])[Number(i) - 1], d) as number);
}

/** Where value `name` (`theta.2.3`) sits in the fit's storage order (row-major), as `info.mean` has it. */
function storageIndex(fit: MethodFit, name: string): number {
  const [site, ...idx] = name.split(".");
  const e = fit.valueLayout.find((v) => v.name === site)!;
  return e.offset + idx.reduce((a, i, k) => a * e.shape[k] + Number(i) - 1, 0);
}

/** Per-draw column `name` (`lp__`, `log_q__`, …) of the fit, chains concatenated. */
function columnOf(fit: MethodFit, name: string): number[] {
  return fit.columns.flatMap((c) => {
    expect(c[name], `no column ${name} in the fit`).toBeDefined();
    return Array.from(c[name]);
  });
}

/** Relative agreement to a few ulps, exact for non-finite values. */
function expectSame(got: readonly number[], want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => {
    if (!Number.isFinite(want[i])) expect(g, `${what}[${i}]`).toBe(want[i]);
    else expect(Math.abs(g - want[i]), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-15 * Math.abs(want[i]));
  });
}

const fits = {} as Record<Method, MethodFit>;
let root: string;
let out: string;

beforeAll(async () => {
  ensureDebianPackage("r-cran-rstan", ["Rscript", "-e", "library(rstan)"]);
  root = mkdtempSync(join(tmpdir(), "sampo-method-rstan-"));
  out = join(root, "r");
  const files: string[] = [];
  for (const m of METHODS) {
    fits[m] = await writeAndCollect(streams[m](), join(root, m));
    files.push(join(root, m, `${m}.csv`));
  }
  writeFileSync(join(root, "read.R"), R_SCRIPT);
  mkdirSync(out);
  execFileSync("Rscript", [join(root, "read.R"), out, ...files], { stdio: ["ignore", "ignore", "pipe"] });
}, 120_000);

afterAll(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe("rstan 2.21's read_stan_csv", () => {
  it("reads variational.csv: the draws after the mean row, its settings and its means are sampo's", () => {
    const fit = fits.variational;
    expect(existsSync(join(out, "variational.error"))).toBe(false);
    expect(readFileSync(join(out, "variational.warnings"), "utf8").trim()).toBe('line with "Elapsed Time" not found');
    const n = fit.chains[0].draws;
    expect(n).toBe(100);
    expect(readFileSync(join(out, "variational.args"), "utf8").trim().split("\n")).toEqual([
      "method=variational",
      `iter=${n}`,
      "warmup=0",
      "thin=1",
      "chain_id=1",
      "chains=1",
      "mode=0",
    ]);
    const draws = readMatrix(join(out, "variational.draws"));
    const stan = ["mu", "sigma", "theta[1,1]", "theta[2,1]", "theta[1,2]", "theta[2,2]", "theta[1,3]", "theta[2,3]"];
    // log_p__ and log_g__ are not among rstan's sampler columns: it reads them as parameters; lp__ (0) goes last.
    expect(draws.names).toEqual(["log_p__", "log_g__", ...stan, "lp__"]);
    expect(draws.rows.length).toBe(n);
    const col = (k: number) => draws.rows.map((r) => r[k]);
    expectSame(col(0), columnOf(fit, "log_p__"), "log_p__");
    expectSame(col(1), columnOf(fit, "log_g__"), "log_g__");
    stan.forEach((name, j) => expectSame(col(2 + j), valuesOf(fit, name), name));
    expect(col(draws.names.length - 1)).toEqual(new Array(n).fill(0));

    const means = new Map(
      readFileSync(join(out, "variational.means"), "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split("\t"))
        .map(([name, x]) => [name, parseNumber(x)!]),
    );
    for (const row of fit.summary()) {
      const scale = Math.max(...valuesOf(fit, row.name).map(Math.abs));
      expect(Math.abs(means.get(row.name)! - row.mean), row.name).toBeLessThanOrEqual(1e-12 * scale);
    }
  });

  it("stops on the other methods' files where its code path says", () => {
    const error = (m: Method) => readFileSync(join(out, `${m}.error`), "utf8").trim();
    for (const m of ["optimize", "pathfinder", "smc"] as const) expect(error(m), m).toBe("not all are integers");
    expect(error("laplace")).toBe("undefined columns selected");
  });
});

describe("R's read.csv(comment.char = '#')", () => {
  for (const m of METHODS) {
    it(`${m}.csv: CmdStan's columns in Stan's order, with sampo's values`, () => {
      const fit = fits[m];
      const csv = readMatrix(join(out, `${m}.readcsv`));
      expect(csv.names).toEqual([...LEADING[m], ...VALUE_COLUMNS]);
      // CmdStan's variational file starts with the approximation's mean, its lp__, log_p__, log_g__ 0.
      const mean = m === "variational" ? 1 : 0;
      const n = fit.chains.reduce((a, c) => a + c.draws, 0);
      expect(csv.rows.length).toBe(mean + n);
      if (m === "variational") {
        const approxMean = (fit.info as { mean: number[] }).mean;
        expectSame(csv.rows[0], [0, 0, 0, ...VALUE_COLUMNS.map((c) => approxMean[storageIndex(fit, c)])], "mean row");
      }
      csv.names.forEach((name, k) => {
        const got = csv.rows.slice(mean).map((r) => r[k]);
        // variational's lp__ is 0 on every row, as CmdStan writes it; it is not one of the fit's columns.
        if (m === "variational" && name === "lp__") expect(got).toEqual(new Array(n).fill(0));
        else expectSame(got, name.endsWith("__") ? columnOf(fit, name) : valuesOf(fit, name), `${m} ${name}`);
      });
    });
  }
});
