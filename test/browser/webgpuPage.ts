/**
 * The page the WebGPU tests run in, bundled for the browser with the
 * library's browser build rules (test/helpers/webgpuPage.ts): it compiles
 * the examples and the op cases on WebGPU and hands back, per model, the
 * batch's float32 results beside the reference interpreter's float64
 * values at the same points, for the test (in Node) to judge.
 */
import { benchmarks, posteriordb } from "../../examples/index.ts";
import { compile } from "../../src/codegen/compile.ts";
import { model as modelOf, type Model, type Outputs } from "../../src/dsl/model.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { sampleLockstep } from "../../src/fit/lockstep.ts";
import { smc } from "../../src/fit/methods/smc.ts";
import type { NamedSummaryRow } from "../../src/inference/diagnostics/report.ts";
import { opCases } from "../helpers/opCases.ts";
import { opModel } from "../helpers/opModel.ts";

/** One batch on WebGPU and the reference at the same points. */
export interface BatchResult {
  readonly dim: number;
  readonly points: number[][];
  readonly gpu: { readonly logp: number[]; readonly grad: number[][] };
  readonly ref: { readonly logp: number[]; readonly grad: number[][] };
  readonly adapter: string;
  /** Milliseconds to compile on WebGPU, and of the batch's one call. */
  readonly ms: { readonly compile: number; readonly batch: number };
  readonly error?: string;
}

/** 200,000 observations: a float32 sum of their terms keeps its precision only if it is compensated. */
const manyData = { y: Array.from({ length: 200_000 }, (_, i) => 3 + Math.sin(i * 0.7) * 2) };
const many = modelOf((m, d: typeof manyData) => {
  const mu = m.sample("mu", m.normal(0, 10));
  const sigma = m.sample("sigma", m.halfNormal(5));
  m.observe("y", m.normal(mu, sigma), d.y);
  return { mu, sigma };
});

const models: Record<string, { model: Model<unknown, Outputs>; data: unknown }> = {
  "sum:200k": { model: many as Model<unknown, Outputs>, data: manyData },
  ...Object.fromEntries(Object.entries({ ...benchmarks, ...posteriordb }).map(([k, e]) => [k, { model: e.model, data: e.data }])),
  ...Object.fromEntries(
    opCases.map(([name, dim, f]) => [`op:${name}`, { model: opModel(dim, f) as Model<unknown, Outputs>, data: undefined }]),
  ),
};

/** Evaluates model `name` at `points` in one WebGPU batch, and the reference there. */
async function batch(name: string, points: number[][]): Promise<BatchResult> {
  const { model, data } = models[name];
  const t0 = performance.now();
  const density = await compile(model, data, { backend: "webgpu", float32Check: "off" });
  const t1 = performance.now();
  try {
    const d = density.dim;
    const pts = points.map((p) => Float64Array.from(p));
    const n = pts.length;
    const flat = new Float64Array(n * d);
    pts.forEach((p, i) => flat.set(p, i * d));
    const logp = new Float64Array(n);
    const grad = new Float64Array(n * d);
    await density.logpGradBatch(flat, n, logp, grad);
    const ms = { compile: t1 - t0, batch: performance.now() - t1 };
    const ref = logDensity(model, data);
    const refs = pts.map((p) => {
      try {
        return ref.logpGrad(p);
      } catch {
        return { logp: Number.NaN, grad: new Array<number>(d).fill(Number.NaN) };
      }
    });
    return {
      dim: d,
      points: pts.map((p) => Array.from(p)),
      gpu: { logp: Array.from(logp), grad: pts.map((_, i) => Array.from(grad.subarray(i * d, (i + 1) * d))) },
      ref: { logp: refs.map((r) => r.logp), grad: refs.map((r) => Array.from(r.grad)) },
      adapter: density.adapter,
      ms,
    };
  } finally {
    await density.release();
  }
}

/** A lockstep run of eight schools in the page. */
export interface LockstepResult {
  readonly provider: string;
  readonly summary: readonly NamedSummaryRow[];
  readonly divergences: number;
  /** Per chain, per value column, the kept transitions. */
  readonly values: number[][][];
  readonly error?: string;
}

/** Lockstep chains of the benchmark eight schools on `backend`, with `settings`. */
async function lockstep(
  backend: "js" | "webgpu",
  settings: { chains: number; warmup: number; draws: number; seed: number; saveWarmup?: boolean },
): Promise<LockstepResult> {
  let provider = "";
  const { model, data } = benchmarks.eight_schools;
  const fit = await sampleLockstep(model, data, { ...settings, backend, onBackend: (b) => (provider = b.provider) });
  return {
    provider,
    summary: fit.summary(),
    divergences: fit.diagnostics().divergences.reduce((a, b) => a + b, 0),
    values: fit.chains.map((c) => c.values.map((col) => Array.from(col))),
  };
}

/** What the page offers the tests. */
export interface WebGpuPage {
  names(): string[];
  /** The dimension of model `name`. */
  dim(name: string): number;
  /** {@link BatchResult} as JSON (non-finite numbers as strings), or `{ error }`. */
  batch(name: string, points: number[][]): Promise<string>;
  /** The float32 check of compiling model `name` (its report as JSON), or `{ error }` when it refuses. */
  float32(name: string): Promise<string>;
  /** SMC of eight schools on `backend`: its log evidence and standard error as JSON, or `{ error }`. */
  smc(backend: "js" | "webgpu", seed: number): Promise<string>;
  /** {@link LockstepResult} as JSON, or `{ error }`. */
  lockstep(backend: "js" | "webgpu", settings: Parameters<typeof lockstep>[1]): Promise<string>;
}

const failure = (e: unknown) => JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });

const api: WebGpuPage = {
  names: () => Object.keys(models),
  dim: (name) => logDensity(models[name].model, models[name].data).dim,
  batch: async (name, points) => {
    try {
      return JSON.stringify(await batch(name, points), (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
    } catch (e) {
      return failure(e);
    }
  },
  float32: async (name) => {
    try {
      const density = await compile(models[name].model, models[name].data, { backend: "webgpu" });
      await density.release();
      return JSON.stringify(density.float32);
    } catch (e) {
      return failure(e);
    }
  },
  smc: async (backend, seed) => {
    try {
      const { model, data } = benchmarks.eight_schools;
      const fit = await smc(model, data, { backend, seed, runs: 4, particles: 500 });
      return JSON.stringify({ logEvidence: fit.info.logEvidence, se: fit.info.logEvidenceSe });
    } catch (e) {
      return failure(e);
    }
  },
  lockstep: (backend, settings) => lockstep(backend, settings).then((r) => JSON.stringify(r), failure),
};
(globalThis as unknown as { sampoTest: WebGpuPage }).sampoTest = api;
