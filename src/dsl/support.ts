/**
 * Supports of distributions and domains of their parameters.
 * @module
 */
import type { Tensor } from "./tensor.ts";

/**
 * The set a random variable lives in. Bounds of an `interval` may be
 * tensors that depend on other parameters (GARCH's `beta1 < 1 − alpha1`).
 */
export type Support =
  | { readonly kind: "real" }
  | { readonly kind: "positive" }
  | { readonly kind: "unit" }
  | { readonly kind: "interval"; readonly lower?: Tensor; readonly upper?: Tensor }
  | { readonly kind: "simplex" }
  | { readonly kind: "ordered" }
  | { readonly kind: "positiveOrdered" }
  | { readonly kind: "choleskyCorr" }
  | { readonly kind: "binary" }
  | { readonly kind: "count" }
  | { readonly kind: "intRange"; readonly lower: number; readonly upper: Tensor };

/** Domains of distribution parameters, checked at build time when the parameter is a constant or data. */
export type Domain = "real" | "positive" | "nonnegative" | "unit" | "simplex" | "count" | "choleskyFactor" | "spd";

/** Whether a support is discrete. */
export function isDiscrete(s: Support): boolean {
  return s.kind === "binary" || s.kind === "count" || s.kind === "intRange";
}

/** Checks one value against a domain; returns a description of the violation or undefined. */
export function checkScalarDomain(domain: Domain, x: number): string | undefined {
  if (Number.isNaN(x)) return "is NaN";
  switch (domain) {
    case "real":
      return Number.isFinite(x) ? undefined : "must be finite";
    case "positive":
      return x > 0 && x < Infinity ? undefined : "must be positive and finite";
    case "nonnegative":
      return x >= 0 && x < Infinity ? undefined : "must be non-negative and finite";
    case "unit":
      return x >= 0 && x <= 1 ? undefined : "must lie in [0, 1]";
    case "count":
      return Number.isInteger(x) && x >= 0 ? undefined : "must be a non-negative integer";
    default:
      return Number.isFinite(x) ? undefined : "must be finite";
  }
}
