/**
 * The error SMC raises when a run cannot go on.
 * @module
 */

/**
 * SMC could not reach the posterior: every particle's weight vanished (the
 * density failed or was −∞ at every particle), or the temperature did not
 * reach 1 within `maxStages` stages. Names the run (1-based) and the stage.
 *
 * @example
 * ```ts
 * try {
 *   await smc(eightSchools, data, { seed: 1, particles: 100, maxStages: 1 }); // eight schools needs 2 stages
 * } catch (e) {
 *   if (e instanceof SmcError) console.log(e.run, e.stage, e.message);
 * }
 * ```
 */
export class SmcError extends Error {
  override readonly name = "SmcError";
  constructor(
    /** The run (1-based). */
    readonly run: number,
    /** The stage (0 before the first reweighting). */
    readonly stage: number,
    message: string,
  ) {
    super(`smc run ${run}, stage ${stage}: ${message}`);
  }
}
