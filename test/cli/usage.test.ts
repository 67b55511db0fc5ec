/**
 * Wrong command lines as a user types them (issue #16): exit code 2, the
 * problem and the command's help hint on stderr, no stack trace, and
 * nothing started (no run directory). A failure of the work itself (a model
 * file that is not a model) is exit code 1. Plus the named regressions the
 * command-line properties (argv.properties.ts) found, checked in-process.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/args.ts";
import { parseCommandLine } from "../../src/cli/main.ts";
import { sampo } from "../helpers/cli.ts";

/** The UsageError that checking `argv` throws. */
function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`accepted: ${JSON.stringify(argv)}`);
}

describe("a wrong command line", () => {
  it("exits with 2, names the option and points to the command's help, and starts nothing", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "sampo-usage-")), "run");
    const cases: [string[], string][] = [
      [["sample", "examples/eight_schools.ts", "--out", out, "--chains", "abc"], "sample: --chains must be an integer ≥ 1, got 'abc'"],
      [["sample", "examples/eight_schools.ts", "--out", out, "--chain", "2"], "sample: unknown option '--chain'"],
      [["sample", "nope.ts", "--out", out], "sample: the model file: nope.ts does not exist"],
      [["pathfinder", "examples/eight_schools.ts", "--out", out, "--draws"], "pathfinder: --draws needs a value"],
      [["summary"], "summary: expected one argument, got none"],
    ];
    for (const [argv, message] of cases) {
      const r = await sampo(argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`sampo ${message}\nsee \`sampo ${argv[0]} --help\`\n`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    }
    expect(existsSync(out)).toBe(false);
    const unknown = await sampo(["smaple", "examples/eight_schools.ts"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("sampo: unknown command 'smaple'\nsee `sampo --help`\n");
  });

  it("a model file that exists but is not a model is a failure of the work: exit code 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sampo-usage-"));
    writeFileSync(join(dir, "three.ts"), "export default 3;\n");
    const r = await sampo(["inspect", join(dir, "three.ts")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/three\.ts: the default export must be a model/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("regressions found by the command-line properties", () => {
  it("advi --port abc without --dashboard is an error naming --port (it was ignored)", () => {
    const e = usageError(["advi", "examples/eight_schools.ts", "--port", "abc"]);
    expect(e.option).toBe("--port");
    expect(e.command).toBe("advi");
  });

  it("optimize --port 2 without --dashboard is an error: the option would be ignored", () => {
    expect(usageError(["optimize", "examples/eight_schools.ts", "--port", "2"]).message).toBe("--port applies only with --dashboard");
  });
});

describe("values the old parser let through", () => {
  it("an empty count is not 0, a huge one is not 1e20, a hex one is not 16", () => {
    for (const v of ["", "99999999999999999999", "0x10", "1e999"])
      expect(usageError(["sample", "examples/eight_schools.ts", "--chains", v]).option).toBe("--chains");
  });

  it("--target-accept abc and --metric foo are refused before the model loads (they reached the sampler)", () => {
    expect(usageError(["sample", "examples/eight_schools.ts", "--target-accept", "abc"]).option).toBe("--target-accept");
    expect(usageError(["sample", "examples/eight_schools.ts", "--metric", "foo"]).option).toBe("--metric");
  });

  it("an option given twice is refused rather than the last one winning", () => {
    expect(usageError(["sample", "examples/eight_schools.ts", "--seed", "1", "--seed", "2"]).message).toBe(
      "--seed is given more than once",
    );
  });

  it("--tls-ca with a missing file, and --keep without --nats, are refused", () => {
    expect(usageError(["worker", "--nats", "nats://x", "--tls-ca", "missing.pem"]).message).toBe("--tls-ca: missing.pem does not exist");
    expect(usageError(["sample", "examples/eight_schools.ts", "--keep"]).message).toBe("--keep applies only with --nats");
  });

  it("conflicting options are refused before any file is read: --resume without --out, --resume with --init", () => {
    expect(usageError(["sample", "examples/eight_schools.ts", "--resume"]).option).toBe("--resume");
    expect(usageError(["sample", "examples/eight_schools.ts", "--resume", "--out", "x", "--init", "pathfinder"]).option).toBe("--init");
  });

  it("help wins over any other problem on the line", () => {
    expect(parseCommandLine(["sample", "--chains", "abc", "--bogus", "-h"])).toHaveProperty("help");
  });
});
