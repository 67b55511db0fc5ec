/**
 * Every option of `sample` that names sites rejects a name that is no such
 * site with a SiteNameError naming it, before any draw, as the ONNX export
 * does for its centering (test/codegen/onnx/export.test.ts).
 */
import { describe, expect, it } from "vitest";
import { SiteNameError } from "../../src/errors.ts";
import { sample } from "../../src/fit/sample.ts";
import schools, { data } from "../../examples/eight_schools.ts";

const quick = { chains: 1, draws: 5, warmup: 5, seed: 1, workers: 0 } as const;

async function siteNameError(run: Promise<unknown>): Promise<SiteNameError> {
  const e = await run.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SiteNameError);
  return e as SiteNameError;
}

describe("site names in sample's options", () => {
  it("a centering for a site that does not exist", async () => {
    const e = await siteNameError(sample(schools, data, { ...quick, centering: { typo: [0.5] } }));
    expect(e.site).toBe("typo");
  });

  it("a centering for a site that takes none (tau is half-normal)", async () => {
    const e = await siteNameError(sample(schools, data, { ...quick, centering: { tau: [0.5] } }));
    expect(e.site).toBe("tau");
  });

  it("a valid centering is taken", async () => {
    const fit = await sample(schools, data, { ...quick, centering: { theta: [0, 0, 0, 0, 0, 0, 0, 0] } });
    expect(fit.draws.theta).toHaveLength(5);
  });

  it("an initial value for a site that does not exist", async () => {
    const init = { mu: 0, tau: 1, theta: [0, 0, 0, 0, 0, 0, 0, 0], tua: 1 };
    const e = await siteNameError(sample(schools, data, { ...quick, init }));
    expect(e.site).toBe("tua");
  });
});
