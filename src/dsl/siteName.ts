/**
 * The names sampo accepts for sites and data, checked once when a model is
 * built so that every name round-trips through everything that writes it:
 * Stan CSV headers, summaries, the dashboard, ONNX metadata, the standalone
 * TypeScript module.
 *
 * The rule: a name is an identifier — a Unicode letter or `_`, then letters,
 * digits, `_` and combining marks (`^[\p{ID_Start}_][\p{ID_Continue}]*$`,
 * JavaScript's identifiers without `$`) — in NFC form, without invisible
 * format characters (`\p{Cf}`), not ending in `__`.
 * Why each part:
 * - Stan itself allows only identifiers, and its CSV format relies on it: an
 *   element is written `name.i.j`, columns are separated by commas, so a
 *   name with a dot, comma, quote or space would not read back as written.
 * - NFC, and no invisible format characters (the zero-width joiner and
 *   non-joiner, which identifiers otherwise allow): two spellings of `ñ`, or
 *   `a` and `a` + U+200D, would be two different sites that print alike.
 * - A trailing `__` marks Stan's sampler columns (`lp__`, `treedepth__`), and
 *   readers (sampo's among them) take any such column for one; a site named
 *   `__proto__` would vanish from its draws.
 *
 * Names that are JavaScript prototype keys (`constructor`, `toString`) are
 * ordinary names: sampo keeps user names in `Map`s and null-prototype objects.
 * @module
 */
import { SiteNameError } from "../errors.ts";

const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

/** The rule, as error messages state it. */
export const SITE_NAME_RULE =
  "a site or data name must be an identifier (a letter or _, then letters, digits, _ or combining marks), in Unicode NFC form, without invisible characters, not ending in __";

/**
 * Why `name` is not an acceptable site or data name, or undefined when it is.
 *
 * @example
 * ```ts
 * siteNameProblem("σ_1"); // undefined
 * siteNameProblem("a,b"); // "is not an identifier"
 * ```
 */
export function siteNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `is a ${typeof name}, not a string`;
  if (name.length === 0) return "is empty";
  if (!IDENTIFIER.test(name)) return "is not an identifier";
  const invisible = /\p{Cf}/u.exec(name);
  if (invisible !== null)
    return `contains the invisible character U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}, so it would print like another name`;
  if (name.normalize("NFC") !== name) return `is not in NFC form (write ${JSON.stringify(name.normalize("NFC"))})`;
  if (name.endsWith("__")) return "ends in __, which marks Stan's sampler columns (lp__, treedepth__)";
  return undefined;
}

/**
 * Throws a {@link SiteNameError} naming the site and stating the rule when
 * `name` is not an acceptable site or data name ({@link siteNameProblem}).
 */
export function checkSiteName(name: unknown): asserts name is string {
  const problem = siteNameProblem(name);
  if (problem === undefined) return;
  const shown = typeof name === "string" ? JSON.stringify(name) : String(name);
  throw new SiteNameError(String(name), `the name ${shown} ${problem}: ${SITE_NAME_RULE}`);
}
