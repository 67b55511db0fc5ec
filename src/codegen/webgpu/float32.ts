/**
 * Is float32 enough for this model? The WebGPU shader's log p and gradient
 * are compared with the float64 JavaScript density of the same model at 32
 * points drawn uniformly from (−2, 2)^d (Stan's initialization region;
 * seed fixed), in one batch. The error of a point is
 * max |float32 − float64| over log p and every gradient component, divided
 * by max(|log p|, ‖∇‖∞, 1); a point where the float64 values are finite but
 * the float32 ones are not has error ∞. Points whose float64 values exceed
 * float32's range (1e30 here) are left out: no float32 code can represent
 * them, and a sampler does not stay there.
 *
 * Most models come out at 1e-7 to 1e-5. Models whose float32 evaluation
 * is wrong (a Gaussian process whose kernel matrix is singular in single
 * precision, long forward-algorithm recursions) come out at 1e-2 to ∞; the
 * default tolerance, 1e-3, separates the two.
 * @module
 */
import type { BatchDensity } from "../batch.ts";
import type { CompiledDensity } from "../density.ts";
import { Rng } from "../../random/rng.ts";

/** What to do when float32 is not accurate enough. */
export type Float32Check = "refuse" | "warn" | "off";

/** Largest relative error accepted (see the module comment). */
export const FLOAT32_TOLERANCE = 1e-3;
const POINTS = 32;
const SEED = 0x5f32;
const RANGE = 1e30;

/** What the float32 check measured. */
export interface Float32Report {
  /** Worst relative error over the points compared. */
  readonly error: number;
  /** Where it was: "log p" or "∂/∂<site>[k]". */
  readonly where: string;
  /** The point (unconstrained θ) where it was. */
  readonly point: readonly number[];
  /** Points compared (of 32). */
  readonly points: number;
  /** The tolerance it was held to. */
  readonly tolerance: number;
  /** Whether float32 is accurate enough. */
  readonly ok: boolean;
}

/** A model float32 cannot evaluate accurately enough, refused by the WebGPU backend. */
export class Float32Error extends Error {
  override readonly name = "Float32Error";
  constructor(readonly report: Float32Report) {
    super(
      `float32 is not accurate enough for this model on WebGPU: relative error ${report.error.toPrecision(2)} in ${report.where} ` +
        `(tolerance ${report.tolerance}) at θ = [${report.point.map((x) => x.toFixed(3)).join(", ")}]; ` +
        'use the "js" or "onnx" backend (float64), or pass float32Check: "warn" to sample anyway',
    );
  }
}

/** The name of θ component `k` in the density's layout. */
function componentName(density: CompiledDensity, k: number): string {
  const e = density.layout.find((x) => k >= x.offset && k < x.offset + x.size);
  return e === undefined ? `θ[${k}]` : `∂/∂${e.name}${e.size > 1 || e.shape.length > 0 ? `[${k - e.offset}]` : ""}`;
}

/** Compares `gpu` with `reference` (see the module comment); refuses or warns per `mode`. */
export async function checkFloat32(
  gpu: BatchDensity,
  reference: CompiledDensity,
  mode: Exclude<Float32Check, "off">,
): Promise<Float32Report> {
  const d = reference.dim;
  const rng = new Rng(SEED);
  const points = Float64Array.from({ length: POINTS * d }, () => 4 * rng.uniform() - 2);
  const logp = new Float64Array(POINTS);
  const grad = new Float64Array(POINTS * d);
  await gpu.logpGradBatch(points, POINTS, logp, grad);
  let worst: Omit<Float32Report, "points" | "tolerance" | "ok"> = { error: 0, where: "log p", point: [] };
  let compared = 0;
  const want = new Float64Array(d);
  for (let i = 0; i < POINTS; i++) {
    const theta = points.subarray(i * d, (i + 1) * d);
    let lp: number;
    try {
      lp = reference.logpGrad(theta, want);
    } catch {
      continue;
    }
    const values = [lp, ...want];
    if (!values.every((v) => Number.isFinite(v) && Math.abs(v) < RANGE)) continue;
    compared++;
    const scale = Math.max(1, ...values.map(Math.abs));
    const got = [logp[i], ...grad.subarray(i * d, (i + 1) * d)];
    got.forEach((g, k) => {
      const error = Number.isFinite(g) ? Math.abs(g - values[k]) / scale : Infinity;
      if (error > worst.error) worst = { error, where: k === 0 ? "log p" : componentName(reference, k - 1), point: Array.from(theta) };
    });
  }
  const report: Float32Report = { ...worst, points: compared, tolerance: FLOAT32_TOLERANCE, ok: worst.error <= FLOAT32_TOLERANCE };
  if (!report.ok && mode === "refuse") throw new Float32Error(report);
  return report;
}
