/**
 * A sink writing a run to a directory as it happens: `chain-<k>.csv` in
 * Stan's layout (rows appended and handed to the OS as draws arrive),
 * `checkpoint-<k>.json` beside each (see drawLog.ts), `run.json` (the
 * manifest, with what resuming needs) at the start, `summary.json` at the end.
 * A write that fails (a full disk) throws a {@link RunWriteError} naming the
 * file: the run stops there, with every checkpoint whole and never ahead of
 * its CSV, so `--resume` continues it once the disk has room again.
 * @module
 */
import { join } from "node:path";
import type { ChainCheckpoint } from "../inference/chain.ts";
import type { ChainDraws } from "../inference/draws.ts";
import { DrawCollector } from "./collect.ts";
import { isKept } from "./keptRows.ts";
import type { SampleOptions } from "../inference/options.ts";
import { summaryRecord } from "../inference/diagnostics/report.ts";
import { summarizeInThreads } from "./summaryInThreads.ts";
import { csvAdaptation, csvElapsed, csvHeader, csvRow } from "../io/stanCsv/index.ts";
import { SAMPO_VERSION } from "../version.ts";
import { chainsOnDisk, csvPath, type RunManifest, type RunOnDisk, writeCheckpointFile } from "./drawLog.ts";
import type { SampleMessage, StartMessage } from "./messages.ts";
import { nodeFs, type RunFs, RunWriteError, writeAll, writeAtomically, writing } from "./runFiles.ts";

/** What a {@link RunDirectory} records in `run.json` besides the start message, for `--resume`. */
export interface RunSource {
  readonly modelPath: string;
  readonly dataPath?: string;
  readonly init?: SampleOptions["init"];
  readonly checkpointEvery: number;
}

/** An open chain file, its path and how many bytes it holds. */
interface ChainFile {
  readonly fd: number;
  readonly path: string;
  bytes: number;
}

/** Writes a run's files into `dir` (created if missing). */
export class RunDirectory {
  private start: StartMessage | undefined;
  private readonly files = new Map<number, ChainFile>();
  /** Set once a write failed: the files are then closed without flushing, and nothing more is written. */
  private failed = false;
  /** A fresh run's draws as they streamed, which its files hold digit for digit; a resumed run's earlier rows are in the files only. */
  private readonly streamed: DrawCollector | undefined;
  private written: readonly ChainDraws[] | undefined;

  /**
   * @param dir The directory.
   * @param model The model's name in the CSV header and manifest (its file).
   * @param source What resuming needs (recorded in run.json).
   * @param resuming The interrupted run this one continues: its run.json is
   *   kept, each CSV with a checkpoint is cut back to it and appended to,
   *   the others are written afresh.
   * @param fs The file system written to (a test's faulty disk; node:fs by default).
   * @throws RunWriteError when the directory cannot be created.
   */
  constructor(
    readonly dir: string,
    readonly model: string,
    private readonly source?: RunSource,
    private readonly resuming?: RunOnDisk,
    private readonly fs: RunFs = nodeFs,
  ) {
    writing(dir, () => fs.mkdirSync(dir, { recursive: true }));
    this.streamed = resuming === undefined ? new DrawCollector() : undefined;
  }

  /** Opens every chain's file at the start: a chain's header is there even before its first row. */
  private open(start: StartMessage): void {
    const s = start.settings;
    for (let k = 1; k <= s.chains; k++) {
      const path = csvPath(this.dir, k);
      const cp = this.resuming?.checkpoints.get(k);
      if (cp?.done === true) continue;
      if (cp !== undefined) {
        // Rows after the checkpoint (and a line cut mid-write) will be written again.
        const fd = writing(path, () => {
          this.fs.truncateSync(path, cp.csvBytes);
          return this.fs.openSync(path, "a");
        });
        this.files.set(k, { fd, path, bytes: cp.csvBytes });
        continue;
      }
      this.files.set(k, { fd: writing(path, () => this.fs.openSync(path, "w")), path, bytes: 0 });
      this.write(
        k,
        csvHeader(
          {
            model: this.model,
            chain: k,
            seed: s.seed,
            warmup: s.warmup,
            draws: s.draws,
            saveWarmup: s.saveWarmup,
            thin: s.thin,
            adaptDelta: s.targetAccept,
            maxTreeDepth: s.maxDepth,
            metric: s.metric === "dense" ? "dense_e" : "diag_e",
          },
          start.valueLayout,
        ),
      );
    }
  }

  private write(chain: number, text: string): void {
    const f = this.files.get(chain);
    if (f === undefined) throw new Error(`${this.dir}: a message for chain ${chain}, which has no open file`);
    const bytes = Buffer.from(text);
    writeAll(this.fs, f.fd, f.path, bytes);
    f.bytes += bytes.length;
  }

  /**
   * Takes one message of the run.
   * @throws RunWriteError when a file cannot be written; the directory takes nothing more.
   */
  add(msg: SampleMessage): void {
    this.guarded(() => this.take(msg));
  }

  /** Runs a write; after one failed, none runs (a later one could record rows or checkpoints past the gap). */
  private guarded(write: () => void): void {
    if (this.failed) return;
    try {
      write();
    } catch (e) {
      this.failed = true;
      // What was written stays consistent with the checkpoints: the error says how to go on.
      throw e instanceof RunWriteError && !e.resumable ? new RunWriteError(e.path, e.code, e.cause, true) : e;
    }
  }

  private take(msg: SampleMessage): void {
    if (msg.type !== "error") this.streamed?.add(msg);
    switch (msg.type) {
      case "start": {
        this.start = msg;
        if (this.resuming !== undefined) {
          if (msg.run !== this.resuming.manifest.run)
            throw new Error(`${this.dir}: resuming run ${this.resuming.manifest.run}, got messages of run ${msg.run}`);
        } else {
          const manifest: RunManifest = {
            sampoVersion: SAMPO_VERSION,
            run: msg.run,
            model: this.model,
            modelHash: msg.modelHash,
            dataHash: msg.dataHash,
            created: new Date().toISOString(),
            settings: msg.settings,
            centering: msg.centering,
            ...this.source,
          };
          writeAtomically(join(this.dir, "run.json"), `${JSON.stringify(manifest, null, 2)}\n`, this.fs);
        }
        this.open(msg);
        break;
      }
      case "draw":
        // A row formatted where the chain ran (`csvRows`) is written as it is.
        if (isKept(msg.warmup, this.start!.settings))
          this.write(msg.chain, msg.csvRow ?? csvRow(msg.stats, msg.values, this.start!.valueLayout));
        break;
      case "adapted":
        this.write(msg.chain, csvAdaptation(msg));
        break;
      case "chainDone": {
        this.write(msg.chain, csvElapsed(msg.elapsed.warmup, msg.elapsed.sampling));
        writeCheckpointFile(
          this.dir,
          { format: "sampo.checkpoint/1", run: msg.run, chain: msg.chain, csvBytes: this.files.get(msg.chain)!.bytes, done: true },
          this.fs,
        );
        break;
      }
      case "done":
        this.close();
        this.writeSummary();
        break;
      case "error":
        this.close();
        break;
    }
  }

  /**
   * Takes a chain's checkpoint (`sampleStream`'s `onCheckpoint`): every row
   * it covers has been written, so the CSV's current length goes with it.
   * @throws RunWriteError when the file cannot be written (the previous one stays whole).
   */
  checkpoint(chain: number, state: ChainCheckpoint): void {
    const f = this.files.get(chain);
    if (f === undefined || this.start === undefined) return;
    const file = { format: "sampo.checkpoint/1", run: this.start.run, chain, csvBytes: f.bytes, done: false, state } as const;
    this.guarded(() => writeCheckpointFile(this.dir, file, this.fs));
  }

  /**
   * The chains as their files hold them, once the run is done: a fresh
   * run's draws as they streamed (without reading the files back); a
   * resumed run's read from its files, the earlier rows included.
   */
  chainsWritten(): readonly ChainDraws[] {
    this.written ??= this.streamed?.result().chains ?? chainsOnDisk(this.dir, this.start!.settings.chains);
    return this.written;
  }

  /** summary.json of the chains as written, so that a resumed run's earlier rows count too. */
  private writeSummary(): void {
    const rows = summarizeInThreads(this.start!.valueLayout, this.chainsWritten());
    const summary = `${JSON.stringify(summaryRecord(rows), null, 2)}\n`;
    writeAtomically(join(this.dir, "summary.json"), summary, this.fs);
  }

  /**
   * Flushes every open file to disk and closes it (after a failed write,
   * closes them unflushed: resuming cuts them back to their checkpoints).
   * @throws RunWriteError when a file cannot be flushed; every file is closed regardless.
   */
  close(): void {
    let error: RunWriteError | undefined;
    for (const { fd, path } of this.files.values()) {
      try {
        writing(path, () => {
          try {
            if (!this.failed) this.fs.fsyncSync(fd);
          } finally {
            this.fs.closeSync(fd);
          }
        });
      } catch (e) {
        error ??= e as RunWriteError;
      }
    }
    this.files.clear();
    if (error !== undefined) {
      this.failed = true;
      throw error;
    }
  }
}
