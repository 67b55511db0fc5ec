/**
 * The browser build's counterpart of `cores.ts`: 1, so that chains run one
 * after another in the page's thread by default. Chains in Web Workers
 * (issue #14) are not built yet; `workers` above 1 says so (see
 * `workers/pool.browser.ts`).
 * @module
 */

/** 1: chains run in the page's thread. */
export function cores(): number {
  return 1;
}
