/**
 * The error every Stan CSV reader and writer throws.
 * @module
 */

/**
 * A Stan CSV file (or a layout to write as one) that cannot be handled;
 * `file` names it and `line` (1-based) is the line the problem is on, when known.
 */
export class StanCsvError extends Error {
  /** The 1-based line of the file the problem is on, when it is about a line. */
  readonly line: number | undefined;
  /** The file, when the reader was told its name. */
  readonly file: string | undefined;

  /**
   * @param message What is wrong.
   * @param line The 1-based line it is on, if any (it is prefixed to the message).
   * @param file The file, if known (prefixed to the message before the line).
   */
  constructor(message: string, line?: number, file?: string) {
    super(`${file === undefined ? "" : `${file}: `}${line === undefined ? "" : `line ${line}: `}${message}`);
    this.name = "StanCsvError";
    this.line = line;
    this.file = file;
  }
}
