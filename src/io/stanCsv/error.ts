/**
 * The error every Stan CSV reader and writer throws.
 * @module
 */

/** A Stan CSV file (or a layout to write as one) that cannot be handled; `line` is 1-based when known. */
export class StanCsvError extends Error {
  /** The 1-based line of the file the problem is on, when it is about a line. */
  readonly line: number | undefined;

  /**
   * @param message What is wrong.
   * @param line The 1-based line it is on, if any (it is prefixed to the message).
   */
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = "StanCsvError";
    this.line = line;
  }
}
