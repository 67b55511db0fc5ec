/**
 * JSON in which every number reads back to the same bits: JSON has no -0,
 * NaN or ±Infinity, so those are written as `{ "$num": "-0" }` and the like.
 * Checkpoint files and the dashboard's events use it.
 * @module
 */
/** JSON text of `value` in which every number reads back to the same bits (see the module notes). */
export function losslessStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0)) ? { $num: Object.is(v, -0) ? "-0" : String(v) } : v,
  );
}

/** Parses what {@link losslessStringify} wrote. */
export function losslessParse(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === "$num") return Number((v as { $num: string }).$num);
    }
    return v;
  });
}
