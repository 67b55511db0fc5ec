/**
 * A chain worker thread that exceeds its memory limit (`resourceLimits`)
 * dies, and its chain is restarted from its last checkpoint on a new thread:
 * the run's draws are the uninterrupted run's, each once. The density that
 * does it allocates without bound after a number of evaluations, on its
 * first life only (a marker file tells the lives apart, as threads share
 * nothing else). A thread terminated from outside mid-run is the
 * `"terminate"` fault of supervision.test.ts.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PlainDensity } from "../../src/codegen/density.ts";
import { loadDensity } from "../../src/codegen/js/load.ts";
import { resolveOptions } from "../../src/inference/options.ts";
import type { SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import { resolveRunOptions, runChains } from "../../src/runtime/run.ts";
import type { SupervisorStats } from "../../src/runtime/supervisor.ts";
import { targetPlain } from "./densityFaults.ts";
import { byChain, collect, expectWellFormed, flat } from "./runs.ts";

/**
 * `plain`, except that its `evaluations`-th evaluation in a thread allocates
 * `mb` MB (Infinity: without bound) and keeps it: on the first thread to get
 * there only (the one that creates `marker`), or on every thread (no marker).
 */
function hogging(plain: PlainDensity, evaluations: number, mb: number, marker?: string): PlainDensity {
  const firstLife =
    marker === undefined
      ? "true"
      : `(() => {
      try {
        process.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(marker)}, "", { flag: "wx" });
        return true;
      } catch {
        return false;
      }
    })()`;
  // Arrays of 2^16 doubles: half a megabyte each, on the thread's heap (a typed array's memory would not count).
  const source = `const inner = (function () {
${plain.source}
})();
let evaluations = 0;
const kept = [];
function logpGrad(th, grad) {
  if (++evaluations === ${evaluations} && ${firstLife}) {
    for (let i = 0; i < ${2 * mb}; i++) kept.push(new Array(1 << 16).fill(i + 0.5));
  }
  return inner.logpGrad(th, grad);
}
return { prepare: inner.prepare, logp: inner.logp, logpGrad, constrain: inner.constrain };`;
  return { ...plain, source };
}

const opts = resolveOptions({ chains: 2, warmup: 200, draws: 200, seed: 13, maxDepth: 6 });

/** The run's messages on `density`, with these run options. */
function run(plain: PlainDensity, id: string, exec: Parameters<typeof resolveRunOptions>[0]): Promise<SampleMessage[]> {
  // Only the run id and the settings of the start message matter here: runChains yields it and goes on.
  const start = { type: "start", run: id, settings: opts } as unknown as StartMessage;
  return collect(flat(runChains(loadDensity(plain), start, opts, resolveRunOptions(exec, opts.chains))));
}

describe("a chain worker thread over its memory limit", () => {
  it("dies, and its chain restarts from its last checkpoint on a new thread, with the uninterrupted run's draws", async () => {
    const marker = join(mkdtempSync(join(tmpdir(), "sampo-hog-")), "first-life");
    const stats: SupervisorStats = { maxQueued: 0, restarts: 0, duplicatesDropped: 0, resumedFrom: [] };
    const clean = await run(targetPlain(), "memory-clean", { workers: 0 });
    // A chain makes about 1300 evaluations here: the 600th is mid-run, past several checkpoints.
    const restarted = await run(hogging(targetPlain(), 600, Infinity, marker), "memory-hog", {
      workers: 2,
      checkpointEvery: 20,
      resourceLimits: { maxOldGenerationSizeMb: 64 },
      stats,
    });
    expect(existsSync(marker)).toBe(true);
    expect(restarted.find((m) => m.type === "error")).toBeUndefined();
    expectWellFormed(restarted, 2, 200, 200);
    expect(byChain(restarted)).toEqual(byChain(clean));
    // Both chains reach evaluation 600, on their own threads: the first to get there dies, once.
    expect(stats.restarts).toBe(1);
    expect(stats.resumedFrom[0].iter).toBeGreaterThan(0);
    expect(stats.resumedFrom[0].iter % 20).toBe(0);
  });

  it("fails the run, saying the thread ran out of memory, when every life goes over the limit", async () => {
    const msgs = await run(hogging(targetPlain(), 300, 256), "memory-always", {
      workers: 2,
      maxRetries: 1,
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    const last = msgs.at(-1)!;
    expect(last.type).toBe("error");
    expect(last.type === "error" && last.message).toMatch(/its worker died 2 times, the last time because it ran out of memory/);
  });

  it("is the limit's doing: without it, the same 256 MB run to the end", async () => {
    const stats: SupervisorStats = { maxQueued: 0, restarts: 0, duplicatesDropped: 0, resumedFrom: [] };
    const msgs = await run(hogging(targetPlain(), 300, 256), "memory-unlimited", { workers: 2, stats });
    expect(msgs.at(-1)!.type).toBe("done");
    expect(stats.restarts).toBe(0);
  });
});
