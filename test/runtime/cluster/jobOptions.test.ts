/**
 * A job's sampling options survive encoding and the worker's checks, as
 * `init: "pathfinder"` leaves them: Pathfinder's initial points and metric,
 * and what they cost, beside the `init` that asked for them.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { dataHash, modelHash } from "../../../src/codegen/hash.ts";
import { plainFromWire, wireDensity } from "../../../src/codegen/wire.ts";
import { resolveOptions } from "../../../src/inference/options.ts";
import { decodeJob, encodeJob, JobError } from "../../../src/runtime/cluster/job.ts";

function job(opts: Parameters<typeof resolveOptions>[0]) {
  const { model, data } = benchmarks.eight_schools;
  const density = wireDensity(model, data as never);
  const plain = plainFromWire(density);
  return encodeJob({
    format: "sampo.job/1",
    run: "r1",
    chain: 1,
    density,
    modelHash: modelHash(plain),
    dataHash: dataHash(plain),
    opts: resolveOptions(opts),
    checkpointEvery: 10,
  });
}

describe("a job's options", () => {
  it('keep init: "pathfinder" with its initial points, metric and gradient count', () => {
    const initPoints = [Array.from({ length: 10 }, (_, i) => i / 10)];
    const initInvMetric = Array.from({ length: 10 }, () => 2);
    const decoded = decodeJob(job({ chains: 1, seed: 1, init: "pathfinder", initPoints, initInvMetric, initGradients: 1234 }), 1 << 24);
    expect(decoded.opts.init).toBe("pathfinder");
    expect(decoded.opts.initPoints).toEqual(initPoints);
    expect(decoded.opts.initInvMetric).toEqual(initInvMetric);
    expect(decoded.opts.initGradients).toBe(1234);
  });

  it("still refuse an option that is not a sampling option", () => {
    const bytes = job({ chains: 1, seed: 1 });
    const spoiled = JSON.parse(new TextDecoder().decode(bytes)) as { opts: Record<string, unknown> };
    spoiled.opts.gradientEvaluations = 5;
    expect(() => decodeJob(new TextEncoder().encode(JSON.stringify(spoiled)), 1 << 24)).toThrow(JobError);
    expect(() => decodeJob(new TextEncoder().encode(JSON.stringify(spoiled)), 1 << 24)).toThrow(
      /gradientEvaluations is not a sampling option/,
    );
  });
});
