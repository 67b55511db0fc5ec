/**
 * The standalone TypeScript module of a density: every emitted file
 * type-checks on its own under `tsc --strict` (one tsc run for all), has no
 * imports and no escapes, and computes what `compile(model, data)` computes
 * at 20 seeded points of (−2, 2)^d — bit for bit, or within 1e-12 under the
 * design's rule where it calls special functions (composite versions there,
 * @stdlib's in the JavaScript backend) or where the JavaScript backend runs
 * large matrix–vector products in its WebAssembly kernels (which sum in
 * another order; the module keeps the loops).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Project } from "ts-morph";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The examples one by one, not the registry: it would load every posteriordb data set.
import * as eightSchools from "../../../examples/eight_schools.ts";
import * as funnel from "../../../examples/funnel.ts";
import type { Example } from "../../../examples/index.ts";
import * as logistic from "../../../examples/logistic.ts";
import * as arma from "../../../examples/posteriordb/arma-arma11.ts";
import * as hmm from "../../../examples/posteriordb/hmm_example-hmm_example.ts";
import * as radon from "../../../examples/posteriordb/radon_mn-radon_hierarchical_intercept_noncentered.ts";
import * as sv from "../../../examples/sv.ts";
import * as glmm from "../../../examples/posteriordb/GLMM_Poisson_data-GLMM_Poisson_model.ts";
import { compile } from "../../../src/codegen/compile.ts";
import { specialFunction } from "../../../src/codegen/ts/special.ts";
import { emitStandaloneTs } from "../../../src/codegen/ts/standalone.ts";
import * as composite from "../../../src/special/composite/index.ts";
import { type Model, model, type Outputs } from "../../../src/dsl/model.ts";
import { expectAgree, randomPoints } from "../../helpers/agree.ts";
import { hostile, hostileData, hostileNames as names } from "../../helpers/hostile.ts";
import { opModel } from "../../helpers/opModel.ts";

/** A model with its data (examples/index.ts's `example`, without loading the registry). */
const example = <D, O extends Outputs>(m: Model<D, O>, data: D): Example => ({ model: m as unknown as Model<unknown, Outputs>, data });

/** What an emitted module exports. */
interface Standalone {
  readonly dim: number;
  readonly layout: readonly unknown[];
  readonly valueLayout: readonly unknown[];
  readonly valueSize: number;
  readonly data: readonly { readonly name: string; readonly shape: readonly number[]; readonly values: Float64Array }[];
  logp(th: Float64Array): number;
  logpGrad(th: Float64Array, grad: Float64Array): number;
  constrain(th: Float64Array, out?: Float64Array): Float64Array;
  prepare(): void;
}

const K = 40;
/** Large enough that the JavaScript backend splits its functions into parts. */
const many = model((m, d: { y: number[] }) => {
  for (let k = 0; k < K; k++) m.observe(`y${k}`, m.normal(m.sample(`mu${k}`, m.normal(0, 1)), m.sample(`s${k}`, m.exponential(1))), d.y);
  return {};
});

const specials = opModel(4, (m, x) => m.add(m.add(m.erf(m.mul(x, 2)), m.lgamma(m.mul(x, 3))), m.digamma(m.add(m.exp(x), 0.25))));

/** Examples by what they exercise; `special` ones call special functions. */
const cases: readonly { readonly name: string; readonly ex: Example; readonly special?: true }[] = [
  { name: "eight_schools", ex: example(eightSchools.default, eightSchools.data) },
  { name: "logistic", ex: example(logistic.default, logistic.data) },
  { name: "funnel", ex: example(funnel.default, funnel.data) },
  { name: "arma11 (scan)", ex: example(arma.default, arma.data) },
  { name: "hmm_example (scan, tables)", ex: example(hmm.default, hmm.data) },
  { name: "radon (gathers)", ex: example(radon.default, radon.data) },
  { name: "split into parts", ex: example(many, { y: [1, 2, 3, 4, 5, 6, 7, 8] }) },
  { name: "hostile names", ex: example(hostile, hostileData) },
  { name: "sv (lgamma, digamma)", ex: example(sv.default, sv.data), special: true },
  { name: "GLMM Poisson (lgamma)", ex: example(glmm.default, glmm.data), special: true },
  { name: "erf, lgamma and digamma (trigamma in the gradient), poles included", ex: example(specials, undefined), special: true },
];

const specialNames = ["lgamma", "digamma", "trigamma", "tetragamma", "erf"] as const;
/** Every special function written out, exported: a module of its own. */
const specialsSource = new Project({ useInMemoryFileSystem: true })
  .createSourceFile("specials.ts", { statements: specialNames.map((name) => ({ ...specialFunction(name), isExported: true })) })
  .getFullText();

const dir = mkdtempSync(join(tmpdir(), "sampo-standalone-"));
const file = (k: number) => join(dir, `density${k}.ts`);
const sources: string[] = [];
let tscOutput = "";

/** Evaluates an emitted module: transpiled to CommonJS, run in a function scope. */
function load<M = Standalone>(source: string): M {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports = {};
  new Function("exports", js)(exports);
  return exports as M;
}

/** The tokens of a source, comments left out. */
function tokens(source: string): { kind: ts.SyntaxKind; text: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, source);
  const out: { kind: ts.SyntaxKind; text: string }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan())
    out.push({ kind, text: scanner.getTokenText() });
  return out;
}

beforeAll(() => {
  cases.forEach(({ ex }, k) => {
    sources[k] = emitStandaloneTs(ex.model, ex.data);
    writeFileSync(file(k), sources[k]);
  });
  writeFileSync(join(dir, "specials.ts"), specialsSource);
  // Only the standard library: no DOM, no @types, no sampo.
  const compilerOptions = { strict: true, noEmit: true, target: "ES2022", module: "ESNext", lib: ["ES2022"], types: [] };
  const files = [...cases.map((_, k) => file(k)), join(dir, "specials.ts")];
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  try {
    execFileSync(join(process.cwd(), "node_modules", ".bin", "tsc"), ["-p", dir], { encoding: "utf8" });
  } catch (e) {
    tscOutput = String((e as { stdout?: string }).stdout ?? e);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("standalone TypeScript module", () => {
  it("type-checks under tsc --strict, alone, with no imports and no escapes", () => {
    expect(tscOutput).toBe("");
    for (const source of [...sources, specialsSource]) {
      expect(source).not.toMatch(/@ts-/);
      const kinds = new Set(tokens(source).map((t) => t.kind));
      for (const k of [ts.SyntaxKind.ImportKeyword, ts.SyntaxKind.RequireKeyword, ts.SyntaxKind.AnyKeyword, ts.SyntaxKind.AsKeyword])
        expect(kinds.has(k)).toBe(false);
    }
  });

  it("writes names only as string literals", () => {
    const source = sources[cases.findIndex((c) => c.name === "hostile names")];
    const outsideStrings = tokens(source)
      .filter((t) => t.kind !== ts.SyntaxKind.StringLiteral)
      .map((t) => t.text);
    for (const name of names) expect(outsideStrings).not.toContain(name);
    const mod = load(source);
    expect(mod.layout.map((e) => (e as { name: string }).name)).toEqual(names.slice(0, 3));
    expect(mod.valueLayout.map((e) => (e as { name: string }).name)).toEqual(names.slice(0, 4));
    expect(mod.data.map((d) => d.name)).toEqual([names[5]]);
  });

  cases.forEach(({ name, ex, special }, k) => {
    it(`${name}: agrees with compile(model, data)`, () => {
      const mod = load(sources[k]);
      const compiled = compile(ex.model, ex.data);
      const plain = compiled.toPlain();
      expect(mod.dim).toBe(plain.dim);
      expect(mod.layout).toEqual(plain.layout);
      expect(mod.valueLayout).toEqual(plain.valueLayout);
      expect(mod.data.map((d) => ({ name: d.name, shape: d.shape, values: Array.from(d.values) }))).toEqual(plain.data);
      const grad = new Float64Array(mod.dim);
      const want = new Float64Array(mod.dim);
      // Ordinary points, and (where the two agree bit for bit) extreme ones, where the default form's result may
      // not be finite and the careful form answers.
      const exact = !special && !/W\.gemv/.test(plain.source);
      const extreme = [1e150, -800, 710].map((x) => Float64Array.from({ length: mod.dim }, (_, i) => (i % 2 === 0 ? x : -x)));
      for (const theta of [...randomPoints(mod.dim, 20, 0x75 + k), ...(exact ? extreme : [])]) {
        const logp = mod.logpGrad(theta, grad);
        const wantLogp = compiled.logpGrad(theta, want);
        if (!exact) {
          expectAgree({ logp, grad }, { logp: wantLogp, grad: want }, 1e-12, name);
          expectAgree({ logp: mod.logp(theta), grad }, { logp: wantLogp, grad: want }, 1e-12, name);
        } else {
          expect(logp).toBe(wantLogp);
          expect(mod.logp(theta)).toBe(wantLogp);
          expect(Array.from(grad)).toEqual(Array.from(want));
          expect(Array.from(mod.constrain(theta))).toEqual(Array.from(compiled.constrain(theta)));
        }
      }
    });
  });

  it("takes new data in place after prepare()", () => {
    const k = cases.findIndex((c) => c.name === "eight_schools");
    const mod = load(sources[k]);
    const compiled = compile(eightSchools.default, eightSchools.data);
    const sigma = [1, 2, 3, 4, 5, 6, 7, 8];
    (mod.data.find((d) => d.name === "sigma") as Standalone["data"][number]).values.set(sigma);
    mod.prepare();
    compiled.setData({ sigma });
    const theta = randomPoints(mod.dim, 1, 3)[0];
    expect(mod.logp(theta)).toBe(compiled.logp(theta));
  });
});

describe("special functions written out as TypeScript", () => {
  const xs = [
    0.5,
    1,
    1.4616321449683622,
    2,
    7.25,
    1e-300,
    1e-8,
    30,
    1e10,
    1e300,
    -0.5,
    -1,
    -2.5,
    -1e-8,
    -1e10,
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
  ];
  it.each(specialNames)("%s computes what the composite computes on numbers, bit for bit", (name) => {
    const fn = load<Record<string, (x: number) => number>>(specialsSource)[name];
    for (const x of xs) expect(Object.is(fn(x), composite[name](composite.numberArith, x)), `${name}(${x})`).toBe(true);
  });
});
