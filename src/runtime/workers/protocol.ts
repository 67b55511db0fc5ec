/**
 * What the supervisor and a chain worker say to each other, in Node's
 * worker threads and in a page's Web Workers alike. Everything is plain
 * data (structured clone): a job carries the compiled density as source and
 * arrays, never a closure.
 *
 * How the supervisor steers a running job (credits for the messages
 * consumed, a request to stop) depends on the host: a Node thread reads a
 * shared control array ({@link SharedControlJob}); a Web Worker gets
 * {@link WorkerCommand} messages, so that a page needs no cross-origin
 * isolation (SharedArrayBuffer).
 * @module
 */
import type { PlainDensity } from "../../codegen/density.ts";
import type { ChainCheckpoint } from "../../inference/chain.ts";
import type { ResolvedSampleOptions } from "../../inference/options.ts";
import { readStats, STAT_NAMES, writeStats } from "../../inference/draws.ts";
import type { DrawMessage, SampleMessage } from "../messages.ts";
import { packNumbers, toNumbers, unpackNumbers } from "../../numeric/arrays.ts";
import type { ReadReport } from "./readJob.ts";
import type { SummaryReport } from "./summaryJob.ts";

/**
 * A fault to inject, for tests of supervision: it fires on the given attempt
 * of a chain (0 = the first run, 1 = the first restart, …), at the draw of
 * iteration `iter`, or at the first draw whose values hash to 0 modulo
 * `hashModulo` (a fault derived from θ, reproducible run to run).
 *
 * - `"terminate"`: the supervisor calls `worker.terminate()` when that draw
 *   reaches it (the worker has usually run further by then);
 * - `"exit"`: the worker calls `process.exit(1)` right after computing it,
 *   dropping the messages it had not yet posted (a Web Worker, which cannot
 *   exit in a way its page sees, throws an uncaught error there instead);
 * - `"throw"`: the worker throws an uncaught error at that point.
 */
export interface Fault {
  readonly chain: number;
  readonly iter?: number;
  readonly hashModulo?: number;
  readonly how: "terminate" | "exit" | "throw";
  /** The attempt it fires on (0 when absent); `"every"` fires on every attempt. */
  readonly attempt?: number | "every";
}

/** A chain to run, sent to a worker. */
export interface WorkerJob {
  readonly type: "job";
  readonly plain: PlainDensity;
  readonly opts: ResolvedSampleOptions;
  readonly run: string;
  readonly chain: number;
  readonly resume?: ChainCheckpoint;
  readonly checkpointEvery: number;
  /** Pause when this many posted messages are not yet consumed. */
  readonly highWaterMark: number;
  /** 0 for the first run of the chain, then 1, 2, … for restarts. */
  readonly attempt: number;
  /** Worker-side faults of this chain (tests only). */
  readonly faults: readonly Fault[];
  /** Give the kept draws their Stan CSV rows (see `RunOptions.csvRows`). */
  readonly csvRows: boolean;
}

/** Slots of a Node job's shared control array (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** Messages of this job the consumer has taken so far (written by the supervisor's side). */
  consumed: 0,
  /** 1 when the chain should checkpoint and stop (written by the supervisor's side). */
  stop: 1,
} as const;

/** Length in Int32 of a job's control array. */
export const CONTROL_LENGTH = 2;

/** A job as a Node worker thread gets it: with the shared control array it reads while the chain runs. */
export interface SharedControlJob extends WorkerJob {
  /** The shared control array (see {@link CONTROL}). */
  readonly control: SharedArrayBuffer;
}

/**
 * What a page tells a Web Worker about its running job: how many of the
 * job's messages were consumed so far (a credit), or to checkpoint and stop.
 * Each names its job (run, chain, attempt), so that one arriving after the
 * job ended is ignored.
 */
export type WorkerCommand =
  | { readonly type: "credit"; readonly run: string; readonly chain: number; readonly attempt: number; readonly consumed: number }
  | { readonly type: "stop"; readonly run: string; readonly chain: number; readonly attempt: number };

/** A chain's checkpoint, placed in the stream after the messages it covers. */
export interface CheckpointItem {
  readonly type: "checkpoint";
  readonly chain: number;
  readonly checkpoint: ChainCheckpoint;
}

/**
 * A batch of a chain's items. Draws, nearly all of them, travel packed in
 * one Float64Array (see {@link BatchBuilder}): cloning a draw as an object
 * costs several µs on each side, more than a cheap model's iteration. The
 * other items (adapted, chainDone, checkpoints) travel as they are, with the
 * number of draws that precede them (between threads, checkpoints with their
 * arrays of numbers packed: {@link PostedBatch}).
 */
export interface PackedBatch {
  readonly type: "batch";
  /** Numbers per packed draw. */
  readonly width: number;
  readonly draws: Float64Array<ArrayBuffer>;
  /** Per packed draw, its Stan CSV row where it has one. */
  readonly csvRows: readonly (string | undefined)[];
  readonly others: readonly { readonly at: number; readonly item: Exclude<SampleMessage, DrawMessage> | CheckpointItem }[];
}

/**
 * A checkpoint as it crosses between threads: its arrays of numbers as
 * Float64Arrays ({@link packNumbers}), which a structured clone copies
 * whole. A warm-up's dense moments are d² numbers: cloned one by one, a
 * d = 100 checkpoint cost 3.4 ms to post and receive; packed, about 1.3 ms.
 */
export interface PostedCheckpoint {
  readonly type: "checkpoint";
  readonly chain: number;
  readonly packed: unknown;
}

/** A {@link PackedBatch} as a worker thread posts it: its checkpoints packed ({@link postable}, {@link received}). */
export interface PostedBatch extends Omit<PackedBatch, "others"> {
  readonly others: readonly { readonly at: number; readonly item: Exclude<SampleMessage, DrawMessage> | PostedCheckpoint }[];
}

/** What a worker reports: batches of messages and checkpoints in order, then how the job ended; or that it found no chunk of a summary left to take; or the files it read. */
export type WorkerReport =
  | PostedBatch
  | { readonly type: "end"; readonly outcome: "done" | "stopped" }
  | { readonly type: "failed"; readonly message: string }
  | SummaryReport
  | ReadReport;

/** The batch as a worker thread posts it, its checkpoints packed. */
export function postable(batch: PackedBatch): PostedBatch {
  const others = batch.others.map(({ at, item }) => ({
    at,
    item: item.type === "checkpoint" ? { type: item.type, chain: item.chain, packed: packNumbers(item.checkpoint) } : item,
  }));
  return { ...batch, others };
}

/** The batch a worker thread posted, its checkpoints plain again. */
export function received(batch: PostedBatch): PackedBatch {
  const others = batch.others.map(({ at, item }) => ({
    at,
    item:
      item.type === "checkpoint" ? { type: item.type, chain: item.chain, checkpoint: unpackNumbers(item.packed) as ChainCheckpoint } : item,
  }));
  return { ...batch, others };
}

/** Numbers before a packed draw's values: its iteration, its warm-up flag, its stats in STAT_NAMES order. */
export const HEAD = 2 + STAT_NAMES.length;

/** Collects a chain's items into a {@link PackedBatch}. */
export class BatchBuilder {
  private readonly width: number;
  private draws: Float64Array<ArrayBuffer>;
  private csvRows: (string | undefined)[] = [];
  private count = 0;
  private others: PackedBatch["others"][number][] = [];

  /** @param valueSize Values per draw. @param capacity Draws a batch holds before it must be taken. */
  constructor(valueSize: number, capacity: number) {
    this.width = HEAD + valueSize;
    this.draws = new Float64Array(capacity * this.width);
  }

  /** Items in the batch. */
  get length(): number {
    return this.count + this.others.length;
  }

  /** Adds an item; a draw is packed. */
  add(item: SampleMessage | CheckpointItem): void {
    if (item.type !== "draw") {
      this.others.push({ at: this.count, item });
      return;
    }
    if ((this.count + 1) * this.width > this.draws.length) {
      const grown = new Float64Array(2 * this.draws.length);
      grown.set(this.draws);
      this.draws = grown;
    }
    const d = this.draws;
    const o = this.count++ * this.width;
    d[o] = item.iter;
    d[o + 1] = item.warmup ? 1 : 0;
    writeStats(item.stats, d, o + 2);
    const values = item.values;
    for (let j = 0; j < values.length; j++) d[o + HEAD + j] = values[j];
    this.csvRows.push(item.csvRow);
  }

  /** The batch so far (then empty again); post it with its `draws.buffer` transferred. */
  take(): PackedBatch {
    const batch: PackedBatch = {
      type: "batch",
      width: this.width,
      draws: this.draws.slice(0, this.count * this.width),
      csvRows: this.csvRows,
      others: this.others,
    };
    this.count = 0;
    this.csvRows = [];
    this.others = [];
    return batch;
  }
}

/** The items of a batch, draws unpacked into the very messages the chain produced. */
export function unpackBatch(batch: PackedBatch, run: string, chain: number): (SampleMessage | CheckpointItem)[] {
  const { width, draws, csvRows, others } = batch;
  const n = draws.length / width;
  const out: (SampleMessage | CheckpointItem)[] = [];
  let next = 0;
  for (let i = 0; i <= n; i++) {
    while (next < others.length && others[next].at === i) out.push(others[next++].item);
    if (i === n) break;
    const o = i * width;
    const draw = {
      type: "draw",
      run,
      chain,
      iter: draws[o],
      warmup: draws[o + 1] === 1,
      values: toNumbers(draws.subarray(o + HEAD, o + width)),
      stats: readStats(draws, o + 2),
    } as const;
    const row = csvRows[i];
    out.push(row === undefined ? draw : { ...draw, csvRow: row });
  }
  return out;
}

/** A 32-bit FNV-1a hash of a draw's values (their bits), for faults derived from θ. */
export function valuesHash(values: readonly number[]): number {
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** Whether `fault` fires at this draw of this attempt. */
export function faultFires(fault: Fault, chain: number, attempt: number, iter: number, values: readonly number[]): boolean {
  if (fault.chain !== chain) return false;
  if (fault.attempt !== "every" && (fault.attempt ?? 0) !== attempt) return false;
  if (fault.iter !== undefined) return fault.iter === iter;
  return fault.hashModulo !== undefined && valuesHash(values) % fault.hashModulo === 0;
}
