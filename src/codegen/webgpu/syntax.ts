/**
 * WGSL syntax of generated shaders: float32 literals, elementwise operators
 * and the helper functions they call. WGSL has no float64 and no isNaN:
 * the tests here read bits, because a compiler may assume `x != x` never
 * holds.
 * @module
 */
import type { ElementwiseUnary } from "../../ir/node.ts";
import * as composite from "../../special/composite/index.ts";
import type { BinaryOp } from "../../tensor/ops.ts";
import { wgslArith } from "./arith.ts";

/** WGSL for each elementwise unary op; a missing op is a compile error. Names ending in `_` are helpers. */
export const unaryWgsl: { readonly [K in ElementwiseUnary]: (a: string) => string } = {
  neg: (a) => `(-${a})`,
  exp: (a) => `exp(${a})`,
  log: (a) => `log(${a})`,
  log1p: (a) => `log1p_(${a})`,
  expm1: (a) => `expm1_(${a})`,
  sqrt: (a) => `sqrt(${a})`,
  abs: (a) => `abs(${a})`,
  tanh: (a) => `tanh_(${a})`,
  sin: (a) => `sin_(${a})`,
  cos: (a) => `cos_(${a})`,
  sign: (a) => `sign(${a})`,
  sigmoid: (a) => `sigmoid_(${a})`,
  softplus: (a) => `softplus_(${a})`,
  step: (a) => `select(0.0, 1.0, ${a} >= 0.0)`,
  erf: (a) => `erf_(${a})`,
  lgamma: (a) => `lgamma_(${a})`,
  digamma: (a) => `digamma_(${a})`,
  trigamma: (a) => `trigamma_(${a})`,
  tetragamma: (a) => `tetragamma_(${a})`,
};

/** WGSL for each elementwise binary op. */
export const binaryWgsl: { readonly [K in BinaryOp]: (a: string, b: string) => string } = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  pow: (a, b) => `pow_(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
};

/** A helper function: its WGSL (made when a shader first needs it). */
interface Helper {
  readonly source: () => string;
}

/** A one-argument helper whose body is a composite special function written out by {@link wgslArith}. */
function compositeHelper(name: string, f: (A: composite.Arith<string, string>, x: string) => string): Helper {
  return {
    source: () => {
      const A = wgslArith();
      const r = f(A, "x");
      return [`fn ${name}(x: f32) -> f32 {`, ...A.lines.map((l) => `  ${l}`), `  return ${r};`, "}"].join("\n");
    },
  };
}

/**
 * Every helper a shader may call. sigmoid and softplus go through e^−|x|,
 * which never overflows; tanh through expm1, exact for tiny x; pow by
 * squaring for integer exponents up to 64 (a negative base works, as in
 * the JavaScript backend), else exp(b·log a).
 */
const helpers: Readonly<Record<string, Helper>> = {
  isnan_: { source: () => "fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }" },
  finite_: { source: () => "fn finite_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }" },
  log1p_: compositeHelper("log1p_", composite.log1p),
  expm1_: compositeHelper("expm1_", composite.expm1),
  erf_: compositeHelper("erf_", composite.erf),
  lgamma_: compositeHelper("lgamma_", composite.lgamma),
  digamma_: compositeHelper("digamma_", composite.digamma),
  trigamma_: compositeHelper("trigamma_", composite.trigamma),
  tetragamma_: compositeHelper("tetragamma_", composite.tetragamma),
  sigmoid_: {
    source: () => "fn sigmoid_(x: f32) -> f32 { let u = exp(-abs(x)); return select(u / (1.0 + u), 1.0 / (1.0 + u), x >= 0.0); }",
  },
  softplus_: { source: () => "fn softplus_(x: f32) -> f32 { return max(x, 0.0) + log1p_(exp(-abs(x))); }" },
  tanh_: { source: () => "fn tanh_(x: f32) -> f32 { let t = expm1_(-2.0 * abs(x)); return sign(x) * (-t / (2.0 + t)); }" },
  pow_: {
    source: () =>
      [
        "fn pow_(a: f32, b: f32) -> f32 {",
        "  if (b == floor(b) && abs(b) <= 64.0) {",
        "    var r = 1.0;",
        "    var x = select(a, 1.0 / a, b < 0.0);",
        "    for (var n = i32(abs(b)); n > 0; n = n >> 1u) { if ((n & 1) == 1) { r = r * x; } x = x * x; }",
        "    return r;",
        "  }",
        "  return exp(b * log(a));",
        "}",
      ].join("\n"),
  },
  // WGSL's sin and cos may be off by 2⁻¹¹ (absolute): reduce by π/2 in three parts (Cody–Waite), then Taylor on [−π/4, π/4].
  quadrant_: {
    source: () =>
      [
        "fn quadrant_(x: f32) -> vec3<f32> {",
        "  let k = round(x * 0.6366197723675814);",
        "  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.549789954891882e-8;",
        "  let r2 = r * r;",
        "  let s = r + r * r2 * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-1.984126984126984e-4 + r2 * 2.7557319223985893e-6)));",
        "  let c = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * 2.48015873015873e-5)));",
        "  return vec3<f32>(s, c, f32(i32(k) & 3));",
        "}",
      ].join("\n"),
  },
  sin_: {
    source: () =>
      "fn sin_(x: f32) -> f32 { let q = quadrant_(x); return select(select(q.x, q.y, q.z == 1.0), select(-q.x, -q.y, q.z == 3.0), q.z >= 2.0); }",
  },
  cos_: {
    source: () =>
      "fn cos_(x: f32) -> f32 { let q = quadrant_(x); return select(select(q.y, -q.x, q.z == 1.0), select(-q.y, q.x, q.z == 3.0), q.z >= 2.0); }",
  },
  // A compensated sum's value: the sum plus its correction, or the sum itself once it is not finite (∞ − ∞ would make NaN).
  total_: { source: () => "fn total_(s: f32, c: f32) -> f32 { return select(s, s + c, finite_(s)); }" },
};

/** The helper names called in `code` (`name_(`). */
export function helpersCalled(code: string): Set<string> {
  const used = new Set<string>();
  for (const m of code.matchAll(/\b([a-z0-9]+_)\(/g)) if (m[1] in helpers) used.add(m[1]);
  return used;
}

/** The WGSL of the helpers `names` and those they call, each once, callees first. */
export function helperSource(names: Iterable<string>): string {
  const out: string[] = [];
  const done = new Set<string>();
  const add = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    const source = helpers[name].source();
    for (const callee of helpersCalled(source)) if (callee !== name) add(callee);
    out.push(source);
  };
  [...names].sort().forEach(add);
  return out.join("\n");
}
