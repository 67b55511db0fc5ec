/**
 * prettyPrint: golden listings of real models in the three formats (the
 * files in test/golden are reviewed output), every example printable, and
 * the rules a reader relies on: precedence, composites printed as one
 * call, 1-based indices, declared types, scans as loops, safe names, and
 * the build-time checks of the other interpreters.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../examples/index.ts";
import eightSchools, { data as eightSchoolsData } from "../../examples/eight_schools.ts";
import arK, { data as arKData } from "../../examples/posteriordb/arK-arK.ts";
import nonCentered, { data as nonCenteredData } from "../../examples/posteriordb/eight_schools-eight_schools_noncentered.ts";
import garch, { data as garchData } from "../../examples/posteriordb/garch-garch11.ts";
import gp, { data as gpData } from "../../examples/posteriordb/gp_pois_regr-gp_pois_regr.ts";
import hmm, { data as hmmData } from "../../examples/posteriordb/hmm_example-hmm_example.ts";
import { model, type ModelAlg } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";
import { ShapeError, SupportError } from "../../src/errors.ts";
import { prettyPrint } from "../../src/interpreters/pretty.ts";
import { expectGolden } from "../golden/golden.ts";

const formats = ["stan", "markdown", "latex"] as const;

describe("golden listings", () => {
  const cases = [
    ["eight_schools", () => [eightSchools, eightSchoolsData] as const],
    ["eight_schools_noncentered", () => [nonCentered, nonCenteredData] as const],
    ["arK", () => [arK, arKData] as const],
    ["garch11", () => [garch, garchData] as const],
    ["hmm_example", () => [hmm, hmmData] as const],
    ["gp_pois_regr", () => [gp, gpData] as const],
  ] as const;
  for (const [name, get] of cases) {
    for (const format of formats) {
      it(`${name} (${format})`, () => {
        const [mdl, data] = get();
        expectGolden(`${name}.${format}`, prettyPrint(mdl as never, data as never, { format }));
      });
    }
  }
});

describe("every example prints", () => {
  for (const [name, ex] of Object.entries({ ...benchmarks, ...posteriordb })) {
    it(name, () => {
      for (const format of formats) expect(prettyPrint(ex.model, ex.data, { format }).length).toBeGreaterThan(0);
    });
  }
});

/** The Stan listing of a model whose only statement is `out = f(m)`, without the data block. */
function printed(f: (m: ModelAlg) => Tensor): string {
  const text = prettyPrint(
    model((m) => {
      m.deterministic("out", f(m));
      return {};
    }),
    undefined,
  );
  return /out = (.*)\n/.exec(text)![1];
}

/** Latent scalars a, b, c and vectors v, w of length 3, for expressions. */
function vars(m: ModelAlg) {
  const s = (name: string) => m.sample(name, m.normal(0, 1));
  return {
    a: s("a"),
    b: s("b"),
    c: s("c"),
    v: m.sample("v", m.normal(0, 1), { shape: [3] }),
    w: m.sample("w", m.normal(0, 1), { shape: [3] }),
  };
}

describe("expressions", () => {
  it("parenthesize by Stan's precedence and associativity", () => {
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.mul(m.add(a, b), c);
      }),
    ).toBe("(a + b) * c");
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.add(a, m.mul(b, c));
      }),
    ).toBe("a + b * c");
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.sub(a, m.sub(b, c));
      }),
    ).toBe("a - (b - c)");
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.sub(m.sub(a, b), c);
      }),
    ).toBe("a - b - c");
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.div(a, m.mul(b, c));
      }),
    ).toBe("a / (b * c)");
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.pow(a, m.pow(b, c));
      }),
    ).toBe("a ^ b ^ c");
    expect(
      printed((m) => {
        const { a, b, c } = vars(m);
        return m.pow(m.pow(a, b), c);
      }),
    ).toBe("(a ^ b) ^ c");
    expect(
      printed((m) => {
        const { a } = vars(m);
        return m.pow(m.neg(a), 2);
      }),
    ).toBe("(-a) ^ 2");
    expect(
      printed((m) => {
        const { a, b } = vars(m);
        return m.neg(m.add(a, b));
      }),
    ).toBe("-(a + b)");
    expect(
      printed((m) => {
        const { a } = vars(m);
        return m.neg(m.neg(a));
      }),
    ).toBe("-(-a)");
    expect(
      printed((m) => {
        const { a } = vars(m);
        return m.mul(-0.5, a);
      }),
    ).toBe("-0.5 * a");
    expect(
      printed((m) => {
        const { a } = vars(m);
        return m.sub(a, -1);
      }),
    ).toBe("a - (-1)");
  });

  it("use Stan's elementwise operators between two non-scalars only", () => {
    expect(
      printed((m) => {
        const { v, w } = vars(m);
        return m.mul(v, w);
      }),
    ).toBe("v .* w");
    expect(
      printed((m) => {
        const { v, w } = vars(m);
        return m.div(v, w);
      }),
    ).toBe("v ./ w");
    expect(
      printed((m) => {
        const { a, v } = vars(m);
        return m.mul(v, a);
      }),
    ).toBe("v * a");
    expect(
      printed((m) => {
        const { a, v, w } = vars(m);
        return m.mul(a, m.mul(v, w));
      }),
    ).toBe("a * v .* w");
    expect(
      printed((m) => {
        const { a, v, w } = vars(m);
        return m.mul(m.mul(a, v), w);
      }),
    ).toBe("(a * v) .* w");
  });

  it("print the algebra's composites as one Stan call", () => {
    expect(printed((m) => m.square(vars(m).a))).toBe("square(a)");
    expect(printed((m) => m.logit(vars(m).a))).toBe("logit(a)");
    expect(printed((m) => m.invLogit(vars(m).a))).toBe("inv_logit(a)");
    expect(printed((m) => m.log1pExp(vars(m).a))).toBe("log1p_exp(a)");
    expect(printed((m) => m.logInvLogit(vars(m).a))).toBe("log_inv_logit(a)");
    expect(printed((m) => m.log1mInvLogit(vars(m).a))).toBe("log1m_inv_logit(a)");
    expect(printed((m) => m.log1p(m.neg(vars(m).a)))).toBe("log1m(a)");
    expect(printed((m) => m.mean(vars(m).v))).toBe("mean(v)");
    expect(
      printed((m) => {
        const { v, w } = vars(m);
        return m.dot(v, w);
      }),
    ).toBe("dot_product(v, w)");
    expect(printed((m) => m.max(vars(m).a, 0))).toBe("fmax(a, 0)");
    expect(printed((m) => m.cumsum(vars(m).v))).toBe("cumulative_sum(v)");
    expect(printed((m) => m.logSumExp(vars(m).v))).toBe("log_sum_exp(v)");
    const matrix = (m: ModelAlg) =>
      m.data("A", [
        [2, 1],
        [1, 3],
      ]) as Tensor<2>;
    expect(printed((m) => m.diag(matrix(m)))).toBe("diagonal(A)");
    expect(printed((m) => m.logDetSpd(matrix(m)))).toBe("log_determinant_spd(A)");
    expect(printed((m) => m.addDiag(matrix(m), vars(m).a))).toBe("add_diag(A, a)");
    expect(
      printed((m) => {
        const { a, b } = vars(m);
        return m.expQuadCov(m.data("x", [1, 2, 3]), a, b);
      }),
    ).toBe("gp_exp_quad_cov(x, a, b)");
    expect(printed((m) => m.transpose(matrix(m)))).toBe("A'");
    const ab = (m: ModelAlg) => {
      const { a, b } = vars(m);
      return m.stack([a, b]);
    };
    expect(printed((m) => m.matmul(matrix(m), ab(m)))).toBe("A * [a, b]");
    expect(printed((m) => m.matmul(ab(m), matrix(m)))).toBe("[a, b]' * A");
    expect(printed((m) => m.triSolve(m.cholesky(matrix(m)), ab(m)))).toBe("mdivide_left_tri_low(cholesky_decompose(A), [a, b])");
    expect(printed((m) => m.triSolve(m.cholesky(matrix(m)), ab(m), { transpose: true }))).toBe(
      "mdivide_left(cholesky_decompose(A)', [a, b])",
    );
    expect(printed((m) => m.sum(matrix(m), 0))).toBe("sum(A, dim=1)");
  });

  it("index 1-based", () => {
    expect(printed((m) => m.at(vars(m).v, 0))).toBe("v[1]");
    expect(printed((m) => m.slice(vars(m).v, 1))).toBe("v[2:3]");
    expect(printed((m) => m.gather(vars(m).v, [2, 0, 2]))).toBe("v[{3, 1, 3}]");
    expect(printed((m) => m.gather(vars(m).v, new Array(20).fill(1)))).toBe("v[{20 indices}]");
  });

  it("print constants inline when small, by size otherwise", () => {
    expect(printed((m) => m.add(vars(m).a, m.constant([1, 2.5, 1e-10])))).toBe("a + [1, 2.5, 1e-10]");
    expect(
      printed((m) =>
        m.add(
          vars(m).a,
          m.constant([
            [1, 0],
            [0, 1],
          ]),
        ),
      ),
    ).toBe("a + [[1, 0], [0, 1]]");
    expect(printed((m) => m.add(vars(m).a, m.fill(0, [20])))).toBe("a + rep_vector(0, 20)");
    expect(printed((m) => m.add(vars(m).a, m.constant(Array.from({ length: 20 }, (_, i) => i))))).toBe("a + [20 values]");
    expect(printed((m) => m.mul(vars(m).a, Math.PI))).toBe("a * 3.14159");
  });
});

describe("declarations", () => {
  it("take the transform's constraint and Stan's constrained types", () => {
    const text = prettyPrint(
      model((m) => {
        const lo = m.sample("lo", m.uniform(-1, 2));
        m.sample("hi", m.uniform(lo, 3));
        m.sample("pos", m.normal(0, 1), { shape: [2], transform: "log" });
        m.sample("s", m.dirichlet([1, 1, 1]), { shape: [4] });
        m.sample("o", m.normal(0, 1), { shape: [3], transform: "ordered" });
        m.sample("L", m.lkjCholesky(3, 2));
        m.sample("k", m.poisson(3));
        m.sample("M", m.normal(0, 1), { shape: [2, 3] });
        return {};
      }),
      undefined,
    );
    expect(text).toContain(
      [
        "parameters {",
        "  lo  : real<lower=-1, upper=2>",
        "  hi  : real<lower=lo, upper=3>",
        "  pos : vector<lower=0>[2]",
        "  s   : array[4] simplex[3]",
        "  o   : ordered[3]",
        "  L   : cholesky_factor_corr[3]",
        "  k   : int<lower=0>",
        "  M   : matrix[2, 3]",
        "}",
      ].join("\n"),
    );
    expect(text).toContain("L ~ lkj_corr_cholesky(2)");
  });
});

describe("scans", () => {
  it("update several states together, outputs from the states before the step", () => {
    const text = prettyPrint(
      model((m) => {
        const a = m.sample("a", m.normal(0, 1));
        const r = m.scan(
          ([x, y], [z]) => ({ carry: [m.add(y, z), m.mul(x, a)], outputs: [m.exp(x)] }),
          [0, 1],
          [m.data("z", [1, 2, 3, 4])],
        );
        m.factor("f", m.add(m.sum(r.outputs[0]), r.carry[1]));
        return {};
      }),
      undefined,
    );
    expect(text).toContain(
      [
        "  state1 = 0",
        "  state2 = 1",
        "  for (t in 1:4) {",
        "    scan1[t] = exp(state1)",
        "    (state1, state2) = (state2 + z[t], state1 * a)",
        "  }",
        "  target += sum(scan1) + state2  // f",
      ].join("\n"),
    );
  });

  it("nest loops, with fresh step names", () => {
    const text = prettyPrint(
      model((m) => {
        const a = m.sample("a", m.normal(0, 1));
        const outer = m.scan(
          ([x]) => {
            const inner = m.scan(([y]) => ({ carry: [m.mul(y, x)], outputs: [] }), [a], [], 2);
            return { carry: inner.carry, outputs: [] };
          },
          [1],
          [],
          3,
        );
        m.factor("f", outer.carry[0]);
        return {};
      }),
      undefined,
    );
    expect(text).toContain(
      [
        "  state1 = 1",
        "  for (t in 1:3) {",
        "    state2 = a",
        "    for (t2 in 1:2) {",
        "      state2 = state2 * state1",
        "    }",
        "    state1 = state2",
        "  }",
        "  target += state1  // f",
      ].join("\n"),
    );
  });
});

describe("names", () => {
  // Prototype keys and Unicode letters with a combining mark: the legal names most likely to be mangled.
  const hostile = model((m, d: { x: number[] }) => {
    const a = m.sample("constructor", m.normal(0, 1));
    const t = m.sample("t", m.normal(0, 1));
    const s = m.scan(([c], [x]) => ({ carry: [m.add(c, x)], outputs: [] }), [t], [m.data("x\u0304ñ", d.x)]);
    m.observe("σ_β", m.normal(m.add(a, s.carry[0]), 1), 0.5);
    return {};
  });
  const data = { x: [1, 2] };

  it("print every legal name bare and keep scan variables distinct from sites", () => {
    const text = prettyPrint(hostile, data);
    expect(text).toContain("constructor ~ normal(0, 1)");
    expect(text).toContain("x\u0304ñ : vector[2]");
    expect(text).toContain("for (t_ in 1:2) {\n    state1 = state1 + x\u0304ñ[t_]");
    expect(text).toContain("σ_β ~ normal(constructor + state1, 1)");
  });

  it("keep Markdown cells and LaTeX intact", () => {
    const md = prettyPrint(hostile, data, { format: "markdown" });
    for (const row of md.split("\n")) expect(row.replaceAll("\\|", "").split("|")).toHaveLength(6);
    expect(md).toContain("| `σ_β` | observed |");
    const tex = prettyPrint(hostile, data, { format: "latex" });
    expect(tex).toContain("\\mathrm{constructor} &\\sim \\mathcal{N}(0, 1)");
    expect(tex).toContain("\\text{σ\\_β} &\\sim");
    expect(tex).not.toContain("\n\n");
  });
});

describe("checks", () => {
  it("raise the build-time errors of the other interpreters, constants folded as the graph builder folds them", () => {
    const bad = model((m) => {
      m.sample("x", m.normal(0, m.sub(1, 2)));
      return {};
    });
    expect(() => prettyPrint(bad, undefined)).toThrow(SupportError);
    const mismatch = model((m) => {
      m.sample("x", m.normal(m.constant([1, 2]), m.constant([1, 2, 3])));
      return {};
    });
    expect(() => prettyPrint(mismatch, undefined)).toThrow(ShapeError);
  });

  it("reject an unknown format", () => {
    expect(() => prettyPrint(eightSchools, eightSchoolsData, { format: "html" as "stan" })).toThrow(RangeError);
  });
});
