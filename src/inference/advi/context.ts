/**
 * What the parts of an ADVI run share: the family, the Monte-Carlo
 * estimator, the sample sizes, the best approximation seen, and the pacing
 * that keeps the event loop and the abort signal alive.
 * @module
 */
import { nextTurn } from "../../nextTurn.ts";
import type { EngineProgress } from "../engine.ts";
import { AdviError } from "./errors.ts";
import type { Family } from "./family.ts";
import type { MonteCarlo } from "./monteCarlo.ts";

/**
 * How long a run may hold the event loop: a JS batch density resolves at
 * once, so without a turn now and then timers, I/O and the abort signal's
 * listeners would wait for the whole run.
 */
const TURN_MS = 50;

/** Checks the abort signal between iterations and gives the event loop a turn every {@link TURN_MS}. */
export class Pacer {
  private last = performance.now();

  constructor(private readonly signal: AbortSignal | undefined) {}

  /** Rejects with the signal's reason once it is aborted. */
  async tick(): Promise<void> {
    if (performance.now() - this.last >= TURN_MS) {
      await nextTurn();
      this.last = performance.now();
    }
    this.signal?.throwIfAborted();
  }
}

/** The approximation with the highest ELBO seen so far, for {@link AdviError}. */
export class Best {
  private elbo = Number.NEGATIVE_INFINITY;
  private params: Float64Array;

  constructor(
    private readonly family: Family,
    initial: Float64Array,
  ) {
    this.params = initial.slice();
  }

  /** Keeps `params` when `elbo` beats the best so far. */
  offer(params: Float64Array, elbo: number): void {
    if (elbo > this.elbo) {
      this.elbo = elbo;
      this.params = params.slice();
    }
  }

  /** The error to throw, carrying the best approximation. */
  error(message: string): AdviError {
    return new AdviError(message, this.family.approximation(this.params), this.elbo);
  }
}

/** The shared parts of one run. */
export interface AdviContext {
  readonly family: Family;
  readonly mc: MonteCarlo;
  readonly gradSamples: number;
  readonly elboSamples: number;
  readonly best: Best;
  readonly pacer: Pacer;
  readonly onProgress: ((p: EngineProgress) => void) | undefined;
}

/** Stan's advice when the model cannot be fitted at all. */
export const ILL_CONDITIONED = "Your model may be either severely ill-conditioned or misspecified.";
