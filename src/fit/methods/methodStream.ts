/**
 * The message stream of a method other than NUTS: `start`, the engine's
 * `progress`, then its draws (constrained, with the method's own columns),
 * `result`, one `chainDone` per chain of draws, and `done`. Every engine runs
 * through here, so the CLI's progress, the run directory and the dashboard
 * serve them all as they serve NUTS.
 * @module
 */
import { newRunId } from "../../random/runId.ts";
import type { CompiledDensity } from "../../codegen/density.ts";
import { dataHash, modelHash } from "../../codegen/hash.ts";
import type { EngineDraws, EngineProgress, EngineRunOptions } from "../../inference/engine.ts";
import { methodFitSettings } from "../../inference/options.ts";
import { methodDrawStats } from "../../io/stanCsv/methodChains.ts";
import { PROTOCOL_VERSION, type MethodName, type SampleMessage, type StartMessage } from "../../runtime/messages.ts";
import { Queue } from "../../runtime/queue.ts";
import { toNumbers } from "../../numeric/arrays.ts";

/** What an engine run gives the stream. */
export interface MethodOutcome {
  /** The draws, one set per chain (one chain for most methods; one per independent SMC run). */
  readonly draws: readonly EngineDraws[];
  /** The method's figures beyond its draws, as plain JSON (non-finite numbers allowed). */
  readonly info: Readonly<Record<string, unknown>>;
  /** What deserves attention, in words. */
  readonly warnings: readonly string[];
}

/** A method run: the density its draws are reported through, and the engine. */
export interface MethodRun {
  readonly method: Exclude<MethodName, "sample">;
  readonly density: CompiledDensity;
  readonly seed: number;
  /** Chains of draws the method reports (1; SMC: its independent runs) and draws per chain. */
  readonly chains: number;
  readonly draws: number;
  /** The method's resolved options (recorded in `start` and `run.json`). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Aborting stops the engine at its next step. */
  readonly signal?: AbortSignal;
  /** Runs the engine, reporting through `hooks`. */
  run(hooks: EngineRunOptions): Promise<MethodOutcome>;
}

/** Progress of one phase is sent at most this often (ms); a new phase is always sent. */
const PROGRESS_EVERY_MS = 100;

/** Runs a method as a stream of protocol messages (see the module comment). */
export async function* methodStream(m: MethodRun): AsyncGenerator<SampleMessage> {
  const plain = m.density.toPlain();
  const start: StartMessage = {
    type: "start",
    version: PROTOCOL_VERSION,
    run: newRunId(),
    method: m.method,
    methodSettings: m.settings,
    valueLayout: m.density.valueLayout,
    layout: m.density.layout,
    settings: methodFitSettings(m.chains, m.draws, m.seed),
    modelHash: modelHash(plain),
    dataHash: dataHash(plain),
    centering: {},
  };
  const run = start.run;
  yield start;
  const began = performance.now();
  const queue = new Queue<SampleMessage>();
  let wake: (() => void) | undefined;
  let lastPhase = "";
  let lastSent = -Infinity;
  const onProgress = (p: EngineProgress) => {
    const now = performance.now();
    if (p.phase === lastPhase && now - lastSent < PROGRESS_EVERY_MS) return;
    lastPhase = p.phase;
    lastSent = now;
    queue.push({ type: "progress", run, ...p });
    wake?.();
  };
  let settled = false;
  const outcome = m.run({ onProgress, signal: m.signal });
  const settle = () => {
    settled = true;
    wake?.();
  };
  outcome.then(settle, settle);
  while (!settled || queue.length > 0) {
    if (queue.length === 0) {
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
    for (let msg = queue.shift(); msg !== undefined; msg = queue.shift()) yield msg;
  }
  let result: MethodOutcome;
  try {
    result = await outcome;
  } catch (e) {
    yield { type: "error", run, message: e instanceof Error ? e.message : String(e) };
    // The typed error (with what it carries, e.g. the best approximation so far) reaches callers too.
    throw e;
  }
  const seconds = (performance.now() - began) / 1000;
  for (const [k, d] of result.draws.entries()) yield* drawMessages(run, k + 1, d, m.density);
  yield { type: "result", run, method: m.method, info: result.info, warnings: result.warnings };
  for (const k of result.draws.keys()) yield { type: "chainDone", run, chain: k + 1, elapsed: { warmup: 0, sampling: seconds } };
  yield { type: "done", run };
}

/** The draw messages of one chain of an engine's draws. */
function* drawMessages(run: string, chain: number, d: EngineDraws, density: CompiledDensity): Generator<SampleMessage> {
  const names = Object.keys(d.columns);
  const stats = methodDrawStats(d.columns);
  for (let i = 0; i < d.n; i++) {
    const point = d.points.subarray(i * d.dim, (i + 1) * d.dim);
    const columns = Object.fromEntries(names.map((n) => [n, d.columns[n][i]]));
    yield {
      type: "draw",
      run,
      chain,
      iter: i + 1,
      warmup: false,
      values: toNumbers(density.constrain(point)),
      stats: stats(i),
      columns,
    };
  }
}
