/**
 * A model with its data as an ONNX file: log p and its gradient for a batch
 * of unconstrained points, with sampo's layout and hashes in the metadata.
 * @module
 */
import type { Model, Outputs } from "../../dsl/model.ts";
import { reparameterizeAt } from "../../handlers/reparameterize.ts";
import { buildGraph, type GraphOptions } from "../../interpreters/graph.ts";
import { SAMPO_VERSION } from "../../version.ts";
import { modelHash } from "../hash.ts";
import type { PlainDensity } from "../density.ts";
import { plainOf } from "../js/plain.ts";
import { densityGraph } from "../densityGraph.ts";
import { decodeModel, encodeModel, modelProto } from "./assemble.ts";
import { dataName, densityOnnx } from "./graph.ts";
import { type Dtype, tensorProto } from "./proto.ts";

/** Options of an ONNX build. */
export interface OnnxBuildOptions extends GraphOptions {
  /** Floating type of θ, data and the arithmetic (default float64). */
  readonly dtype?: Dtype;
  /**
   * Export reparameterized, on request: the centering λ per site (1 = as
   * written, 0 = non-centered), as a run chose it (`run.json`'s or the
   * start message's `centering`). The density is then the one that run's
   * chains sampled, with the same model hash. Default: the model as written.
   */
  readonly centering?: Readonly<Record<string, readonly number[]>>;
}

/** An encoded ONNX model of a density, and the JavaScript density of the same model. */
export interface OnnxBuild {
  readonly bytes: Uint8Array;
  readonly dtype: Dtype;
  readonly plain: PlainDensity;
}

/** The metadata keys sampo writes into `metadata_props`. */
export interface OnnxMetadata {
  /** Layout of θ: `{name, shape, offset, size, transform}` per site, as JSON. */
  readonly "sampo.layout": string;
  readonly "sampo.version": string;
  /** The hash `run.json` records for the same model and data shapes. */
  readonly "sampo.modelHash": string;
  readonly "sampo.dtype": Dtype;
}

/** Builds the ONNX model of `mdl` with `data` (build-time errors are thrown here, naming the site). */
export function buildOnnx<D, O extends Outputs>(mdl: Model<D, O>, data: D, options: OnnxBuildOptions = {}): OnnxBuild {
  const dtype = options.dtype ?? "float64";
  if (options.centering !== undefined) mdl = reparameterizeAt(mdl, options.centering);
  // One build and one differentiation serve both the JavaScript density and the ONNX graph.
  const mg = buildGraph(mdl, data, options);
  const dg = densityGraph(mg);
  const plain = plainOf(mg, dg);
  const g = densityOnnx(mg, dtype, dg);
  const metadata: OnnxMetadata = {
    "sampo.layout": JSON.stringify(mg.layout.map(({ name, shape, offset, size, transform }) => ({ name, shape, offset, size, transform }))),
    "sampo.version": SAMPO_VERSION,
    "sampo.modelHash": modelHash(plain),
    "sampo.dtype": dtype,
  };
  const proto = modelProto(g.builder, {
    name: "sampo_density",
    inputs: g.inputs,
    outputs: g.outputs,
    metadata: { ...metadata },
    docString: `log p(theta) (normalized density${options.jacobian === false ? "" : " plus log-Jacobian"}, unconstrained theta) and its gradient, for a batch of points`,
  });
  return { bytes: encodeModel(proto), dtype, plain };
}

/** Reads sampo's metadata back from an ONNX file's bytes. */
export function readOnnxMetadata(bytes: Uint8Array): Partial<OnnxMetadata> & Record<string, string> {
  const m = decodeModel(bytes);
  return Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
}

/** The same model with new data values (same shapes): its data initializers replaced. */
export function replaceData(bytes: Uint8Array, dtype: Dtype, data: PlainDensity["data"]): Uint8Array {
  const m = decodeModel(bytes);
  const byName = new Map(data.map((d, k) => [dataName(d.name, k), d]));
  for (const t of m.graph?.initializer ?? []) {
    const d = byName.get(t.name ?? "");
    if (d !== undefined) t.rawData = tensorProto(d.name, dtype, d.shape, d.values).rawData as Uint8Array;
  }
  return encodeModel(m);
}
