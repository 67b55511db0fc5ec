/**
 * Collects the messages of a run into per-chain columns, keeping warm-up
 * draws only when the run saves them.
 * @module
 */
import { SamplerError } from "../errors.ts";
import type { ResultMessage, SampleMessage, StartMessage } from "./messages.ts";
import type { Adaptation, ChainDraws } from "../inference/draws.ts";
import { DrawColumns } from "./drawColumns.ts";
import { isKept, rowsAfter } from "./keptRows.ts";

interface Columns {
  warmup: number;
  /** Made at the chain's first kept draw, with room for all it will keep. */
  draws?: DrawColumns;
  adaptation?: Adaptation;
  elapsed?: { warmup: number; sampling: number };
  /** A method's own per-draw columns (absent for NUTS). */
  readonly extra: Map<string, number[]>;
}

/** What a run's messages add up to. */
export interface CollectedRun {
  readonly start: StartMessage;
  /** Every chain's draws, in chain order. */
  readonly chains: ChainDraws[];
  /** A method's own per-draw columns, per chain in chain order (empty records for NUTS). */
  readonly columns: Record<string, Float64Array>[];
  /** A method's outcome (absent for NUTS). */
  readonly result?: ResultMessage;
}

/** Builds {@link ChainDraws} from a run's messages. */
export class DrawCollector {
  private start: StartMessage | undefined;
  private readonly chains = new Map<number, Columns>();
  private finished = false;
  private outcome: ResultMessage | undefined;

  private columns(chain: number): Columns {
    let c = this.chains.get(chain);
    if (c === undefined) {
      c = { warmup: 0, extra: new Map() };
      this.chains.set(chain, c);
    }
    return c;
  }

  /** A chain's draw columns; with `room`, room for the draws the run's settings say a chain keeps. */
  private drawColumns(room: boolean): DrawColumns {
    const size = this.start?.valueLayout.reduce((n, e) => n + e.size, 0) ?? 0;
    const s = this.start?.settings;
    return new DrawColumns(size, room && s !== undefined ? rowsAfter(s.warmup + s.draws, s) : 0);
  }

  /** Takes one message; an `error` message throws. */
  add(msg: SampleMessage): void {
    switch (msg.type) {
      case "start":
        this.start = msg;
        break;
      case "draw": {
        if (!isKept(msg.warmup, { saveWarmup: this.start?.settings.saveWarmup === true })) break;
        const c = this.columns(msg.chain);
        if (msg.warmup) c.warmup++;
        c.draws ??= this.drawColumns(true);
        c.draws.push(msg.values, msg.stats);
        if (msg.columns !== undefined) {
          for (const [name, x] of Object.entries(msg.columns)) {
            const col = c.extra.get(name) ?? [];
            col.push(x);
            c.extra.set(name, col);
          }
        }
        break;
      }
      case "adapted":
        this.columns(msg.chain).adaptation = { stepSize: msg.stepSize, invMetric: msg.invMetric };
        break;
      case "chainDone":
        this.columns(msg.chain).elapsed = msg.elapsed;
        break;
      case "result":
        this.outcome = msg;
        break;
      case "done":
        this.finished = true;
        break;
      case "error":
        throw new SamplerError(msg.chain, msg.message);
    }
  }

  /** The start message, every chain's draws in chain order, and a method's columns and outcome. */
  result(): CollectedRun {
    if (this.start === undefined || !this.finished) throw new SamplerError(undefined, "the run ended before its done message");
    const sorted = [...this.chains.entries()].sort(([a], [b]) => a - b);
    const columns = sorted.map(([, c]) => Object.fromEntries([...c.extra].map(([name, col]) => [name, Float64Array.from(col)])));
    const chains = sorted.map(([chain, c]): ChainDraws => {
      const draws = c.draws ?? this.drawColumns(false);
      return {
        chain,
        warmup: c.warmup,
        draws: draws.length - c.warmup,
        // Copies cut to length: the columns' spare room is not kept with the fit.
        ...draws.draws((column) => column.slice(0, draws.length)),
        adaptation: c.adaptation,
        elapsed: c.elapsed,
      };
    });
    return { start: this.start, chains, columns, result: this.outcome };
  }
}
