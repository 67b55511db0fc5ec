/**
 * What a source does with a message it cannot read (a line that is not a
 * protocol message, a malformed envelope on a port): it reports it and goes
 * on with the next one, so that one bad message from a producer neither
 * ends the stream nor loses the good messages around it.
 * @module
 */
import type { CodecError } from "../codec.ts";

/** Receives a message a source could not read (the source skips it). A handler that throws ends the stream with its error. */
export type BadMessageHandler = (error: CodecError) => void;

/** The default report of a bad message: a process warning (printed on stderr, never fatal), as for a failed sink; in a page, the console. */
export const warnBadMessage: BadMessageHandler = (error) =>
  typeof process === "undefined" ? console.warn(error) : process.emitWarning(error);

/** Options every source takes. */
export interface SourceOptions {
  /** Called with each message the source skips as unreadable (default: {@link warnBadMessage}). */
  readonly onBadMessage?: BadMessageHandler;
}
