/**
 * Letting the event loop run between steps of a long computation, in Node
 * and in a page alike.
 * @module
 */

/**
 * Resolves on a later turn of the event loop: by `setImmediate` in Node
 * (no delay), by `setTimeout(0)` where there is none (browsers).
 *
 * @example
 * ```ts
 * await nextTurn(); // timers, I/O and messages waiting have run
 * ```
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
