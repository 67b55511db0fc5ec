/**
 * The `sampo` command line. Results go to stdout; progress, logs and
 * warnings to stderr. Every command takes `--help`.
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
  onlyWith,
  type Options,
  parseOptions,
  serverOptions,
  serving,
  str,
  UsageError,
  type Values,
} from "./args.ts";
import { methodCommands } from "./methodCommands.ts";
import type { ClusterConnection } from "../runtime/cluster/connection.ts";

const nats: Options = {
  nats: { type: "string" },
  creds: { type: "string" },
  nkey: { type: "string" },
  token: { type: "string" },
  "tls-ca": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
};
const natsUsage = `  --creds FILE           a NATS credentials file (user JWT and nkey seed)
  --nkey FILE            a file holding an nkey seed
  --token T              a NATS token (prefer --creds: a token shows in the process list)
  --tls-ca FILE          the CA of the server's TLS certificate
  --tls-cert FILE        a client certificate, with --tls-key FILE its key (mutual TLS)`;

/** Where the NATS server is and who we are, from `--nats`, `--creds`, `--nkey`, `--token` and `--tls-*`. */
function clusterConnection(values: Values): ClusterConnection {
  const servers = str(values, "nats");
  if (servers === undefined) throw new UsageError("--nats URL is required", "--nats");
  const tls = { ca: inputFile(values, "tls-ca"), cert: inputFile(values, "tls-cert"), key: inputFile(values, "tls-key") };
  if ((tls.cert === undefined) !== (tls.key === undefined))
    throw new UsageError("--tls-cert and --tls-key go together", tls.cert === undefined ? "--tls-key" : "--tls-cert");
  const anyTls = Object.values(tls).some((x) => x !== undefined);
  return {
    servers: servers.split(","),
    creds: inputFile(values, "creds"),
    nkey: inputFile(values, "nkey"),
    token: str(values, "token"),
    ...(anyTls && { tls }),
  };
}

/** The model file argument of a command, checked to exist. */
const modelFile = (file: string): string => existing(file, "the model file");

/**
 * The commands by name. Each imports its code when it runs, so that
 * `--help` and a command's start load only what that command uses.
 */
export const commands: Readonly<Record<string, Command>> = {
  ...methodCommands,
  sample: {
    usage: `usage: sampo sample <model.ts> [options]

Samples the model's posterior with NUTS and prints the summary table.

options:
  --data FILE            JSON data replacing the model file's \`data\` export
  --chains N             number of chains (4)
  --draws N              draws per chain after warm-up (1000)
  --warmup N             warm-up iterations per chain (1000)
  --seed N               random seed (default: from the clock, recorded in run.json)
  --out DIR              write chain-<k>.csv, run.json and summary.json to DIR
  --target-accept X      target acceptance statistic of step-size adaptation (0.8)
  --max-depth N          maximum tree depth (10)
  --metric diag|dense|auto
                         Euclidean metric adapted in warm-up (auto: with nutpie's warm-up, the diagonal
                         plus a low-rank correction where the warm-up finds strong correlations)
  --adapt nutpie|stan    warm-up (nutpie: metric from the draws and their gradients, updated from the
                         first draw on; stan: Stan's windowed warm-up)
  --init FILE            JSON of initial constrained values by site name; or \`--init pathfinder\`:
                         each chain starts at a Pathfinder draw, warm-up at its variances
  --thin N               keep every N-th draw (1)
  --save-warmup          keep warm-up draws in the files
  --no-reparam           sample the model as written (no automatic reparameterization)
  --workers N            worker threads running chains (min(chains, cores); 0 or 1: none)
  --thread-heap-mb N     each worker thread's heap limit in MB (Node's default); a thread that
                         exceeds it dies, and its chain is restarted from its last checkpoint
  --checkpoint-every N   save each chain's exact state every N iterations (100), with --out
  --resume               continue the interrupted run in --out DIR where its checkpoints left it
                         (its settings come from DIR/run.json; the model and data must be unchanged)
  --dashboard            serve a live dashboard of the run (its URL on stderr); it stays up after
                         the run until Ctrl-C
  --port N               the dashboard's port (default: a free one)
  --host H               the dashboard's interface (127.0.0.1); any other needs the token in the URL
  --nats URL             run the chains on \`sampo worker\` processes through this NATS server
                         (JetStream); the draws are the same as a local run's, bit for bit
${natsUsage}
  --keep                 with --nats: keep the run's stream and checkpoints on the server after it ends
  -h, --help             this help

Ctrl-C stops a run cleanly: files flushed, each chain's state saved; continue it with --resume.
`,
    options: {
      ...help,
      ...data,
      chains: { type: "string" },
      draws: { type: "string" },
      warmup: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      "target-accept": { type: "string" },
      "max-depth": { type: "string" },
      metric: { type: "string" },
      adapt: { type: "string" },
      init: { type: "string" },
      thin: { type: "string" },
      "save-warmup": { type: "boolean" },
      "no-reparam": { type: "boolean" },
      workers: { type: "string" },
      "thread-heap-mb": { type: "string" },
      "checkpoint-every": { type: "string" },
      resume: { type: "boolean" },
      ...serving,
      dashboard: { type: "boolean" },
      ...nats,
      keep: { type: "boolean" },
    },
    parse: (file, v) => {
      const init = v.init === "pathfinder" ? undefined : inputFile(v, "init");
      const out = str(v, "out");
      if (v.resume === true && out === undefined)
        throw new UsageError("--resume needs --out DIR: the directory of the run to continue", "--resume");
      if (v.resume === true && v.init !== undefined)
        throw new UsageError("cannot resume with --init: the run's initial values are in its run.json", "--init");
      const opts = {
        data: inputFile(v, "data"),
        out,
        initFile: init ?? (v.init as "pathfinder" | undefined),
        chains: int(v, "chains", 1),
        draws: int(v, "draws"),
        warmup: int(v, "warmup"),
        seed: int(v, "seed"),
        thin: int(v, "thin", 1),
        maxDepth: int(v, "max-depth", 1),
        targetAccept: num(v, "target-accept", { above: 0, below: 1 }),
        metric: oneOf(v, "metric", ["diag", "dense", "auto"] as const),
        adapt: oneOf(v, "adapt", ["nutpie", "stan"] as const),
        // Flags absent stay undefined (the defaults apply), so that --resume can tell them from given ones.
        saveWarmup: v["save-warmup"] === true ? true : undefined,
        reparam: v["no-reparam"] === true ? false : undefined,
        workers: int(v, "workers"),
        threadHeapMb: int(v, "thread-heap-mb", 1),
        checkpointEvery: int(v, "checkpoint-every", 1),
        resume: v.resume === true,
        dashboard: dashboardOptions(v),
        cluster: v.nats === undefined ? undefined : { ...clusterConnection(v), keep: v.keep === true },
      };
      onlyWith(v, ["creds", "nkey", "token", "tls-ca", "tls-cert", "tls-key", "keep"], "nats");
      modelFile(file);
      return async () => (await import("./sampleCommand.ts")).sampleCommand(file, opts);
    },
  },
  worker: {
    usage: `usage: sampo worker --nats URL [options]

Runs chains for \`sampo sample --nats\` coordinators: takes chain jobs from the
server's job queue, samples them on threads, streams the draws back. Runs
until Ctrl-C (or SIGTERM), which checkpoints the running chains and gives
their jobs back to the queue for another worker.

options:
  --nats URL             the NATS server (JetStream), e.g. nats://10.0.0.5:4222
${natsUsage}
  --concurrency N        chains run at once, each on its own thread (1)
  --max-job-bytes N      reject jobs larger than this (67108864)
  -h, --help             this help
`,
    options: { ...help, ...nats, concurrency: { type: "string" }, "max-job-bytes": { type: "string" } },
    noArgument: true,
    parse: (_arg, v) => {
      const opts = { ...clusterConnection(v), concurrency: int(v, "concurrency", 1), maxJobBytes: int(v, "max-job-bytes", 1) };
      return async () => (await import("./workerCommand.ts")).workerCommand(opts);
    },
  },
  report: {
    usage: `usage: sampo report <dir> --out FILE

Writes one self-contained HTML file (no network needed to open it) about the
finished run in DIR: trace, rank, pair (with divergences), forest, energy
(E-BFMI) and autocorrelation plots, the warnings and the summary table.

options:
  --out FILE    the HTML file to write (required)
  -h, --help    this help
`,
    options: { ...help, out: { type: "string" } },
    parse: (dir, v) => {
      const out = str(v, "out");
      if (out === undefined) throw new UsageError("--out FILE is required", "--out");
      existing(dir, "the run directory", "directory");
      return async () => {
        await (await import("../dashboard/report.ts")).writeReport(dir, out);
        process.stderr.write(`wrote ${out}\n`);
      };
    },
  },
  dashboard: {
    usage: `usage: sampo dashboard <dir> [--port N] [--host H]

Serves the live dashboard of the run in DIR: a run another process is writing
(\`sampo sample --out DIR\`; its CSV files and checkpoints are followed as
they grow) or a finished one; or the run of another method (\`sampo
pathfinder | advi | smc | optimize | laplace --out DIR\`), shown as running
until its draws are written at its end. Runs until Ctrl-C.

options:
  --port N      port (default: a free one)
  --host H      interface to bind (127.0.0.1); any other requires the token printed in the URL
  -h, --help    this help
`,
    options: { ...help, ...serving },
    parse: (dir, v) => {
      const server = serverOptions(v);
      existing(dir, "the run directory (written by `sampo sample --out`, or by another method's `--out`)", "directory");
      return async () => (await import("./dashboardCommand.ts")).dashboardCommand(dir, server);
    },
  },
  summary: {
    usage: `usage: sampo summary <dir>

Prints the summary and diagnostics of the chain-<k>.csv files in DIR
(written by \`sampo sample --out\`, CmdStan or rstan).
`,
    options: help,
    parse: (dir) => {
      existing(dir, "the run directory", "directory");
      return async () => (await import("./summaryCommand.ts")).summaryCommand(dir);
    },
  },
  inspect: {
    usage: `usage: sampo inspect <model.ts> [options]

Prints the model, summarizes its prior draws and checks its compiled log
density against the reference interpreter at a random point.

options:
  --data FILE    JSON data replacing the model file's \`data\` export
  --seed N       random seed (1)
  --draws N      prior draws (1000)
  -h, --help     this help
`,
    options: { ...help, ...data, seed: { type: "string" }, draws: { type: "string" } },
    parse: (file, v) => {
      const opts = { data: inputFile(v, "data"), seed: int(v, "seed") ?? 1, draws: int(v, "draws") ?? 1000, format: "stan" as const };
      modelFile(file);
      return async () => (await import("./inspect.ts")).inspectCommand("inspect", file, opts);
    },
  },
  export: {
    usage: `usage: sampo export <model.ts> --out FILE [--format onnx|ts] [--dtype float64|float32] [--centering FILE] [--data FILE]

Writes the model's log density and gradient with its data baked in:
  --format onnx   an ONNX file (opset 17): input theta [B, dim], outputs logp [B]
                  and grad [B, dim]; sampo's layout, version and model hash in
                  its metadata_props; loads in any ONNX runtime (default)
  --format ts     a dependency-free TypeScript module exporting dim, layout,
                  logp, logpGrad and constrain

options:
  --out FILE       the file to write (required)
  --dtype T        float64 (default) or float32 (onnx only)
  --centering F    export reparameterized as a run sampled: F is its run.json (or
                   a JSON object of centering λ per site); default: as written
  --data FILE      JSON data replacing the model file's \`data\` export
  -h, --help       this help
`,
    options: {
      ...help,
      ...data,
      format: { type: "string" },
      out: { type: "string" },
      dtype: { type: "string" },
      centering: { type: "string" },
    },
    parse: (file, v) => {
      const format = oneOf(v, "format", ["onnx", "ts"] as const) ?? "onnx";
      const dtype = oneOf(v, "dtype", ["float64", "float32"] as const) ?? "float64";
      const out = str(v, "out");
      if (out === undefined) throw new UsageError("--out FILE is required", "--out");
      const centering = inputFile(v, "centering");
      if (format === "ts" && centering !== undefined) throw new UsageError("--centering applies to --format onnx only", "--centering");
      if (format === "ts" && dtype !== "float64")
        throw new UsageError("--dtype float32 applies to --format onnx only (the TypeScript module computes in float64)", "--dtype");
      const opts = { format, dtype, out, data: inputFile(v, "data"), centering };
      modelFile(file);
      return async () => (await import("./exportCommand.ts")).exportCommand(file, opts);
    },
  },
  print: {
    usage: `usage: sampo print <model.ts> [--format stan|markdown|latex|dot] [--data FILE]

Prints the model as Stan-like text, Markdown, LaTeX or a Graphviz graph.
`,
    options: { ...help, ...data, format: { type: "string" } },
    parse: (file, v) => {
      const opts = {
        data: inputFile(v, "data"),
        seed: 1,
        draws: 0,
        format: oneOf(v, "format", ["stan", "markdown", "latex", "dot"] as const) ?? "stan",
      };
      modelFile(file);
      return async () => (await import("./inspect.ts")).inspectCommand("print", file, opts);
    },
  },
};

const usage = `usage: sampo <command> [options]     (sampo <command> --help for its options)

commands:
  sample <model.ts>    sample the posterior with NUTS; --out DIR writes Stan CSV files
  pathfinder <model.ts>  Pathfinder variational inference (multi-path, Pareto-smoothed)
  advi <model.ts>      ADVI, mean-field or full-rank
  optimize <model.ts>  the posterior mode by L-BFGS
  laplace <model.ts>   draws from the normal approximation at the mode
  smc <model.ts>       sequential Monte Carlo, with the log evidence
  summary <dir>        summarize the CSV files of a run
  dashboard <dir>      serve a live dashboard of a run directory (being written or finished)
  report <dir>         write a self-contained HTML report of a finished run (--out FILE)
  inspect <model.ts>   print the model, its prior draws and its compiled log density
  print <model.ts>     print the model (--format stan|markdown|latex|dot)
  export <model.ts>    write the compiled density as ONNX or standalone TypeScript (--out FILE)
  worker --nats URL    run chains for \`sample --nats\` runs on other machines
`;

/** A checked command line: the help to print, or the work to do. */
export type ParsedCommandLine = { readonly help: string } | { readonly job: Job };

/**
 * Checks a whole command line (without node and script) and returns what it
 * asks for, starting no work. Throws a {@link UsageError} for a wrong one,
 * with the command's name in `command` (undefined for an unknown command).
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h") return { help: usage };
  if (name === undefined) throw new UsageError("expected a command");
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) throw new UsageError(`unknown command '${name}'`);
  try {
    const parsed = parseOptions(rest, command.options);
    if (parsed === undefined) return { help: command.usage };
    const { values, positionals } = parsed;
    const expected = command.noArgument === true ? 0 : 1;
    if (positionals.length !== expected)
      throw new UsageError(
        `expected ${expected === 0 ? "no argument" : "one argument"}, got ${positionals.length === 0 ? "none" : positionals.map((p) => `'${p}'`).join(", ")}`,
      );
    return { job: command.parse(positionals[0] ?? "", values) };
  } catch (e) {
    if (e instanceof UsageError && e.command === undefined) throw new UsageError(e.message, e.option, name);
    throw e;
  }
}

/** The stderr text of a usage error: the problem and where help is. */
export function usageMessage(e: UsageError): string {
  const command = e.command === undefined ? "sampo" : `sampo ${e.command}`;
  return `${command}: ${e.message}\nsee \`${command} --help\`\n`;
}

/**
 * Runs the CLI with `argv` (without node and script); returns the exit code:
 * 0 on success, 2 for a wrong command line (nothing was started), 1 for a
 * failure of the work, 130 when Ctrl-C stopped it.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    // Checking a command line throws nothing but usage errors; anything else is a bug, reported without a stack trace all the same.
    process.stderr.write(e instanceof UsageError ? usageMessage(e) : `sampo: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
  if ("help" in parsed) {
    process.stdout.write(parsed.help);
    return 0;
  }
  try {
    return (await parsed.job()) ?? 0;
  } catch (e) {
    process.stderr.write(`sampo ${argv[0]}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
