/**
 * A sink writing a run to a directory as it happens: `chain-<k>.csv` in
 * Stan's layout (rows appended as draws arrive), `run.json` (the manifest)
 * at the start, `summary.json` at the end.
 * @module
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DrawCollector } from "../inference/collect.ts";
import { summarize, summaryRecord } from "../inference/report.ts";
import { csvAdaptation, csvElapsed, csvHeader, csvRow, SAMPO_VERSION } from "../io/stanCsv/index.ts";
import type { SampleMessage, StartMessage } from "./messages.ts";

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
}

/** Writes a run's files into `dir` (created if missing). */
export class RunDirectory {
  private start: StartMessage | undefined;
  private readonly files = new Map<number, number>();
  private readonly collector = new DrawCollector();

  constructor(
    readonly dir: string,
    /** The model's name in the CSV header and manifest (its file). */
    readonly model: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private file(chain: number): number {
    let fd = this.files.get(chain);
    if (fd === undefined) {
      const start = this.start!;
      const s = start.settings;
      fd = openSync(join(this.dir, `chain-${chain}.csv`), "w");
      writeSync(fd, csvHeader({
        model: this.model, chain, seed: s.seed, warmup: s.warmup, draws: s.draws, saveWarmup: s.saveWarmup, thin: s.thin,
        adaptDelta: s.targetAccept, maxTreeDepth: s.maxDepth, metric: s.metric === "dense" ? "dense_e" : "diag_e",
      }, start.valueLayout));
      this.files.set(chain, fd);
    }
    return fd;
  }

  /** Takes one message of the run. */
  add(msg: SampleMessage): void {
    if (msg.type === "error") {
      this.close();
      return;
    }
    this.collector.add(msg);
    switch (msg.type) {
      case "start": {
        this.start = msg;
        const manifest: RunManifest = {
          sampoVersion: SAMPO_VERSION, run: msg.run, model: this.model, modelHash: msg.modelHash, dataHash: msg.dataHash,
          created: new Date().toISOString(), settings: msg.settings, centering: msg.centering,
        };
        writeFileSync(join(this.dir, "run.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        break;
      }
      case "draw":
        if (!msg.warmup || this.start!.settings.saveWarmup) writeSync(this.file(msg.chain), csvRow(msg.stats, msg.values, this.start!.valueLayout));
        break;
      case "adapted":
        writeSync(this.file(msg.chain), csvAdaptation(msg));
        break;
      case "chainDone":
        writeSync(this.file(msg.chain), csvElapsed(msg.elapsed.warmup, msg.elapsed.sampling));
        break;
      case "done": {
        const { start, chains } = this.collector.result();
        writeFileSync(join(this.dir, "summary.json"), `${JSON.stringify(summaryRecord(summarize(start.valueLayout, chains)), null, 2)}\n`);
        this.close();
        break;
      }
    }
  }

  /** Closes every open file. */
  close(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }
}
