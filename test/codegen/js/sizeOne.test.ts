/**
 * Models whose groups, predictors, points or steps number one (and two, for
 * comparison): a size-1 dimension is dropped from computations (squeeze.ts),
 * and a one-element data vector once overflowed the compiler's stack
 * (careful.test.ts). Each compiles, and its default and careful forms agree
 * with the reference at random points (rtol 1e-10, as careful.test.ts).
 */
import { describe, it } from "vitest";
import { compilePlain } from "../../../src/codegen/js/plain.ts";
import { model, type ModelAlg } from "../../../src/dsl/model.ts";
import { logDensity } from "../../../src/interpreters/logDensity.ts";
import { expectAgree, randomPoints } from "../../helpers/agree.ts";
import { densityForms } from "../../helpers/careful.ts";

const seq = <T>(n: number, f: (k: number) => T): T[] => Array.from({ length: n }, (_, k) => f(k));

/** Eight schools' likelihood over J schools: y[k] = k − 1 measured with sd 10 + k around the schools' effects. */
const observeSchools = (m: ModelAlg, J: number, effects: Parameters<ModelAlg["normal"]>[0]): void => {
  m.observe(
    "y",
    m.normal(
      effects,
      m.data(
        "sigma",
        seq(J, (k) => 10 + k),
      ),
    ),
    seq(J, (k) => k - 1),
  );
};

/** Model kinds of the examples, over J groups (or elements, points, steps). */
const kinds: [string, (m: ModelAlg, J: number) => void][] = [
  [
    "eight schools, centered",
    (m, J) => {
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfCauchy(5));
      observeSchools(m, J, m.sample("theta", m.normal(mu, tau), { shape: [J] }));
    },
  ],
  [
    "eight schools, non-centered",
    (m, J) => {
      const mu = m.sample("mu", m.normal(0, 5));
      const tau = m.sample("tau", m.halfCauchy(5));
      const z = m.sample("z", m.normal(0, 1), { shape: [J] });
      observeSchools(m, J, m.add(mu, m.mul(tau, z)));
    },
  ],
  [
    "linear regression on J predictors",
    (m, J) => {
      const b = m.sample("b", m.normal(0, 1), { shape: [J] });
      const s = m.sample("s", m.halfNormal(1));
      const X = [0, 1, 2].map((i) => seq(J, (k) => i - k * 0.5));
      m.observe("y", m.normal(m.matmul(m.data("X", X), b), s), [0.1, -0.3, 0.7]);
    },
  ],
  [
    "logistic regression on J predictors",
    (m, J) => {
      const b = m.sample("b", m.normal(0, 1), { shape: [J] });
      const X = [0, 1, 2].map((i) => seq(J, (k) => i - k * 0.5));
      m.observe("y", m.bernoulliLogit(m.matmul(m.data("X", X), b)), [0, 1, 1]);
    },
  ],
  [
    "Dirichlet over J + 1 categories",
    (m, J) => {
      const p = m.sample("p", m.dirichlet(seq(J + 1, () => 1.5)));
      m.observe("y", m.categorical(p), [0, J]);
    },
  ],
  [
    "multivariate normal of J dimensions",
    (m, J) => {
      const cov = m.data(
        "cov",
        seq(J, (i) => seq(J, (j) => (i === j ? 2 : 0.5))),
      );
      const x = m.sample(
        "x",
        m.mvNormal(
          m.data(
            "mu0",
            seq(J, () => 0),
          ),
          cov,
        ),
      );
      m.factor("f", m.sum(m.square(x)));
    },
  ],
  [
    "LKJ Cholesky factor of J + 1 dimensions",
    (m, J) => {
      const L = m.sample("L", m.lkjCholesky(J + 1, 2));
      m.factor("f", m.sum(L));
    },
  ],
  [
    "Gaussian random walk of J steps",
    (m, J) => {
      const s = m.sample("s", m.halfNormal(1));
      const x = m.sample("x", m.gaussianRandomWalk(s, J));
      m.observe(
        "y",
        m.normal(x, 1),
        seq(J, (k) => k * 0.3),
      );
    },
  ],
  [
    "two-component mixture of J observations",
    (m, J) => {
      const w = m.sample("w", m.dirichlet([1, 1]));
      const a = m.sample("a", m.normal(-1, 1));
      const b = m.sample("b", m.normal(1, 1));
      m.observe(
        "y",
        m.mixture(w, [m.normal(a, 1), m.normal(b, 1)]),
        seq(J, (k) => k - 0.5),
      );
    },
  ],
  [
    "Poisson log-link over J groups",
    (m, J) => {
      const a = m.sample("a", m.normal(0, 1), { shape: [J] });
      const s = m.sample("s", m.halfNormal(1));
      m.observe(
        "y",
        m.poissonLog(m.mul(a, s)),
        seq(J, (k) => k + 1),
      );
    },
  ],
  [
    "J group intercepts gathered",
    (m, J) => {
      const a = m.sample("a", m.normal(0, 1), { shape: [J] });
      const s = m.sample("s", m.halfNormal(1));
      m.observe(
        "y",
        m.normal(
          m.gather(
            a,
            seq(4, (k) => k % J),
          ),
          s,
        ),
        [0.1, 0.2, -0.4, 1],
      );
    },
  ],
  [
    "J bounded and J probability parameters",
    (m, J) => {
      const u = m.sample("u", m.uniform(-1, 2), { shape: [J] });
      const p = m.sample("p", m.beta(2, 2), { shape: [J] });
      m.factor("f", m.sum(m.square(u)));
      m.observe(
        "y",
        m.binomial(5, p),
        seq(J, (k) => k % 5),
      );
    },
  ],
  [
    "a scan of J steps",
    (m, J) => {
      const r = m.sample("r", m.normal(0, 1));
      const s = m.sample("s", m.halfNormal(1));
      const { outputs } = m.scan(
        ([c], [y]) => ({ carry: [m.add(m.mul(m.tanh(r), c), y)], outputs: [m.square(m.div(m.sub(y, c), s))] }),
        [0],
        [seq(J, (k) => k - 0.2)],
      );
      m.factor("f", m.neg(m.sum(outputs[0])));
    },
  ],
  [
    "a Gaussian process at J points",
    (m, J) => {
      const l = m.sample("l", m.halfNormal(1));
      const alpha = m.sample("alpha", m.halfNormal(1));
      const K = m.addDiag(
        m.expQuadCov(
          seq(J, (k) => k * 0.5),
          alpha,
          l,
        ),
        0.1,
      );
      m.observe(
        "y",
        m.mvNormal(
          seq(J, () => 0),
          K,
        ),
        seq(J, (k) => k - 0.3),
      );
    },
  ],
];

describe("models over one group, predictor, point or step", () => {
  for (const [name, body] of kinds) {
    it(name, () => {
      for (const J of [1, 2]) {
        const mdl = model((m) => {
          body(m, J);
          return {};
        });
        const plain = compilePlain(mdl, undefined);
        const ref = logDensity(mdl, undefined);
        for (const [form, density] of densityForms(plain)) {
          for (const theta of randomPoints(plain.dim, 4, 3, 1)) {
            const grad = new Float64Array(plain.dim);
            const logp = density.logpGrad(theta, grad);
            expectAgree({ logp, grad }, ref.logpGrad(theta), 1e-10, `${name}, J = ${J}, ${form} form`);
          }
        }
      }
    });
  }
});
