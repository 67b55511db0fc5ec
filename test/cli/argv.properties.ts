/**
 * Command lines (issue #16): for generated argv of every command — known and
 * unknown options, missing values, values of the wrong kind, repeated
 * options, `--`, unicode, empty strings, nonexistent files — checking the
 * command line either gives the command's help or its job (which is not
 * run), or throws a UsageError that names the command and the option at
 * fault, whose stderr text ends with the command's help hint. Nothing else
 * is ever thrown. The parser runs in-process: no subprocess, no sampling.
 *
 * The kinds of the options come from the help texts (`--chains N`,
 * `--target-accept X`): the properties also check that the parser agrees
 * with what the help says.
 */
import { fc, test } from "@fast-check/vitest";
import { existsSync } from "node:fs";
import { expect } from "vitest";
import { UsageError } from "../../src/cli/args.ts";
import { commands, parseCommandLine, usageMessage } from "../../src/cli/main.ts";
import { propertyParameters } from "../helpers/property.ts";

/** An existing model file and an existing directory (the parser checks only that they exist). */
const MODEL = "examples/eight_schools.ts";
const DIR = "examples";

/** The smallest valid command line of each command (its argument and required options). */
export const BASE: ReadonlyMap<string, readonly string[]> = new Map(
  Object.keys(commands).map((name) => {
    const base =
      name === "summary" || name === "dashboard"
        ? [DIR]
        : name === "report"
          ? [DIR, "--out", "report.html"]
          : name === "worker"
            ? ["--nats", "nats://127.0.0.1:4222"]
            : name === "export"
              ? [MODEL, "--out", "model.onnx"]
              : [MODEL];
    return [name, base];
  }),
);

const NAMES = [...BASE.keys()];

/** Each command's options whose help shows a count (`N`) or a number (`X`). */
function numericOptions(name: string): { counts: string[]; numbers: string[] } {
  const { usage } = commands[name];
  const of = (kind: string) => [...new Set([...usage.matchAll(new RegExp(`--([a-z-]+) ${kind}\\b`, "g"))].map((m) => m[1]))];
  return { counts: of("N"), numbers: of("X") };
}

/** Values no count or number option takes. */
const NOT_A_NUMBER = ["abc", "", " ", "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "0x10", " 1", "1 ", "1,5", "١٢", "½", "--", "∞"];
/** Values no count option takes (numbers, but not whole, not ≥ 0, or beyond 2⁵³). */
const NOT_A_COUNT = [...NOT_A_NUMBER, "-1", "1.5", "1e3", "+3", "-0", "99999999999999999999", "9007199254740993"];

/** Any string worth trying as an argument: tricky ones and generated ones. */
const anyString = fc.oneof(
  fc.constantFrom(
    ...NOT_A_COUNT,
    "-",
    "-h",
    "--help",
    "--=x",
    "__proto__",
    "--__proto__",
    "--constructor",
    "\0",
    "é",
    "nope.ts",
    MODEL,
    DIR,
  ),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ maxLength: 12 }).map((s) => `--${s}`),
);

/** One generated argument for command `name`: a known option (with or without a value), an unknown one, or anything. */
function argument(name: string): fc.Arbitrary<string[]> {
  const known = Object.keys(commands[name].options).filter((o) => o !== "help");
  if (known.length === 0) return anyString.map((s) => [s]);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...known), anyString).map(([o, v]) => [`--${o}`, v]),
    fc.tuple(fc.constantFrom(...known), anyString).map(([o, v]) => [`--${o}=${v}`]),
    fc.constantFrom(...known).map((o) => [`--${o}`]),
    anyString.map((s) => [s]),
  );
}

/** A generated argv: a command (known or not), and arguments made for it. */
const argv = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.constantFrom(...NAMES).chain((name) => fc.array(argument(name), { maxLength: 6 }).map((a) => [name, ...a.flat()])),
  },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 4 }) },
);

/** The outcome of checking `args`: the parse, or the UsageError it threw (anything else fails the test). */
function check(args: readonly string[]): ReturnType<typeof parseCommandLine> | UsageError {
  try {
    return parseCommandLine(args);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw new Error(`not a usage error for ${JSON.stringify(args)}: ${String(e)}`, { cause: e });
  }
}

/** Asserts `e` is the usage error of command `name` (and option `option`, if given), with the help hint. */
function expectUsageError(e: unknown, name: string | undefined, option?: string): void {
  expect(e).toBeInstanceOf(UsageError);
  const u = e as UsageError;
  expect(u.command).toBe(name);
  if (option !== undefined) expect(u.option).toBe(option);
  if (u.option !== undefined) expect(u.message).toContain(u.option);
  const prefix = name === undefined ? "sampo" : `sampo ${name}`;
  expect(usageMessage(u)).toBe(`${prefix}: ${u.message}\nsee \`${prefix} --help\`\n`);
  expect(u.message).not.toMatch(/\n\s+at /); // no stack trace
}

/** Registers the command-line properties with `runs` cases each. */
export function defineArgvProperties(runs: number): void {
  test.prop([argv], propertyParameters(runs))("any argv gives help, a job, or a usage error naming the command and option", (args) => {
    const r = check(args);
    if (r instanceof UsageError) expectUsageError(r, BASE.has(args[0]) ? args[0] : undefined);
    else expect("help" in r ? typeof r.help : typeof r.job).toBe("help" in r ? "string" : "function");
  });

  const unknownOption = fc
    .tuple(fc.constantFrom(...NAMES), fc.string({ minLength: 1, maxLength: 10 }), fc.boolean())
    .filter(([name, o]) => !Object.hasOwn(commands[name].options, o) && !o.startsWith("-") && !o.includes("="));
  test.prop([unknownOption], propertyParameters(runs))("an unknown option is an error, first or last", ([name, o, first]) => {
    const base = BASE.get(name)!;
    const args = first ? [name, `--${o}`, ...base] : [name, ...base, `--${o}`];
    expectUsageError(check(args), name, `--${o}`);
  });

  const numeric = NAMES.filter((name) => numericOptions(name).counts.length + numericOptions(name).numbers.length > 0);
  const badNumber = fc.constantFrom(...numeric).chain((name) => {
    const { counts, numbers } = numericOptions(name);
    const options = [...counts.map((o) => ({ o, bad: NOT_A_COUNT })), ...numbers.map((o) => ({ o, bad: NOT_A_NUMBER }))];
    return fc.tuple(
      fc.constant(name),
      fc.constantFrom(...options).chain(({ o, bad }) => fc.tuple(fc.constant(o), fc.constantFrom(...bad))),
    );
  });
  test.prop([badNumber, fc.boolean()], propertyParameters(runs))(
    "a count or number option given something else is an error naming it",
    ([name, [o, value]], inline) => {
      const args = [name, ...BASE.get(name)!, ...(inline ? [`--${o}=${value}`] : [`--${o}`, value])];
      expectUsageError(check(args), name, `--${o}`);
    },
  );

  const goodNumbers = fc.constantFrom(...NAMES).chain((name) => {
    const { counts, numbers } = numericOptions(name);
    const given = fc.subarray([...counts, ...numbers]);
    // Values every such option takes: counts from 2 (smc's particles) up, numbers inside (0, 1).
    return fc.tuple(
      fc.constant(name),
      given.chain((os) =>
        fc.tuple(
          ...os
            .map((o) =>
              counts.includes(o)
                ? fc.integer({ min: 2, max: 65535 }).map(String)
                : fc.double({ min: 0.01, max: 0.99, noNaN: true }).map(String),
            )
            .map((v, i) => v.map((x) => [`--${os[i]}`, x])),
        ),
      ),
    );
  });
  test.prop([goodNumbers], propertyParameters(runs))("valid counts and numbers give the job, which is not started", ([name, pairs]) => {
    // --port is a number option that applies only with --dashboard, where a command has that flag.
    const dashboard = commands[name].options.dashboard?.type === "boolean" ? ["--dashboard"] : [];
    const r = check([name, ...BASE.get(name)!, ...dashboard, ...pairs.flat()]);
    expect(r).not.toBeInstanceOf(UsageError);
    expect("job" in r && typeof r.job).toBe("function");
  });

  test.prop([fc.constantFrom(...NAMES.filter((n) => n !== "worker")), fc.string({ maxLength: 12 })], propertyParameters(runs))(
    "an argument that is not an existing file or directory is an error",
    (name, path) => {
      fc.pre(!existsSync(path));
      const [, ...options] = BASE.get(name)!;
      // `--` ends the options: what follows is the argument even when it looks like an option.
      expectUsageError(check([name, ...options, "--", path]), name);
    },
  );
}
