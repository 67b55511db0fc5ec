/**
 * Efficiency guards on a 10-D standard normal: NUTS that builds trees too
 * deep or too shallow, or rejects too often, still gives right answers but
 * wastes gradients. Stan 2.21 (diag_e, adapt_delta 0.8) on this target
 * adapts a step size of about 0.6–0.8 and takes trees of depth 2–3 (3 to 7
 * leapfrog steps; Hoffman & Gelman 2014, fig. 6 shows the same regime), and
 * its multinomial sampler moves on nearly every transition. The bounds are
 * deliberately wide around that: mean depth in [2, 3.5], mean leapfrog
 * steps in [3, 12], fewer than 5 % repeated draws.
 */
import { describe, expect, it } from "vitest";
import { model } from "../../src/dsl/model.ts";
import { sample } from "../../src/fit/sample.ts";
import { ADAPTS } from "../helpers/adapt.ts";

describe("efficiency on a 10-D standard normal", () => {
  it.each(ADAPTS)("tree depth, leapfrog steps and repeated draws in Stan's range (adapt %s)", async (adapt) => {
    const normal10 = model((m) => ({ x: m.sample("x", m.normal(0, 1), { shape: [10] }) }));
    const fit = await sample(normal10, undefined, { chains: 4, seed: 21, adapt });
    let depth = 0;
    let leapfrogs = 0;
    let repeats = 0;
    let n = 0;
    for (const c of fit.chains) {
      const x = c.values[0];
      for (let i = 0; i < c.draws; i++) {
        depth += c.stats.treeDepth[i];
        leapfrogs += c.stats.nLeapfrog[i];
        if (i > 0 && x[i] === x[i - 1]) repeats++;
        n++;
      }
    }
    expect(depth / n).toBeGreaterThanOrEqual(2);
    expect(depth / n).toBeLessThanOrEqual(3.5);
    expect(leapfrogs / n).toBeGreaterThanOrEqual(3);
    expect(leapfrogs / n).toBeLessThanOrEqual(12);
    expect(repeats / n).toBeLessThan(0.05);
  });
});
