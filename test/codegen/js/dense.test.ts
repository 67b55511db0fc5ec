/**
 * The WebAssembly dense kernels and the dense mode of the JavaScript backend.
 *
 * - kernels.ts holds exactly what kernels.wat assembles to (no drift).
 * - gemv and gemvT, in WebAssembly and as the arena's plain loops, agree with
 *   a naive sum on generated shapes (tails of every length, one row, one
 *   column) to 1e-13 · Σ|terms|: a different summation order changes a sum
 *   of n terms by at most about n·ε·Σ|terms| (n ≤ 40 here, so ≤ 1e-14).
 * - exp and softplusSigmoid, both ways, agree with Math.exp and the
 *   generated code's helpers on any float64 (extremes, ±0, ±∞, NaN; odd
 *   lengths) to 4 ulps: e^t and log(1 + f) are each within one ulp
 *   (fdlibm's bounds; the kernels take their method), and the few roundings
 *   around them add at most two more; a subnormal e^t is rounded once more,
 *   within two of the smallest subnormals. They write nothing past element n.
 * - Every example compiled in dense mode agrees with the same module in loop
 *   mode on log p and its gradient to 1e-12 · max(|b|, ‖∇‖∞, 1) (the issue's
 *   bound; only the products' summation order and the kernels' last bits differ).
 */
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { benchmarks, posteriordb } from "../../../examples/index.ts";
import * as logistic from "../../../examples/logistic.ts";
import { buildGraph } from "../../../src/interpreters/graph.ts";
import { compilePlain } from "../../../src/codegen/js/plain.ts";
import { emitModule } from "../../../src/codegen/js/module.ts";
import { loadDensity } from "../../../src/codegen/js/load.ts";
import { DenseArena } from "../../../src/codegen/js/dense/arena.ts";
import { model } from "../../../src/dsl/model.ts";
import { KERNELS_BASE64 } from "../../../src/codegen/js/dense/kernels.ts";
import { assemble, DENSE, kernelsModule } from "../../../scripts/buildWasm.ts";
import { examplePoints, worstError } from "../../helpers/examplePoints.ts";
import { DEFAULT_RUNS, propertyParameters } from "../../helpers/property.ts";
import { functionSource } from "../../helpers/moduleSource.ts";

/** A generated product: an n × k matrix and a vector long enough for either side. */
interface Product {
  readonly n: number;
  readonly k: number;
  readonly X: number[];
  readonly v: number[];
}

describe("dense kernels", () => {
  it("kernels.ts is what kernels.wat assembles to (run npm run build:wasm after editing the .wat)", async () => {
    const bytes = await assemble(DENSE);
    expect(kernelsModule(DENSE, bytes)).toContain(KERNELS_BASE64);
    expect(Buffer.from(bytes).toString("base64")).toBe(KERNELS_BASE64);
  });

  const shapeAndValues = fc.record({ n: fc.integer({ min: 1, max: 40 }), k: fc.integer({ min: 1, max: 40 }) }).chain(({ n, k }) =>
    fc.record({
      n: fc.constant(n),
      k: fc.constant(k),
      X: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n * k, maxLength: n * k }),
      v: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: Math.max(n, k), maxLength: Math.max(n, k) }),
    }),
  );

  for (const loops of [false, true]) {
    test.prop([shapeAndValues], propertyParameters<[Product]>(DEFAULT_RUNS))(
      `${loops ? "plain loops" : "WebAssembly"}: gemv and gemvT equal the naive sums`,
      ({ n, k, X, v }) => {
        const w = new DenseArena({ loops });
        const len = Math.max(n, k);
        w.reserve(n * k + 2 * len);
        const [Xa, va, ya] = [w.f64(n * k), w.f64(len), w.f64(len)];
        Xa.set(X);
        va.set(v);
        const check = (got: Float64Array, rows: number, cols: number, at: (r: number, c: number) => number) => {
          for (let r = 0; r < rows; r++) {
            let sum = 0;
            let abs = 0;
            for (let c = 0; c < cols; c++) ((sum += at(r, c) * v[c]), (abs += Math.abs(at(r, c) * v[c])));
            expect(Math.abs(got[r] - sum)).toBeLessThanOrEqual(1e-13 * abs);
          }
        };
        w.gemv(Xa, va, ya, n, k);
        check(ya, n, k, (i, j) => X[i * k + j]);
        w.gemvT(Xa, va, ya, n, k);
        check(ya, k, n, (j, i) => X[i * k + j]);
      },
    );
  }

  // The generated code's helpers (codegen/js/syntax.ts), which the kernel replaces.
  const sigmoid = (x: number) => {
    const u = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + u) : u / (1 + u);
  };
  const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  const ULPS = 4;
  const SUBNORMAL = 2 ** -1074;
  const near = (got: number, want: number) =>
    Object.is(got, want) || (Number.isFinite(want) && Math.abs(got - want) <= ULPS * Number.EPSILON * Math.abs(want) + 2 * SUBNORMAL);
  const anyDouble = fc.oneof(
    fc.double(),
    fc.double({ min: -40, max: 40 }),
    fc.double({ min: -746, max: -707 }),
    fc.constantFrom(-746, -745.2, 709.78, 709.79, 36.7, -0, 0),
  );

  for (const loops of [false, true]) {
    test.prop([fc.array(anyDouble, { minLength: 1, maxLength: 41 })], propertyParameters<[number[]]>(DEFAULT_RUNS))(
      `${loops ? "plain loops" : "WebAssembly"}: softplusSigmoid equals the helpers to ${ULPS} ulps, and writes nothing past n`,
      (xs) => {
        const n = xs.length;
        const w = new DenseArena({ loops });
        w.reserve(3 * (n + 1));
        const [x, sp, sg] = [w.f64(n + 1), w.f64(n + 1), w.f64(n + 1)];
        x.set(xs);
        sp[n] = sg[n] = 7;
        w.softplusSigmoid(x, sp, sg, n);
        xs.forEach((v, i) => {
          expect(near(sp[i], softplus(v)), `softplus(${v}) = ${sp[i]}, not ${softplus(v)}`).toBe(true);
          expect(near(sg[i], sigmoid(v)), `sigmoid(${v}) = ${sg[i]}, not ${sigmoid(v)}`).toBe(true);
        });
        expect([sp[n], sg[n]]).toEqual([7, 7]);
      },
    );

    test.prop([fc.array(anyDouble, { minLength: 1, maxLength: 41 })], propertyParameters<[number[]]>(DEFAULT_RUNS))(
      `${loops ? "plain loops" : "WebAssembly"}: exp equals Math.exp to ${ULPS} ulps (2 subnormals), in place too, and writes nothing past n`,
      (xs) => {
        const n = xs.length;
        const w = new DenseArena({ loops });
        w.reserve(2 * (n + 1));
        const [x, y] = [w.f64(n + 1), w.f64(n + 1)];
        x.set(xs);
        x[n] = y[n] = 7;
        w.exp(x, y, n);
        xs.forEach((v, i) => expect(near(y[i], Math.exp(v)), `exp(${v}) = ${y[i]}, not ${Math.exp(v)}`).toBe(true));
        w.exp(x, x, n);
        expect(Array.from(x)).toEqual(Array.from(y));
      },
    );
  }

  it("a view asked for beyond the reservation is an error, not a silent overlap", () => {
    const w = new DenseArena();
    w.reserve(4);
    w.f64(3);
    expect(() => w.f64(2)).toThrow(/5 float64s asked for, 4 reserved/);
  });
});

describe("dense mode of the JavaScript backend", () => {
  const examples = { ...benchmarks, ...posteriordb };
  for (const [name, ex] of Object.entries(examples)) {
    it(`${name}: dense mode equals loop mode to 1e-12`, () => {
      const plain = compilePlain(ex.model, ex.data);
      const dense = loadDensity(plain);
      const loops = loadDensity({ ...plain, source: emitModule(buildGraph(ex.model, ex.data), undefined, { dense: false }).source });
      const points = examplePoints(name, dense, 7);
      const at = (d: typeof dense) =>
        points.map((p) => {
          const grad = new Float64Array(d.dim);
          return { logp: d.logpGrad(p, grad), grad };
        });
      expect(worstError(at(dense), at(loops))).toBeLessThanOrEqual(1e-12);
    });
  }

  it("logistic's two products run in the kernels, its softplus and sigmoid in one call, and new data reaches them", () => {
    const doubledX = logistic.data.X.map((row) => row.map((x) => 2 * x));
    const plain = compilePlain(logistic.default, logistic.data);
    expect(plain.source).toMatch(/W\.gemv\(/);
    expect(plain.source).toMatch(/W\.gemvT\(/);
    // One call in logp (softplus alone), one in logpGrad (softplus and the gradient's sigmoid of the same η).
    const calls = (name: string) => functionSource(plain.source, name).match(/W\.softplusSigmoid\(/g);
    expect(calls("logp")).toHaveLength(1);
    expect(calls("logpGrad")).toHaveLength(1);
    const density = loadDensity(plain);
    const theta = new Float64Array(density.dim).fill(0.1);
    const before = density.logp(theta);
    density.setData({ X: doubledX });
    const doubled = loadDensity(compilePlain(logistic.default, { ...logistic.data, X: doubledX }));
    expect(density.logp(theta)).toBe(doubled.logp(theta));
    expect(density.logp(theta)).not.toBe(before);
  });

  it("sv's exp(2h) runs in the exp kernel", () => {
    expect(compilePlain(benchmarks.sv.model, benchmarks.sv.data).source).toMatch(/W\.exp\(/);
  });

  // A parameter vector's softplus (its input copied into the arena), a sigmoid alone, and vectors too short for the kernel.
  const kernelModel = model((m, d: { y: readonly number[] }) => {
    const x = m.sample("x", m.normal(0, 3), { shape: [d.y.length] });
    const short = m.sample("short", m.normal(0, 1), { shape: [4] });
    m.observe("y", m.bernoulliLogit(x), d.y);
    m.factor("shortTerm", m.sum(m.log1pExp(short)));
    return { p: m.invLogit(m.mul(2, x)) };
  });
  const kernelData = { y: Array.from({ length: 45 }, (_, i) => (i % 3 === 0 ? 1 : 0)) };

  it("a model whose softplus and sigmoid vectors take the kernel's other paths equals loop mode to 1e-12", () => {
    const plain = compilePlain(kernelModel, kernelData);
    expect(plain.source).toMatch(/W\.softplusSigmoid\(_x\d+, /);
    const dense = loadDensity(plain);
    const loops = loadDensity({ ...plain, source: emitModule(buildGraph(kernelModel, kernelData), undefined, { dense: false }).source });
    expect(loops.toPlain().source).not.toMatch(/softplusSigmoid/);
    for (const scale of [0.5, 40, 800]) {
      const theta = Float64Array.from({ length: dense.dim }, (_, i) => scale * Math.sin(1 + 7 * i));
      const [g1, g2] = [new Float64Array(dense.dim), new Float64Array(dense.dim)];
      const lp = dense.logpGrad(theta, g1);
      expect(Math.abs(lp - loops.logpGrad(theta, g2))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(lp)));
      g1.forEach((g, i) => expect(Math.abs(g - g2[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(g))));
      const [c1, c2] = [new Float64Array(dense.valueSize), new Float64Array(dense.valueSize)];
      dense.constrain(theta, c1);
      loops.constrain(theta, c2);
      c1.forEach((c, i) => expect(Math.abs(c - c2[i])).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(c2[i])));
    }
  });
});
