/**
 * What every command of the CLI shares: the command's shape, common option
 * sets, the checks of the command line and the parsers of option values.
 *
 * A command line is checked whole before any work starts: unknown options,
 * options without their value, values of the wrong kind or out of range,
 * input files that are not there. Each problem is a {@link UsageError}
 * (exit code 2, with the command's help hint); a failure once the work has
 * started (a model that does not build, a malformed data file) is exit
 * code 1.
 * @module
 */
import { type Stats, statSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ServerOptions } from "../dashboard/server.ts";

/** Options of one command, as `node:util`'s parseArgs takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Option values by name, as parseArgs gives them. */
export type Values = Readonly<Record<string, string | boolean | undefined>>;

/** The work of a command whose command line was checked; resolves with its exit code (0 when void). */
export type Job = () => Promise<void | number>;

/** A command: its help text, options, and how its command line becomes its work. */
export interface Command {
  readonly usage: string;
  readonly options: Options;
  /** Whether the command takes no argument (it takes one otherwise). */
  readonly noArgument?: boolean;
  /**
   * Checks the argument and every option value, throwing a {@link UsageError}
   * for the first bad one, and returns the work to do: nothing starts here.
   */
  parse(arg: string, values: Values): Job;
}

/** A command line that is wrong: exit code 2, with the command's help hint. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The option at fault as written (`--chains`), or undefined when it is the command or its argument. */
    readonly option?: string,
    /** The command whose command line it is (`sample`), for the help hint; undefined for an unknown command. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** `-h`, `--help`. */
export const help: Options = { help: { type: "boolean", short: "h" } };
/** `--data FILE`. */
export const data: Options = { data: { type: "string" } };
/** The dashboard server's `--port` and `--host`. */
export const serving: Options = { port: { type: "string" }, host: { type: "string" } };

/**
 * The option values and positionals of `args` for a command with `options`.
 * Unlike parseArgs in strict mode it names the option in every error, and
 * it also refuses an option given twice (which one was meant?). Returns
 * undefined when `--help` is among the options: help wins over any error.
 */
export function parseOptions(args: readonly string[], options: Options): { values: Values; positionals: string[] } | undefined {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  if (tokens.some((t) => t.kind === "option" && t.name === "help" && Object.hasOwn(options, "help"))) return undefined;
  const values = new Map<string, string | boolean>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === "positional") positionals.push(t.value);
    if (t.kind !== "option") continue;
    const spec = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    const long = `--${t.name}`;
    if (spec === undefined) throw new UsageError(`unknown option '${t.rawName}'`, t.rawName);
    if (values.has(t.name)) throw new UsageError(`${long} is given more than once`, long);
    if (spec.type === "boolean") {
      if (t.value !== undefined) throw new UsageError(`${long} takes no value, got '${t.value}'`, long);
      values.set(t.name, true);
      continue;
    }
    // parseArgs takes the next argument as the value even if it is another option: `--out --chains 4` is a missing value.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith("-") && !NUMBER.test(t.value)))
      throw new UsageError(
        `${long} needs a value${t.value === undefined ? "" : ` (write ${long}=${t.value} if '${t.value}' is it)`}`,
        long,
      );
    values.set(t.name, t.value);
  }
  return { values: Object.fromEntries(values), positionals };
}

/** A decimal number as the CLI accepts it: no hex, no blanks, no `Infinity`. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** An option's value as a string, or undefined when it is absent; an empty value is an error. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new UsageError(`--${name} needs a value, got '${String(v)}'`, `--${name}`);
  return v;
}

/** Parses an integer option ≥ `min` (decimal digits, at most 2⁵³ − 1), naming it in the error. */
export function int(values: Values, name: string, min = 0): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${String(v)}'`, `--${name}`);
  return n;
}

/** The range of a number option: each bound absent, or as given. */
export interface Range {
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive lower bound. */
  readonly atLeast?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
}

/** Parses a finite number option within `range`, naming it in the error. */
export function num(values: Values, name: string, range: Range = {}): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const x = typeof v === "string" && NUMBER.test(v) ? Number(v) : NaN;
  const { above, atLeast, below } = range;
  const ok =
    Number.isFinite(x) &&
    !(above !== undefined && x <= above) &&
    !(atLeast !== undefined && x < atLeast) &&
    !(below !== undefined && x >= below);
  if (!ok) {
    const bounds = [
      above !== undefined && `> ${above}`,
      atLeast !== undefined && `≥ ${atLeast}`,
      below !== undefined && `< ${below}`,
    ].filter(Boolean);
    throw new UsageError(
      `--${name} must be a number${bounds.length > 0 ? ` ${bounds.join(" and ")}` : ""}, got '${String(v)}'`,
      `--${name}`,
    );
  }
  return x;
}

/** Parses an option taking one of `allowed`, naming it in the error. */
export function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be ${allowed.join(" or ")}, got '${String(v)}'`, `--${name}`);
  return v as T;
}

/**
 * `path` when it names an existing file (or a directory, with `kind`
 * "directory"); a usage error otherwise, naming `what` (`--data`, or the
 * command's argument).
 */
export function existing(path: string, what: string, kind: "file" | "directory" = "file"): string {
  if (path === "") throw new UsageError(`${what}: an empty path`, option(what));
  let stat: Stats | undefined;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    // A path through a file (ENOTDIR), too long, with a NUL byte, not readable: no file to read either.
    throw new UsageError(`${what}: ${path} cannot be read (${(e as { code?: string }).code ?? (e as Error).message})`, option(what));
  }
  if (stat === undefined) throw new UsageError(`${what}: ${path} does not exist`, option(what));
  if (kind === "file" ? !stat.isFile() : !stat.isDirectory()) throw new UsageError(`${what}: ${path} is not a ${kind}`, option(what));
  return path;
}

/** The option `what` names, if it names one. */
const option = (what: string): string | undefined => (what.startsWith("-") ? what : undefined);

/** An input file option's value (see {@link existing}), or undefined when absent. */
export function inputFile(values: Values, name: string): string | undefined {
  const path = str(values, name);
  return path === undefined ? undefined : existing(path, `--${name}`);
}

/** Refuses any of `options` given without `flag` (`--port` without `--dashboard`): an option silently ignored is a mistake. */
export function onlyWith(values: Values, options: readonly string[], flag: string): void {
  if (values[flag] !== undefined) return;
  const given = options.find((o) => values[o] !== undefined);
  if (given !== undefined) throw new UsageError(`--${given} applies only with --${flag}`, `--${given}`);
}

/** The dashboard server's options from `--port` and `--host`. */
export function serverOptions(values: Values): ServerOptions {
  const port = int(values, "port");
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`, "--port");
  return { port, host: str(values, "host") };
}

/** The server options of `--dashboard` (with `--port` and `--host`), or undefined without it. */
export function dashboardOptions(values: Values): ServerOptions | undefined {
  onlyWith(values, ["port", "host"], "dashboard");
  return values.dashboard === true ? serverOptions(values) : undefined;
}
