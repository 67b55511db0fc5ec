/**
 * A chain job: what a coordinator asks a worker to run. It carries the model
 * as data — the density's IR in its validated JSON form, with the data — and
 * never as code: the worker checks every field and compiles the IR with its
 * own code generator, so a job can make a worker sample, nothing else.
 * @module
 */
import type { PlainDensity } from "../../codegen/density.ts";
import { dataHash, modelHash } from "../../codegen/hash.ts";
import { plainFromWire, type WireDensity } from "../../codegen/wire.ts";
import type { ChainCheckpoint } from "../../inference/chain.ts";
import { resolveOptions, type ResolvedSampleOptions } from "../../inference/options.ts";
import { losslessParse, losslessStringify } from "../../losslessJson.ts";
import { isRunToken } from "./names.ts";

/** The job format's tag. */
const JOB_FORMAT = "sampo.job/1";

/** A job as it travels (lossless JSON). */
export interface JobMessage {
  readonly format: typeof JOB_FORMAT;
  readonly run: string;
  /** 1-based. */
  readonly chain: number;
  readonly density: WireDensity;
  /** The hashes of the coordinator's compiled density: the worker's must equal them. */
  readonly modelHash: string;
  readonly dataHash: string;
  readonly opts: ResolvedSampleOptions;
  readonly checkpointEvery: number;
  /** Start from this checkpoint (a resumed run's), unless the checkpoint store has a later one of this epoch. */
  readonly resume?: ChainCheckpoint;
  /** Which of the chain's jobs this is (0 when absent; see `epoch.ts`). */
  readonly epoch?: number;
}

/** A job checked and compiled: what a worker runs. */
export interface Job extends Omit<JobMessage, "format" | "density" | "epoch"> {
  readonly plain: PlainDensity;
  readonly epoch: number;
}

/** A job that cannot be run: malformed, oversized, for another sampo, or lying about its hash. */
export class JobError extends Error {
  override readonly name = "JobError";
  constructor(
    message: string,
    /** The job's run and chain, when they could be read (to tell its coordinator). */
    readonly run?: string,
    readonly chain?: number,
  ) {
    super(message);
  }
}

/** The bytes of a job. */
export function encodeJob(job: JobMessage): Uint8Array {
  return new TextEncoder().encode(losslessStringify(job));
}

const OPTION_TYPES: Readonly<Record<keyof ResolvedSampleOptions, "number" | "boolean" | "string" | "object">> = {
  chains: "number",
  draws: "number",
  warmup: "number",
  seed: "number",
  thin: "number",
  targetAccept: "number",
  maxDepth: "number",
  metric: "string",
  adapt: "string",
  saveWarmup: "boolean",
  reparam: "boolean",
  init: "object",
  initPoints: "object",
  initInvMetric: "object",
  initGradients: "number",
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Whether `x` is a number or a (nested, at most two deep) array of numbers: an initial value. */
const isNumeric = (x: unknown, depth = 0): boolean =>
  typeof x === "number" || (Array.isArray(x) && depth < 2 && x.every((v) => isNumeric(v, depth + 1)));

/** The sampling options of a job, checked as a user's would be (same checks, same messages). */
function checkOptions(x: unknown): ResolvedSampleOptions {
  if (!isRecord(x)) throw new Error("opts is not an object");
  for (const [key, value] of Object.entries(x)) {
    const want = OPTION_TYPES[key as keyof ResolvedSampleOptions] as string | undefined;
    if (want === undefined) throw new Error(`opts.${key} is not a sampling option`);
    // `init: "pathfinder"` stays in the options as a record of how initPoints were found.
    if (key === "init" && value === "pathfinder") continue;
    if (typeof value !== want || value === null) throw new Error(`opts.${key} is a ${typeof value}, not a ${want}`);
  }
  const optional = new Set(["init", "initPoints", "initInvMetric", "initGradients"]);
  for (const key of Object.keys(OPTION_TYPES)) if (!optional.has(key) && !(key in x)) throw new Error(`opts.${key} is missing`);
  for (const key of ["initPoints", "initInvMetric"] as const) {
    if (x[key] !== undefined && !(Array.isArray(x[key]) && isNumeric(x[key])))
      throw new Error(`opts.${key} is not an array of numbers${key === "initPoints" ? " per chain" : ""}`);
  }
  if (x.init !== undefined && x.init !== "pathfinder") {
    if (!isRecord(x.init)) throw new Error("opts.init is not initial values by site name");
    const init = x.init as Record<string, unknown>;
    for (const [name, v] of Object.entries(init))
      if (!isNumeric(v)) throw new Error(`opts.init.${name} is not a number or an array of numbers`);
  }
  const opts = x as unknown as ResolvedSampleOptions;
  return resolveOptions(opts);
}

/** A checkpoint's outline: a version (1: Stan's warm-up, 2: nutpie's), an iteration, a point; the chain checks the rest when it resumes. */
function checkCheckpoint(x: unknown, dim: number): ChainCheckpoint {
  if (!isRecord(x) || (x.version !== 1 && x.version !== 2)) throw new Error("resume is not a version 1 or 2 checkpoint");
  if (typeof x.iter !== "number" || !Number.isInteger(x.iter) || x.iter < 0) throw new Error("resume.iter is not a count");
  if (!Array.isArray(x.theta) || x.theta.length !== dim || !x.theta.every((v) => typeof v === "number")) {
    throw new Error(`resume.theta is not ${dim} numbers`);
  }
  return x as unknown as ChainCheckpoint;
}

/**
 * Reads a job: at most `maxBytes` bytes, every field checked, the density
 * compiled here and its hashes compared with the job's. Throws JobError
 * naming what is wrong (and the job's run and chain, when they could be read).
 */
export function decodeJob(bytes: Uint8Array, maxBytes: number): Job {
  if (bytes.length > maxBytes) throw new JobError(`job of ${bytes.length} bytes exceeds this worker's limit of ${maxBytes}`);
  let x: unknown;
  try {
    x = losslessParse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new JobError(`job is not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(x)) throw new JobError("job is not an object");
  const run = typeof x.run === "string" && isRunToken(x.run) ? x.run : undefined;
  const chain = typeof x.chain === "number" && Number.isInteger(x.chain) && x.chain >= 1 ? x.chain : undefined;
  const fail = (why: string): never => {
    throw new JobError(
      `job${run === undefined ? "" : ` of run ${run}`}${chain === undefined ? "" : `, chain ${chain}`}: ${why}`,
      run,
      chain,
    );
  };
  if (x.format !== JOB_FORMAT) fail(`format is ${JSON.stringify(x.format)}, expected ${JOB_FORMAT}`);
  const known = new Set(["format", "run", "chain", "density", "modelHash", "dataHash", "opts", "checkpointEvery", "resume", "epoch"]);
  for (const key of Object.keys(x)) if (!known.has(key)) fail(`unknown field ${JSON.stringify(key).slice(0, 80)}`);
  if (run === undefined) fail("run is not a run id (letters, digits, - and _)");
  if (chain === undefined) fail("chain is not a chain number");
  for (const key of ["modelHash", "dataHash"] as const) if (typeof x[key] !== "string") fail(`${key} is not a string`);
  const every = x.checkpointEvery;
  if (typeof every !== "number" || !Number.isInteger(every) || every < 1) fail("checkpointEvery is not a positive integer");
  const epoch = x.epoch ?? 0;
  if (typeof epoch !== "number" || !Number.isSafeInteger(epoch) || epoch < 0) fail("epoch is not a count");
  let opts: ResolvedSampleOptions;
  let plain: PlainDensity;
  let resume: ChainCheckpoint | undefined;
  try {
    opts = checkOptions(x.opts);
    if ((chain as number) > opts.chains) throw new Error(`chain ${chain} of a run of ${opts.chains} chains`);
    plain = plainFromWire(x.density);
    resume = x.resume === undefined ? undefined : checkCheckpoint(x.resume, plain.dim);
  } catch (e) {
    return fail(`${(e as Error).name === "Error" ? "" : `${(e as Error).name}: `}${(e as Error).message}`);
  }
  const hashes = { modelHash: modelHash(plain), dataHash: dataHash(plain) };
  for (const key of ["modelHash", "dataHash"] as const) {
    if (hashes[key] !== x[key])
      fail(`its density compiles here to ${key} ${hashes[key].slice(0, 12)}…, not ${String(x[key]).slice(0, 12)}…`);
  }
  return { run: run!, chain: chain!, plain, ...hashes, opts, checkpointEvery: every as number, resume, epoch: epoch as number };
}
