/**
 * JSON in which every number reads back to the same bits: JSON has no -0,
 * NaN or ±Infinity, so those are written as `{ "$num": "-0" }` and the like.
 * Checkpoint files and the dashboard's events use it.
 * @module
 */
/**
 * JSON text of `value` in which every number reads back to the same bits
 * (see the module notes). Values without such a number (nearly all) are
 * written without a replacer: a replacer is a call per value, and made a
 * d = 100 warm-up's checkpoint (40,000 numbers) take 4.7 ms where plain
 * `JSON.stringify` takes 3.
 */
export function losslessStringify(value: unknown): string {
  return needsTags(value) ? JSON.stringify(value, tagged) : JSON.stringify(value);
}

/** A number JSON cannot spell, as its `$num` object. */
const tagged = (_key: string, v: unknown): unknown =>
  typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0)) ? { $num: Object.is(v, -0) ? "-0" : String(v) } : v;

/** Whether `v` holds a number JSON cannot spell, or an object whose `toJSON` might give one. */
function needsTags(v: unknown): boolean {
  if (typeof v === "number") return !Number.isFinite(v) || Object.is(v, -0);
  if (v === null || typeof v !== "object") return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") return true;
  // Own enumerable values, as JSON.stringify writes them (a typed array's numbers too).
  for (const e of Array.isArray(v) ? v : Object.values(v)) if (needsTags(e)) return true;
  return false;
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
