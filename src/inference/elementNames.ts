/**
 * Names of the scalar elements of a value layout as Stan's summaries print
 * them: `mu`, `theta[1]`, `L[1,2]` (1-based, row-major within a site, the
 * order our values are stored in).
 * @module
 */
import type { Shape } from "../dsl/shape.ts";
import type { ValueLayout } from "./draws.ts";

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

/** Every element's name, in value order. */
export function elementNames(layout: ValueLayout): string[] {
  return layout.flatMap((e) => Array.from({ length: e.size }, (_, j) => e.name + indexSuffix(j, e.shape)));
}
