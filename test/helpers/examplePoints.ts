/**
 * Evaluation points and the error measure the batched backends' example
 * tests share (ONNX, WebGPU). Points are seeded uniform draws in (−2, 2)^d,
 * except for the Gaussian-process models, whose kernel matrices are
 * near-singular at random length scales: there ρ and α (and σ) come from
 * posteriordb's reference draws (test/fixtures/onnx-points), and
 * gp_pois_regr's f_tilde, absent from those draws, stays random.
 */
import { readFileSync } from "node:fs";
import type { CompiledDensity } from "../../src/codegen/density.ts";
import { close, randomPoints } from "./agree.ts";

/** Points of a batch. */
export const POINTS = 32;
const FROM_DRAWS = new Set(["gp_pois_regr-gp_pois_regr", "gp_pois_regr-gp_regr"]);
/** Beyond float32's range: points whose reference values exceed it are not compared in float32. */
export const FLOAT32_MAX = 3.4e38;

/** Evaluation points of example `name` (see the file comment). */
export function examplePoints(name: string, density: CompiledDensity, seed: number): Float64Array[] {
  const random = randomPoints(density.dim, POINTS, seed);
  if (!FROM_DRAWS.has(name)) return random;
  const { draws } = JSON.parse(readFileSync(new URL(`../fixtures/onnx-points/${name}.json`, import.meta.url), "utf8")) as {
    draws: Record<string, number>[];
  };
  return draws.map((draw, i) => {
    const values: Record<string, number | number[]> = {};
    for (const e of density.layout) values[e.name] = e.name in draw ? draw[e.name] : new Array<number>(e.size).fill(0);
    const theta = density.unconstrain(values);
    // Sites the draws do not have keep their random coordinates.
    for (const e of density.layout) if (!(e.name in draw)) theta.set(random[i].subarray(e.offset, e.offset + e.size), e.offset);
    return theta;
  });
}

/** log p and gradient at one point. */
export interface Evaluated {
  readonly logp: number;
  readonly grad: ArrayLike<number>;
}

/**
 * The worst relative error of `got` against `want`, point by point:
 * |a − b| / max(|log p|, ‖∇‖∞, 1), ∞ where a value differs in kind
 * (finite against not). With `limit`, points whose reference exceeds it
 * are skipped (float32's range).
 */
export function worstError(got: readonly Evaluated[], want: readonly Evaluated[], limit = Infinity): number {
  let worst = 0;
  want.forEach((w, i) => {
    const gmax = Array.from(w.grad).reduce((a, g) => Math.max(a, Math.abs(g)), 0);
    if (Math.max(Math.abs(w.logp), gmax) > limit) return;
    const scale = Math.max(Math.abs(w.logp), gmax, 1);
    const pairs: [number, number][] = [[got[i].logp, w.logp], ...Array.from(w.grad, (g, k): [number, number] => [got[i].grad[k], g])];
    for (const [a, b] of pairs) {
      if (!Number.isFinite(b) || !Number.isFinite(a)) worst = Math.max(worst, close(a, b, 0, gmax) ? 0 : Infinity);
      else worst = Math.max(worst, Math.abs(a - b) / scale);
    }
  });
  return worst;
}
