/**
 * What every command of the CLI shares: the command's shape, common option
 * sets and the parsers of option values.
 * @module
 */
import type { ParseArgsConfig } from "node:util";
import type { ServerOptions } from "../dashboard/server.ts";

/** Options of one command, as `node:util`'s parseArgs takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** A command: its help text, options, and what it runs. */
export interface Command {
  readonly usage: string;
  readonly options: Options;
  /** Whether the command takes no argument (it takes one otherwise). */
  readonly noArgument?: boolean;
  /** Runs the command; a number is its exit code (0 otherwise). */
  run(arg: string, values: Record<string, string | boolean | undefined>): Promise<void | number>;
}

/** `-h`, `--help`. */
export const help: Options = { help: { type: "boolean", short: "h" } };
/** `--data FILE`. */
export const data: Options = { data: { type: "string" } };
/** The dashboard server's `--port` and `--host`. */
export const serving: Options = { port: { type: "string" }, host: { type: "string" } };
/** Parses a non-negative integer option, naming it in the error. */
export function int(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${String(v)}'`);
  return n;
}

/** Parses a number option (a finite number), naming it in the error. */
export function num(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v === "" || !Number.isFinite(x)) throw new Error(`--${name} must be a number, got '${String(v)}'`);
  return x;
}

/** The dashboard server's options from `--port` and `--host`. */
export function serverOptions(values: Record<string, unknown>): ServerOptions {
  const port = int(values, "port");
  if (port !== undefined && port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  return { port, host: values.host as string | undefined };
}
