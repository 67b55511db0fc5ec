/**
 * The transforms, one per file in this folder, and the default for each support.
 * @module
 */
import type { Support } from "../dsl/support.ts";
import type { Transform, TransformType } from "../dsl/transform.ts";

/** The default transform of a support (log for positive, as in Stan). */
export declare function defaultTransformType(support: Support): TransformType;

/** The transform of a given type. */
export declare function getTransform(type: TransformType): Transform;
