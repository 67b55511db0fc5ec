/**
 * posteriordb `sblri-blr` (model `blr`): the Bayesian linear regression of
 * `sblrc-blr` (the same model) on another data set, N = 100, D = 5. d = 6.
 * @module
 */
import raw from "./data/sblri-blr.json" with { type: "json" };
import type { BlrData } from "./sblrc-blr.ts";

export { default } from "./sblrc-blr.ts";

/** The posterior's data, as posteriordb has it. */
export const data: BlrData = raw;
