/**
 * A sink writing the run of a method other than NUTS to a directory:
 * `<method>.csv` as CmdStan writes it for that method (see
 * `io/stanCsv/method.ts`), `run.json` (the manifest, and the method's
 * figures once it is done: SMC's log evidence among them) and
 * `summary.json`. The draws of these methods come at the end of the run,
 * so the file is written whole when the `result` message arrives.
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { losslessStringify } from "../losslessJson.ts";
import { summaryRecord } from "../inference/diagnostics/report.ts";
import { summarizeInThreads } from "./summaryInThreads.ts";
import { METHOD_COLUMNS, methodCsv, type MethodCsvRow } from "../io/stanCsv/method.ts";
import { SAMPO_VERSION } from "../version.ts";
import { DrawCollector } from "./collect.ts";
import type { RunManifest } from "./drawLog.ts";
import { writeAtomically } from "./runFiles.ts";
import type { SampleMessage, StartMessage } from "./messages.ts";

/** Writes a method's run into `dir` (created if missing). */
export class MethodDirectory {
  private start: StartMessage | undefined;
  private manifest: RunManifest | undefined;
  private readonly rows: MethodCsvRow[] = [];
  private readonly columns = new Set<string>();
  private readonly collector = new DrawCollector();

  /**
   * @param dir The directory.
   * @param model The model's name in the CSV header and manifest (its file).
   * @param source The model and data files, recorded in run.json.
   */
  constructor(
    readonly dir: string,
    readonly model: string,
    private readonly source: { readonly modelPath?: string; readonly dataPath?: string } = {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Takes one message of the run. */
  add(msg: SampleMessage): void {
    switch (msg.type) {
      case "start":
        if (msg.method === undefined) throw new Error(`${this.dir}: a NUTS run goes to a RunDirectory, not a MethodDirectory`);
        this.start = msg;
        this.manifest = {
          sampoVersion: SAMPO_VERSION,
          run: msg.run,
          model: this.model,
          modelHash: msg.modelHash,
          dataHash: msg.dataHash,
          created: new Date().toISOString(),
          settings: msg.settings,
          centering: msg.centering,
          method: msg.method,
          methodSettings: msg.methodSettings,
          ...this.source,
        };
        this.writeManifest();
        this.collector.add(msg);
        break;
      case "draw":
        for (const c of Object.keys(msg.columns ?? {})) this.columns.add(c);
        this.rows.push({ columns: msg.columns ?? {}, values: msg.values });
        this.collector.add(msg);
        break;
      case "result":
        this.finish(msg.info, msg.warnings);
        this.collector.add(msg);
        break;
      case "error":
        // A method's run ends at its error, with no draws: run.json says why, so no reader waits for them.
        this.manifest = { ...this.manifest!, failure: msg.message };
        this.writeManifest();
        break;
      case "done": {
        this.collector.add(msg);
        const { start, chains } = this.collector.result();
        writeAtomically(
          join(this.dir, "summary.json"),
          `${JSON.stringify(summaryRecord(summarizeInThreads(start.valueLayout, chains)), null, 2)}\n`,
        );
        break;
      }
      default:
        break;
    }
  }

  /** Writes the CSV file and the manifest with the method's figures. */
  private finish(info: Readonly<Record<string, unknown>>, warnings: readonly string[]): void {
    const start = this.start!;
    const method = start.method!;
    const columns = method === "smc" ? [...this.columns] : METHOD_COLUMNS[method];
    // CmdStan's variational file starts with the approximation's mean.
    const mean = method === "variational" && Array.isArray(info.mean) ? [{ columns: {}, values: info.mean as number[] }] : [];
    const text = methodCsv(
      { model: this.model, method, seed: start.settings.seed, settings: start.methodSettings ?? {} },
      start.valueLayout,
      columns,
      [...mean, ...this.rows],
    );
    writeAtomically(join(this.dir, `${method}.csv`), text);
    this.manifest = { ...this.manifest!, result: { info, warnings } };
    this.writeManifest();
  }

  private writeManifest(): void {
    // Lossless: a method's figures may be infinite (a k̂ of Infinity, a log evidence of −Infinity).
    writeAtomically(join(this.dir, "run.json"), `${losslessStringify(this.manifest)}\n`);
  }
}
