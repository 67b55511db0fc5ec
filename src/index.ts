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
export * from "./browser.ts";
export { exportOnnx } from "./codegen/onnx/export.ts";
export { emitStandaloneTs } from "./codegen/ts/standalone.ts";
export { readFit } from "./fit/readFit.ts";
export { readDataFile, parseDataFile, type DataValue, type DataValues } from "./io/dataFile.ts";
export { StanCsvError } from "./io/stanCsv/error.ts";
export { RunFileError } from "./runtime/resumeFiles.ts";
export { RunWriteError } from "./runtime/runFiles.ts";
export type { ThreadLimits } from "./runtime/workers/thread.ts";
export { ClusterOptionError, type ClusterConnection } from "./runtime/cluster/connection.ts";
export type { StreamLimits } from "./runtime/cluster/streams.ts";
export { runWorker, type WorkerOptions } from "./runtime/cluster/lazyWorker.ts";
export { JobError } from "./runtime/cluster/job.ts";
export { dashboard, openDashboard, type Dashboard, type DashboardOptions, type SourceDashboard } from "./dashboard/dashboard.ts";
export type { RunStateLimits } from "./dashboard/runState.ts";
export { tailRunDirectory, type TailOptions } from "./runtime/tailRunDirectory.ts";
