/**
 * Layouts: where each site sits in a density's unconstrained point θ and in
 * the constrained values a run reports, and the names of their scalar
 * elements as Stan's summaries print them: `mu`, `theta[1]`, `L[1,2]`
 * (1-based, row-major within a site, the order values are stored in).
 * Plain data shared by every layer, so that engines, the runtime and files
 * describe a density without knowing the model behind it.
 * @module
 */
import type { Shape } from "./shape.ts";

/** The transforms sampo knows, by name (the `type` field of a layout entry). */
export type TransformType =
  "identity" | "log" | "lower" | "upper" | "lowerUpper" | "logit" | "ordered" | "positiveOrdered" | "simplex" | "choleskyCorr";

/** How a layout entry describes its transform: numeric bounds when they are constants. */
export interface TransformSpec {
  readonly type: TransformType;
  readonly lower?: number;
  readonly upper?: number;
}

/** One parameter's place in θ. */
export interface LayoutEntry {
  /** Site name. */
  readonly name: string;
  /** Constrained shape. */
  readonly shape: Shape;
  /** First index in θ. */
  readonly offset: number;
  /** Unconstrained length. */
  readonly size: number;
  /** The transform to unconstrained space. */
  readonly transform: TransformSpec;
}

/** Where one named value sits in a draw's `values` (constrained scale, row-major). */
export interface ValueEntry {
  readonly name: string;
  readonly shape: Shape;
  readonly offset: number;
  readonly size: number;
  /** A latent site, or a deterministic. */
  readonly kind: "parameter" | "deterministic";
}

/** The layout of the values a run reports. */
export type ValueLayout = readonly ValueEntry[];

/** The 1-based index suffix of element `flat` of a value of `shape`. */
export function indexSuffix(flat: number, shape: Shape): string {
  if (shape.length === 0) return "";
  const idx: number[] = new Array(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = (flat % shape[a]) + 1;
    flat = Math.floor(flat / shape[a]);
  }
  return `[${idx.join(",")}]`;
}

/**
 * The display name of element `flat` (row-major) of a value: `mu`, `theta[3]`,
 * `p[31,25]`. Every surface that shows elements (summaries, `sampo inspect`,
 * the dashboard, reports) names them with this; Stan CSV headers keep Stan's
 * own `p.31.25` (src/io/stanCsv/columns.ts).
 */
export function elementName(entry: { readonly name: string; readonly shape: Shape }, flat: number): string {
  return entry.name + indexSuffix(flat, entry.shape);
}

/** Every element's name, in value order. */
export function elementNames(layout: ValueLayout): string[] {
  return layout.flatMap((e) => Array.from({ length: e.size }, (_, j) => elementName(e, j)));
}
