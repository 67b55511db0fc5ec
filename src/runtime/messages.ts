/**
 * The draw message protocol (version 1): every consumer of a run — the Fit,
 * the CSV files, progress bars, later the dashboard and NATS — reads these
 * messages and nothing else.
 * @module
 */
import type { Adaptation, DrawStats } from "../inference/draws.ts";
import type { LayoutEntry, ValueLayout } from "../tensor/layout.ts";
import type { FitSettings } from "../inference/options.ts";

/** The protocol version carried by `start`. */
export const PROTOCOL_VERSION = 1;

/** A run begins: what its draws mean. */
export interface StartMessage {
  readonly type: "start";
  readonly version: typeof PROTOCOL_VERSION;
  readonly run: string;
  /** Layout of `values` in draw messages: constrained, parameters then deterministics. */
  readonly valueLayout: ValueLayout;
  /** The unconstrained parameter layout of the compiled density. */
  readonly layout: readonly LayoutEntry[];
  readonly settings: FitSettings;
  readonly modelHash: string;
  readonly dataHash: string;
  /**
   * The centering λ chosen for each reparameterized site (1 = as written,
   * 0 = non-centered), one per element; empty when sampling as written.
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
  readonly stats: DrawStats;
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
export type SampleMessage = StartMessage | DrawMessage | AdaptedMessage | ChainDoneMessage | DoneMessage | ErrorMessage;
