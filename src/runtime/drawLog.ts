/**
 * The draw log's checkpoint files and the reading of an interrupted run
 * directory back, for `sampo sample --resume`.
 *
 * Beside `chain-<k>.csv`, the run directory holds `checkpoint-<k>.json`:
 * ```json
 * { "format": "sampo.checkpoint/1", "run": "…", "chain": 1,
 *   "csvBytes": 48213, "done": false, "state": { …ChainCheckpoint… } }
 * ```
 * `csvBytes` is the length chain-<k>.csv had when the state was taken: its
 * rows are exactly the draws up to the state's iteration. Resuming cuts the
 * CSV back to that length (dropping later rows and a line cut mid-write)
 * and continues the chain from the state. A finished chain's file says
 * `"done": true` and has no state. Each file is replaced atomically (written
 * to a temporary file, then renamed), so it is always one whole version.
 * Numbers are written losslessly: JSON has no -0, NaN or ±Infinity, so
 * those are written as `{ "$num": "-0" }` and the like. A `checksum` field
 * (SHA-256 of the rest) catches damage; resumeFiles.ts checks what is read.
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChainCheckpoint } from "../inference/chain.ts";
import type { ChainDraws } from "../inference/draws.ts";
import { readStanCsvFile } from "../io/stanCsv/file.ts";
import type { SampleOptions } from "../inference/options.ts";
import type { StartMessage } from "./messages.ts";
import type { ResumeFrom } from "./run.ts";
import { checkCheckpointCsv, parseCheckpoint, parseManifest, sealCheckpoint } from "./resumeFiles.ts";
import { nodeFs, type RunFs, writeAtomically } from "./runFiles.ts";

/** What `run.json` records. */
export interface RunManifest {
  readonly sampoVersion: string;
  readonly run: string;
  readonly model: string;
  readonly modelHash: string;
  readonly dataHash: string;
  readonly created: string;
  readonly settings: StartMessage["settings"];
  readonly centering: StartMessage["centering"];
  /** The model file's absolute path (for `--resume`). */
  readonly modelPath?: string;
  /** The data file's absolute path, when the data came from one (for `--resume`). */
  readonly dataPath?: string;
  /** Initial values given, if any (for `--resume`: chains that never checkpointed start from them again). */
  readonly init?: SampleOptions["init"];
  /** The checkpoint interval in iterations. */
  readonly checkpointEvery?: number;
  /** A method other than NUTS, and its settings (its draws are in `<method>.csv`). */
  readonly method?: StartMessage["method"];
  readonly methodSettings?: StartMessage["methodSettings"];
  /** A method's figures (e.g. SMC's `logEvidence` and `logEvidenceSe`) and warnings, once it is done. */
  readonly result?: { readonly info: Readonly<Record<string, unknown>>; readonly warnings: readonly string[] };
  /** Why a method's run failed or stopped (it then wrote no draws). */
  readonly failure?: string;
}

/** The format tag of checkpoint files. */
export const CHECKPOINT_FORMAT = "sampo.checkpoint/1";

/** The content of `checkpoint-<k>.json`. */
export interface CheckpointFile {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly run: string;
  /** 1-based. */
  readonly chain: number;
  /** Bytes of chain-<k>.csv covered by the state. */
  readonly csvBytes: number;
  /** Whether the chain finished (its CSV is complete). */
  readonly done: boolean;
  /** The chain's exact state (absent once done). */
  readonly state?: ChainCheckpoint;
}

/** The path of chain k's CSV file in `dir`. */
export const csvPath = (dir: string, chain: number): string => join(dir, `chain-${chain}.csv`);

/** Chains 1…`chains` of a run directory, read back from their CSV files (a resumed run's earlier rows are only there). */
export function chainsOnDisk(dir: string, chains: number): ChainDraws[] {
  return Array.from({ length: chains }, (_, i) => readStanCsvFile(csvPath(dir, i + 1)).chain);
}

/** The path of chain k's checkpoint file in `dir`. */
export const checkpointPath = (dir: string, chain: number): string => join(dir, `checkpoint-${chain}.json`);

/** Writes chain k's checkpoint file (atomically: a full disk leaves the previous one whole). */
export function writeCheckpointFile(dir: string, file: CheckpointFile, fs: RunFs = nodeFs): void {
  writeAtomically(checkpointPath(dir, file.chain), sealCheckpoint(file), fs);
}

/** Reads chain k's checkpoint file; undefined when the chain never checkpointed. */
export function readCheckpointFile(dir: string, chain: number): CheckpointFile | undefined {
  const path = checkpointPath(dir, chain);
  if (!existsSync(path)) return undefined;
  return parseCheckpoint(readFileSync(path, "utf8"), path, { format: CHECKPOINT_FORMAT, chain }) as CheckpointFile;
}

/** An interrupted run as found on disk. */
export interface RunOnDisk {
  readonly manifest: RunManifest;
  /** Per chain that checkpointed: its checkpoint file. Chains not listed start afresh. */
  readonly checkpoints: ReadonlyMap<number, CheckpointFile>;
}

/**
 * Reads an interrupted run's manifest and checkpoints, checking that the
 * files are whole (resumeFiles.ts) and agree (same run, each CSV holding
 * the rows its checkpoint says); changes nothing on disk.
 *
 * @throws RunFileError or StanCsvError naming a damaged file; Error, in
 *   words, when there is nothing to resume or the files disagree.
 */
export function readRun(dir: string): RunOnDisk {
  const manifestPath = join(dir, "run.json");
  if (!existsSync(manifestPath))
    throw new Error(`cannot resume: ${manifestPath} does not exist (the run never started; sample without --resume)`);
  const manifest = parseManifest(readFileSync(manifestPath, "utf8"), manifestPath) as RunManifest;
  const checkpoints = new Map<number, CheckpointFile>();
  for (let k = 1; k <= manifest.settings.chains; k++) {
    const file = readCheckpointFile(dir, k);
    if (file === undefined) continue;
    if (file.run !== manifest.run || file.chain !== k)
      throw new Error(`cannot resume: ${checkpointPath(dir, k)} belongs to another run or chain`);
    const csv = existsSync(csvPath(dir, k)) ? readFileSync(csvPath(dir, k)) : new Uint8Array(0);
    checkCheckpointCsv(csv, csvPath(dir, k), { ...manifest.settings, csvBytes: file.csvBytes, done: file.done, iter: file.state?.iter });
    checkpoints.set(k, file);
  }
  return { manifest, checkpoints };
}

/** What `sampleStream` needs to continue a run read with {@link readRun}. */
export function resumeFrom({ manifest, checkpoints }: RunOnDisk): ResumeFrom {
  const chains = new Map<number, ChainCheckpoint | "done">();
  for (const [k, file] of checkpoints) chains.set(k, file.done ? "done" : file.state!);
  return { run: manifest.run, modelHash: manifest.modelHash, dataHash: manifest.dataHash, chains };
}
