/**
 * Typed errors raised while a model is built or its data is checked.
 * Every error names the site it concerns, so a user can find the line.
 * @module
 */

/** What went wrong, as a machine-readable tag. */
export type ModelErrorKind = "shape" | "support" | "data" | "name" | "parameter" | "unsupported";

/**
 * An error in a model's structure or data, raised when the model is built.
 *
 * @example
 * ```ts
 * const wrongLength = model((m, data: { y: number[] }) => {
 *   const theta = m.sample("theta", m.normal(0, 1), { shape: [8] });
 *   m.observe("y", m.normal(theta, 1), data.y);
 *   return { theta };
 * });
 * try {
 *   compile(wrongLength, { y: [28, 8, -3] });
 * } catch (e) {
 *   if (e instanceof ModelError) console.log(e.site, e.kind); // "y" "shape"
 * }
 * ```
 */
export class ModelError extends Error {
  override readonly name = "ModelError";
  constructor(
    /** The kind of mistake. */
    readonly kind: ModelErrorKind,
    /** The site (parameter, data or deterministic name) involved, if known. */
    readonly site: string | undefined,
    message: string,
  ) {
    super(site === undefined ? message : `site '${site}': ${message}`);
  }
}

/** A shape mismatch: operands that do not broadcast, a wrong data length. */
export class ShapeError extends ModelError {
  constructor(site: string | undefined, message: string) {
    super("shape", site, message);
  }
}

/** A value outside a family's support or a parameter outside its domain. */
export class SupportError extends ModelError {
  constructor(site: string | undefined, message: string) {
    super("support", site, message);
  }
}

/**
 * One problem found in a data (or initial values) file: which file, which
 * key, where in its value, what is wrong.
 */
export interface DataProblem {
  /** The file, as the user named it. */
  readonly file: string;
  /** The top-level key, or undefined for the document as a whole (e.g. invalid JSON). */
  readonly key: string | undefined;
  /** Where in the value, as the user would index it: `y[3][1]`; just the key for the whole value; `""` for the document. */
  readonly path: string;
  /** What is wrong there. */
  readonly message: string;
  /** The 1-based line and column of invalid JSON. */
  readonly line?: number;
  readonly column?: number;
}

/** Bad data: NaN, a wrong type, a shape change without a rebuild, a missing value. */
export class DataError extends ModelError {
  constructor(site: string | undefined, message: string) {
    super("data", site, message);
  }
}

/**
 * A data (or initial values) file with problems: every one of them, in
 * `problems`, each naming the file, key and index. `site` is the key when
 * all problems concern one.
 */
export class DataFileError extends DataError {
  /**
   * @param file The file, as the user named it.
   * @param problems Every problem found (possibly capped: the message counts them all).
   * @param message The report listing them.
   */
  constructor(
    readonly file: string,
    readonly problems: readonly DataProblem[],
    message: string,
  ) {
    const keys = new Set(problems.map((p) => p.key));
    super(keys.size === 1 ? [...keys][0] : undefined, message);
  }
}

/** A bad site name: not an identifier (the rule is in src/dsl/siteName.ts), duplicated, or unknown. */
export class SiteNameError extends ModelError {
  constructor(site: string | undefined, message: string) {
    super("name", site, message);
  }
}

/**
 * A sampler that cannot proceed: no finite initial point, a step size that
 * collapses or explodes (an improper posterior). Names the chain.
 */
export class SamplerError extends Error {
  override readonly name = "SamplerError";
  constructor(
    /** The chain (1-based), if the failure concerns one. */
    readonly chain: number | undefined,
    message: string,
  ) {
    super(chain === undefined ? message : `chain ${chain}: ${message}`);
  }
}

/**
 * A density in wire form (`sampo.ir/1`) that is malformed or exceeds the
 * receiver's limits: it came from elsewhere and is rejected, never run.
 * `path` names the offending place in the JSON, e.g. `nodes[12].arg.indices`.
 */
export class WireError extends Error {
  override readonly name = "WireError";
  constructor(
    /** Where in the JSON the problem is (`""` for the document itself). */
    readonly path: string,
    /** What is wrong there. */
    what: string,
  ) {
    super(`wire density ${path === "" ? "(document)" : path}: ${what}`);
  }
}
