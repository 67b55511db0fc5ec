/**
 * The draw message protocol (version 1): every consumer of a run — the Fit,
 * the CSV files, progress bars, later the dashboard and NATS — reads these
 * messages and nothing else.
 * @module
 */
import type { Adaptation, DrawStats } from "../inference/draws.ts";
import type { LayoutEntry, ValueLayout } from "../tensor/layout.ts";
import type { FitSettings } from "../inference/options.ts";
import type { EngineProgress } from "../inference/engine.ts";

/** The protocol version carried by `start`. */
export const PROTOCOL_VERSION = 1;

/** The inference methods whose runs speak this protocol: NUTS chains, and the engines after it. */
export type MethodName = "sample" | "optimize" | "laplace" | "variational" | "pathfinder" | "smc";

/** A run begins: what its draws mean. */
export interface StartMessage {
  readonly type: "start";
  readonly version: typeof PROTOCOL_VERSION;
  readonly run: string;
  /**
   * The method, named as CmdStan names it (its CSV file is `<method>.csv`);
   * absent for NUTS chains ("sample"). For the other methods the draws are
   * independent (or importance-resampled) draws of an approximation, sent
   * as chain 1 (SMC: one "chain" per independent run) after warm-up.
   */
  readonly method?: Exclude<MethodName, "sample">;
  /** The method's own options, resolved (absent for NUTS, whose options are `settings`). */
  readonly methodSettings?: Readonly<Record<string, unknown>>;
  /** Layout of `values` in draw messages: constrained, parameters then deterministics. */
  readonly valueLayout: ValueLayout;
  /** The unconstrained parameter layout of the compiled density. */
  readonly layout: readonly LayoutEntry[];
  readonly settings: FitSettings;
  readonly modelHash: string;
  readonly dataHash: string;
  /**
   * The centering λ chosen for each reparameterized site (1 = centered,
   * 0 = non-centered: as written for a site written centered, λ = 1, for a
   * standard normal written non-centered, λ = 0), one per element; empty
   * when sampling as written.
   */
  readonly centering: Readonly<Record<string, number[]>>;
}

/** One iteration of one chain. */
export interface DrawMessage {
  readonly type: "draw";
  readonly run: string;
  /** 1-based. */
  readonly chain: number;
  /** 1 … warmup + draws, unique within a chain. */
  readonly iter: number;
  readonly warmup: boolean;
  /** Constrained values in `valueLayout` order. */
  readonly values: number[];
  /** NUTS's statistics; the other methods fill `lp` and leave the rest NaN (divergent false). */
  readonly stats: DrawStats;
  /** The method's own per-draw columns, named as in its CSV file (e.g. `lp_approx__`, `log_g__`); absent for NUTS. */
  readonly columns?: Readonly<Record<string, number>>;
  /**
   * The draw's row of its chain's Stan CSV file, newline included, formatted
   * where the chain ran: present on the draws a run directory keeps when the
   * run was asked for them (`csvRows`).
   */
  readonly csvRow?: string;
}

/** A chain finished warm-up with this adaptation. */
export interface AdaptedMessage extends Adaptation {
  readonly type: "adapted";
  readonly run: string;
  readonly chain: number;
}

/** A chain finished. */
export interface ChainDoneMessage {
  readonly type: "chainDone";
  readonly run: string;
  readonly chain: number;
  /** Seconds spent in warm-up and in sampling. */
  readonly elapsed: { readonly warmup: number; readonly sampling: number };
}

/** An engine's progress (the methods after NUTS): what it is doing and the figures worth showing. */
export interface ProgressMessage extends EngineProgress {
  readonly type: "progress";
  readonly run: string;
}

/** A method's outcome beyond its draws (sent before `done`): e.g. k̂, the ELBO's trace, the log evidence, the mode. */
export interface ResultMessage {
  readonly type: "result";
  readonly run: string;
  readonly method: Exclude<MethodName, "sample">;
  /** Plain JSON (non-finite numbers survive the codec). */
  readonly info: Readonly<Record<string, unknown>>;
  /** Warnings in words (a large k̂, no convergence, …). */
  readonly warnings: readonly string[];
}

/** The run finished; always the last message of a successful run. */
export interface DoneMessage {
  readonly type: "done";
  readonly run: string;
}

/** The run (or one chain) failed. */
export interface ErrorMessage {
  readonly type: "error";
  readonly run: string;
  readonly chain?: number;
  readonly message: string;
}

/** Any message of a run. */
export type SampleMessage =
  StartMessage | DrawMessage | AdaptedMessage | ChainDoneMessage | ProgressMessage | ResultMessage | DoneMessage | ErrorMessage;
