/**
 * sampo's portable surface: everything the package root exports that runs
 * in a web page as well as in Node (no Node APIs behind it). The package
 * root (`index.ts`) re-exports it and adds the Node-only parts: files
 * (`readFit`, `exportOnnx`, `emitStandaloneTs`), the dashboard's server,
 * run directories and the cluster. `npm run build:browser` bundles this
 * module into `dist/sampo.browser.js`.
 * @module
 */
export { model, runModel } from "./dsl/model.ts";
export type {
  Model,
  ModelAlg,
  Outputs,
  SiteOptions,
  Reparam,
  SampleSite,
  ObserveSite,
  SiteHandler,
  HandlerWrap,
  WrapEnv,
} from "./dsl/model.ts";
export type { MathAlg, ScanResult, UnaryFn, BinaryFn, MatmulRank } from "./dsl/math.ts";
export type { Tensor, Rank, Operand, RankOf, RankOfShape, MaxRank, MaxTable, Broadcast } from "./dsl/tensor.ts";
export type { TensorOps, ScanBody } from "./tensor/ops.ts";
export type { ModelRun } from "./dsl/model.ts";
export type { Shape } from "./tensor/shape.ts";
export type { Dist, Family, Params, NumericParam } from "./dsl/distribution.ts";
export type { Support, Domain } from "./dsl/support.ts";
export type { Transform, Bounds } from "./dsl/transform.ts";
export type { Distributions, R1, Drop1 } from "./distributions/index.ts";
export { compile, compilePlain } from "./codegen/compile.ts";
export type { CompileOptions } from "./codegen/compile.ts";
export type { GraphOptions } from "./interpreters/graph.ts";
export type { BatchDensity } from "./codegen/batch.ts";
export { batchOf } from "./codegen/batch.ts";
export type { OnnxDensity, OnnxCompileOptions } from "./codegen/onnx/density.ts";
export { buildOnnx, readOnnxMetadata } from "./codegen/onnx/model.ts";
export type { OnnxBuild, OnnxBuildOptions, OnnxMetadata } from "./codegen/onnx/model.ts";
export type { Dtype } from "./codegen/onnx/proto.ts";
export type { Device } from "./codegen/onnx/session.ts";
export type { WebGpuDensity, WebGpuCompileOptions } from "./codegen/webgpu/density.ts";
export { WebGpuError } from "./codegen/webgpu/device.ts";
export { Float32Error, FLOAT32_TOLERANCE } from "./codegen/webgpu/float32.ts";
export type { Float32Check, Float32Report } from "./codegen/webgpu/float32.ts";
export { loadDensity } from "./codegen/js/load.ts";
export type { LogDensity, CompiledDensity, PlainDensity } from "./codegen/density.ts";
export { logDensity } from "./interpreters/logDensity.ts";
export type { ReferenceDensity } from "./interpreters/logDensity.ts";
export { priorSample } from "./interpreters/prior.ts";
export type { PriorDraws, PriorOptions, PriorSite, DrawsOf, Nested } from "./interpreters/prior.ts";
export { prettyPrint } from "./interpreters/pretty.ts";
export type { PrettyOptions } from "./interpreters/pretty.ts";
export { toDot } from "./interpreters/dot.ts";
export { condition, substitute } from "./handlers/replace.ts";
export { Rng } from "./random/rng.ts";
export type { RngState } from "./random/rng.ts";
export { ModelError, ShapeError, SupportError, DataError, DataFileError, SiteNameError, SamplerError, WireError } from "./errors.ts";
export type { DataProblem } from "./errors.ts";
export { sample } from "./fit/sample.ts";
export type { SampleOptions } from "./inference/options.ts";
export { Fit } from "./fit/fit.ts";
export { MethodFit } from "./fit/methodFit.ts";
export { compare, type Comparable } from "./fit/compare.ts";
export type { MethodOptions } from "./fit/methods/prepare.ts";
export { optimize, optimizeStream, type OptimizeOptions, type OptimizeInfo } from "./fit/methods/optimize.ts";
export { advi, adviStream, type AdviOptions, type AdviInfo } from "./fit/methods/advi.ts";
export { pathfinder, pathfinderStream, type PathfinderOptions, type PathfinderInfo } from "./fit/methods/pathfinder.ts";
export { laplace, laplaceStream, type LaplaceOptions, type LaplaceInfo } from "./fit/methods/laplace.ts";
export { smc, smcStream, type SmcOptions, type SmcInfo } from "./fit/methods/smc.ts";
export { SmcError } from "./inference/smc/errors.ts";
export { OptimizeError } from "./inference/optimize/errors.ts";
export { AdviError } from "./inference/advi/errors.ts";
export type { AdviApproximation } from "./inference/advi/advi.ts";
export type { PathResult } from "./inference/pathfinder/result.ts";
export { PathfinderError } from "./inference/pathfinder/errors.ts";
export type { EngineDraws, EngineProgress, EngineRunOptions } from "./inference/engine.ts";
export type { FitDiagnostics, NamedSummaryRow } from "./fit/fit.ts";
export type { ChainDraws, DrawStats, Adaptation } from "./inference/draws.ts";
export { STAT_NAMES } from "./inference/draws.ts";
export { sampleStream, type StreamOptions } from "./fit/sampleStream.ts";
export { STOPPED_MESSAGE, type ResumeFrom, type RunOptions } from "./runtime/run.ts";
export { sampleLockstepDensity, type LockstepOptions, type LockstepTarget } from "./fit/lockstepDensity.ts";
export { sampleLockstep, type LockstepModelOptions } from "./fit/lockstep.ts";
export { LockstepSampler, type LockstepSettings, type LockstepIteration, type LockstepCheckpoint } from "./inference/lockstep/sampler.ts";
export type { LockstepAdaptation, WarmupState as LockstepWarmupState } from "./inference/lockstep/warmup.ts";
export type { CheesState } from "./inference/lockstep/chees.ts";
export type { ChainCheckpoint } from "./inference/chain.ts";
export type { AdaptKind, MetricChoice, WarmupCheckpoint } from "./inference/adapt/chainWarmup.ts";
export type { WindowAdaptationState } from "./inference/adapt/window.ts";
export type { FisherAdaptationState, Moments } from "./inference/adapt/fisherAdaptation.ts";
export type { DualAveragingState } from "./inference/adapt/dualAveraging.ts";
export type { WelfordState } from "./inference/adapt/welford.ts";
export type { Fault } from "./runtime/workers/protocol.ts";
export type { SupervisorStats } from "./runtime/supervisor.ts";
export type { ClusterOptions } from "./runtime/cluster/coordinator.ts";
export type {
  SampleMessage,
  StartMessage,
  DrawMessage,
  AdaptedMessage,
  ChainDoneMessage,
  DoneMessage,
  ErrorMessage,
  ProgressMessage,
  ResultMessage,
  MethodName,
} from "./runtime/messages.ts";
export { PROTOCOL_VERSION } from "./runtime/messages.ts";
export * from "./runtime/codec.ts";
export * from "./runtime/sinks/index.ts";
export * as diagnostics from "./inference/diagnostics/index.ts";
export * as stanCsv from "./io/stanCsv/index.ts";
export type { ModelErrorKind } from "./errors.ts";
export type { Numeric } from "./tensor/shape.ts";
export type { LayoutEntry } from "./tensor/layout.ts";
export type { ValueEntry } from "./tensor/layout.ts";
export type { ValueLayout } from "./tensor/layout.ts";
export type { TransformSpec, TransformType } from "./tensor/layout.ts";
export type { FitSettings } from "./inference/options.ts";
export { block } from "./handlers/block.ts";
