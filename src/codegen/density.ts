/**
 * What samplers see: a log density and its gradient over ℝ^dim, nothing of
 * the model. A compiled density adds the layout and its plain-data form.
 * @module
 */
import type { Shape } from "../tensor/shape.ts";
import type { LayoutEntry, ValueEntry } from "../tensor/layout.ts";

/** A differentiable log density on ℝ^dim (all a sampler needs). */
export interface LogDensity {
  /** Dimension of θ. */
  readonly dim: number;
  /** log p(θ). */
  logp(theta: Float64Array): number;
  /** log p(θ), writing ∇ log p(θ) into `grad` (length dim). */
  logpGrad(theta: Float64Array, grad: Float64Array): number;
}

/** A density compiled to JavaScript, with its layouts. */
export interface CompiledDensity extends LogDensity {
  /** Unconstrained parameters in θ order. */
  readonly layout: readonly LayoutEntry[];
  /** Constrained values (parameters then deterministics, in model order). */
  readonly valueLayout: readonly ValueEntry[];
  /** Total length of the constrained values. */
  readonly valueSize: number;
  /** Constrained values of every parameter and deterministic at θ, in valueLayout order. */
  constrain(theta: Float64Array, out?: Float64Array): Float64Array;
  /** Constrained values by name. */
  constrainNamed(theta: Float64Array): Record<string, Float64Array>;
  /** θ from constrained parameter values by site name (row-major arrays or nested arrays). */
  unconstrain(values: Readonly<Record<string, number | readonly number[] | readonly (readonly number[])[]>>): Float64Array;
  /** Replaces data values (same shapes) without rebuilding. */
  setData(values: Readonly<Record<string, number | readonly number[] | readonly (readonly number[])[]>>): void;
  /** The plain-data form: generated source and arrays, no closures. */
  toPlain(): PlainDensity;
}

/** A compiled density as plain data (survives structured clone and JSON). */
export interface PlainDensity {
  readonly format: "sampo.js/1";
  readonly dim: number;
  readonly layout: readonly LayoutEntry[];
  readonly valueLayout: readonly ValueEntry[];
  readonly source: string;
  readonly data: readonly { readonly name: string; readonly shape: Shape; readonly values: number[] }[];
  readonly consts: readonly number[][];
  readonly indices: readonly number[][];
}
