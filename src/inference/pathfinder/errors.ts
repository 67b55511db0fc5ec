/**
 * The error Pathfinder raises when it cannot return an approximation.
 * @module
 */
import type { PathResult } from "./result.ts";

/**
 * Pathfinder failed: every path failed (each path's reason is in `paths`),
 * or the options are invalid (then `paths` is empty).
 */
export class PathfinderError extends Error {
  override readonly name = "PathfinderError";
  constructor(
    message: string,
    /** The paths run, each with the reason it failed. */
    readonly paths: readonly PathResult[] = [],
  ) {
    super(`pathfinder: ${message}`);
  }
}
