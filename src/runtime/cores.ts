/**
 * How many chains can run at once here: Node's count of cores. The browser
 * build uses `cores.browser.ts` in its place (scripts/buildBrowser.ts).
 * @module
 */
import { availableParallelism } from "node:os";

/** The cores this process may use (at least 1). */
export function cores(): number {
  return availableParallelism();
}
