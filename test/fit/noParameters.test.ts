/**
 * A model with no parameters (every site observed or deterministic): the
 * samplers that move parameters (NUTS, in-process and lockstep; ADVI) refuse
 * it with a ModelError before they start, instead of failing in their
 * step-size searches; optimize and Pathfinder, which only evaluate it, run.
 */
import { describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.ts";
import { model } from "../../src/dsl/model.ts";
import { collectMethod } from "../../src/fit/methodFit.ts";
import { adviStream } from "../../src/fit/methods/advi.ts";
import { optimize } from "../../src/fit/methods/optimize.ts";
import { sampleLockstep } from "../../src/fit/lockstep.ts";
import { sample } from "../../src/fit/sample.ts";

const observedOnly = model((m) => {
  m.observe("y", m.normal(0, 1), [0.5, -1.2]);
  return {};
});

const refusal = {
  name: "ModelError",
  kind: "parameter",
  message: expect.stringMatching(/no parameters .* so (NUTS|ADVI) has nothing to sample/),
};

describe("a model without parameters", () => {
  it("is refused by sample(), in the process and on worker threads", async () => {
    await expect(sample(observedOnly, undefined, { chains: 1, seed: 1, workers: 0 })).rejects.toMatchObject(refusal);
    await expect(sample(observedOnly, undefined, { chains: 2, seed: 1, workers: 2 })).rejects.toBeInstanceOf(ModelError);
  });

  it("is refused by lockstep sampling and by ADVI", async () => {
    await expect(sampleLockstep(observedOnly, undefined, { seed: 1 })).rejects.toMatchObject(refusal);
    await expect(collectMethod(adviStream(observedOnly, undefined, { seed: 1 }))).rejects.toMatchObject(refusal);
  });

  it("is evaluated by optimize, which has nothing to move", async () => {
    const fit = await optimize(observedOnly, undefined, { seed: 1 });
    expect(fit.columns[0].lp__[0]).toBeCloseTo(-0.5 * (0.25 + 1.44) - Math.log(2 * Math.PI), 10);
  });
});
