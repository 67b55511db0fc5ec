/**
 * The fallback start of worker threads (tsx registered in each thread, used
 * when esbuild cannot bundle the worker) gives the same draws as in-process.
 * Its own file: the way threads start is chosen once per process.
 */
import { describe, expect, it } from "vitest";
import model, { data } from "../../../examples/eight_schools.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { workerEntry } from "../../../src/runtime/workers/entry.ts";
import { byChain, collect } from "../runs.ts";

process.env.SAMPO_WORKER_LOADER = "tsx";

describe("worker threads started through tsx", () => {
  it("run chains with the in-process draws", async () => {
    expect(workerEntry().pathname).toMatch(/bootstrap\.mjs$/);
    const opts = { chains: 2, warmup: 100, draws: 100, seed: 2 };
    const threaded = await collect(sampleStream(model, data, { ...opts, workers: 2 }));
    const inProcess = await collect(sampleStream(model, data, { ...opts, workers: 0 }));
    expect(byChain(threaded)).toEqual(byChain(inProcess));
  });
});
