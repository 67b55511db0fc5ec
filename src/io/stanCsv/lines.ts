/**
 * The complete lines of a Stan CSV file given as text or as its UTF-8 bytes.
 * Bytes are decoded one line at a time: decoding a file of hundreds of MB
 * into one string costs more than reading it, and line by line costs a
 * small fraction of that.
 * @module
 */

/** The newline-terminated lines of a file; a last line without its newline is left out. */
export interface Lines {
  /** Number of complete lines. */
  readonly count: number;
  /** Whether the file ended mid-line (that partial line is not among the lines). */
  readonly truncated: boolean;
  /** Line `i` (0-based) as text, without its newline. */
  text(i: number): string;
  /** Whether line `i` starts with `#`. */
  isComment(i: number): boolean;
}

const NEWLINE = 10;
const HASH = 35;
const BOM = 0xfeff;
const utf8 = new TextDecoder();

/**
 * The lines of `input`, text or UTF-8 bytes (as `readFileSync(path)` gives them),
 * after a byte-order mark if it starts with one.
 *
 * @example
 * ```ts
 * const lines = linesOf("# model=eight_schools\nlp__,mu\n-3.2,4.1\n");
 * lines.text(0); // "# model=eight_schools"
 * ```
 */
export function linesOf(input: string | Uint8Array): Lines {
  const ends: number[] = [];
  // A byte-order mark (Windows editors add one) is not part of the first line.
  const first =
    typeof input === "string" ? (input.charCodeAt(0) === BOM ? 1 : 0) : input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0;
  if (typeof input === "string") for (let at = input.indexOf("\n"); at >= 0; at = input.indexOf("\n", at + 1)) ends.push(at);
  else for (let at = input.indexOf(NEWLINE); at >= 0; at = input.indexOf(NEWLINE, at + 1)) ends.push(at);
  const start = (i: number) => (i === 0 ? first : ends[i - 1] + 1);
  const truncated = start(ends.length) < input.length;
  if (typeof input === "string") {
    return {
      count: ends.length,
      truncated,
      text: (i) => input.slice(start(i), ends[i]),
      isComment: (i) => input.charCodeAt(start(i)) === HASH,
    };
  }
  return {
    count: ends.length,
    truncated,
    text: (i) => utf8.decode(input.subarray(start(i), ends[i])),
    isComment: (i) => input[start(i)] === HASH,
  };
}
