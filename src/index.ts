/**
 * sampo: probabilistic programming in TypeScript.
 *
 * Write a model once with {@link model}; draw from its prior with
 * {@link priorSample}; evaluate it with the reference {@link logDensity};
 * {@link compile} it to fast JavaScript; print it with {@link prettyPrint}
 * and {@link toDot}; rewrite it with {@link condition}, {@link substitute}
 * and {@link block}.
 * @module
 */
export { model, runModel } from "./dsl/model.ts";
export type { Model, ModelAlg, Outputs, SampleOptions, SampleSite, ObserveSite, SiteHandler, HandlerWrap } from "./dsl/model.ts";
export type { MathAlg, ScanResult } from "./dsl/math.ts";
export type { Tensor, Rank, Operand, Numeric } from "./dsl/tensor.ts";
export type { Shape } from "./dsl/shape.ts";
export type { Dist, Family } from "./dsl/distribution.ts";
export type { Support } from "./dsl/support.ts";
export type { TransformSpec, TransformType } from "./dsl/transform.ts";
export type { Distributions } from "./distributions/index.ts";
export { compile, compilePlain } from "./compile.ts";
export { loadDensity } from "./codegen/js/load.ts";
export type { LogDensity, CompiledDensity, PlainDensity, ValueEntry } from "./codegen/density.ts";
export { logDensity } from "./interpreters/logDensity.ts";
export type { ReferenceDensity } from "./interpreters/logDensity.ts";
export type { LayoutEntry } from "./interpreters/density.ts";
export { priorSample } from "./interpreters/prior.ts";
export type { PriorDraws, PriorOptions, PriorSite, DrawsOf } from "./interpreters/prior.ts";
export { prettyPrint } from "./interpreters/pretty.ts";
export { toDot } from "./interpreters/dot.ts";
export { condition, substitute, block } from "./interpreters/handlers.ts";
export { Rng } from "./random/rng.ts";
export type { RngState } from "./random/rng.ts";
export { ModelError, ShapeError, SupportError, DataError, SiteNameError } from "./errors.ts";
export type { ModelErrorKind } from "./errors.ts";
