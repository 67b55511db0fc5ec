/**
 * Numbers in Stan CSV files: written so that they read back bit for bit,
 * read in the spellings CmdStan, rstan and R use.
 * @module
 */

/**
 * A number as a Stan CSV field, exactly round-tripping.
 *
 * Finite numbers use JavaScript's shortest round-trip form (`String(x)`,
 * e.g. `0.1`, `1e-7`, `1.5e+300`), which C's `strtod`, R and Python read back
 * to the same double; `-0` is written `-0` so its sign survives. Non-finite
 * values are spelled as CmdStan writes them: `inf`, `-inf`, `nan`.
 *
 * @param x Any double.
 * @returns The field text (no separators or quotes).
 */
export function formatNumber(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  return String(x);
}

/**
 * Numbers as one comma-separated line of {@link formatNumber}'s fields.
 *
 * One `JSON.stringify` formats the whole array inside the engine, several
 * times faster than number by number, with the same digits (JSON writes a
 * finite number as `String` does). Lines with a value JSON spells otherwise
 * (NaN, ±Infinity, −0) go number by number.
 *
 * @param xs The fields' values.
 * @returns The line, without a newline.
 */
export function formatFields(xs: readonly number[]): string {
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    if (!(x - x === 0) || (x === 0 && 1 / x < 0)) return xs.map(formatNumber).join(",");
  }
  return JSON.stringify(xs).slice(1, -1);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: ReadonlyMap<string, number> = new Map([
  ["nan", NaN],
  ["+nan", NaN],
  ["-nan", NaN],
  ["na", NaN],
  ["inf", Infinity],
  ["+inf", Infinity],
  ["infinity", Infinity],
  ["+infinity", Infinity],
  ["-inf", -Infinity],
  ["-infinity", -Infinity],
]);

/**
 * Reads one Stan CSV number field.
 *
 * Accepts decimal notation (with optional sign, fraction and exponent),
 * `inf`/`+inf`/`-inf`/`infinity` and `nan`/`-nan` in any letter case (so also
 * R's `Inf`, `-Inf`, `NaN` and CmdStan's `NaN`), and R's `NA` as NaN.
 * Surrounding spaces are ignored. Decimal text is converted with correct
 * rounding, so {@link formatNumber}'s output reads back to the same bits.
 *
 * @param field The field text.
 * @returns The number, or `undefined` when the text is not a number (empty, hex, junk).
 */
export function parseNumber(field: string): number | undefined {
  const s = field.trim();
  if (DECIMAL.test(s)) return Number(s);
  return SPECIAL.get(s.toLowerCase());
}
