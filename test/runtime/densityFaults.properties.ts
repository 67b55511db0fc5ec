/**
 * Density faults (issue #16): a density that throws or gives NaN at a
 * fraction of the points (1e-3 … 0.3, by a hash of θ) never stops a run.
 * Every chain completes, in this thread and in worker threads alike, every
 * faulting evaluation is counted in some draw's `recovered` (the sum over a
 * chain's draws equals the faults the density gave), and where faults are
 * rare the draws still come from the target.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { summarizeColumn } from "../../src/inference/diagnostics/summary.ts";
import { resolveOptions } from "../../src/inference/options.ts";
import { runInProcess } from "../../src/runtime/inProcess.ts";
import type { DrawMessage } from "../../src/runtime/messages.ts";
import { type RunItem, type RunOutcome, supervise } from "../../src/runtime/supervisor.ts";
import { propertyParameters } from "../helpers/property.ts";
import { bonferroniZ } from "../helpers/reference.ts";
import { counted, FAULT_RATES, faultAt, faultyPlain, TARGET, targetPlain } from "./densityFaults.ts";
import { Rng } from "../../src/random/rng.ts";

const CHAINS = 2;
const WARMUP = 150;
const DRAWS = 400;
/**
 * At a rate of 0.3 most trajectories end at a fault, warm-up shrinks the
 * step size, and trees grow to the depth limit: a limit of 6 keeps a case
 * cheap (the default, 10, costs 16 times more leapfrog steps per iteration)
 * and still samples the target.
 */
const MAX_DEPTH = 6;
const plain = targetPlain();
/** A worker thread keeps the density of the last run id it saw: every run needs its own id. */
let runs = 0;
const runId = () => `faults-${++runs}`;

/** Every item of a run and how it ended. */
async function drain(batches: AsyncGenerator<RunItem[], RunOutcome>): Promise<{ items: RunItem[]; outcome: RunOutcome }> {
  const out: RunItem[] = [];
  for (;;) {
    const r = await batches.next();
    if (r.done === true) return { items: out, outcome: r.value };
    out.push(...r.value);
  }
}

const drawsOf = (items: readonly RunItem[]): DrawMessage[] => items.filter((m): m is DrawMessage => m.type === "draw");

/** Points drawn uniformly in (−4, 4)^dim from `seed`: where a chain of the target goes. */
function points(seed: number, n: number): Float64Array[] {
  const rng = new Rng(seed, 1);
  return Array.from({ length: n }, () => Float64Array.from({ length: TARGET.dim }, () => 8 * rng.uniform() - 4));
}

/**
 * The properties at `runs` runs each. Sampling runs are far dearer than
 * evaluations of the injector: `samplingRuns` of them (each one run in this
 * thread and one on two worker threads) are what fits the tier's budget;
 * 10,000 sampling runs would take hours, so the slow tier runs the injector
 * property at `runs` and the sampling property at `samplingRuns`.
 */
export function defineDensityFaultProperties(runs: number, samplingRuns: number): void {
  const rate = fc.constantFrom<number>(...FAULT_RATES);

  describe("the hash-of-θ fault injector", () => {
    test.prop([rate, fc.nat()], propertyParameters<[number, number]>(runs))(
      "faults at its rate, half of the faults by throwing, the same at the same θ",
      (r, seed) => {
        // Few points per case (the slow tier runs 10,000 cases): at 1e-3 a case checks little, at 0.1 and 0.3 it is tight.
        const n = 100;
        const kinds = [0, 0, 0];
        let unstable = 0;
        for (const theta of points(seed, n)) {
          const k = faultAt(theta, r);
          if (faultAt(Float64Array.from(theta), r) !== k) unstable++;
          kinds[k]++;
        }
        expect(unstable).toBe(0);
        const faults = kinds[1] + kinds[2];
        // 6 sd, plus 6 for the small counts where the normal approximation fails: a false alarm
        // is below 1e-8 per case (Poisson(0.1) ≥ 8 at rate 1e-3), so 10,000 cases do not raise one.
        const within = (count: number, p: number) => Math.abs(count - n * p) <= 6 * Math.sqrt(n * p * (1 - p)) + 6;
        expect(within(faults, r)).toBe(true);
        expect(within(kinds[1], r / 2)).toBe(true);
      },
    );

    test.prop([rate, fc.nat()], propertyParameters<[number, number]>(runs))(
      "the faulty density equals the target's wherever it does not fault",
      (r, seed) => {
        const { density, counter } = counted(faultyPlain(plain, r));
        const clean = counted(plain).density;
        const g = new Float64Array(TARGET.dim);
        const want = new Float64Array(TARGET.dim);
        let faults = 0;
        const wrong: string[] = [];
        for (const theta of points(seed, 50)) {
          const kind = faultAt(theta, r);
          let got: number | "threw";
          try {
            got = density.logpGrad(theta, g);
          } catch {
            got = "threw";
          }
          const ok =
            kind === 1
              ? got === "threw"
              : kind === 2
                ? Number.isNaN(got)
                : got === clean.logpGrad(theta, want) && g.every((x, i) => x === want[i]);
          if (!ok) wrong.push(`${kind} at ${theta.join(",")}: got ${got}`);
          if (kind !== 0) faults++;
        }
        expect(wrong).toEqual([]);
        expect(counter.faults).toBe(faults);
      },
    );
  });

  describe("sampling a density that faults", () => {
    // Each case samples twice (here and on threads): samplingRuns is kept small for the tier's budget (see above).
    test.prop([rate, fc.integer({ min: 1, max: 2 ** 31 - 1 })], propertyParameters<[number, number]>(samplingRuns))(
      "completes, counts every fault, gives the same draws on worker threads, and samples the target at rates ≤ 1e-2",
      async (r, seed) => {
        const opts = resolveOptions({ chains: CHAINS, warmup: WARMUP, draws: DRAWS, seed, maxDepth: MAX_DEPTH });
        const chains = Array.from({ length: CHAINS }, (_, i) => ({ chain: i + 1 }));
        const { density, counter } = counted(faultyPlain(plain, r));
        const here = await drain(runInProcess({ density, opts, run: runId(), chains, checkpointEvery: 50 }));
        expect(here.outcome).toBe("done");
        const draws = drawsOf(here.items);
        expect(draws).toHaveLength(CHAINS * (WARMUP + DRAWS));
        // thin = 1: every iteration is a draw message, so the draws' recovered count every evaluation the chains made.
        const recovered = draws.reduce((n, d) => n + d.stats.recovered, 0);
        expect(recovered).toBe(counter.faults);
        if (r >= 0.01) expect(recovered).toBeGreaterThan(0);

        const threads = await drain(
          supervise({
            plain: faultyPlain(plain, r),
            opts,
            run: runId(),
            chains,
            threads: 2,
            checkpointEvery: 50,
            maxRetries: 0,
            highWaterMark: 1024,
          }),
        );
        expect(threads.outcome).toBe("done");
        const withoutRun = (ds: DrawMessage[]) =>
          [...ds].sort((a, b) => a.chain - b.chain || a.iter - b.iter).map(({ run: _run, ...d }) => d);
        expect(withoutRun(drawsOf(threads.items))).toEqual(withoutRun(draws));

        if (r > 0.01) return;
        // Every case tests 2 × dim z-scores: Bonferroni over all of them, at family-wise level 1e-3.
        const z = bonferroniZ(2 * TARGET.dim * samplingRuns, 1e-3);
        for (let i = 0; i < TARGET.dim; i++) {
          const column = Array.from({ length: CHAINS }, (_, c) =>
            Float64Array.from(draws.filter((d) => d.chain === c + 1 && !d.warmup).map((d) => d.values[i])),
          );
          const s = summarizeColumn(column);
          expect(Math.abs(s.mean - TARGET.mean) / s.mcse_mean).toBeLessThan(z);
          expect(Math.abs(s.sd - TARGET.sd) / s.mcse_sd).toBeLessThan(z);
        }
      },
    );
  });
}
