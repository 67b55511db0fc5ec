/**
 * The browser build's counterpart of `pool.ts`: no chain threads yet.
 * Chains in Web Workers are part of issue #14 and not built; until then a
 * run asking for worker threads in a page fails saying so, and the default
 * (`cores.browser.ts`) runs chains in the page's thread.
 * @module
 */
import type { threadPool as NodePool } from "./pool.ts";

const unavailable = (): never => {
  throw new Error("chains in Web Workers are not available yet in the browser build: sample with workers: 0 (the default there)");
};

/** Stands in for Node's pool of chain threads: every use but prestarting none fails with the reason. */
export const threadPool: Pick<typeof NodePool, "prestart" | "take" | "give"> = {
  prestart: (n) => (n > 0 ? unavailable() : undefined),
  take: unavailable,
  give: unavailable,
};
