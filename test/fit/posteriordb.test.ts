/**
 * NUTS against posteriordb's reference posteriors: the quick ones (a few
 * seconds each). The rest, the smoke tests of the posteriors without a
 * reference, and diamonds run in posteriordb.slow.test.ts. Not tested:
 * NEEDS_ODE (test/helpers/posteriordb.ts). Each has its own fixed seed.
 */
import { describe, it } from "vitest";
import { checkPosterior, QUICK } from "../helpers/posteriordb.ts";

describe("posteriordb reference posteriors (quick)", () => {
  for (const [i, name] of QUICK.entries()) it(name, () => checkPosterior(name, 300 + i));
});
