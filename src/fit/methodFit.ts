/**
 * The result of a method other than NUTS (optimize, laplace, variational,
 * pathfinder, smc): a {@link Fit} whose draws are the method's draws, plus
 * the method's own per-draw columns, its figures and its warnings.
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import type { ChainDraws } from "../inference/draws.ts";
import type { FitSettings } from "../inference/options.ts";
import type { MethodName, SampleMessage } from "../runtime/messages.ts";
import { DrawCollector } from "../runtime/collect.ts";
import type { ValueLayout } from "../tensor/layout.ts";
import { Fit, type FitDiagnostics } from "./fit.ts";

/**
 * A method's result, shaped like {@link Fit}: typed `draws`, `summary()`,
 * `predictive()`, `logLik()`; `diagnostics()` gives the method's warnings
 * in words. `info` holds the method's figures (see each method's `…Info`).
 *
 * @example
 * ```ts
 * const fit = await pathfinder(eightSchools, data, { seed: 1 });
 * fit.draws.tau;      // number[]: every draw of tau
 * fit.info.khat;      // Pareto k̂ of the importance resampling
 * fit.columns[0].lp_approx__; // Float64Array: the approximation's log density per draw
 * ```
 */
export class MethodFit<D = unknown, O extends Outputs = Outputs, I = Readonly<Record<string, unknown>>> extends Fit<D, O> {
  constructor(
    /** The method, as CmdStan names it. */
    readonly method: Exclude<MethodName, "sample">,
    valueLayout: ValueLayout,
    settings: FitSettings,
    chains: readonly ChainDraws[],
    /** The method's own per-draw columns (`lp_approx__`, `log_g__`, …), per chain. */
    readonly columns: readonly Readonly<Record<string, Float64Array>>[],
    /** The method's figures. */
    readonly info: I,
    /** What deserves attention, in words. */
    readonly warnings: readonly string[],
    source?: { readonly model: Model<D, O>; readonly data: D },
  ) {
    super(valueLayout, settings, chains, source);
  }

  /** The method's warnings in words (NUTS's statistics do not apply: their counts are zero). */
  override diagnostics(): FitDiagnostics {
    const zeros = this.chains.map(() => 0);
    return { divergences: zeros, treeDepthHits: zeros, ebfmi: this.chains.map(() => NaN), recovered: zeros, warnings: this.warnings };
  }
}

/** Reads a method's message stream to its end, into a {@link MethodFit}. */
export async function collectMethod<D, O extends Outputs, I>(
  stream: AsyncIterable<SampleMessage>,
  source?: { readonly model: Model<D, O>; readonly data: D },
): Promise<MethodFit<D, O, I>> {
  const collector = new DrawCollector();
  // An engine's failure is thrown by the stream itself after its `error` message, typed (e.g. an AdviError with the best approximation).
  for await (const msg of stream) if (msg.type !== "error") collector.add(msg);
  const { start, chains, columns, result } = collector.result();
  if (start.method === undefined || result === undefined) throw new Error("internal error: a method's stream without its method or result");
  return new MethodFit<D, O, I>(
    start.method,
    start.valueLayout,
    start.settings,
    chains,
    columns,
    result.info as I,
    result.warnings,
    source,
  );
}
