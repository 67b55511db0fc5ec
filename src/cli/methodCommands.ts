/**
 * The commands of the methods other than NUTS: `optimize`, `laplace`,
 * `advi`, `pathfinder` and `smc`, their options and help.
 * @module
 */
import { type Command, data, help, int, num, type Options, serverOptions, serving } from "./args.ts";
import type { CsvMethod } from "../io/stanCsv/method.ts";

type Values = Record<string, string | boolean | undefined>;

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
    history: int(v, "history"),
    tolObj: num(v, "tol-obj"),
    tolRelObj: num(v, "tol-rel-obj"),
    tolGrad: num(v, "tol-grad"),
    tolRelGrad: num(v, "tol-rel-grad"),
    tolParam: num(v, "tol-param"),
  };
}

function backendOf(v: Values): "js" | "onnx" | undefined {
  const b = v.backend;
  if (b === undefined) return undefined;
  if (b !== "js" && b !== "onnx") throw new Error(`--backend must be js or onnx, got '${String(b)}'`);
  return b;
}

/** Runs `method` with the common options and the method's own (its code loaded on first use: `--help` stays fast). */
async function run(method: CsvMethod, file: string, v: Values, own: Record<string, unknown>): Promise<number> {
  const options = Object.fromEntries(
    Object.entries({ seed: int(v, "seed"), backend: backendOf(v), ...own }).filter(([, x]) => x !== undefined),
  );
  const { methodCommand } = await import("./methodCommand.ts");
  return methodCommand(method, file, {
    data: v.data as string | undefined,
    out: v.out as string | undefined,
    initFile: v.init as string | undefined,
    dashboard: v.dashboard === true ? serverOptions(v) : undefined,
    options,
  });
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
    run: (file, v) => run("optimize", file, v, { ...lbfgsValues(v), jacobian: v.jacobian === true }),
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
    run: (file, v) => {
      const algorithm = v.algorithm;
      if (algorithm !== undefined && algorithm !== "meanfield" && algorithm !== "fullrank")
        throw new Error(`--algorithm must be meanfield or fullrank, got '${String(algorithm)}'`);
      return run("variational", file, v, {
        algorithm,
        maxIterations: int(v, "iter"),
        gradSamples: int(v, "grad-samples"),
        elboSamples: int(v, "elbo-samples"),
        eta: num(v, "eta"),
        adaptIterations: int(v, "adapt-iter"),
        tolRelObj: num(v, "tol-rel-obj"),
        evalElbo: int(v, "eval-elbo"),
        outputDraws: int(v, "draws"),
      });
    },
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
    run: (file, v) =>
      run("pathfinder", file, v, {
        paths: int(v, "paths"),
        draws: int(v, "draws"),
        drawsPerPath: int(v, "draws-per-path"),
        elboDraws: int(v, "elbo-draws"),
        history: int(v, "history"),
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
    run: (file, v) => run("laplace", file, v, { ...lbfgsValues(v), draws: int(v, "draws"), jacobian: v["no-jacobian"] !== true }),
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
    run: (file, v) => run("smc", file, v, { particles: int(v, "particles"), runs: int(v, "runs"), essThreshold: num(v, "ess-threshold") }),
  },
};
