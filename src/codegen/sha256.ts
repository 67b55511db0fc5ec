/**
 * SHA-256 of a string as hex, by Node's crypto. The browser build uses
 * `sha256.browser.ts` in its place (scripts/buildBrowser.ts): same digest.
 * @module
 */
import { createHash } from "node:crypto";

/**
 * The SHA-256 digest of `text` (UTF-8), as 64 hex digits.
 *
 * @example
 * ```ts
 * sha256("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
