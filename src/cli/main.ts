/**
 * The `sampo` command line. Results go to stdout, logs to stderr.
 * @module
 */
import { parseArgs } from "node:util";
import { inspectCommand } from "./inspect.ts";

const usage = `usage: sampo <command> [options]

commands:
  inspect <model.ts>   print the model, summarize its prior draws and evaluate its compiled log density
  print <model.ts>     print the model (--format stan|markdown|latex|dot)

options:
  --data FILE    JSON data replacing the model file's \`data\` export
  --seed N       random seed (default 1)
  --draws N      prior draws for inspect (default 1000)
  -h, --help     this help
`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      data: { type: "string" },
      seed: { type: "string", default: "1" },
      draws: { type: "string", default: "1000" },
      format: { type: "string", default: "stan" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, file] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  if (file === undefined) {
    process.stderr.write(`sampo ${command}: a model file is required\n\n${usage}`);
    return 2;
  }
  try {
    switch (command) {
      case "inspect":
      case "print":
        await inspectCommand(command, file, {
          data: values.data,
          seed: Number(values.seed),
          draws: Number(values.draws),
          format: values.format as "stan" | "markdown" | "latex" | "dot",
        });
        return 0;
      default:
        process.stderr.write(`sampo: unknown command '${command}'\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    process.stderr.write(`sampo ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
