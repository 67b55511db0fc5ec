/**
 * The Hessian of log p by central finite differences of its gradient, as
 * Stan's `finite_diff_hessian_auto` computes it for the `laplace` method.
 * @module
 */
import type { LogDensity } from "../../codegen/density.ts";
import { OptimizeError } from "./errors.ts";

/** ε^(1/3): the step that balances the truncation error O(h²) against the rounding error O(ε/h). */
const STEP = Math.cbrt(Number.EPSILON);

/**
 * The Hessian of log p at `x` (d×d, row-major, symmetric), from the 2d
 * gradients at x ± hᵢeᵢ with hᵢ = ε^(1/3)·max(1, |xᵢ|) (ε the machine
 * epsilon): Hᵢⱼ is the mean of the central differences of ∂ⱼ log p along
 * i and of ∂ᵢ log p along j, which makes H symmetric.
 *
 * Error: central differences are second order, O(hᵢ² ‖∂³∇ log p‖), plus
 * the rounding O(ε ‖∇ log p‖ / hᵢ); with this step both are about
 * ε^(2/3) ≈ 4e-11 relative to the scale of the derivatives. A quadratic
 * log p (a Gaussian) has a linear gradient, so its Hessian is exact up to
 * rounding. The step is rounded to what xᵢ ± hᵢ can represent.
 * A gradient that throws or is not finite at a stencil point is an
 * {@link OptimizeError} naming the coordinate.
 *
 * @example
 * ```ts
 * const h = hessian(density, new Float64Array(density.dim)); // h[i * d + j] = ∂² log p / ∂xᵢ∂xⱼ at 0
 * ```
 */
export function hessian(density: LogDensity, x: Float64Array): Float64Array {
  const d = density.dim;
  if (x.length !== d) throw new OptimizeError(`hessian: the point has ${x.length} values, the density has dimension ${d}`);
  // diff[i] holds (∇ log p(x + hᵢeᵢ) − ∇ log p(x − hᵢeᵢ)) / (2hᵢ).
  const diff: Float64Array[] = [];
  const y = Float64Array.from(x);
  for (let i = 0; i < d; i++) {
    const h = STEP * Math.max(1, Math.abs(x[i]));
    const up = x[i] + h;
    const down = x[i] - h;
    y[i] = up;
    const gUp = gradientAt(density, y, i, "+");
    y[i] = down;
    const gDown = gradientAt(density, y, i, "−");
    y[i] = x[i];
    diff.push(gUp.map((v, j) => (v - gDown[j]) / (up - down)));
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) out[i * d + j] = out[j * d + i] = 0.5 * (diff[i][j] + diff[j][i]);
  }
  return out;
}

/** ∇ log p at the stencil point `y` (x ∓ hᵢeᵢ); an {@link OptimizeError} if it fails there. */
function gradientAt(density: LogDensity, y: Float64Array, i: number, sign: string): Float64Array {
  const g = new Float64Array(density.dim);
  const fail = (what: string) =>
    new OptimizeError(
      `hessian: the gradient of the log density ${what} at the finite-difference point x ${sign} h·e${i} (coordinate ${i})`,
    );
  try {
    density.logpGrad(y, g);
  } catch (e) {
    throw fail(`threw (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!g.every(Number.isFinite)) throw fail("is not finite");
  return g;
}
