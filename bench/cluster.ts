/**
 * `npm run bench:cluster`: what running chains on `sampo worker` processes
 * over NATS JetStream buys and costs.
 *
 * 1. Scaling: 4 chains of logistic regression (n = 500, d = 21; warm-up
 *    1000, draws 1000, fixed seed) on 1 worker process vs 2 (each
 *    `--concurrency 1`), and the same chains locally on 2 worker threads.
 *    Figures: the speed-up 1 → 2 workers (goal ≥ 1.85×) and the cost of the
 *    bus, NATS 2-worker time ÷ local 2-thread time. The 1-worker and the
 *    2-worker configurations each have their own nats-server, so every
 *    worker stays up and warm (threads started, code loaded: each has run a
 *    job) and the configurations run interleaved, round after round. The
 *    clock runs from the `sampleStream` call to its last message, as a user
 *    waits; every run's draws are checked to be the same, bit for bit.
 * 2. The coordinator as bottleneck: 32 short chains of `simple` (d = 2,
 *    tens of thousands of draws/s per chain) on 8 worker processes. Figures:
 *    the draws/s the coordinator takes in (every draw, warm-up included,
 *    from the first draw message to the last message), the coordinator's CPU
 *    time per draw (`process.cpuUsage()`), nats-server's and the workers'
 *    (from /proc), and the bytes per draw the run's stream stores (kept with
 *    `cluster.keep`, then deleted). The kept stream is then replayed by a
 *    coordinator alone (no worker running): its intake with a core to itself,
 *    which is where one coordinator saturates.
 *
 * On the 2-core machine this was written on, the 8 workers, the coordinator
 * and the server share 2 cores: part 2's live figures are the machine's
 * limit, the replay's the coordinator's.
 *
 * ```sh
 * npm run bench:cluster
 * npm run bench:cluster -- --rounds 5 --procs 8 --small-chains 64
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { benchmarks } from "../examples/index.ts";
import { wireDensity } from "../src/codegen/wire.ts";
import { sampleStream, type StreamOptions } from "../src/fit/sampleStream.ts";
import { resolveOptions } from "../src/inference/options.ts";
import { runOnCluster } from "../src/runtime/cluster/coordinator.ts";
import { CHECKPOINT_BUCKET, runStream } from "../src/runtime/cluster/names.ts";
import type { StartMessage } from "../src/runtime/messages.ts";
import { type NatsServer, startNatsServer, startWorker, type WorkerProcess } from "../test/helpers/nats.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string" },
    warmup: { type: "string" },
    draws: { type: "string" },
    procs: { type: "string" },
    "small-chains": { type: "string" },
  },
});
const rounds = Number(args.rounds ?? 5);
const warmup = Number(args.warmup ?? 1000);
const draws = Number(args.draws ?? 1000);
const procs = Number(args.procs ?? 8);
const smallChains = Number(args["small-chains"] ?? 32);
const SEED = 20240601;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs: readonly number[]) => Math.min(...xs);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** CPU seconds (user + system, all threads) a process has used, from /proc; undefined where there is no /proc. */
function procCpu(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th fields.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks: 100 per second on Linux
  } catch {
    return undefined;
  }
}

/** CPU seconds all the machine's cores have been busy (anything but idle and I/O wait), from /proc/stat; NaN without it. */
function machineBusy(): number {
  try {
    const [, ...f] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal …: guest time is already counted in user.
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
  } catch {
    return NaN;
  }
}

/** The pid of the nats-server listening at `url` (the helper does not say), found in /proc. */
function serverPid(url: string): number | undefined {
  const port = new URL(url).port;
  for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
      if (cmd[0].endsWith("nats-server") && cmd.includes(port)) return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** What one run delivered: its figures, and a digest of its draws (per chain, in order) to compare runs bit for bit. */
interface RunFigures {
  run: string;
  /** From the call to the last message (s). */
  wall: number;
  /** From the first draw message to the last message (s). */
  flowing: number;
  draws: number;
  /** The coordinator's (this process's) CPU time (s), all its threads. */
  cpu: number;
  digest: string;
}

/**
 * Runs `sampleStream` to its end, timing it and (with `hashDraws`) digesting its draws, which costs this
 * process CPU time; fails unless it ends with `done`.
 */
async function timedRun(name: keyof typeof benchmarks, opts: StreamOptions, hashDraws = true): Promise<RunFigures> {
  const { model, data } = benchmarks[name];
  const perChain = new Map<number, ReturnType<typeof createHash>>();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let first: number | undefined;
  let n = 0;
  let run = "";
  let last = "";
  for await (const m of sampleStream(model, data as never, opts)) {
    last = m.type;
    if (m.type === "start") run = (m as StartMessage).run;
    if (m.type === "error") throw new Error(`the run failed: ${m.message}`);
    if (m.type !== "draw") continue;
    first ??= performance.now();
    n++;
    if (!hashDraws) continue;
    let h = perChain.get(m.chain);
    if (h === undefined) perChain.set(m.chain, (h = createHash("sha256")));
    h.update(new Float64Array([m.iter, ...m.values, ...Object.values(m.stats).map(Number)]));
  }
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (last !== "done") throw new Error(`the run ended with ${last}, not done`);
  const digest = createHash("sha256")
    .update(
      [...perChain.entries()]
        .sort(([a], [b]) => a - b)
        .map(([k, h]) => `${k}:${h.digest("hex")}`)
        .join(";"),
    )
    .digest("hex");
  return { run, wall: (t1 - t0) / 1000, flowing: (t1 - (first ?? t0)) / 1000, draws: n, cpu: (cpu.user + cpu.system) / 1e6, digest };
}

/** Starts `n` workers on `server` (`--concurrency 1`), connected. */
async function startWorkers(server: NatsServer, n: number, all: WorkerProcess[]): Promise<WorkerProcess[]> {
  const ws = Array.from({ length: n }, () => startWorker(server.url, ["--concurrency", "1"]));
  all.push(...ws);
  await Promise.all(ws.map((w) => w.waitFor(/worker: (taking jobs|no job queue)/)));
  return ws;
}

/** Short runs until every worker of `ws` has finished a job (its thread started, its code loaded); then all are taking jobs. */
async function warmUp(server: NatsServer, ws: WorkerProcess[], name: keyof typeof benchmarks): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    await timedRun(name, { chains: 2 * ws.length, warmup: 100, draws: 100, seed: attempt + 1, cluster: { servers: server.url } });
    if (ws.every((w) => /: done/.test(w.log()))) break;
  }
  await Promise.all(ws.map((w) => w.waitFor("taking jobs")));
}

const row = (cells: readonly string[], widths: readonly number[]) =>
  console.log(`  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`);

/** Part 1; returns the 1-worker server's worker, still running. */
async function scaling(servers: { one: NatsServer; two: NatsServer }, all: WorkerProcess[]): Promise<WorkerProcess> {
  const one = await startWorkers(servers.one, 1, all);
  const two = await startWorkers(servers.two, 2, all);
  await warmUp(servers.one, one, "logistic");
  await warmUp(servers.two, two, "logistic");
  const base: StreamOptions = { chains: 4, warmup, draws, seed: SEED };
  /** Each configuration, and the other processes whose CPU time is part of it (its workers and nats-server). */
  const configs = {
    local1: { opts: { ...base, workers: 1 }, pids: [] as (number | undefined)[] },
    local: { opts: { ...base, workers: 2 }, pids: [] },
    one: { opts: { ...base, cluster: { servers: servers.one.url } }, pids: [serverPid(servers.one.url), ...one.map((w) => w.proc.pid)] },
    two: { opts: { ...base, cluster: { servers: servers.two.url } }, pids: [serverPid(servers.two.url), ...two.map((w) => w.proc.pid)] },
  };
  type Config = keyof typeof configs;
  await timedRun("logistic", { ...configs.local.opts, draws: 100, warmup: 100 }); // threads started, code loaded
  const cpuOf = (k: Config) => configs[k].pids.map((pid) => procCpu(pid) ?? NaN).reduce((a, b) => a + b, 0);
  const t = { local1: [] as number[], local: [] as number[], one: [] as number[], two: [] as number[] };
  const busy = { local1: [] as number[], local: [] as number[], one: [] as number[], two: [] as number[] };
  const others = { local1: [] as number[], local: [] as number[], one: [] as number[], two: [] as number[] };
  const digests = new Set<string>();
  for (let r = 0; r < rounds; r++) {
    // Interleaved, the order turning each round, so that drift on the machine hits all alike.
    const order = (["local1", "local", "one", "two"] as const).map((_, i, xs) => xs[(i + r) % xs.length]);
    for (const k of order) {
      const [c0, m0] = [cpuOf(k), machineBusy()];
      const f = await timedRun("logistic", configs[k].opts);
      const ours = f.cpu + cpuOf(k) - c0;
      t[k].push(f.wall);
      busy[k].push(ours / f.wall);
      others[k].push((machineBusy() - m0 - ours) / f.wall);
      digests.add(f.digest);
    }
  }
  const ratio = (a: number[], b: number[]) => ({ median: median(a) / median(b), best: best(a) / best(b) });
  const speedup = ratio(t.one, t.two);
  const threads = ratio(t.local1, t.local);
  const bus = ratio(t.two, t.local);
  console.log(
    `1. scaling: 4 chains × (${warmup} warm-up + ${draws}) of logistic (n = 500, d = 21), seed ${SEED}, ${rounds} rounds interleaved`,
  );
  console.log(
    "  (wall time from the call to the last message; cores busy: CPU time of this process, its workers and nats-server ÷ wall;" +
      "\n   others: CPU time of every other process on the machine ÷ wall, from /proc/stat; medians)",
  );
  const w = [38, 9, 9, 11, 7];
  row(["configuration", "median", "best", "cores busy", "others"], w);
  const line = (name: string, k: Config) =>
    row([name, `${median(t[k]).toFixed(2)} s`, `${best(t[k]).toFixed(2)} s`, median(busy[k]).toFixed(2), median(others[k]).toFixed(2)], w);
  line("NATS, 1 worker process", "one");
  line("NATS, 2 worker processes", "two");
  line("local, in this thread (no NATS)", "local1");
  line("local, 2 worker threads (no NATS)", "local");
  const times = (x: { median: number; best: number }) => [`${x.median.toFixed(2)}×`, `${x.best.toFixed(2)}×`];
  row(["speed-up NATS 1 → 2 workers", ...times(speedup)], w);
  row(["speed-up local 1 → 2 threads", ...times(threads)], w);
  row(["cost of the bus (NATS 2 ÷ local 2)", ...times(bus)], w);
  console.log(
    `  draws identical across all ${4 * rounds} runs (bit for bit): ${digests.size === 1 ? "yes" : `NO (${digests.size} different)`}`,
  );
  const oneBusy = median(busy.one);
  console.log(
    `  verdict: speed-up 1 → 2 worker processes ${speedup.median.toFixed(2)}× (median; best rounds ${speedup.best.toFixed(2)}×): ` +
      `${speedup.median >= 1.85 ? "meets" : "misses"} the goal of ≥ 1.85×` +
      (availableParallelism() <= 2
        ? `; but 1 worker already keeps ${oneBusy.toFixed(2)} cores busy (its chain thread, its main thread, the coordinator, nats-server), ` +
          `so ${availableParallelism()} cores allow at most ${(availableParallelism() / oneBusy).toFixed(2)}×`
        : ""),
  );
  console.log(
    `  verdict: the bus costs ${((bus.median - 1) * 100).toFixed(0)}% of wall time against local threads (median; best rounds ${((bus.best - 1) * 100).toFixed(0)}%)` +
      ` for chains of ~${((median(t.local) * 2) / 4).toFixed(2)} s: handing out jobs, compiling each job's IR on its worker, frames, acknowledgements`,
  );
  for (const wk of two) await wk.kill("SIGTERM");
  return one[0];
}

/**
 * A worker's CPU time per job (fixed) and per draw (marginal), from its /proc CPU time over runs of
 * `simple`'s 4 chains of 1000 and of 8000 iterations on one worker; medians of `rounds` pairs.
 */
async function workerCost(server: NatsServer, worker: WorkerProcess): Promise<{ perJob: number; perDraw: number }> {
  const cpuOf = async (iters: number) => {
    const c0 = procCpu(worker.proc.pid) ?? NaN;
    const half = iters / 2;
    const f = await timedRun("simple", { chains: 4, warmup: half, draws: half, seed: SEED, cluster: { servers: server.url } }, false);
    return { cpu: (procCpu(worker.proc.pid) ?? NaN) - c0, draws: f.draws };
  };
  await cpuOf(200); // the model's code loaded
  const perDraw: number[] = [];
  const perJob: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const short = await cpuOf(1000);
    const long = await cpuOf(8000);
    const d = (long.cpu - short.cpu) / (long.draws - short.draws);
    perDraw.push(d);
    perJob.push((short.cpu - d * short.draws) / 4);
  }
  return { perJob: median(perJob), perDraw: median(perDraw) };
}

interface Replayed {
  draws: number;
  wall: number;
  cpu: number;
}

/** Replays a complete, kept run stream through a coordinator alone: its intake when it has a core to itself. */
async function replay(server: NatsServer, run: string, chains: number): Promise<Replayed> {
  const { model, data } = benchmarks.simple;
  const opts = resolveOptions({ chains, warmup, draws, seed: SEED });
  const items = runOnCluster({
    cluster: { servers: server.url, keep: true },
    density: wireDensity(model, data as never),
    modelHash: "replay",
    dataHash: "replay",
    opts,
    run,
    chains: Array.from({ length: chains }, (_, k) => ({ chain: k + 1 })),
    checkpointEvery: 100,
    // As a restarted coordinator does: the stream is replayed before any job is sent (none is: every chain is done).
    resuming: true,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  for (;;) {
    const r = await items.next();
    if (r.done === true) {
      if (r.value !== "done") throw new Error(`the replay ended ${r.value}`);
      break;
    }
    for (const item of r.value) {
      if (item.type === "error") throw new Error(`the replay failed: ${item.message}`);
      if (item.type === "draw") n++;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { draws: n, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** Part 2. */
async function coordinator(server: NatsServer, all: WorkerProcess[], cost: { perJob: number; perDraw: number }): Promise<void> {
  const ws = await startWorkers(server, procs, all);
  await warmUp(server, ws, "simple");
  const base: StreamOptions = { chains: smallChains, warmup, draws, seed: SEED };
  await timedRun("simple", { ...base, workers: 2, draws: 100, warmup: 100 }, false); // threads started, code loaded
  const local = await timedRun("simple", { ...base, workers: 2 }, false);
  const pid = serverPid(server.url);
  const cpuOf = () => ({ server: procCpu(pid) ?? NaN, workers: ws.map((w) => procCpu(w.proc.pid) ?? NaN).reduce((a, b) => a + b, 0) });
  const liveRounds = Math.min(rounds, 3);
  type Live = { f: RunFigures; server: number; workers: number; bytes: number; messages: number; replay: Replayed };
  const runs: Live[] = [];
  /** One more run with a checkpoint every 1000 iterations (frames up to 256 draws, a tenth of the KV writes). */
  let sparse: Live;
  let checkpointBytes = NaN;
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    const liveRun = async (checkpointEvery: number) => {
      const c0 = cpuOf();
      // Not digested: this process's CPU time is the coordinator's alone.
      const f = await timedRun("simple", { ...base, checkpointEvery, cluster: { servers: server.url, keep: true } }, false);
      const c1 = cpuOf();
      const info = await jsm.streams.info(runStream(f.run));
      return {
        f,
        server: c1.server - c0.server,
        workers: c1.workers - c0.workers,
        bytes: info.state.bytes,
        messages: info.state.messages,
        replay: { draws: 0, wall: NaN, cpu: NaN },
      };
    };
    for (let r = 0; r < liveRounds; r++) runs.push(await liveRun(100));
    sparse = await liveRun(1000);
    for (const wk of ws) await wk.kill("SIGTERM");
    const kv = await new Kvm(nc).open(CHECKPOINT_BUCKET);
    checkpointBytes = (await kv.get(`${runs[0].f.run}.1`))?.length ?? NaN;
    for (const r of [...runs, sparse]) {
      r.replay = await replay(server, r.f.run, smallChains);
      await jsm.streams.delete(runStream(r.f.run));
      for (let k = 1; k <= smallChains; k++) await kv.purge(`${r.f.run}.${k}`);
    }
  } finally {
    await nc.close();
  }
  const med = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
  const live = { draws: runs[0].f.draws, flowing: med((r) => r.f.flowing), wall: med((r) => r.f.wall), cpu: med((r) => r.f.cpu) };
  const serverCpu = med((r) => r.server);
  const workersCpu = med((r) => r.workers);
  const stored = { bytes: med((r) => r.bytes), messages: med((r) => r.messages) };
  const replayed = { draws: runs[0].replay.draws, wall: med((r) => r.replay.wall), cpu: med((r) => r.replay.cpu) };

  const us = (s: number, n: number) => `${((1e6 * s) / n).toFixed(1)} µs`;
  const perSec = (n: number, s: number) => Math.round(n / s).toLocaleString("en");
  const bytesPerDraw = stored.bytes / live.draws;
  const ceiling = replayed.draws / replayed.cpu;
  console.log(
    `\n2. the coordinator: ${smallChains} chains × (${warmup} warm-up + ${draws}) of simple (d = 2) on ${procs} worker processes (--concurrency 1)`,
  );
  console.log(
    `  (${availableParallelism()} cores shared by the ${procs} workers, the coordinator and nats-server: the live figures are the machine's;` +
      `\n   medians of ${liveRounds} runs, each kept, then replayed by a coordinator alone)`,
  );
  const w = [50, 14];
  row(["figure", "value"], w);
  row(["draws through the stream (warm-up included)", live.draws.toLocaleString("en")], w);
  row(["coordinator intake, live (first draw → last message)", `${perSec(live.draws, live.flowing)}/s`], w);
  row(["  wall time of the run (call → last message)", `${live.wall.toFixed(2)} s`], w);
  row(["coordinator CPU per draw, live", us(live.cpu, live.draws)], w);
  row(["nats-server CPU per draw, live", Number.isNaN(serverCpu) ? "n/a" : us(serverCpu, live.draws)], w);
  row([`workers' CPU per draw, live (all ${procs})`, Number.isNaN(workersCpu) ? "n/a" : us(workersCpu, live.draws)], w);
  row(["bytes per draw stored in the run's stream", `${bytesPerDraw.toFixed(1)} B`], w);
  row(["  frames (messages); draws per frame", `${stored.messages}; ${(live.draws / stored.messages).toFixed(1)}`], w);
  row(["a chain's checkpoint (KV value, every 100 iterations)", `${checkpointBytes} B`], w);
  row(["coordinator intake, replay alone (no workers)", `${perSec(replayed.draws, replayed.wall)}/s`], w);
  row(["coordinator CPU per draw, replay alone", us(replayed.cpu, replayed.draws)], w);
  row(["with a checkpoint every 1000 iterations (1 run)", ""], w);
  row(["  frames; draws per frame", `${sparse.messages}; ${(sparse.f.draws / sparse.messages).toFixed(1)}`], w);
  row(["  nats-server CPU per draw, live", Number.isNaN(sparse.server) ? "n/a" : us(sparse.server, sparse.f.draws)], w);
  row(["  coordinator CPU per draw, replay alone", us(sparse.replay.cpu, sparse.replay.draws)], w);
  row(["local, 2 worker threads (no NATS): draws/s", `${perSec(local.draws, local.flowing)}/s`], w);
  row(["local, 2 worker threads: CPU per draw (all threads)", us(local.cpu, local.draws)], w);
  row(["one worker, CPU per job (fixed cost, simple)", `${(1000 * cost.perJob).toFixed(0)} ms`], w);
  row(["one worker, CPU per draw (marginal, simple)", us(cost.perDraw, 1)], w);
  const core = (100 * live.cpu) / live.wall;
  console.log(
    `  verdict: live intake ${perSec(live.draws, live.flowing)} draws/s, ${(live.flowing / local.flowing).toFixed(1)}× slower than local threads on the same cores; ` +
      `the coordinator used ${core.toFixed(0)}% of a core, so it was ${core > 80 ? "the" : "not the"} bottleneck: ${core > 80 ? "it" : `the ${procs} workers and nats-server on the same cores`} limited the run`,
  );
  console.log(
    `  verdict: one coordinator saturates near ${perSec(ceiling, 1)} draws/s of d = 2 (1 ÷ its CPU per draw, replaying alone), ` +
      `e.g. ${perSec(ceiling / 1000, 1)} chains at 1,000 draws/s each` +
      (Number.isNaN(serverCpu)
        ? ""
        : `; nats-server spent ${us(serverCpu, live.draws)} per draw (one server core: ~${perSec(live.draws, serverCpu)} draws/s)`),
  );
  console.log(
    `  verdict: ${bytesPerDraw.toFixed(0)} B per draw on the wire (${(bytesPerDraw / 8).toFixed(1)} float64s: iteration, flags, 8 stats, 2 values, then frame and message headers)` +
      ` → ${((ceiling * bytesPerDraw) / 2 ** 20).toFixed(0)} MiB/s into a coordinator at its ceiling`,
  );
  console.log(
    `  verdict: a job costs its worker ~${(1000 * cost.perJob).toFixed(0)} ms of CPU (taking, checking, compiling, settling it), a draw ~${us(cost.perDraw, 1)} (sampling and publishing): ` +
      `chains shorter than ~${perSec(cost.perJob / cost.perDraw, 1)} iterations of this model cost their worker more as a job than as draws`,
  );
}

console.log(`cores: ${availableParallelism()}, load average before: ${load()} (other work on the machine skews the figures)\n`);
const started = performance.now();
const all: WorkerProcess[] = [];
const servers: NatsServer[] = [];
try {
  const one = await startNatsServer();
  servers.push(one);
  const two = await startNatsServer();
  servers.push(two);
  const single = await scaling({ one, two }, all);
  const cost = await workerCost(one, single);
  await single.kill("SIGTERM");
  await coordinator(two, all, cost);
} finally {
  await Promise.all(all.map((w) => (w.proc.exitCode === null && w.proc.signalCode === null ? w.kill("SIGKILL") : undefined)));
  await Promise.all(servers.map((s) => s.stop()));
}
console.log(`\nload average after: ${load()}; the benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
// Worker threads of the local runs are parked, not ended: leave now.
process.exit(0);
