/**
 * How many of a chain's draws are kept (a run directory's rows, a
 * collector's draws): warm-up draws only when saved, and every `thin`-th.
 * @module
 */

/** What decides which iterations a chain keeps. */
export interface KeptSettings {
  readonly warmup: number;
  readonly thin: number;
  readonly saveWarmup: boolean;
}

/** Whether a draw is kept: one after warm-up, or any when warm-up is saved. */
export function isKept(warmup: boolean, { saveWarmup }: Pick<KeptSettings, "saveWarmup">): boolean {
  return !warmup || saveWarmup;
}

/** The draws a chain has kept after `iter` iterations. */
export function rowsAfter(iter: number, { warmup, thin, saveWarmup }: KeptSettings): number {
  const saved = saveWarmup ? Math.ceil(Math.min(iter, warmup) / thin) : 0;
  return saved + Math.ceil(Math.max(0, iter - warmup) / thin);
}
