/**
 * Lockstep chains (ChEES-HMC): many HMC chains sharing a step size, a
 * diagonal metric and a jittered trajectory length, one batch gradient
 * evaluation per leapfrog step.
 * @module
 */
export { sampleLockstepDensity, type LockstepOptions, type LockstepTarget } from "./run.ts";
export { sampleLockstep, type LockstepModelOptions } from "./model.ts";
export { LockstepSampler, type LockstepSettings, type LockstepIteration, type LockstepCheckpoint } from "./sampler.ts";
export type { LockstepAdaptation, WarmupState } from "./warmup.ts";
export type { CheesState } from "./chees.ts";
