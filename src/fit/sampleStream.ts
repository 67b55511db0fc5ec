/**
 * `sampleStream`: a model's run as a stream of draw messages. This prepares
 * the run (options, the reparameterization pilot, compiling, hashes, the
 * checks of a resumed run) and hands the density to the runtime
 * (`runtime/run.ts`), which runs the chains.
 * @module
 */
import { newRunId } from "../random/runId.ts";
import { compile } from "../codegen/compile.ts";
import { dataHash, modelHash } from "../codegen/hash.ts";
import { plainFromWire, type WireDensity, wireDensity } from "../codegen/wire.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { reparameterizeAt } from "../handlers/reparameterize.ts";
import { resolveOptions, type SampleOptions } from "../inference/options.ts";
import { PROTOCOL_VERSION, type SampleMessage, type StartMessage } from "../runtime/messages.ts";
import { prestartThreads, type ResumeFrom, resolveRunOptions, type RunOptions, runChains } from "../runtime/run.ts";
import { chooseCentering } from "./centering.ts";
import { pathfinderStart } from "./pathfinderInit.ts";
import { requireParameters } from "./requireParameters.ts";

/** Options of {@link sampleStream}: the sampling options, and how the run is executed. */
export interface StreamOptions extends SampleOptions, RunOptions {
  /**
   * The centering λ per reparameterized site, as a `start` message reports it:
   * used instead of choosing one in a pilot run (a resumed run must reuse its own).
   */
  readonly centering?: Readonly<Record<string, readonly number[]>>;
  /** Continue an interrupted run instead of starting one. */
  readonly resume?: ResumeFrom;
}

/**
 * Samples a model's posterior with NUTS, as a stream of messages: `start`,
 * then per chain its `draw`s (warm-up flagged, in iteration order), `adapted`
 * and `chainDone`, chains interleaved when they run in parallel, and `done`
 * last (or `error`).
 *
 * @example
 * ```ts
 * for await (const msg of sampleStream(eightSchools, data, { chains: 4, seed: 1 })) {
 *   if (msg.type === "draw") console.log(msg.chain, msg.iter, msg.values);
 * }
 * ```
 * @throws Error before `start` when `resume` is given and the model or data changed.
 */
export async function* sampleStream<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: StreamOptions = {},
): AsyncGenerator<SampleMessage> {
  for await (const batch of sampleBatches(mdl, data, opts)) for (const msg of batch) yield msg;
}

/** {@link sampleStream}'s messages in the batches they come in (one async step per batch, not per message: `sample()` reads these). */
export async function* sampleBatches<D, O extends Outputs>(
  mdl: Model<D, O>,
  data: D,
  opts: StreamOptions = {},
): AsyncGenerator<readonly SampleMessage[]> {
  const given = resolveOptions(opts);
  const exec = resolveRunOptions(opts, given.chains);
  // Threads take a while to start: let them do so while the pilot and the compiler run here.
  prestartThreads(exec.threads, exec.resourceLimits);
  // Given initial values are for the model as written: the pilot then keeps it so (Pathfinder's points come after the choice).
  const userInit = given.init !== undefined && given.init !== "pathfinder";
  const chosen = opts.centering === undefined && given.reparam && !userInit ? chooseCentering(mdl, data, given) : undefined;
  const plan = chosen?.plan ?? new Map(Object.entries(opts.centering ?? {}).map(([name, lambda]) => [name, Float64Array.from(lambda)]));
  // The model the chains sample: with the centering chosen or given, as a resumed run rebuilds it.
  const centering = Object.fromEntries([...plan].map(([name, lambda]) => [name, Array.from(lambda)]));
  const reparameterized = chosen !== undefined || opts.centering !== undefined ? reparameterizeAt(mdl, centering) : mdl;
  const density = chosen?.density ?? compile(reparameterized, data);
  requireParameters(density, "NUTS");
  // Initial values are checked here, before any chain starts: a wrong name or shape is the user's, not a chain's, error.
  if (given.init !== undefined && given.init !== "pathfinder") density.unconstrain(given.init);
  const resolved =
    given.init === "pathfinder" && given.initPoints === undefined
      ? { ...given, ...(await pathfinderStart(density, given.chains, given.seed, opts.signal)) }
      : given;
  const plain = density.toPlain();
  const hashes = { modelHash: modelHash(plain), dataHash: dataHash(plain) };
  const resume = opts.resume;
  if (resume !== undefined) {
    for (const key of ["modelHash", "dataHash"] as const) {
      if (hashes[key] !== resume[key]) {
        const what = key === "modelHash" ? "model" : "data";
        throw new Error(
          `cannot resume: the ${what} changed since the run started (${what} hash ${hashes[key].slice(0, 12)}…, the run's ${resume[key].slice(0, 12)}…)`,
        );
      }
    }
  }
  const { init: _init, ...settings } = resolved;
  const start: StartMessage = {
    type: "start",
    version: PROTOCOL_VERSION,
    run: resume?.run ?? newRunId(),
    valueLayout: density.valueLayout,
    layout: density.layout,
    settings,
    ...hashes,
    centering,
  };
  yield* runChains(density, start, resolved, exec, resume, opts.cluster === undefined ? undefined : wireOf(reparameterized, data, hashes));
}

/**
 * The density's wire form for workers on other machines, checked here first:
 * compiled from the wire, it must be the very density the chains would run
 * locally (same hashes), or remote draws could differ from local ones.
 */
function wireOf<D, O extends Outputs>(mdl: Model<D, O>, data: D, hashes: { modelHash: string; dataHash: string }): WireDensity {
  const wire = wireDensity(mdl, data);
  const plain = plainFromWire(wire);
  if (modelHash(plain) !== hashes.modelHash || dataHash(plain) !== hashes.dataHash) {
    throw new Error("internal error: the model's wire form compiles to another density than the model; please report this model");
  }
  return wire;
}
