/**
 * The numeric interpreter: every primitive's tangent against central finite
 * differences of its values (one table row per op and shape case), then
 * value checks against closed forms.
 */
import { describe, expect, it } from "vitest";
import type { BinaryOp, UnaryOp } from "../../src/tensor/ops.ts";
import { binaryOps, unaryOps } from "../../src/tensor/ops.ts";
import { makeMath } from "../../src/dsl/math.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { type Shape, sizeOf } from "../../src/tensor/shape.ts";
import { type NumTensor, numericOps as ops, numTensor } from "../../src/numeric/ops.ts";
import { Rng } from "../../src/random/rng.ts";
import { close } from "../helpers/agree.ts";

/**
 * Step and tolerance of the finite-difference check. With h = 1e-6 the
 * central difference has truncation error ~h²·f‴ ≈ 1e-12 and rounding error
 * ~ε·|f|/h ≈ 1e-10·|f|, so 1e-6 leaves ample margin while still catching
 * any wrong rule (those are off by O(1)).
 */
const H = 1e-6;
const RTOL = 1e-6;

/** One operand of a row: its values, and its tangent direction (null: a constant). */
interface Arg {
  values: Float64Array;
  shape: Shape;
  dir: Float64Array | null;
}

/** A table row: operands drawn from a seeded stream, and the function under test. */
interface Row {
  name: string;
  args: (rng: Rng) => Arg[];
  fn: (...xs: NumTensor[]) => NumTensor | readonly NumTensor[];
}

const normals = (rng: Rng, n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());
const uniforms = (rng: Rng, n: number, lo: number, hi: number) => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

/** An operand with values from `gen` and a standard-normal direction. */
const arg =
  (shape: Shape, gen: (rng: Rng, n: number) => Float64Array) =>
  (rng: Rng): Arg => ({
    values: gen(rng, sizeOf(shape)),
    shape,
    dir: normals(rng, sizeOf(shape)),
  });
/** A constant operand (null tangent). */
const constArg =
  (shape: Shape, gen: (rng: Rng, n: number) => Float64Array) =>
  (rng: Rng): Arg => ({
    values: gen(rng, sizeOf(shape)),
    shape,
    dir: null,
  });
const anyReal = (rng: Rng, n: number) => normals(rng, n, 1.5);
const between = (lo: number, hi: number) => (rng: Rng, n: number) => uniforms(rng, n, lo, hi);
const awayFromZero = (rng: Rng, n: number) => uniforms(rng, n, 0.5, 2).map((x) => (rng.uniform() < 0.5 ? -x : x));

/** A well-conditioned SPD matrix B Bᵀ + n I with a symmetric direction. */
const spdArg =
  (n: number) =>
  (rng: Rng): Arg => {
    const b = normals(rng, n * n);
    const a = new Float64Array(n * n);
    const dir = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) a[i * n + j] += b[i * n + k] * b[j * n + k];
        if (i === j) a[i * n + j] += n;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) dir[i * n + j] = dir[j * n + i] = rng.normal();
    }
    return { values: a, shape: [n, n], dir };
  };
/** A lower-triangular matrix with a diagonal in (1, 2); its direction is full (the upper part must be ignored). */
const lowerArg =
  (n: number) =>
  (rng: Rng): Arg => {
    const l = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) l[i * n + j] = 0.5 * rng.normal();
      l[i * n + i] = 1 + rng.uniform();
    }
    return { values: l, shape: [n, n], dir: normals(rng, n * n) };
  };

/** Where each unary op's arguments are drawn: inside its domain, away from kinks. */
const unaryDomain: { [K in UnaryOp]: (rng: Rng, n: number) => Float64Array } = {
  neg: anyReal,
  exp: anyReal,
  log: between(0.2, 4),
  log1p: between(-0.7, 3),
  expm1: anyReal,
  sqrt: between(0.2, 4),
  abs: awayFromZero,
  sigmoid: anyReal,
  softplus: anyReal,
  tanh: anyReal,
  sin: anyReal,
  cos: anyReal,
  erf: anyReal,
  lgamma: between(0.2, 6),
  digamma: between(0.2, 6),
  trigamma: between(0.3, 6),
};
/** Where each binary op's two arguments are drawn. */
const binaryDomain: { [K in BinaryOp]: [(rng: Rng, n: number) => Float64Array, (rng: Rng, n: number) => Float64Array] } = {
  add: [anyReal, anyReal],
  sub: [anyReal, anyReal],
  mul: [anyReal, anyReal],
  div: [anyReal, awayFromZero],
  pow: [between(0.3, 3), anyReal],
  max: [anyReal, anyReal],
  min: [anyReal, anyReal],
};
const elementShapes: Shape[] = [[], [5], [2, 3]];

const rows: Row[] = [
  ...unaryOps.flatMap((op) =>
    elementShapes.map((shape): Row => ({
      name: `${op} ${JSON.stringify(shape)}`,
      args: (rng) => [arg(shape, unaryDomain[op])(rng)],
      fn: (x) => ops.unary(op, x),
    })),
  ),
  {
    name: "softplus at large |x|",
    args: () => [{ values: Float64Array.of(-50, -5, 0.1, 5, 50), shape: [5], dir: Float64Array.of(1, -1, 1, 1, -1) }],
    fn: (x) => ops.unary("softplus", x),
  },
  {
    name: "sigmoid at large |x|",
    args: () => [{ values: Float64Array.of(-30, -5, 0.1, 5, 30), shape: [5], dir: Float64Array.of(1, -1, 1, 1, -1) }],
    fn: (x) => ops.unary("sigmoid", x),
  },
  ...(["lgamma", "digamma", "trigamma"] as const).map((op): Row => ({
    name: `${op} of negatives`,
    args: (rng) => [arg([4], between(-2.8, -2.2))(rng)],
    fn: (x) => ops.unary(op, x),
  })),
  ...binaryOps.flatMap((op) =>
    elementShapes.flatMap((shape): Row[] => [
      {
        name: `${op} ${JSON.stringify(shape)}`,
        args: (rng) => [arg(shape, binaryDomain[op][0])(rng), arg(shape, binaryDomain[op][1])(rng)],
        fn: (a, b) => ops.binary(op, a, b),
      },
      {
        name: `${op} ${JSON.stringify(shape)}, constant second`,
        args: (rng) => [arg(shape, binaryDomain[op][0])(rng), constArg(shape, binaryDomain[op][1])(rng)],
        fn: (a, b) => ops.binary(op, a, b),
      },
    ]),
  ),
  {
    name: "pow of a negative base, constant integer exponent",
    args: (rng) => [arg([4], between(-3, -0.5))(rng), constArg([4], () => Float64Array.of(2, 3, -1, 0))(rng)],
    fn: (a, b) => ops.binary("pow", a, b),
  },
  {
    name: "mul broadcast [3]·[2,3]",
    args: (rng) => [arg([3], anyReal)(rng), arg([2, 3], anyReal)(rng)],
    fn: (a, b) => ops.binary("mul", ops.broadcast(a, [2, 3]), b),
  },
  {
    name: "div broadcast []/[4]",
    args: (rng) => [arg([], anyReal)(rng), arg([4], awayFromZero)(rng)],
    fn: (a, b) => ops.binary("div", ops.broadcast(a, [4]), b),
  },

  ...(
    [
      [[], [2, 3]],
      [[3], [2, 3]],
      [
        [2, 1],
        [2, 3],
      ],
      [
        [1, 3],
        [4, 2, 3],
      ],
      [[3], [3]],
      [
        [2, 1, 2],
        [2, 3, 2],
      ],
    ] as [Shape, Shape][]
  ).map(([from, to]): Row => ({
    name: `broadcast ${JSON.stringify(from)}→${JSON.stringify(to)}`,
    args: (rng) => [arg(from, anyReal)(rng)],
    fn: (x) => ops.broadcast(x, to),
  })),
  { name: "reshape [2,3]→[3,2]", args: (rng) => [arg([2, 3], anyReal)(rng)], fn: (x) => ops.reshape(x, [3, 2]) },
  ...(["sum", "logSumExp"] as const).flatMap((op) =>
    (
      [
        [[], null],
        [[5], null],
        [[5], 0],
        [[2, 3], null],
        [[2, 3], 0],
        [[2, 3], 1],
        [[2, 3, 4], 1],
        [[2, 3, 4], 2],
      ] as [Shape, number | null][]
    ).map(([shape, axis]): Row => ({
      name: `${op} ${JSON.stringify(shape)} axis ${axis}`,
      args: (rng) => [arg(shape, anyReal)(rng)],
      fn: (x) => ops[op](x, axis),
    })),
  ),
  {
    name: "logSumExp with a −∞ entry",
    args: () => [{ values: Float64Array.of(-Infinity, 0.3, -1.2), shape: [3], dir: Float64Array.of(0, 1, -0.5) }],
    fn: (x) => ops.logSumExp(x, null),
  },
  { name: "gather [5] with repeats", args: (rng) => [arg([5], anyReal)(rng)], fn: (x) => ops.gather(x, Int32Array.of(4, 0, 4, 2)) },
  { name: "gather [4,3]", args: (rng) => [arg([4, 3], anyReal)(rng)], fn: (x) => ops.gather(x, Int32Array.of(3, 1)) },
  { name: "concat [2]+[3]", args: (rng) => [arg([2], anyReal)(rng), arg([3], anyReal)(rng)], fn: (a, b) => ops.concat([a, b]) },
  {
    name: "concat [2,3]+const[1,3]+[2,3]",
    args: (rng) => [arg([2, 3], anyReal)(rng), constArg([1, 3], anyReal)(rng), arg([2, 3], anyReal)(rng)],
    fn: (a, b, c) => ops.concat([a, b, c]),
  },
  { name: "transpose [2,3]", args: (rng) => [arg([2, 3], anyReal)(rng)], fn: (x) => ops.transpose(x) },
  { name: "cumsum [5]", args: (rng) => [arg([5], anyReal)(rng)], fn: (x) => ops.cumsum(x) },
  { name: "cumsum [4,2]", args: (rng) => [arg([4, 2], anyReal)(rng)], fn: (x) => ops.cumsum(x) },

  ...(
    [
      [
        [3, 4],
        [4, 2],
      ],
      [[3, 4], [4]],
      [[4], [4, 2]],
      [[4], [4]],
      [
        [1, 1],
        [1, 1],
      ],
    ] as [Shape, Shape][]
  ).flatMap(([sa, sb]): Row[] => [
    {
      name: `matmul ${JSON.stringify(sa)}·${JSON.stringify(sb)}`,
      args: (rng) => [arg(sa, anyReal)(rng), arg(sb, anyReal)(rng)],
      fn: (a, b) => ops.matmul(a, b),
    },
    {
      name: `matmul ${JSON.stringify(sa)}·const ${JSON.stringify(sb)}`,
      args: (rng) => [arg(sa, anyReal)(rng), constArg(sb, anyReal)(rng)],
      fn: (a, b) => ops.matmul(a, b),
    },
  ]),
  ...[1, 3, 4].map((n): Row => ({ name: `cholesky ${n}×${n}`, args: (rng) => [spdArg(n)(rng)], fn: (a) => ops.cholesky(a) })),
  ...([false, true] as const).flatMap((transpose) =>
    ([[3], [3, 2]] as Shape[]).flatMap((sb): Row[] => [
      {
        name: `triSolve${transpose ? "ᵀ" : ""} ${JSON.stringify(sb)}`,
        args: (rng) => [lowerArg(3)(rng), arg(sb, anyReal)(rng)],
        fn: (l, b) => ops.triSolve(l, b, transpose),
      },
      {
        name: `triSolve${transpose ? "ᵀ" : ""} ${JSON.stringify(sb)}, constant L`,
        args: (rng) => [{ ...lowerArg(3)(rng), dir: null }, arg(sb, anyReal)(rng)],
        fn: (l, b) => ops.triSolve(l, b, transpose),
      },
      {
        name: `triSolve${transpose ? "ᵀ" : ""} ${JSON.stringify(sb)}, constant b`,
        args: (rng) => [lowerArg(3)(rng), constArg(sb, anyReal)(rng)],
        fn: (l, b) => ops.triSolve(l, b, transpose),
      },
    ]),
  ),
  {
    name: "cholesky then triSolve (Mahalanobis)",
    args: (rng) => [spdArg(3)(rng), arg([3], anyReal)(rng)],
    fn: (a, b) => ops.triSolve(ops.cholesky(a), b, false),
  },

  {
    name: "scan AR(1) with captured φ",
    args: (rng) => [arg([], between(-0.9, 0.9))(rng), arg([], anyReal)(rng), arg([6], anyReal)(rng)],
    fn: (phi, x0, eps) => ar1Scan(phi, x0, eps),
  },
  {
    name: "scan VAR(1) with vector carry and matrix sequence",
    args: (rng) => [arg([2, 2], between(-0.5, 0.5))(rng), arg([2], anyReal)(rng), arg([5, 2], anyReal)(rng)],
    fn: (a, x0, eps) => {
      const r = ops.scan(
        (c, s) => {
          const next = ops.binary("add", ops.matmul(a, c[0]), s[0]);
          return { carry: [next], outputs: [next, ops.sum(ops.binary("mul", next, next), null)] };
        },
        [x0],
        [eps],
        5,
      );
      return [...r.carry, ...r.outputs];
    },
  },
];

/** An AR(1) filter xₜ = φ xₜ₋₁ + εₜ as a scan; returns [final carry, stacked xₜ]. */
function ar1Scan(phi: NumTensor, x0: NumTensor, eps: NumTensor): NumTensor[] {
  const r = ops.scan(
    (c, s) => {
      const x = ops.binary("add", ops.binary("mul", phi, c[0]), s[0]);
      return { carry: [x], outputs: [x] };
    },
    [x0],
    [eps],
    eps.shape[0],
  );
  return [...r.carry, ...r.outputs];
}

/** All outputs' values and tangents, concatenated (a null tangent as zeros). */
function flatten(out: NumTensor | readonly NumTensor[]): { v: number[]; d: number[]; anyTangent: boolean } {
  const list = Array.isArray(out) ? (out as readonly NumTensor[]) : [out as NumTensor];
  return {
    v: list.flatMap((x) => Array.from(x.v)),
    d: list.flatMap((x) => Array.from(x.d ?? new Float64Array(x.v.length))),
    anyTangent: list.some((x) => x.d !== null),
  };
}

describe("numeric ops: tangents against central finite differences", () => {
  it.each(rows.map((row, k) => [row.name, row, k] as const))("%s", (_name, row, k) => {
    const args = row.args(new Rng(1000 + k));
    const dual = flatten(row.fn(...args.map((a) => numTensor(a.values, a.shape, a.dir))));
    const shifted = (h: number) => {
      const out = flatten(
        row.fn(
          ...args.map((a) => numTensor(a.dir === null ? a.values : a.values.map((x, i) => x + h * (a.dir as Float64Array)[i]), a.shape)),
        ),
      );
      // Constants in, constants out.
      expect(out.anyTangent).toBe(false);
      return out.v;
    };
    const plus = shifted(H);
    const minus = shifted(-H);
    const fd = plus.map((p, i) => (p - minus[i]) / (2 * H));
    const gmax = fd.reduce((m, g) => (Number.isFinite(g) ? Math.max(m, Math.abs(g)) : m), 0);
    expect(dual.anyTangent).toBe(args.some((a) => a.dir !== null));
    for (let i = 0; i < fd.length; i++) {
      if (!close(dual.d[i], fd[i], RTOL, gmax))
        expect.fail(`element ${i}: tangent ${dual.d[i]}, finite difference ${fd[i]} (‖g‖∞ ${gmax})`);
    }
  });
});

const c = (values: readonly number[], shape: Shape, d: readonly number[] | null = null) =>
  numTensor(Float64Array.from(values), shape, d === null ? null : Float64Array.from(d));

describe("numeric ops: values and conventions", () => {
  it("constants have null tangents and known values; duals do not", () => {
    const k = ops.constant(Float64Array.of(1, 2), [2]);
    expect(k.d).toBeNull();
    expect(ops.knownValue(k)).toEqual(Float64Array.of(1, 2));
    expect(ops.knownValue(c([1], [], [0]))).toBeUndefined();
    expect(ops.unary("exp", k).d).toBeNull();
    expect(ops.matmul(k, k).d).toBeNull();
  });

  it("rejects arrays that do not fit the shape", () => {
    expect(() => numTensor(new Float64Array(3), [2, 2])).toThrow(/shape \[2, 2\]/);
    expect(() => numTensor(new Float64Array(4), [2, 2], new Float64Array(3))).toThrow(/tangent/);
  });

  it("takes a zero tangent entry as exactly zero, even where f′ is infinite or NaN", () => {
    expect(Array.from(ops.unary("sqrt", c([0, 4], [2], [0, 1])).d!)).toEqual([0, 0.25]);
    const p = ops.binary("pow", c([-2], [], [1]), c([3], []));
    expect(p.v[0]).toBe(-8);
    expect(p.d![0]).toBe(12);
    // The exponent's tangent is zero here, so log(−2) is never taken.
    expect(ops.binary("pow", c([-2], [], [1]), c([3], [], [0])).d![0]).toBe(12);
  });

  it("differentiates abs as sign(x), 0 at 0, and max/min by the selected argument (ties: first)", () => {
    expect(Array.from(ops.unary("abs", c([-2, 0, 3], [3], [1, 1, 1])).d!)).toEqual([-1, 0, 1]);
    const a = c([1, 2, 3], [3], [10, 10, 10]);
    const b = c([3, 2, 1], [3], [20, 20, 20]);
    expect(Array.from(ops.binary("max", a, b).d!)).toEqual([20, 10, 10]);
    expect(Array.from(ops.binary("min", a, b).d!)).toEqual([10, 10, 20]);
  });

  it("broadcasts as NumPy does", () => {
    const x = ops.broadcast(c([1, 2, 3], [3]), [2, 3]);
    expect(Array.from(x.v)).toEqual([1, 2, 3, 1, 2, 3]);
    const y = ops.broadcast(c([1, 2], [2, 1]), [2, 3]);
    expect(Array.from(y.v)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(ops.broadcast(c([7], []), [2, 2]).shape).toEqual([2, 2]);
  });

  it("sums and cumsums along an axis", () => {
    const x = c([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(ops.sum(x, 0).v)).toEqual([5, 7, 9]);
    expect(Array.from(ops.sum(x, 1).v)).toEqual([6, 15]);
    expect(ops.sum(x, null).shape).toEqual([]);
    expect(Array.from(ops.cumsum(x).v)).toEqual([1, 2, 3, 5, 7, 9]);
  });

  it("computes logSumExp stably, with −∞ and +∞ entries and no NaN", () => {
    const close15 = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-15);
    close15(ops.logSumExp(c([-Infinity, 0, Math.log(3)], [3]), null).v[0], Math.log(4));
    close15(ops.logSumExp(c([1000, 1000], [2]), null).v[0], 1000 + Math.LN2);
    const allNegInf = ops.logSumExp(c([-Infinity, -Infinity], [2], [1, 1]), null);
    expect(allNegInf.v[0]).toBe(-Infinity);
    expect(allNegInf.d![0]).toBe(0);
    const rowsWise = ops.logSumExp(c([-Infinity, -Infinity, 0, 0], [2, 2], [1, 2, 3, 4]), 1);
    expect(rowsWise.v[0]).toBe(-Infinity);
    close15(rowsWise.v[1], Math.LN2);
    expect(rowsWise.d![0]).toBe(0);
    close15(rowsWise.d![1], 3.5);
    const posInf = ops.logSumExp(c([Infinity, 0], [2], [1, 1]), null);
    expect(posInf.v[0]).toBe(Infinity);
    expect(posInf.d![0]).toBe(0);
  });

  it("gives matmul results the shapes [m,n], [m], [n], []", () => {
    const m = c([1, 2, 3, 4, 5, 6], [2, 3]);
    const n = c([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(ops.matmul(m, n)).toMatchObject({ shape: [2, 2], v: Float64Array.of(4, 5, 10, 11) });
    expect(ops.matmul(m, c([1, 1, 1], [3]))).toMatchObject({ shape: [2], v: Float64Array.of(6, 15) });
    expect(ops.matmul(c([1, 1], [2]), m)).toMatchObject({ shape: [3], v: Float64Array.of(5, 7, 9) });
    expect(ops.matmul(c([1, 2], [2]), c([3, 4], [2]))).toMatchObject({ shape: [], v: Float64Array.of(11) });
  });

  it("factors A = L Lᵀ with L lower triangular", () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 5]) {
      const a = spdArg(n)(rng).values;
      const l = ops.cholesky(numTensor(a, [n, n]));
      const llt = ops.matmul(l, ops.transpose(l));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (j > i) expect(l.v[i * n + j]).toBe(0);
          expect(Math.abs(llt.v[i * n + j] - a[i * n + j])).toBeLessThan(1e-12 * n);
        }
      }
    }
  });

  it("returns an all-NaN factor (and tangent) for a matrix that is not positive definite", () => {
    const l = ops.cholesky(c([1, 2, 2, 1], [2, 2], [1, 0, 0, 1]));
    expect(Array.from(l.v).every(Number.isNaN)).toBe(true);
    expect(Array.from(l.d!).every(Number.isNaN)).toBe(true);
    expect(Array.from(ops.cholesky(c([NaN], [1, 1])).v)).toEqual([NaN]);
  });

  it("solves triangular systems: residuals L x − b and Lᵀ x − b vanish", () => {
    const rng = new Rng(8);
    const lArg = lowerArg(4)(rng);
    const l = numTensor(lArg.values, [4, 4]);
    for (const shape of [[4], [4, 3]] as Shape[]) {
      const b = numTensor(normals(rng, sizeOf(shape)), shape);
      for (const transpose of [false, true]) {
        const x = ops.triSolve(l, b, transpose);
        expect(x.shape).toEqual(shape);
        const lx = ops.matmul(transpose ? ops.transpose(l) : l, x);
        lx.v.forEach((y, i) => expect(Math.abs(y - b.v[i])).toBeLessThan(1e-13));
      }
    }
  });

  it("runs an AR(1) filter in a scan exactly as a hand loop", () => {
    const eps = [0.5, -1, 0.25, 2, -0.75];
    const [carry, xs] = ar1Scan(c([0.8], []), c([1], []), c(eps, [5]));
    const want: number[] = [];
    let x = 1;
    for (const e of eps) want.push((x = 0.8 * x + e));
    expect(xs.shape).toEqual([5]);
    expect(Array.from(xs.v)).toEqual(want);
    expect(carry.v[0]).toBe(x);
    expect(xs.d).toBeNull();
  });

  it("gives a scan of length 0 outputs of shape [0, ...] and the initial carry", () => {
    const x0 = c([1, 2], [2]);
    const r = ops.scan(
      (cs, s) => ({ carry: [ops.binary("add", cs[0], s[0])], outputs: [ops.sum(cs[0], null), ops.binary("mul", cs[0], s[0])] }),
      [x0],
      [c([], [0, 2])],
      0,
    );
    expect(r.carry[0]).toBe(x0);
    expect(r.outputs.map((o) => o.shape)).toEqual([[0], [0, 2]]);
  });

  it("serves as the value type of makeMath (log det through Cholesky)", () => {
    const m = makeMath(ops, { site: () => undefined });
    const a = c([4, 2, 2, 3], [2, 2], [1, 0, 0, 0]) as unknown as Tensor<2>;
    const ld = m.logDetSpd(a) as unknown as NumTensor;
    expect(Math.abs(ld.v[0] - Math.log(8))).toBeLessThan(1e-14);
    // ∂ log det A / ∂A₀₀ = (A⁻¹)₀₀ = 3/8.
    expect(Math.abs(ld.d![0] - 3 / 8)).toBeLessThan(1e-14);
  });
});
