/**
 * Every transform: the inverse undoes the forward map, the image lies in the
 * support, and the log-Jacobian equals log |det J| of the map from z to the
 * free coordinates of x, computed by central differences (h = 1e-5, so the
 * O(h²) error allows agreement to 1e-6).
 */
import { describe, expect, it } from "vitest";
import { makeMath } from "../../src/dsl/math.ts";
import type { Shape } from "../../src/tensor/shape.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { type NumTensor, numericOps, numTensor } from "../../src/numeric/ops.ts";
import { getTransform } from "../../src/transforms/index.ts";
import { randomPoints } from "../helpers/agree.ts";
import type { TransformType } from "../../src/tensor/layout.ts";

const m = makeMath(numericOps, { site: () => undefined });
const asNum = (t: Tensor) => t as unknown as NumTensor;

interface Case {
  type: TransformType;
  shape: Shape;
  lower?: number[];
  upper?: number[];
  /** Indices of x that are free coordinates (the rest are determined by them). */
  free?: (size: number) => number[];
  /** Asserts x lies in the support. */
  inSupport: (x: Float64Array, lo?: number[], hi?: number[]) => boolean;
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i);
const firstOfEach = (k: number) => (size: number) => all(size).filter((i) => i % k !== k - 1);
const strictLower = (k: number) => (size: number) => all(size).filter((i) => Math.floor((i % (k * k)) / k) > i % k);
const real = () => true;
const increasing = (k: number) => (x: Float64Array) => all(x.length).every((i) => i % k === 0 || x[i] > x[i - 1]);

const cases: Case[] = [
  { type: "identity", shape: [3], inSupport: real },
  { type: "log", shape: [2, 2], inSupport: (x) => x.every((v) => v > 0) },
  { type: "lower", shape: [3], lower: [-1, 2, 5], inSupport: (x, lo) => x.every((v, i) => v > lo![i]) },
  { type: "upper", shape: [2], upper: [0.5, -3], inSupport: (x, _lo, hi) => x.every((v, i) => v < hi![i]) },
  {
    type: "lowerUpper",
    shape: [3],
    lower: [-1, 0, 10],
    upper: [1, 0.1, 20],
    inSupport: (x, lo, hi) => x.every((v, i) => v > lo![i] && v < hi![i]),
  },
  { type: "logit", shape: [4], inSupport: (x) => x.every((v) => v > 0 && v < 1) },
  { type: "ordered", shape: [4], inSupport: increasing(4) },
  { type: "ordered", shape: [2, 3], inSupport: increasing(3) },
  { type: "positiveOrdered", shape: [3], inSupport: (x) => x[0] > 0 && increasing(3)(x) },
  {
    type: "simplex",
    shape: [4],
    free: firstOfEach(4),
    inSupport: (x) => x.every((v) => v > 0) && Math.abs(x.reduce((a, b) => a + b) - 1) < 1e-12,
  },
  {
    type: "simplex",
    shape: [2, 3],
    free: firstOfEach(3),
    inSupport: (x) => x.every((v) => v > 0) && Math.abs(x.slice(0, 3).reduce((a, b) => a + b) - 1) < 1e-12,
  },
  {
    type: "choleskyCorr",
    shape: [4, 4],
    free: strictLower(4),
    inSupport: (x) => all(4).every((i) => Math.abs(all(4).reduce((a, j) => a + x[i * 4 + j] ** 2, 0) - 1) < 1e-12 && x[i * 4 + i] > 0),
  },
  {
    type: "choleskyCorr",
    shape: [2, 3, 3],
    free: strictLower(3),
    inSupport: (x) => all(6).every((r) => Math.abs(all(3).reduce((a, j) => a + x[r * 3 + j] ** 2, 0) - 1) < 1e-12),
  },
];

function forward(c: Case, z: Float64Array): { x: Float64Array; logJac: number } {
  const t = getTransform(c.type);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const bound = (b?: number[]) => (b === undefined ? undefined : (numTensor(Float64Array.from(b), [b.length]) as unknown as Tensor));
  const out = t.forward(m, numTensor(z, [z.length]) as unknown as Tensor<1>, c.shape, { lower: bound(c.lower), upper: bound(c.upper) });
  expect(asNum(out.x).v.length).toBe(size);
  return { x: asNum(out.x).v, logJac: asNum(out.logJac).v[0] };
}

/** log |det A| of a square matrix (row-major) by Gaussian elimination with partial pivoting. */
function logAbsDet(a: Float64Array[], n: number): number {
  const r = a.map((row) => Float64Array.from(row));
  let acc = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(r[i][c]) > Math.abs(r[p][c])) p = i;
    [r[c], r[p]] = [r[p], r[c]];
    acc += Math.log(Math.abs(r[c][c]));
    for (let i = c + 1; i < n; i++) {
      const f = r[i][c] / r[c][c];
      for (let j = c; j < n; j++) r[i][j] -= f * r[c][j];
    }
  }
  return acc;
}

describe("transforms", () => {
  for (const c of cases) {
    const t = getTransform(c.type);
    const dim = t.unconstrainedSize(c.shape);
    it(`${c.type} ${JSON.stringify(c.shape)}: round trip, support, log-Jacobian`, () => {
      for (const z of randomPoints(dim, 5, 11)) {
        const { x, logJac } = forward(c, z);
        expect(c.inSupport(x, c.lower, c.upper)).toBe(true);
        const n = x.length;
        const rep = (b?: number[]) => (b === undefined ? undefined : Float64Array.from({ length: n }, (_, i) => b[i % b.length]));
        const back = t.inverse(x, c.shape, { lower: rep(c.lower), upper: rep(c.upper) });
        for (let i = 0; i < dim; i++) expect(back[i]).toBeCloseTo(z[i], 10);

        const free = (c.free ?? all)(n);
        expect(free.length).toBe(dim);
        const h = 1e-5;
        const jac = free.map(() => new Float64Array(dim));
        for (let j = 0; j < dim; j++) {
          const up = Float64Array.from(z);
          const down = Float64Array.from(z);
          up[j] += h;
          down[j] -= h;
          const xu = forward(c, up).x;
          const xd = forward(c, down).x;
          free.forEach((i, row) => (jac[row][j] = (xu[i] - xd[i]) / (2 * h)));
        }
        expect(Math.abs(logJac - logAbsDet(jac, dim))).toBeLessThan(1e-6 * Math.max(1, Math.abs(logJac)));
      }
    });
  }

  it("the simplex at z = 0 is uniform, as in Stan", () => {
    const { x } = forward(cases[9], new Float64Array(3));
    for (const v of x) expect(v).toBeCloseTo(0.25, 14);
  });

  it("the log-Jacobian of choleskyCorr stays finite far out", () => {
    const { logJac } = forward(
      cases[11],
      Float64Array.from({ length: 6 }, (_, i) => (i % 2 ? 40 : -40)),
    );
    expect(Number.isFinite(logJac)).toBe(true);
  });
});
