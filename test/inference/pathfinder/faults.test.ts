/**
 * Pathfinder's contract beyond its answers: bad points dropped and
 * counted, failed paths dropped with a reason, PathfinderError when all
 * fail or an option is wrong, batched evaluation (same draws, one call per
 * ELBO), progress events and abort.
 */
import { describe, expect, it } from "vitest";
import { batchOf } from "../../../src/codegen/batch.ts";
import { pathfinder } from "../../../src/inference/pathfinder/pathfinder.ts";
import { PathfinderError } from "../../../src/inference/pathfinder/errors.ts";
import type { EngineProgress } from "../../../src/inference/engine.ts";
import { gaussian } from "../../helpers/gaussian.ts";
import { failingWhere } from "./targets.ts";

const target = gaussian([1, -2, 0.5], [0.5, 1, 2]);
/** The upper tail x₀ > μ₀ + 2.5 sd₀: 0.6 % of the target, never an initial point (those are in (−2, 2)). */
const inTail = (x: Float64Array) => x[0] > 1 + 2.5 * 0.5;

describe("bad points", () => {
  for (const bad of [NaN, -Infinity, "throw"] as const) {
    it(`drops and counts draws where log p is ${bad === "throw" ? "thrown" : bad}`, async () => {
      const r = await pathfinder(failingWhere(target, inTail, bad), { seed: 1, paths: 1 });
      const p = r.paths[0];
      expect(p.ok).toBe(true);
      // The path's own draws keep them with lp__ = −∞ (as Stan writes them) …
      const failed = p.draws.columns.lp__.filter((v) => v === -Infinity).length;
      expect(failed).toBeGreaterThan(0);
      // … the result drops them, and every one is counted.
      expect(r.draws.n).toBe(1000 - failed);
      expect(r.draws.columns.lp__.every(Number.isFinite)).toBe(true);
      expect(r.recovered).toBeGreaterThanOrEqual(failed);
    });
  }

  it("gives them weight 0 in the resampling", async () => {
    const r = await pathfinder(failingWhere(target, inTail, NaN), { seed: 3 });
    expect(r.recovered).toBeGreaterThan(0);
    expect(r.draws.n).toBe(1000);
    expect(r.draws.columns.lp__.every(Number.isFinite)).toBe(true);
  });
});

describe("failed paths", () => {
  it("drops a path that cannot start, with its reason, and goes on", async () => {
    const bad = Float64Array.of(NaN, 0, 0);
    const good = Float64Array.of(0, 0, 0);
    const r = await pathfinder(target, { seed: 1, init: [bad, good, good, good] });
    expect(r.paths[0]).toMatchObject({ ok: false, reason: "the log density or its gradient is not finite at init[0]" });
    expect(r.paths.slice(1).every((p) => p.ok)).toBe(true);
    expect(r.draws.n).toBe(1000);
  });

  it("throws a PathfinderError naming every path's failure when all fail", async () => {
    const nowhere = failingWhere(target, () => true, NaN);
    const err = await pathfinder(nowhere, { seed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathfinderError);
    expect((err as PathfinderError).name).toBe("PathfinderError");
    expect((err as PathfinderError).paths.map((p) => p.reason)).toEqual(
      new Array(4).fill("no finite log density and gradient at 100 random initial points in (−2, 2)"),
    );
  });

  it("fails a path whose every ELBO has a failed draw (Stan's −∞ ELBO)", async () => {
    // log p fails on 30 % of the space, in thin slabs: a 25-draw ELBO is
    // finite with probability 0.7²⁵ ≈ 1e-4 per iterate.
    const holey = failingWhere(target, (x) => (((x[1] * 100) % 1) + 1) % 1 < 0.3, NaN);
    const err = await pathfinder(holey, { seed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathfinderError);
    for (const p of (err as PathfinderError).paths) expect(p.reason).toBe("no iterate of L-BFGS gave a finite ELBO");
  });

  it("rejects bad options with a PathfinderError", async () => {
    await expect(pathfinder(target, { seed: 1, paths: 0 })).rejects.toThrow("pathfinder: paths must be a positive integer, got 0");
    await expect(pathfinder(target, { seed: 1, init: [new Float64Array(3)] })).rejects.toThrow(PathfinderError);
    await expect(pathfinder(target, { seed: 1, paths: 1, init: [new Float64Array(2)] })).rejects.toThrow("init[0] has 2 values");
  });
});

describe("batched evaluation", () => {
  it("evaluates each ELBO in one logpGradBatch call and draws the same as one point at a time", async () => {
    const sizes: number[] = [];
    const inner = batchOf(target);
    const batched = {
      ...target,
      logpGradBatch: (points: Float64Array, n: number, logp: Float64Array, grad: Float64Array) => {
        sizes.push(n);
        return inner.logpGradBatch(points, n, logp, grad);
      },
    };
    const a = await pathfinder(target, { seed: 4 });
    const b = await pathfinder(batched, { seed: 4 });
    expect(b.draws).toEqual(a.draws);
    expect(b.khat).toBe(a.khat);
    // One call of 25 per iterate evaluated, one of 975 per path for the rest of its draws.
    const iterates = a.paths.reduce((n, p) => n + p.lbfgsIterations, 0);
    expect(sizes.filter((n) => n === 25).length).toBe(iterates);
    expect(sizes.filter((n) => n === 975).length).toBe(4);
    expect(sizes.length).toBe(iterates + 4);
  });
});

describe("progress and abort", () => {
  it("reports each path's iterates and the PSIS k̂", async () => {
    const events: EngineProgress[] = [];
    const r = await pathfinder(target, { seed: 5, onProgress: (e) => events.push(e) });
    for (const p of r.paths) {
      const mine = events.filter((e) => e.phase === `path ${p.path}`);
      expect(mine.map((e) => e.iter)).toEqual(Array.from({ length: p.lbfgsIterations }, (_, i) => i + 1));
      expect(mine.every((e) => e.total === p.lbfgsIterations && Number.isFinite(e.metrics.logp))).toBe(true);
      expect(Math.max(...mine.map((e) => e.metrics.elbo))).toBe(p.elbo);
    }
    expect(events.at(-1)).toEqual({ phase: "psis", iter: 1, total: 1, metrics: { khat: r.khat } });
  });

  it("stops at the next iterate once aborted, rejecting with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const events: EngineProgress[] = [];
    const run = pathfinder(target, {
      seed: 1,
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(events.length).toBe(1);
  });
});
