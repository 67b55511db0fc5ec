/**
 * A sink writing a run to a directory as it happens: `chain-<k>.csv` in
 * Stan's layout (rows appended and handed to the OS as draws arrive),
 * `checkpoint-<k>.json` beside each (see drawLog.ts), `run.json` (the
 * manifest, with what resuming needs) at the start, `summary.json` at the end.
 * @module
 */
import { closeSync, fsyncSync, mkdirSync, openSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { ChainCheckpoint } from "../inference/chain.ts";
import type { SampleOptions } from "../inference/options.ts";
import { summarize, summaryRecord } from "../inference/diagnostics/report.ts";
import { csvAdaptation, csvElapsed, csvHeader, csvRow } from "../io/stanCsv/index.ts";
import { SAMPO_VERSION } from "../version.ts";
import { chainsOnDisk, csvPath, type RunManifest, type RunOnDisk, writeAtomically, writeCheckpointFile } from "./drawLog.ts";
import type { SampleMessage, StartMessage } from "./messages.ts";

/** What a {@link RunDirectory} records in `run.json` besides the start message, for `--resume`. */
export interface RunSource {
  readonly modelPath: string;
  readonly dataPath?: string;
  readonly init?: SampleOptions["init"];
  readonly checkpointEvery: number;
}

/** An open chain file and how many bytes it holds. */
interface ChainFile {
  readonly fd: number;
  bytes: number;
}

/** Writes a run's files into `dir` (created if missing). */
export class RunDirectory {
  private start: StartMessage | undefined;
  private readonly files = new Map<number, ChainFile>();

  /**
   * @param dir The directory.
   * @param model The model's name in the CSV header and manifest (its file).
   * @param source What resuming needs (recorded in run.json).
   * @param resuming The interrupted run this one continues: its run.json is
   *   kept, each CSV with a checkpoint is cut back to it and appended to,
   *   the others are written afresh.
   */
  constructor(
    readonly dir: string,
    readonly model: string,
    private readonly source?: RunSource,
    private readonly resuming?: RunOnDisk,
  ) {
    mkdirSync(dir, { recursive: true });
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
        truncateSync(path, cp.csvBytes);
        this.files.set(k, { fd: openSync(path, "a"), bytes: cp.csvBytes });
        continue;
      }
      this.files.set(k, { fd: openSync(path, "w"), bytes: 0 });
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
    writeSync(f.fd, text);
    f.bytes += Buffer.byteLength(text);
  }

  /** Takes one message of the run. */
  add(msg: SampleMessage): void {
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
          writeAtomically(join(this.dir, "run.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        }
        this.open(msg);
        break;
      }
      case "draw":
        if (!msg.warmup || this.start!.settings.saveWarmup) this.write(msg.chain, csvRow(msg.stats, msg.values, this.start!.valueLayout));
        break;
      case "adapted":
        this.write(msg.chain, csvAdaptation(msg));
        break;
      case "chainDone": {
        this.write(msg.chain, csvElapsed(msg.elapsed.warmup, msg.elapsed.sampling));
        writeCheckpointFile(this.dir, {
          format: "sampo.checkpoint/1",
          run: msg.run,
          chain: msg.chain,
          csvBytes: this.files.get(msg.chain)!.bytes,
          done: true,
        });
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
   */
  checkpoint(chain: number, state: ChainCheckpoint): void {
    const f = this.files.get(chain);
    if (f === undefined || this.start === undefined) return;
    writeCheckpointFile(this.dir, { format: "sampo.checkpoint/1", run: this.start.run, chain, csvBytes: f.bytes, done: false, state });
  }

  /** summary.json from the chain files as written, so that a resumed run's earlier rows count too. */
  private writeSummary(): void {
    const start = this.start!;
    const chains = chainsOnDisk(this.dir, start.settings.chains);
    writeFileSync(join(this.dir, "summary.json"), `${JSON.stringify(summaryRecord(summarize(start.valueLayout, chains)), null, 2)}\n`);
  }

  /** Flushes every open file to disk and closes it. */
  close(): void {
    for (const { fd } of this.files.values()) {
      fsyncSync(fd);
      closeSync(fd);
    }
    this.files.clear();
  }
}
