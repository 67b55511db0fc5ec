/**
 * Run ids: random UUIDs (version 4), in Node and in any page. Browsers give
 * `crypto.randomUUID` only to secure contexts (https, localhost); a page on
 * plain http has `crypto.getRandomValues` alone, so the id is built from it.
 * @module
 */

/**
 * A new random run id, a version-4 UUID.
 *
 * @example
 * ```ts
 * newRunId(); // e.g. "3b241101-e2bb-4255-8caf-4136c566a962"
 * ```
 */
export function newRunId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
