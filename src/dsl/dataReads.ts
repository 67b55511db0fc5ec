/**
 * The keys a model reads from its data that the data lacks. A model is
 * user code: `data.y.length` with `y` missing from the data file fails with
 * a TypeError deep inside it. Watching the reads lets the build say which
 * key was missing instead (as Stan does for missing data), while a model
 * that reads an optional key (`data.n ?? 10`) and goes on is not disturbed.
 * @module
 */
import { DataError, ModelError } from "../errors.ts";

/** The data as a model sees it, and what to throw when the model fails. */
export interface DataReads<D> {
  /** The data to hand the model: the same values, its reads of absent keys recorded. */
  readonly data: D;
  /**
   * What to throw instead of `error`, thrown by the model: a {@link DataError}
   * naming the first absent key it read when the error is not already a
   * typed model error, else `error` itself.
   */
  explain(error: unknown): unknown;
}

/** Whether `x` is a plain object (its own keys are the data; a proxy of it behaves as it does). */
function isPlainObject(x: unknown): x is object {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Watches a model's reads of `data` (a plain object; anything else is
 * handed over as it is).
 *
 * @example
 * ```ts
 * const reads = watchDataReads<{ y?: number[] }>({});
 * try {
 *   reads.data.y!.length;
 * } catch (e) {
 *   reads.explain(e); // DataError: site 'y': the model reads data.y, which the data does not have …
 * }
 * ```
 */
export function watchDataReads<D>(data: D): DataReads<D> {
  const missing: string[] = [];
  const explain = (error: unknown): unknown =>
    error instanceof ModelError || missing.length === 0
      ? error
      : Object.assign(
          new DataError(
            missing[0],
            `the model reads data.${missing[0]}, which the data does not have (it failed with: ${error instanceof Error ? error.message : String(error)})`,
          ),
          { cause: error },
        );
  if (!isPlainObject(data)) return { data, explain };
  const watched = new Proxy(data, {
    get(target, key) {
      if (typeof key === "string" && !(key in target) && !missing.includes(key)) missing.push(key);
      return Reflect.get(target, key) as unknown;
    },
  });
  return { data: watched as D, explain };
}
