/**
 * NUTS against posteriordb's reference posteriors: the quick ones (a few
 * seconds each). The rest, the smoke tests of the posteriors without a
 * reference, and diamonds run in posteriordb.slow.test.ts. Not tested:
 * NEEDS_ODE (test/helpers/posteriordb.ts). Each has its own fixed seed,
 * the same under both warm-ups (nutpie's and Stan's).
 */
import { describe, it } from "vitest";
import { ADAPTS } from "../helpers/adapt.ts";
import { checkPosterior, QUICK } from "../helpers/posteriordb.ts";

for (const adapt of ADAPTS)
  describe(`posteriordb reference posteriors (quick, adapt ${adapt})`, () => {
    for (const [i, name] of QUICK.entries()) it(name, () => checkPosterior(name, 300 + i, { adapt }));
  });
