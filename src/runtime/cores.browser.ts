/**
 * The browser build's counterpart of `cores.ts`: the page's
 * `navigator.hardwareConcurrency`, so that by default chains run in as many
 * Web Workers as the machine has cores, up to one per chain (see
 * `workers/pool.browser.ts`); 1, chains in the page's thread, where the
 * browser does not say.
 * @module
 */

/** The logical cores the browser reports (at least 1). */
export function cores(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : 1;
}
