/**
 * `npm run bench:stream`: what streaming and threads cost and buy.
 *
 * 1. Per-message overhead: one chain of a 1-d standard normal (an iteration
 *    costs little, so the stream's own cost shows), run bare (`Chain.next()`
 *    in a loop), as an in-process stream, and on one worker thread; the
 *    overhead is the time per message over the bare chain's time per
 *    iteration.
 * 2. Scaling: 4 chains of logistic regression (n = 500, d = 21: chains of
 *    near-equal cost) in-process, on 1 worker thread and on 2; the goal is
 *    ≥ 1.85× from 1 to 2 threads on a 2-core machine.
 *
 * Threads are started (and the pool warmed) before timing; the configurations
 * run interleaved for `--rounds` rounds (default 5). Each figure is the median
 * of the rounds; the scaling also shows the best round of each, since other
 * work on the machine can only add time (and two threads need both cores).
 *
 * ```sh
 * npm run bench:stream
 * npm run bench:stream -- --rounds 7 --iters 80000 --scale-iters 4000
 * ```
 * @module
 */
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import logistic, { data as logisticData } from "../examples/logistic.ts";
import { compile } from "../src/codegen/compile.ts";
import { model } from "../src/dsl/model.ts";
import { Chain } from "../src/inference/chain.ts";
import { chainSettings, resolveOptions } from "../src/inference/options.ts";
import { runInProcess } from "../src/runtime/inProcess.ts";
import { type RunItem, type RunOutcome, supervise } from "../src/runtime/supervisor.ts";

const { values: args } = parseArgs({
  options: { rounds: { type: "string" }, iters: { type: "string" }, "scale-iters": { type: "string" } },
});
const rounds = Number(args.rounds ?? 5);
const iters = Number(args.iters ?? 40_000);
const scaleIters = Number(args["scale-iters"] ?? 2000);

const normal = model((m) => ({ x: m.sample("x", m.normal(0, 1)) }));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Drains a run, checking it ended well; returns its messages. */
async function drain(items: AsyncGenerator<RunItem[], RunOutcome>): Promise<number> {
  let n = 0;
  for (;;) {
    const r = await items.next();
    if (r.done === true) {
      if (r.value !== "done") throw new Error(`the run ended ${r.value}`);
      return n;
    }
    for (const item of r.value) {
      if (item.type === "error") throw new Error(item.message);
      if (item.type === "draw") n++;
    }
  }
}

/** Milliseconds a function takes. */
async function time(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

/** The three ways of running a set of chains: in-process, or on `threads` worker threads. */
function runner(mdl: typeof normal | typeof logistic, data: unknown, chains: number, warmup: number, draws: number) {
  const density = compile(mdl as typeof normal, data as never);
  const plain = density.toPlain();
  const opts = resolveOptions({ chains, warmup, draws, seed: 1, reparam: false });
  const starts = Array.from({ length: chains }, (_, k) => ({ chain: k + 1 }));
  const common = { opts, run: "bench", chains: starts, checkpointEvery: 100 };
  return {
    density,
    opts,
    inProcess: () => drain(runInProcess({ ...common, density })),
    threads: (threads: number) => drain(supervise({ ...common, plain, threads, maxRetries: 0, highWaterMark: 1024 })),
  };
}

async function overhead(): Promise<void> {
  const r = runner(normal, {}, 1, 1000, iters - 1000);
  const bare = () => {
    const chain = new Chain(r.density, chainSettings(r.density, r.opts, 1));
    while (chain.next() !== undefined);
  };
  await r.threads(1); // start the thread and load the code before timing
  const t = { bare: [] as number[], inProcess: [] as number[], worker: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    t.bare.push(await time(bare));
    t.inProcess.push(await time(r.inProcess));
    t.worker.push(await time(() => r.threads(1)));
  }
  const us = (ms: number) => (1000 * ms) / iters;
  const [b, p, w] = [us(median(t.bare)), us(median(t.inProcess)), us(median(t.worker))];
  console.log(`per-message overhead (1 chain, ${iters} iterations of a 1-d normal, median of ${rounds})`);
  console.log(`  bare chain           ${b.toFixed(2)} µs/iteration`);
  console.log(`  in-process stream    ${p.toFixed(2)} µs/message   overhead ${(p - b).toFixed(2)} µs/message`);
  console.log(
    `  one worker thread    ${w.toFixed(2)} µs/message   overhead ${(w - b).toFixed(2)} µs/message (wall time, chain and delivery overlap)`,
  );
}

async function scaling(): Promise<void> {
  const half = Math.floor(scaleIters / 2);
  const r = runner(logistic, logisticData, 4, half, scaleIters - half);
  await Promise.all([r.threads(2), r.threads(1)]); // three threads started, code loaded
  const t = { inProcess: [] as number[], one: [] as number[], two: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    t.inProcess.push(await time(r.inProcess));
    t.one.push(await time(() => r.threads(1)));
    t.two.push(await time(() => r.threads(2)));
  }
  const row = (name: string, xs: number[], note = "") =>
    console.log(`  ${name.padEnd(20)} median ${(median(xs) / 1000).toFixed(2)} s   best ${(Math.min(...xs) / 1000).toFixed(2)} s${note}`);
  const speedup = (f: (xs: number[]) => number) => (f(t.one) / f(t.two)).toFixed(2);
  console.log(`\nscaling (4 chains × ${scaleIters} iterations of logistic regression, n = 500, d = 21, ${rounds} rounds)`);
  row("in-process", t.inProcess);
  row("1 worker thread", t.one);
  row("2 worker threads", t.two);
  console.log(`  speed-up 2 vs 1 thread: ${speedup(median)}× (medians), ${speedup((xs) => Math.min(...xs))}× (best rounds); goal ≥ 1.85×`);
  console.log(`  speed-up 2 threads vs in-process: ${(median(t.inProcess) / median(t.two)).toFixed(2)}× (medians)`);
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`cores: ${availableParallelism()}, load average before: ${load()} (other work on the machine skews the figures)\n`);
await overhead();
await scaling();
console.log(`\nload average after: ${load()}`);
// Worker threads are parked, not ended: leave now.
process.exit(0);
