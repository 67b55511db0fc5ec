/**
 * What every method's glue does before its engine runs: resolve the seed,
 * compile the model for the chosen backend (with or without the
 * log-Jacobian), and pick the initial point.
 * @module
 */
import { batchOf, type BatchDensity } from "../../codegen/batch.ts";
import { compile } from "../../codegen/compile.ts";
import type { CompiledDensity } from "../../codegen/density.ts";
import type { Model, Outputs } from "../../dsl/model.ts";
import { checkCount, randomSeed } from "../../inference/options.ts";
import { Rng } from "../../random/rng.ts";
import type { Numeric } from "../../tensor/shape.ts";

/** Options every method takes. */
export interface MethodOptions {
  /** Seed of the method's random streams. Default: from the clock, recorded in `fit.settings.seed`. */
  readonly seed?: number;
  /** Initial values on the constrained scale, by site name; random in (−2, 2) unconstrained otherwise (as Stan). */
  readonly init?: Readonly<Record<string, Numeric>>;
  /**
   * "js" (default): generated JavaScript; "onnx": batched evaluation on
   * onnxruntime, "webgpu": on WebGPU in float32 (in a page), where the
   * method evaluates many points at once.
   */
  readonly backend?: "js" | "onnx" | "webgpu";
  /** Aborting stops the method at its next step. */
  readonly signal?: AbortSignal;
}

/** A compiled model ready for an engine. */
export interface Prepared {
  readonly seed: number;
  /** The density the draws are reported through (JavaScript, whatever the backend). */
  readonly density: CompiledDensity;
  /** The same density evaluating many points at once (onnxruntime or WebGPU with those backends). */
  readonly batch: BatchDensity;
  /** The initial unconstrained point: `init`, or uniform in (−2, 2) from stream 0. */
  readonly init: Float64Array;
  /** Releases the backend's resources. */
  release(): Promise<void>;
}

/** The seed given, checked, or one from the clock. */
export function resolveSeed(seed: number | undefined): number {
  const s = seed ?? randomSeed();
  checkCount("seed", s, 0);
  return s;
}

/** Compiles `mdl` for a method (see {@link Prepared}). */
export async function prepare<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: MethodOptions,
  graph: { readonly jacobian?: boolean } = {},
): Promise<Prepared> {
  const seed = resolveSeed(opts.seed);
  const backend = opts.backend ?? "js";
  if (backend !== "js" && backend !== "onnx" && backend !== "webgpu")
    throw new RangeError(`backend must be "js", "onnx" or "webgpu", got ${String(backend)}`);
  const batched =
    backend === "onnx"
      ? await compile(mdl, data, { backend, ...graph })
      : backend === "webgpu"
        ? await compile(mdl, data, { backend, ...graph })
        : undefined;
  const density = batched ?? compile(mdl, data, graph);
  const init = opts.init === undefined ? randomInit(density.dim, seed) : density.unconstrain(opts.init);
  return {
    seed,
    density,
    batch: batched ?? batchOf(density),
    init,
    release: async () => {
      await batched?.release();
    },
  };
}

/** Uniform in (−2, 2) in every coordinate, from stream 0 of `seed` (engines use streams 1, 2, …). */
export function randomInit(dim: number, seed: number, stream = 0): Float64Array {
  const rng = new Rng(seed, stream);
  return Float64Array.from({ length: dim }, () => 4 * rng.uniform() - 2);
}
