/**
 * The transforms, by name, and which one each support takes by default
 * (log for positive values, as in Stan).
 * @module
 */
import type { Support } from "../dsl/support.ts";
import type { Transform } from "../dsl/transform.ts";
import { log, lower, lowerUpper, unitLogit, upper } from "./bounded.ts";
import { choleskyCorr } from "./choleskyCorr.ts";
import { identity } from "./identity.ts";
import { ordered, positiveOrdered } from "./ordered.ts";
import { simplex } from "./simplex.ts";
import type { TransformType } from "../tensor/layout.ts";

const transforms: { readonly [T in TransformType]: Transform } = {
  identity,
  log,
  lower,
  upper,
  lowerUpper,
  logit: unitLogit,
  ordered,
  positiveOrdered,
  simplex,
  choleskyCorr,
};

/** The transform of a given type. */
export function getTransform(type: TransformType): Transform {
  return transforms[type];
}

/** The transform of an interval support, by which bounds it has. */
function intervalTransform(s: Extract<Support, { kind: "interval" }>): TransformType {
  if (s.lower !== undefined) return s.upper !== undefined ? "lowerUpper" : "lower";
  return s.upper !== undefined ? "upper" : "identity";
}

/** The default transform of a support. Discrete supports get `identity`; gradient-based interpreters reject them. */
export function defaultTransformType(support: Support): TransformType {
  switch (support.kind) {
    case "positive":
      return "log";
    case "unit":
      return "logit";
    case "interval":
      return intervalTransform(support);
    case "simplex":
    case "ordered":
    case "positiveOrdered":
    case "choleskyCorr":
      return support.kind;
    default:
      return "identity";
  }
}

/** Transforms whose image lies inside each support: the overrides a user may choose. */
const allowed: { readonly [K in Support["kind"]]: readonly TransformType[] } = {
  real: ["identity", "log", "logit", "ordered", "positiveOrdered"],
  positive: ["log", "logit", "positiveOrdered"],
  unit: ["logit"],
  interval: [],
  simplex: ["simplex"],
  ordered: ["ordered"],
  positiveOrdered: ["positiveOrdered"],
  choleskyCorr: ["choleskyCorr"],
  binary: ["identity"],
  count: ["identity"],
  intRange: ["identity"],
};

/**
 * Why `type` cannot map onto `support` (its image would leave the support),
 * or undefined when it can.
 */
export function transformMismatch(support: Support, type: TransformType): string | undefined {
  const ok = support.kind === "interval" ? [intervalTransform(support)] : allowed[support.kind];
  return ok.includes(type) ? undefined : `transform "${type}" does not map into the ${support.kind} support (allowed: ${ok.join(", ")})`;
}
