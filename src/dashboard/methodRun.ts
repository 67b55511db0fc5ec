/**
 * The dashboard's words for a run of a method other than NUTS: the method's
 * name as shown, its progress line and its headline figures, all as text,
 * so the page prints them as they are. Any figure that is not a finite
 * number is shown as a word or a dash, never as "NaN".
 * @module
 */
import type { MethodName, ProgressMessage, ResultMessage } from "../runtime/messages.ts";
import type { MethodFigure, MethodProgress, MethodResult } from "./shared/protocol.ts";

/** The method's name as shown: CmdStan's `variational` is ADVI. */
export function methodTitle(method: Exclude<MethodName, "sample">): string {
  return method === "variational" ? "advi" : method;
}

/**
 * A figure as text: integers as they are, other numbers to 4 significant
 * digits (trailing zeros dropped), infinities as ±∞, and NaN (not computed)
 * as a dash.
 *
 * @example
 * ```ts
 * figure(0.42);      // "0.42"
 * figure(-1234.567); // "-1235"
 * figure(NaN);       // "–"
 * ```
 */
export function figure(x: number): string {
  if (Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** Labels of the metrics engines report in their progress; any other key is shown as named. */
const METRIC_LABELS: Readonly<Record<string, string>> = {
  logp: "log p",
  elbo: "ELBO",
  relMean: "rel. change (mean)",
  relMedian: "rel. change (median)",
  beta: "β",
  ess: "ESS",
  acceptance: "acceptance",
  logEvidence: "log evidence",
  khat: "Pareto k̂",
  eta: "eta",
};

/** The progress line of a `progress` message. */
export function methodProgress(msg: ProgressMessage): MethodProgress {
  return {
    phase: msg.phase,
    iter: msg.iter,
    ...(msg.total === undefined ? {} : { total: msg.total }),
    metrics: Object.entries(msg.metrics).map(([k, x]) => ({ label: METRIC_LABELS[k] ?? k, value: figure(x) })),
  };
}

const isNumber = (x: unknown): x is number => typeof x === "number";

/**
 * The headline figures a method's `info` may hold, in the order shown: each
 * reads one key (absent or of another type: not shown). One list serves
 * every method, since each names its figures alike (see src/fit/methods).
 */
const FIGURES: readonly { readonly label: string; readonly read: (info: Readonly<Record<string, unknown>>) => string | undefined }[] = [
  { label: "algorithm", read: (i) => (typeof i.algorithm === "string" ? i.algorithm : undefined) },
  { label: "outcome", read: (i) => (typeof i.message === "string" ? i.message : undefined) },
  { label: "optimizer", read: (i) => (typeof i.optimizer === "string" ? i.optimizer : undefined) },
  { label: "Pareto k̂", read: (i) => (isNumber(i.khat) ? figure(i.khat) : undefined) },
  {
    label: "log evidence",
    read: (i) =>
      isNumber(i.logEvidence) ? `${figure(i.logEvidence)}${isNumber(i.logEvidenceSe) ? ` ± ${figure(i.logEvidenceSe)}` : ""}` : undefined,
  },
  { label: "log p at the mode", read: (i) => (isNumber(i.logp) ? figure(i.logp) : isNumber(i.logpMode) ? figure(i.logpMode) : undefined) },
  { label: "ELBO", read: (i) => lastElbo(i.elbo) },
  { label: "eta", read: (i) => (isNumber(i.eta) ? figure(i.eta) : undefined) },
  { label: "paths", read: (i) => paths(i.paths) },
  { label: "runs", read: (i) => (Array.isArray(i.runs) ? String(i.runs.length) : undefined) },
  { label: "iterations", read: (i) => (isNumber(i.iterations) ? figure(i.iterations) : undefined) },
  { label: "gradient evaluations", read: (i) => (isNumber(i.gradientEvaluations) ? figure(i.gradientEvaluations) : undefined) },
  { label: "recovered", read: (i) => (isNumber(i.recovered) ? figure(i.recovered) : undefined) },
];

/** ADVI's last ELBO evaluation (`info.elbo` is its trace). */
function lastElbo(trace: unknown): string | undefined {
  const last: unknown = Array.isArray(trace) ? trace.at(-1) : undefined;
  return typeof last === "object" && last !== null && isNumber((last as { elbo?: unknown }).elbo)
    ? figure((last as { elbo: number }).elbo)
    : undefined;
}

/** Pathfinder's paths: how many worked. */
function paths(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const ok = list.filter((p) => typeof p === "object" && p !== null && (p as { ok?: unknown }).ok === true).length;
  return `${ok} of ${list.length} worked`;
}

/** The headline figures and warnings of a `result` message. */
export function methodResult(msg: ResultMessage): MethodResult {
  const figures: MethodFigure[] = [];
  for (const f of FIGURES) {
    const value = f.read(msg.info);
    if (value !== undefined) figures.push({ label: f.label, value });
  }
  return { figures, warnings: msg.warnings };
}
