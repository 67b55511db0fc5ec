/**
 * Cooperative scheduling for engines that run on the main thread: check
 * the abort signal between steps and give the event loop a turn every
 * {@link TURN_MS} milliseconds, so progress, sinks and Ctrl-C stay live.
 * @module
 */
import { nextTurn } from "../../nextTurn.ts";

/** The longest an engine holds the event loop between turns. */
export const TURN_MS = 50;

/**
 * A function to await between steps: throws the signal's reason once
 * aborted, and yields to the event loop when the last turn is older than
 * {@link TURN_MS}.
 */
export function turns(signal?: AbortSignal): () => Promise<void> {
  let last = performance.now();
  return async () => {
    signal?.throwIfAborted();
    if (performance.now() - last < TURN_MS) return;
    await nextTurn();
    last = performance.now();
    signal?.throwIfAborted();
  };
}
