/**
 * sampo: probabilistic programming in TypeScript.
 *
 * Write a model once with {@link model}; draw from its prior with
 * {@link priorSample}; evaluate it with the reference {@link logDensity};
 * {@link compile} it to fast JavaScript or to ONNX ({@link exportOnnx}); print it with {@link prettyPrint}
 * and {@link toDot}; rewrite it with {@link condition}, {@link substitute}
 * and {@link block}; sample its posterior with {@link sample} (a
 * {@link Fit}) or {@link sampleStream} (draw messages as they happen).
 * @module
 */
export { model, runModel } from "./dsl/model.ts";
export type { Model, ModelAlg, Outputs, SiteOptions, Reparam, SampleSite, ObserveSite, SiteHandler, HandlerWrap, WrapEnv } from "./dsl/model.ts";
export type { MathAlg, ScanResult, UnaryFn, BinaryFn, MatmulRank } from "./dsl/math.ts";
export type { Tensor, Rank, Operand, Numeric, RankOf, RankOfShape, MaxRank, MaxTable, Broadcast } from "./dsl/tensor.ts";
export type { TensorOps, ScanBody } from "./dsl/ops.ts";
export type { ModelRun } from "./dsl/model.ts";
export type { Shape } from "./dsl/shape.ts";
export type { Dist, Family, Params, NumericParam } from "./dsl/distribution.ts";
export type { Support, Domain } from "./dsl/support.ts";
export type { TransformSpec, TransformType, Transform, Bounds } from "./dsl/transform.ts";
export type { Distributions, R1, Drop1 } from "./distributions/index.ts";
export { compile, compilePlain } from "./compile.ts";
export type { CompileOptions } from "./compile.ts";
export type { BatchDensity } from "./codegen/batch.ts";
export { batchOf } from "./codegen/batch.ts";
export type { OnnxDensity, OnnxCompileOptions } from "./codegen/onnx/density.ts";
export { exportOnnx } from "./codegen/onnx/export.ts";
export { emitStandaloneTs } from "./codegen/ts/standalone.ts";
export { buildOnnx, readOnnxMetadata } from "./codegen/onnx/model.ts";
export type { OnnxBuild, OnnxBuildOptions, OnnxMetadata } from "./codegen/onnx/model.ts";
export type { Dtype } from "./codegen/onnx/proto.ts";
export type { Device } from "./codegen/onnx/session.ts";
export { loadDensity } from "./codegen/js/load.ts";
export type { LogDensity, CompiledDensity, PlainDensity, ValueEntry } from "./codegen/density.ts";
export { logDensity } from "./interpreters/logDensity.ts";
export type { ReferenceDensity } from "./interpreters/logDensity.ts";
export type { LayoutEntry } from "./interpreters/density.ts";
export { priorSample } from "./interpreters/prior.ts";
export type { PriorDraws, PriorOptions, PriorSite, DrawsOf, Nested } from "./interpreters/prior.ts";
export { prettyPrint } from "./interpreters/pretty.ts";
export type { PrettyOptions } from "./interpreters/pretty.ts";
export { toDot } from "./interpreters/dot.ts";
export { condition, substitute, block } from "./interpreters/handlers.ts";
export { Rng } from "./random/rng.ts";
export type { RngState } from "./random/rng.ts";
export { ModelError, ShapeError, SupportError, DataError, SiteNameError, SamplerError } from "./errors.ts";
export { sample } from "./inference/sample.ts";
export type { SampleOptions } from "./inference/options.ts";
export { Fit } from "./inference/fit.ts";
export { readFit } from "./io/readFit.ts";
export type { FitSettings, FitDiagnostics, NamedSummaryRow } from "./inference/fit.ts";
export type { ChainDraws, DrawStats, Adaptation, ValueLayout } from "./inference/draws.ts";
export { STAT_NAMES } from "./inference/draws.ts";
export { sampleStream, STOPPED_MESSAGE, type StreamOptions, type ResumeFrom } from "./runtime/stream.ts";
export { sampleLockstepDensity, sampleLockstep, LockstepSampler, type LockstepOptions, type LockstepModelOptions, type LockstepTarget, type LockstepSettings, type LockstepIteration, type LockstepCheckpoint, type LockstepAdaptation, type WarmupState as LockstepWarmupState, type CheesState } from "./inference/lockstep/index.ts";
export type { ChainCheckpoint } from "./inference/chain.ts";
export type { DualAveragingState } from "./inference/adapt/dualAveraging.ts";
export type { WelfordState } from "./inference/adapt/welford.ts";
export type { Fault } from "./runtime/workers/protocol.ts";
export type { SupervisorStats } from "./runtime/supervisor.ts";
export type { SampleMessage, StartMessage, DrawMessage, AdaptedMessage, ChainDoneMessage, DoneMessage, ErrorMessage } from "./runtime/messages.ts";
export { PROTOCOL_VERSION } from "./runtime/messages.ts";
export * from "./runtime/codec.ts";
export * from "./runtime/sinks/index.ts";
export * as diagnostics from "./inference/diagnostics/index.ts";
export * as stanCsv from "./io/stanCsv/index.ts";
export type { ModelErrorKind } from "./errors.ts";
