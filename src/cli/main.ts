/**
 * The `sampo` command line. Results go to stdout; progress, logs and
 * warnings to stderr. Every command takes `--help`.
 * @module
 */
import { parseArgs } from "node:util";
import { type Command, data, help, int, type Options, serverOptions, serving } from "./args.ts";
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
function clusterConnection(values: Record<string, unknown>): ClusterConnection {
  const str = (name: string) => values[name] as string | undefined;
  const servers = str("nats");
  if (servers === undefined) throw new Error("--nats URL is required");
  const tls = { ca: str("tls-ca"), cert: str("tls-cert"), key: str("tls-key") };
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new Error("--tls-cert and --tls-key go together");
  const anyTls = Object.values(tls).some((x) => x !== undefined);
  return {
    servers: servers.split(","),
    creds: str("creds"),
    nkey: str("nkey"),
    token: str("token"),
    ...(anyTls && { tls }),
  };
}

// Each command imports its code when it runs, so that `--help` and a command's
// start load only what that command uses.
const commands: Readonly<Record<string, Command>> = {
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
      "checkpoint-every": { type: "string" },
      resume: { type: "boolean" },
      ...serving,
      dashboard: { type: "boolean" },
      ...nats,
      keep: { type: "boolean" },
    },
    run: async (file, v) =>
      (await import("./sampleCommand.ts")).sampleCommand(file, {
        data: v.data as string | undefined,
        out: v.out as string | undefined,
        initFile: v.init as string | undefined,
        chains: int(v, "chains"),
        draws: int(v, "draws"),
        warmup: int(v, "warmup"),
        seed: int(v, "seed"),
        thin: int(v, "thin"),
        maxDepth: int(v, "max-depth"),
        targetAccept: v["target-accept"] === undefined ? undefined : Number(v["target-accept"]),
        metric: v.metric as "diag" | "dense" | "auto" | undefined,
        adapt: v.adapt as "nutpie" | "stan" | undefined,
        // Flags absent stay undefined (the defaults apply), so that --resume can tell them from given ones.
        saveWarmup: v["save-warmup"] === true ? true : undefined,
        reparam: v["no-reparam"] === true ? false : undefined,
        workers: int(v, "workers"),
        checkpointEvery: int(v, "checkpoint-every"),
        resume: v.resume === true,
        dashboard: v.dashboard === true ? serverOptions(v) : undefined,
        cluster: v.nats === undefined ? undefined : { ...clusterConnection(v), keep: v.keep === true },
      }),
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
    run: async (_arg, v) =>
      (await import("./workerCommand.ts")).workerCommand({
        ...clusterConnection(v),
        concurrency: int(v, "concurrency"),
        maxJobBytes: int(v, "max-job-bytes"),
      }),
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
    run: async (dir, v) => {
      if (typeof v.out !== "string") throw new Error("--out FILE is required");
      await (await import("../dashboard/report.ts")).writeReport(dir, v.out);
      process.stderr.write(`wrote ${v.out}\n`);
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
    run: async (dir, v) => (await import("./dashboardCommand.ts")).dashboardCommand(dir, serverOptions(v)),
  },
  summary: {
    usage: `usage: sampo summary <dir>

Prints the summary and diagnostics of the chain-<k>.csv files in DIR
(written by \`sampo sample --out\`, CmdStan or rstan).
`,
    options: help,
    run: async (dir) => (await import("./summaryCommand.ts")).summaryCommand(dir),
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
    run: async (file, v) =>
      (await import("./inspect.ts")).inspectCommand("inspect", file, {
        data: v.data as string | undefined,
        seed: int(v, "seed") ?? 1,
        draws: int(v, "draws") ?? 1000,
        format: "stan",
      }),
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
    run: async (file, v) => {
      const format = (v.format ?? "onnx") as string;
      const dtype = (v.dtype ?? "float64") as string;
      if (format !== "onnx" && format !== "ts") throw new Error(`--format must be onnx or ts, got '${format}'`);
      if (dtype !== "float64" && dtype !== "float32") throw new Error(`--dtype must be float64 or float32, got '${dtype}'`);
      if (typeof v.out !== "string") throw new Error("--out FILE is required");
      return (await import("./exportCommand.ts")).exportCommand(file, {
        format,
        dtype,
        out: v.out,
        data: v.data as string | undefined,
        centering: v.centering as string | undefined,
      });
    },
  },
  print: {
    usage: `usage: sampo print <model.ts> [--format stan|markdown|latex|dot] [--data FILE]

Prints the model as Stan-like text, Markdown, LaTeX or a Graphviz graph.
`,
    options: { ...help, ...data, format: { type: "string" } },
    run: async (file, v) => {
      const format = (v.format ?? "stan") as string;
      if (!["stan", "markdown", "latex", "dot"].includes(format))
        throw new Error(`--format must be stan, markdown, latex or dot, got '${format}'`);
      return (await import("./inspect.ts")).inspectCommand("print", file, {
        data: v.data as string | undefined,
        seed: 1,
        draws: 0,
        format: format as "stan",
      });
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

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`sampo: unknown command '${name}'\n\n${usage}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: command.options, strict: true });
    if (values.help === true) {
      process.stdout.write(command.usage);
      return 0;
    }
    if (positionals.length !== (command.noArgument === true ? 0 : 1)) {
      process.stderr.write(`sampo ${name}: expected ${command.noArgument === true ? "no argument" : "one argument"}\n\n${command.usage}`);
      return 2;
    }
    return (await command.run(positionals[0] ?? "", values as Record<string, string | boolean | undefined>)) ?? 0;
  } catch (e) {
    process.stderr.write(`sampo ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
