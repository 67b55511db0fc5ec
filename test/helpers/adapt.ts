/**
 * The two warm-ups every statistical test of NUTS runs under: nutpie's (the
 * default) and Stan's (`adapt: "stan"`).
 */
import type { AdaptKind } from "../../src/inference/adapt/chainWarmup.ts";

/** Both warm-ups, the default first. */
export const ADAPTS: readonly AdaptKind[] = ["nutpie", "stan"];
