/**
 * One model per op (and per op shape), each putting one expression under
 * test: the cases the backends' per-op tests share.
 */
import type { ModelAlg } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";

/** A named case: log p(x) = Σ f(m, x) over x ∈ ℝ^dim (see opModel). */
export type Case = [name: string, dim: number, f: (m: ModelAlg, x: Tensor<1>) => Tensor];

const pos = (m: ModelAlg, x: Tensor) => m.add(m.exp(x), 0.25);
const A = [
  [1.5, -0.3, 0.2],
  [0.4, 2.0, -0.1],
];

export const opCases: Case[] = [
  ["neg", 3, (m, x) => m.neg(x)],
  ["exp", 3, (m, x) => m.exp(x)],
  ["log", 3, (m, x) => m.log(pos(m, x))],
  ["log1p", 3, (m, x) => m.log1p(pos(m, x))],
  ["expm1", 3, (m, x) => m.expm1(x)],
  ["sqrt", 3, (m, x) => m.sqrt(pos(m, x))],
  ["abs", 3, (m, x) => m.abs(m.add(x, 0.1))],
  ["invLogit", 3, (m, x) => m.invLogit(m.mul(x, 3))],
  ["log1pExp", 3, (m, x) => m.log1pExp(m.mul(x, 20))],
  ["logInvLogit", 3, (m, x) => m.logInvLogit(m.mul(x, 20))],
  ["tanh", 3, (m, x) => m.tanh(x)],
  ["sin", 3, (m, x) => m.sin(x)],
  ["cos", 3, (m, x) => m.cos(x)],
  ["erf", 3, (m, x) => m.erf(x)],
  ["lgamma", 3, (m, x) => m.lgamma(pos(m, x))],
  ["digamma", 3, (m, x) => m.digamma(pos(m, x))],
  ["logit", 3, (m, x) => m.logit(m.invLogit(x))],
  ["add", 4, (m, x) => m.add(m.slice(x, 0, 2), m.slice(x, 2, 4))],
  ["sub", 4, (m, x) => m.sub(m.slice(x, 0, 2), m.slice(x, 2, 4))],
  ["mul", 4, (m, x) => m.mul(m.slice(x, 0, 2), m.slice(x, 2, 4))],
  ["div", 4, (m, x) => m.div(m.slice(x, 0, 2), pos(m, m.slice(x, 2, 4)))],
  ["pow", 4, (m, x) => m.pow(pos(m, m.slice(x, 0, 2)), m.slice(x, 2, 4))],
  ["pow constant exponent of a negative base", 2, (m, x) => m.pow(x, 3)],
  ["max", 4, (m, x) => m.max(m.slice(x, 0, 2), m.slice(x, 2, 4))],
  ["min", 4, (m, x) => m.min(m.slice(x, 0, 2), m.slice(x, 2, 4))],
  ["broadcast scalar·vector", 3, (m, x) => m.mul(m.at(x, 0), m.slice(x, 1, 3))],
  ["broadcast column·row", 5, (m, x) => m.mul(m.reshape(m.slice(x, 0, 2), [2, 1]), m.reshape(m.slice(x, 2, 5), [1, 3]))],
  [
    "reshape",
    6,
    (m, x) =>
      m.mul(m.reshape(x, [2, 3]), [
        [1, 2, 3],
        [4, 5, 6],
      ]),
  ],
  ["sum over an axis", 6, (m, x) => m.square(m.sum(m.reshape(x, [2, 3]), 0))],
  ["sum over the last axis", 6, (m, x) => m.square(m.sum(m.reshape(x, [2, 3]), 1))],
  ["logSumExp", 4, (m, x) => m.logSumExp(m.mul(x, 3))],
  ["logSumExp over an axis", 6, (m, x) => m.logSumExp(m.reshape(x, [2, 3]), 1)],
  ["logSoftmax", 4, (m, x) => m.mul(m.logSoftmax(x), [1, 2, 3, 4])],
  ["gather with repeats", 3, (m, x) => m.mul(m.gather(x, [2, 0, 2, 1]), [1, 2, 3, 4])],
  ["concat", 4, (m, x) => m.mul(m.concat([m.exp(m.slice(x, 0, 2)), m.slice(x, 1, 4)]), [1, 2, 3, 4, 5])],
  ["stack", 3, (m, x) => m.mul(m.stack([m.at(x, 2), m.exp(m.at(x, 0)), m.at(x, 1)]), [1, -2, 3])],
  [
    "transpose",
    6,
    (m, x) =>
      m.mul(m.transpose(m.reshape(x, [2, 3])), [
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
  ],
  ["matmul matrix·vector", 3, (m, x) => m.square(m.matmul(A, x))],
  ["matmul vector·matrix", 2, (m, x) => m.square(m.matmul(x, A))],
  ["matmul matrix·matrix", 6, (m, x) => m.square(m.matmul(m.reshape(x, [3, 2]), m.reshape(m.exp(x), [2, 3])))],
  ["dot", 6, (m, x) => m.dot(m.slice(x, 0, 3), m.slice(x, 3, 6))],
  ["cumsum", 4, (m, x) => m.mul(m.cumsum(m.exp(x)), [1, -1, 2, 3])],
  [
    "cholesky",
    6,
    (m, x) => {
      const b = m.reshape(x, [3, 2]);
      return m.mul(m.cholesky(m.addDiag(m.matmul(b, m.transpose(b)), 1)), [
        [1, 0, 0],
        [2, 3, 0],
        [4, 5, 6],
      ]);
    },
  ],
  [
    "triSolve",
    6,
    (m, x) => {
      const l = m.cholesky(m.addDiag(m.matmul(m.reshape(x, [3, 2]), m.transpose(m.reshape(x, [3, 2]))), 1));
      return m.square(m.triSolve(l, m.slice(x, 0, 3)));
    },
  ],
  [
    "triSolve transposed with a matrix",
    6,
    (m, x) => {
      const l = m.cholesky(m.addDiag(m.matmul(m.reshape(x, [3, 2]), m.transpose(m.reshape(x, [3, 2]))), 1));
      return m.square(m.triSolve(l, m.reshape(x, [3, 2]), { transpose: true }));
    },
  ],
  [
    "logDetSpd",
    6,
    (m, x) => {
      const b = m.reshape(x, [3, 2]);
      return m.logDetSpd(m.addDiag(m.matmul(b, m.transpose(b)), 0.5));
    },
  ],
  ["expQuadCov", 6, (m, x) => m.mul(m.expQuadCov(m.slice(x, 0, 4), m.exp(m.at(x, 4)), m.exp(m.at(x, 5))), 0.5)],
  [
    "scan: AR(1) filter",
    5,
    (m, x) => {
      const phi = m.tanh(m.at(x, 0));
      const { outputs } = m.scan(
        ([prev], [y]) => {
          const e = m.sub(y, m.mul(phi, prev));
          return { carry: [y], outputs: [m.square(e)] };
        },
        [m.at(x, 1)],
        [m.slice(x, 2, 5)],
      );
      return outputs[0];
    },
  ],
  [
    "scan: GARCH-like recursion with two carries",
    6,
    (m, x) => {
      const a = m.exp(m.at(x, 0));
      const b = m.invLogit(m.at(x, 1));
      const { carry, outputs } = m.scan(
        ([s2, r], [y]) => {
          const next = m.add(a, m.add(m.mul(b, s2), m.mul(0.1, m.square(r))));
          return { carry: [next, y], outputs: [m.div(m.square(y), next)] };
        },
        [m.exp(m.at(x, 2)), 0.0],
        [m.slice(x, 3, 6)],
      );
      return m.add(m.sum(outputs[0]), m.log(carry[0]));
    },
  ],
  [
    "scan: forward algorithm (logSumExp in the body)",
    6,
    (m, x) => {
      const logA = m.reshape(m.logSoftmax(m.slice(x, 0, 4)), [2, 2]);
      const { carry } = m.scan(
        ([alpha], [obs]) => {
          const next = m.add(m.logSumExp(m.add(m.reshape(alpha, [2, 1]), logA), 0), obs);
          return { carry: [next], outputs: [] };
        },
        [m.slice(x, 4, 6)],
        [
          [
            [0.1, -1],
            [-0.5, 0.3],
            [0.2, 0.2],
          ],
        ],
      );
      return m.logSumExp(carry[0]);
    },
  ],
  [
    "scan without sequences (a fixed number of steps)",
    2,
    (m, x) => {
      const rate = m.invLogit(m.at(x, 0));
      const { carry, outputs } = m.scan(
        ([v]) => {
          const next = m.add(m.mul(rate, v), 1);
          return { carry: [next], outputs: [m.log(next)] };
        },
        [m.exp(m.at(x, 1))],
        [],
        4,
      );
      return m.add(carry[0], m.sum(outputs[0]));
    },
  ],
  [
    "scan over data with a data-only carry and a parameter-dependent one",
    2,
    (m, x) => {
      const { outputs } = m.scan(
        ([count, level], [y]) => {
          const nextLevel = m.add(m.mul(m.tanh(m.at(x, 0)), level), y);
          return { carry: [m.add(count, 1), nextLevel], outputs: [m.mul(count, m.square(m.sub(nextLevel, m.at(x, 1))))] };
        },
        [0, 0],
        [[0.5, -1, 2, 0.3]],
      );
      return m.neg(outputs[0]);
    },
  ],
  [
    "scan: a vector carry driven by a scalar one (its cotangent is a sum over the vector's)",
    6,
    (m, x) => {
      const w = m.slice(x, 0, 3);
      const { carry, outputs } = m.scan(
        ([s, v], [y]) => {
          const nextV = m.add(m.mul(v, 0.5), m.mul(w, s));
          const nextS = m.add(m.mul(s, 0.9), m.sum(m.mul(v, 0.1)));
          return { carry: [nextS, nextV], outputs: [m.square(m.sub(y, m.sum(nextV)))] };
        },
        [m.exp(m.at(x, 3)), m.mul(w, 0)],
        [m.slice(x, 4, 6)],
      );
      return m.sub(m.log(m.add(m.square(carry[0]), 1)), m.sum(outputs[0]));
    },
  ],
];

const LAMBDA = [0.5, 3, 10, 40];

/**
 * Cases for points at the edges (issue #16): ops applied to a parameter
 * itself, so that generated points reach their support bounds, poles and
 * overflow thresholds (opCases keep most arguments inside), and the
 * compositions the stable forms of src/ir/stabilize.ts exist for.
 */
export const edgeCases: Case[] = [
  ["log of a parameter", 2, (m, x) => m.log(x)],
  ["sqrt of a parameter", 2, (m, x) => m.sqrt(x)],
  ["log1p of a parameter", 2, (m, x) => m.log1p(x)],
  ["lgamma of a parameter", 2, (m, x) => m.lgamma(x)],
  ["digamma of a parameter", 2, (m, x) => m.digamma(x)],
  ["pow of a parameter base and exponent", 2, (m, x) => m.pow(m.at(x, 0), m.at(x, 1))],
  ["pow with a constant fractional exponent", 2, (m, x) => m.pow(x, 0.5)],
  ["div of two parameters", 2, (m, x) => m.div(m.at(x, 0), m.at(x, 1))],
  ["log1pExp of a parameter", 2, (m, x) => m.log1pExp(x)],
  ["logInvLogit of a parameter", 2, (m, x) => m.logInvLogit(x)],
  ["log1mInvLogit of a parameter", 2, (m, x) => m.log1mInvLogit(x)],
  ["invLogit of a parameter", 2, (m, x) => m.invLogit(x)],
  ["logSumExp of parameters", 3, (m, x) => m.logSumExp(x)],
  [
    "Gaussian-process spectral density √(α²·√(2π)·ρ·e^(−(ρλ)²/2))·z",
    3,
    (m, x) => {
      const [alpha, rho] = [m.exp(m.at(x, 0)), m.exp(m.at(x, 1))];
      const c = m.mul(m.mul(m.square(alpha), Math.sqrt(2 * Math.PI)), rho);
      return m.mul(m.sqrt(m.mul(c, m.exp(m.div(m.neg(m.square(m.mul(rho, LAMBDA))), 2)))), m.at(x, 2));
    },
  ],
  ["√(eˣ)", 2, (m, x) => m.sqrt(m.exp(x))],
  ["√(x²)", 2, (m, x) => m.sqrt(m.square(x))],
  ["log(c·eˣ)", 2, (m, x) => m.log(m.mul(m.add(m.square(m.at(x, 0)), 1), m.exp(m.at(x, 1))))],
  ["log(eˣ/c)", 2, (m, x) => m.log(m.div(m.exp(m.at(x, 1)), m.add(m.square(m.at(x, 0)), 1)))],
  ["log(√x)", 2, (m, x) => m.log(m.sqrt(x))],
  ["e^(log x) of an x ≥ 0", 2, (m, x) => m.exp(m.log(m.log1pExp(x)))],
  ["log(1 + eˣ)", 2, (m, x) => m.log(m.add(1, m.exp(x)))],
  ["log1p(eˣ)", 2, (m, x) => m.log1p(m.exp(x))],
];
