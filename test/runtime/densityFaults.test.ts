/**
 * Density faults, the cases the properties found (densityFaults.properties.ts)
 * and the injector's rate over many points.
 */
import { describe, expect, it } from "vitest";
import { Chain } from "../../src/inference/chain.ts";
import { chainSettings, resolveOptions } from "../../src/inference/options.ts";
import { Rng } from "../../src/random/rng.ts";
import { counted, FAULT_RATES, faultAt, faultyPlain, targetPlain } from "./densityFaults.ts";

describe("density faults", () => {
  it("at rate 0.3, seed 1, the faults of the initial points and of the step-size search are counted in recovered", () => {
    // Before: only NUTS's leaves were counted; this chain's 4 other faults (of 432) went unreported.
    const opts = resolveOptions({ chains: 1, warmup: 150, draws: 400, seed: 1, maxDepth: 6 });
    const { density, counter } = counted(faultyPlain(targetPlain(), 0.3));
    const chain = new Chain(density, chainSettings(density, opts, 1));
    let recovered = 0;
    for (let t = chain.next(); t !== undefined; t = chain.next()) recovered += t.stats.recovered;
    expect(counter.faults).toBeGreaterThan(0);
    expect(recovered).toBe(counter.faults);
  });

  it.each(FAULT_RATES)("the injector faults at rate %s of 200,000 points, within 5 sd", (rate) => {
    const rng = new Rng(3, 1);
    const n = 200_000;
    const theta = new Float64Array(2);
    let faults = 0;
    for (let i = 0; i < n; i++) {
      theta[0] = 8 * rng.uniform() - 4;
      theta[1] = 8 * rng.uniform() - 4;
      if (faultAt(theta, rate) !== 0) faults++;
    }
    expect(Math.abs(faults - n * rate)).toBeLessThan(5 * Math.sqrt(n * rate * (1 - rate)));
  });
});
