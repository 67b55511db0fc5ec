/**
 * A compiled log density and gradient checked against the reference
 * interpreter's at one point, component by component: which θ coordinate
 * disagrees (by element name), the two values, and which side is not
 * finite. `sampo inspect` prints it; the extreme-value property tests assert
 * with it.
 * @module
 */
import { elementName, type LayoutEntry } from "../tensor/layout.ts";
import { sizeOf } from "../tensor/shape.ts";

/** The tolerance `sampo inspect` checks with: the design's rule for compiled against reference (both exact up to rounding). */
export const GRADIENT_RTOL = 1e-10;

/** log p and its gradient at one point. */
export interface DensityValue {
  readonly logp: number;
  readonly grad: ArrayLike<number>;
}

/**
 * How a compiled value compares with the reference one: equal up to the
 * tolerance, both not finite in the same way (equal infinities, or NaN and
 * NaN), both not finite differently, only one side not finite, or both finite
 * and too far apart.
 */
export type Verdict = "agree" | "same non-finite" | "both non-finite" | "compiled non-finite" | "reference non-finite" | "differ";

/** One compared value: log p (index −1) or a gradient component. */
export interface Comparison {
  /** θ index, or −1 for log p. */
  readonly index: number;
  /** `log p`, or the element name of the θ coordinate (`mu`, `theta[3]`, `L[2] (unconstrained)`). */
  readonly label: string;
  readonly compiled: number;
  readonly reference: number;
  readonly verdict: Verdict;
}

/**
 * The name of θ coordinate `k`: the element name of its site when the
 * unconstrained and constrained shapes have one element each way, else the
 * site name with the 1-based unconstrained index.
 */
export function thetaLabel(layout: readonly LayoutEntry[], k: number): string {
  const e = layout.find((x) => k >= x.offset && k < x.offset + x.size);
  if (e === undefined) return `θ[${k + 1}]`;
  const j = k - e.offset;
  return e.size === sizeOf(e.shape) ? elementName(e, j) : `${e.name}[${j + 1}] (unconstrained)`;
}

/** The verdict on one pair, with `scale` the magnitude the tolerance is relative to. */
export function verdictOf(compiled: number, reference: number, rtol: number, scale: number): Verdict {
  const cf = Number.isFinite(compiled);
  const rf = Number.isFinite(reference);
  if (!cf && !rf) return Object.is(compiled, reference) ? "same non-finite" : "both non-finite";
  if (!cf) return "compiled non-finite";
  if (!rf) return "reference non-finite";
  return Math.abs(compiled - reference) <= rtol * Math.max(Math.abs(reference), scale, 1) ? "agree" : "differ";
}

/**
 * log p and every gradient component compared, under the rule
 * |a − b| ≤ rtol · max(|b|, ‖∇ref‖∞, 1) for gradient components (the
 * largest finite reference component sets the scale: HMC only sees the
 * gradient as a vector) and |a − b| ≤ rtol · max(|b|, 1) for log p.
 */
export function compareDensity(
  compiled: DensityValue,
  reference: DensityValue,
  layout: readonly LayoutEntry[],
  rtol: number,
): Comparison[] {
  let gmax = 0;
  for (let k = 0; k < reference.grad.length; k++)
    if (Number.isFinite(reference.grad[k])) gmax = Math.max(gmax, Math.abs(reference.grad[k]));
  const out: Comparison[] = [
    {
      index: -1,
      label: "log p",
      compiled: compiled.logp,
      reference: reference.logp,
      verdict: verdictOf(compiled.logp, reference.logp, rtol, 1),
    },
  ];
  for (let k = 0; k < reference.grad.length; k++) {
    const [a, b] = [compiled.grad[k], reference.grad[k]];
    out.push({ index: k, label: thetaLabel(layout, k), compiled: a, reference: b, verdict: verdictOf(a, b, rtol, gmax) });
  }
  return out;
}

const show = (x: number) => (Number.isFinite(x) ? x.toPrecision(6) : String(x));

/** One line per value that does not agree or is not finite: what, both values, and which side is not finite. */
export function describeDisagreements(comparisons: readonly Comparison[]): string[] {
  const why: Record<Exclude<Verdict, "agree">, string> = {
    "same non-finite": "not finite on both sides",
    "both non-finite": "not finite on both sides, differently",
    "compiled non-finite": "compiled not finite",
    "reference non-finite": "reference not finite",
    differ: "values differ",
  };
  return comparisons
    .filter((c) => c.verdict !== "agree")
    .map((c) => {
      const what = c.index < 0 ? c.label : `∂/∂${c.label}`;
      return `${what}: compiled ${show(c.compiled)}, reference ${show(c.reference)} (${why[c.verdict as keyof typeof why]})`;
    });
}
