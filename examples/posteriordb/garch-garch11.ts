/**
 * posteriordb `garch-garch11` (model `garch11`): a GARCH(1, 1) volatility
 * model.
 *
 * μ flat; α₀ flat on (0, ∞); α₁ flat on (0, 1); β₁ flat on (0, 1 − α₁).
 * σ₁ given (data); σ_t = sqrt(α₀ + α₁·(y_{t−1} − μ)² + β₁·σ²_{t−1});
 * y ~ Normal(μ, σ). d = 4.
 *
 * β₁'s upper bound depends on α₁: it is sampled from Uniform(0, 1 − α₁),
 * whose density 1 / (1 − α₁) is not constant in α₁. Stan's prior is flat
 * inside the bounds, so a factor `log(1 − α₁)` cancels that normalization
 * and the posterior is Stan's. The volatility recursion is a `m.scan` over
 * y_{t−1}. The data site `y` feeds both the recursion and the likelihood,
 * so the likelihood site is named `y_obs`.
 * @module
 */
import { model } from "../../src/dsl/model.ts";
import raw from "./data/garch-garch11.json" with { type: "json" };

/** A series (T = 200) and the initial volatility σ₁. */
export interface GarchData {
  readonly T: number;
  readonly y: readonly number[];
  readonly sigma1: number;
}

/** The posterior's data, as posteriordb has it. */
export const data: GarchData = raw;

/** GARCH(1, 1). */
export default model((m, d: GarchData) => {
  const T = d.T;
  const y = m.data("y", d.y);
  const sigma1 = m.data("sigma1", d.sigma1);
  const mu = m.sample("mu", m.flat());
  const alpha0 = m.sample("alpha0", m.halfFlat());
  const alpha1 = m.sample("alpha1", m.uniform(0, 1));
  const beta1 = m.sample("beta1", m.uniform(0, m.sub(1, alpha1)));
  m.factor("beta1_flat", m.log(m.sub(1, alpha1)));

  const {
    outputs: [sigmaRest],
  } = m.scan(
    ([sigmaPrev], [yPrev]) => {
      const variance = m.add(m.add(alpha0, m.mul(alpha1, m.square(m.sub(yPrev, mu)))), m.mul(beta1, m.square(sigmaPrev)));
      const sigma = m.sqrt(variance);
      return { carry: [sigma], outputs: [sigma] };
    },
    [sigma1],
    [m.slice(y, 0, T - 1)],
  );
  const sigma = m.concat([m.stack([sigma1]), sigmaRest]);
  m.observe("y_obs", m.normal(mu, sigma), y);
  return { mu, alpha0, alpha1, beta1 };
});
