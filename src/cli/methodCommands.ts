/**
 * The commands of the methods other than NUTS: `optimize`, `laplace`,
 * `advi`, `pathfinder` and `smc`, their options and help.
 * @module
 */
import {
  type Command,
  data,
  dashboardOptions,
  existing,
  help,
  inputFile,
  int,
  type Job,
  num,
  oneOf,
  type Options,
  serving,
  str,
  type Values,
} from "./args.ts";
import type { CsvMethod } from "../io/stanCsv/method.ts";

const common: Options = {
  ...help,
  ...data,
  seed: { type: "string" },
  out: { type: "string" },
  init: { type: "string" },
  backend: { type: "string" },
  dashboard: { type: "boolean" },
  ...serving,
};

const commonUsage = `  --data FILE            JSON data replacing the model file's \`data\` export
  --seed N               random seed (default: from the clock, recorded in run.json)
  --init FILE            JSON of initial constrained values by site name (default: random in (−2, 2) unconstrained)
  --out DIR              write <method>.csv (as CmdStan writes it), run.json and summary.json to DIR
  --dashboard            serve a live dashboard of the run (its URL on stderr), up until Ctrl-C
  --port N, --host H     the dashboard's port and interface
  -h, --help             this help`;

const lbfgsOptions: Options = {
  iter: { type: "string" },
  history: { type: "string" },
  "tol-obj": { type: "string" },
  "tol-rel-obj": { type: "string" },
  "tol-grad": { type: "string" },
  "tol-rel-grad": { type: "string" },
  "tol-param": { type: "string" },
};

const lbfgsUsage = `  --iter N               most L-BFGS iterations (2000)
  --history N            L-BFGS history size (5)
  --tol-obj X, --tol-rel-obj X, --tol-grad X, --tol-rel-grad X, --tol-param X
                         L-BFGS's convergence tolerances (Stan's: 1e-12, 1e4, 1e-8, 1e7, 1e-8)`;

function lbfgsValues(v: Values): Record<string, number | undefined> {
  return {
    maxIterations: int(v, "iter"),
    history: int(v, "history", 1),
    tolObj: num(v, "tol-obj", { atLeast: 0 }),
    tolRelObj: num(v, "tol-rel-obj", { atLeast: 0 }),
    tolGrad: num(v, "tol-grad", { atLeast: 0 }),
    tolRelGrad: num(v, "tol-rel-grad", { atLeast: 0 }),
    tolParam: num(v, "tol-param", { atLeast: 0 }),
  };
}

/**
 * The job of `method` on `file` with the common options and the method's
 * own, all checked now (its code is loaded when it runs: `--help` stays fast).
 */
function job(method: CsvMethod, file: string, v: Values, own: Record<string, unknown>): Job {
  const options = Object.fromEntries(
    Object.entries({ seed: int(v, "seed"), backend: oneOf(v, "backend", ["js", "onnx"] as const), ...own }).filter(
      ([, x]) => x !== undefined,
    ),
  );
  const opts = {
    data: inputFile(v, "data"),
    out: str(v, "out"),
    initFile: inputFile(v, "init"),
    dashboard: dashboardOptions(v),
    options,
  };
  existing(file, "the model file");
  return async () => (await import("./methodCommand.ts")).methodCommand(method, file, opts);
}

/** The method commands, by name. */
export const methodCommands: Readonly<Record<string, Command>> = {
  optimize: {
    usage: `usage: sampo optimize <model.ts> [options]

The posterior mode by L-BFGS (CmdStan's optimize), without the log-Jacobian
unless --jacobian.

options:
  --jacobian             include the log-Jacobian of the transforms (the mode on the unconstrained scale)
${lbfgsUsage}
${commonUsage}
`,
    options: { ...common, ...lbfgsOptions, jacobian: { type: "boolean" } },
    parse: (file, v) => job("optimize", file, v, { ...lbfgsValues(v), jacobian: v.jacobian === true }),
  },
  advi: {
    usage: `usage: sampo advi <model.ts> [options]

Automatic differentiation variational inference (CmdStan's variational):
a normal approximation on the unconstrained scale fitted by stochastic
gradient ascent on the ELBO, then draws from it.

options:
  --algorithm A          meanfield (default) or fullrank
  --iter N               most iterations (10000)
  --grad-samples N       Monte-Carlo draws per gradient (1)
  --elbo-samples N       Monte-Carlo draws per ELBO estimate (100)
  --eta X                step-size scale (default: chosen by Stan's search)
  --adapt-iter N         iterations of each step-size trial (50)
  --tol-rel-obj X        relative ELBO change that counts as converged (0.01)
  --eval-elbo N          evaluate the ELBO every N iterations (100)
  --draws N              draws from the approximation (1000)
  --backend js|onnx      evaluate each iteration's draws in one onnxruntime call with onnx
${commonUsage}
`,
    options: {
      ...common,
      algorithm: { type: "string" },
      iter: { type: "string" },
      "grad-samples": { type: "string" },
      "elbo-samples": { type: "string" },
      eta: { type: "string" },
      "adapt-iter": { type: "string" },
      "tol-rel-obj": { type: "string" },
      "eval-elbo": { type: "string" },
      draws: { type: "string" },
    },
    parse: (file, v) =>
      job("variational", file, v, {
        algorithm: oneOf(v, "algorithm", ["meanfield", "fullrank"] as const),
        maxIterations: int(v, "iter", 1),
        gradSamples: int(v, "grad-samples", 1),
        elboSamples: int(v, "elbo-samples", 1),
        eta: num(v, "eta", { above: 0 }),
        adaptIterations: int(v, "adapt-iter", 1),
        tolRelObj: num(v, "tol-rel-obj", { above: 0 }),
        evalElbo: int(v, "eval-elbo", 1),
        outputDraws: int(v, "draws", 1),
      }),
  },
  pathfinder: {
    usage: `usage: sampo pathfinder <model.ts> [options]

Pathfinder (CmdStan's pathfinder): L-BFGS paths, the normal approximation
with the best ELBO along each, and Pareto-smoothed importance resampling of
the paths' draws (with its k̂).

options:
  --paths N              independent paths (4)
  --draws N              draws after importance resampling (1000)
  --draws-per-path N     draws from each path's approximation (1000)
  --elbo-draws N         Monte-Carlo draws per ELBO estimate (25)
  --history N            L-BFGS history size (5)
  --iter N               most L-BFGS iterations per path (1000)
  --no-psis              keep every path's draws, without importance resampling
  --backend js|onnx      evaluate each ELBO's draws in one onnxruntime call with onnx
${commonUsage}
`,
    options: {
      ...common,
      paths: { type: "string" },
      draws: { type: "string" },
      "draws-per-path": { type: "string" },
      "elbo-draws": { type: "string" },
      history: { type: "string" },
      iter: { type: "string" },
      "no-psis": { type: "boolean" },
    },
    parse: (file, v) =>
      job("pathfinder", file, v, {
        paths: int(v, "paths", 1),
        draws: int(v, "draws", 1),
        drawsPerPath: int(v, "draws-per-path", 1),
        elboDraws: int(v, "elbo-draws", 1),
        history: int(v, "history", 1),
        maxLbfgsIterations: int(v, "iter"),
        psisResample: v["no-psis"] === true ? false : undefined,
      }),
  },
  laplace: {
    usage: `usage: sampo laplace <model.ts> [options]

Draws from the normal approximation at the posterior mode (CmdStan's laplace):
the mode by L-BFGS, the Hessian by finite differences of the gradient.

options:
  --draws N              draws from the approximation (1000)
  --no-jacobian          leave out the log-Jacobian (the approximation of the constrained mode)
${lbfgsUsage}
${commonUsage}
`,
    options: { ...common, ...lbfgsOptions, draws: { type: "string" }, "no-jacobian": { type: "boolean" } },
    parse: (file, v) => job("laplace", file, v, { ...lbfgsValues(v), draws: int(v, "draws", 1), jacobian: v["no-jacobian"] !== true }),
  },
  smc: {
    usage: `usage: sampo smc <model.ts> [options]

Sequential Monte Carlo with adaptive tempering from the prior to the
posterior; prints the log evidence with its Monte-Carlo standard error.

options:
  --particles N          particles per run (1000)
  --runs N               independent runs, for the spread of the log evidence (4)
  --ess-threshold X      the next temperature keeps this fraction of the particles' ESS (0.5)
  --backend js|onnx      move all particles in one onnxruntime call per leapfrog step with onnx
${commonUsage}
`,
    options: { ...common, particles: { type: "string" }, runs: { type: "string" }, "ess-threshold": { type: "string" } },
    parse: (file, v) =>
      job("smc", file, v, {
        particles: int(v, "particles", 2),
        runs: int(v, "runs", 1),
        essThreshold: num(v, "ess-threshold", { above: 0, below: 1 }),
      }),
  },
};
