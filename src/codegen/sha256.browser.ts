/**
 * SHA-256 of a string as hex in the browser, by @noble/hashes (audited,
 * synchronous, unlike WebCrypto's `subtle.digest`): the browser build's
 * counterpart of `sha256.ts`, with the same digest.
 * @module
 */
import { sha256 as digest } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** The SHA-256 digest of `text` (UTF-8), as 64 hex digits. */
export function sha256(text: string): string {
  return bytesToHex(digest(utf8ToBytes(text)));
}
