/**
 * A model as SMC's target: its prior and posterior compiled on the same θ,
 * and prior draws mapped to θ.
 * @module
 */
import { batchOf, type BatchDensity } from "../codegen/batch.ts";
import { compile } from "../codegen/compile.ts";
import type { CompiledDensity } from "../codegen/density.ts";
import type { OnnxCompileOptions } from "../codegen/onnx/density.ts";
import type { WebGpuCompileOptions } from "../codegen/webgpu/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { ModelError } from "../errors.ts";
import { priorOnly } from "../handlers/priorOnly.ts";
import type { SmcTarget } from "../inference/smc/smc.ts";
import { priorSample } from "../interpreters/prior.ts";
import type { Rng } from "../random/rng.ts";

/** Options of {@link smcTarget}: the backend both densities are compiled to. */
export type SmcTargetOptions =
  | { readonly backend?: "js" }
  | ({ readonly backend: "onnx" } & OnnxCompileOptions)
  | ({ readonly backend: "webgpu" } & WebGpuCompileOptions);

/** An {@link SmcTarget} with the compiled model (for constrain, layouts) and a way to free its sessions. */
export interface CompiledSmcTarget extends SmcTarget {
  /** The full model's density: `constrain` maps SMC's draws to parameter values. */
  readonly density: CompiledDensity;
  /** Releases the ONNX sessions (nothing to do for JS). */
  release(): Promise<void>;
}

/** Throws when a parameter has no prior draws (flat, halfFlat), naming it. */
function checkProper<D, O extends Outputs>(prior: Model<D, O>, data: D): void {
  try {
    priorSample(prior, data, { draws: 1 });
  } catch (e) {
    if (e instanceof ModelError && e.kind === "unsupported" && e.site !== undefined) {
      throw new ModelError(
        "unsupported",
        e.site,
        "has an improper prior (flat or halfFlat) with no draws; SMC starts from prior draws, so give this parameter a proper prior",
      );
    }
    throw e;
  }
}

/** The layout of θ as a comparable string. */
const layoutKey = (d: CompiledDensity): string =>
  JSON.stringify(d.layout.map(({ name, shape, offset, size, transform }) => [name, shape, offset, size, transform]));

/**
 * Compiles `model` and its prior ({@link priorOnly}: observations and
 * `factor` terms removed, as the likelihood) for {@link smc}. The posterior
 * and the prior both include the log-Jacobian, so log L = posterior −
 * prior is the likelihood (and factors) alone. Throws a {@link ModelError}
 * naming the site when a parameter's prior is improper (flat, halfFlat).
 *
 * @example
 * ```ts
 * import { smc } from "../inference/smc/smc.ts"; // the engine (the package's `smc` takes a model)
 * const target = await smcTarget(eightSchools, data);
 * const fit = await smc(target, { seed: 1, particles: 500 });
 * const first = target.density.constrain(fit.draws.points.subarray(0, target.density.dim)); // mu, tau, theta of particle 1
 * await target.release();
 * ```
 */
export async function smcTarget<D, O extends Outputs>(
  model: Model<D, O>,
  data: D,
  opts: SmcTargetOptions = {},
): Promise<CompiledSmcTarget> {
  const prior = priorOnly(model);
  checkProper(prior, data);
  let density: CompiledDensity;
  let priorDensity: CompiledDensity;
  let batches: [BatchDensity, BatchDensity];
  let release = async (): Promise<void> => {};
  if (opts.backend === "onnx" || opts.backend === "webgpu") {
    const o = opts;
    const [post, pri] = await Promise.all([model, prior].map((m) => (o.backend === "onnx" ? compile(m, data, o) : compile(m, data, o))));
    [density, priorDensity, batches] = [post, pri, [pri, post]];
    release = async () => {
      await Promise.all([post.release(), pri.release()]);
    };
  } else {
    density = compile(model, data);
    priorDensity = compile(prior, data);
    batches = [batchOf(priorDensity), batchOf(density)];
  }
  if (layoutKey(density) !== layoutKey(priorDensity)) {
    await release();
    throw new ModelError("unsupported", undefined, "smc: the model without its likelihood has other parameters than the model");
  }
  const names = density.layout.map((e) => e.name);
  return {
    prior: batches[0],
    posterior: batches[1],
    density,
    release,
    sampleInitial(rng: Rng, n: number): Float64Array {
      const d = density.dim;
      const draws = priorSample(prior, data, { draws: n, seed: Math.floor(rng.uniform() * Number.MAX_SAFE_INTEGER) });
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const values = Object.fromEntries(names.map((name) => [name, Array.from(draws.sites[name].values[i])]));
        out.set(density.unconstrain(values), i * d);
      }
      return out;
    },
  };
}
