/**
 * Chains on other machines: a real nats-server (Debian's, started here on a
 * loopback port with JetStream and a temporary store) and `sampo worker`
 * processes. Whichever worker runs which chain, whatever dies on the way,
 * the coordinator delivers the local run's messages: every (chain, iter)
 * once, the same draws bit for bit.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { epochHeaders } from "../../../src/runtime/cluster/epoch.ts";
import { decodeFrame } from "../../../src/runtime/cluster/frames.ts";
import { CHECKPOINT_BUCKET, checkpointKey, drawSubject, runStream } from "../../../src/runtime/cluster/names.ts";
import { DEFAULT_LIMITS, ensureJobQueue } from "../../../src/runtime/cluster/streams.ts";
import { benchmarks } from "../../../examples/index.ts";
import { sampleStream, type StreamOptions } from "../../../src/fit/sampleStream.ts";
import type { ChainCheckpoint } from "../../../src/inference/chain.ts";
import type { DrawMessage, SampleMessage, StartMessage } from "../../../src/runtime/messages.ts";
import type { SupervisorStats } from "../../../src/runtime/supervisor.ts";
import { type NatsServer, startNatsServer, startWorker, type WorkerProcess } from "../../helpers/nats.ts";

/** The draws of a stream, per chain in the order they came, and how the stream ended. */
async function drawsOf(
  stream: AsyncIterable<SampleMessage>,
  onDraw?: (d: DrawMessage) => Promise<void> | void,
): Promise<{ draws: Map<number, DrawMessage[]>; others: string[]; last: SampleMessage | undefined; start: StartMessage | undefined }> {
  const draws = new Map<number, DrawMessage[]>();
  const others: string[] = [];
  let last: SampleMessage | undefined;
  let start: StartMessage | undefined;
  for await (const msg of stream) {
    last = msg;
    if (msg.type === "start") start = msg;
    if (msg.type === "adapted" || msg.type === "chainDone") others.push(`${msg.type} ${msg.chain}`);
    if (msg.type !== "draw") continue;
    const list = draws.get(msg.chain) ?? [];
    list.push(msg);
    draws.set(msg.chain, list);
    await onDraw?.(msg);
  }
  return { draws, others, last, start };
}

/** Each chain's `adapted` and `chainDone`, once each. */
const onceEach = (chains: number) =>
  Array.from({ length: chains }, (_, i) => [`adapted ${i + 1}`, `chainDone ${i + 1}`])
    .flat()
    .sort();

/** Every chain's iterations are 1 … n, each once and in order; and the draws equal the reference's bit for bit. */
function expectSameDraws(got: Map<number, DrawMessage[]>, want: Map<number, DrawMessage[]>, chains: number, n: number): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (let k = 1; k <= chains; k++) {
    const g = got.get(k)!;
    expect(
      g.map((d) => d.iter),
      `chain ${k}`,
    ).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // Object.is on every number: bit for bit, −0 and NaN included.
    const bits = (ds: DrawMessage[]) =>
      ds.map((d) => [...d.values, ...Object.values(d.stats).map(Number)].map((x) => (Object.is(x, -0) ? "-0" : String(x))).join(","));
    expect(bits(g), `chain ${k}`).toEqual(bits(want.get(k)!));
  }
}

/** Fresh supervision counters. */
const newStats = (): SupervisorStats => ({ maxQueued: 0, restarts: 0, duplicatesDropped: 0, resumedFrom: [] });

/** The process warnings emitted while `f` runs. */
async function warningsDuring<T>(f: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const listen = (w: Error) => warnings.push(w.message);
  process.on("warning", listen);
  try {
    const value = await f();
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    return { value, warnings };
  } finally {
    process.off("warning", listen);
  }
}

/** A job whose worker stops answering goes to another worker after this: short here, 30 s by default. */
const ACK_WAIT_MS = 1500;

describe("chains on workers over NATS JetStream", () => {
  let server: NatsServer;
  const workers: WorkerProcess[] = [];
  const addWorker = async (args: string[] = []) => {
    const w = startWorker(server.url, args);
    workers.push(w);
    // Connected and pulling: the queue exists (beforeAll), so no worker sits out a retry while another takes every job.
    await w.waitFor(/worker: taking jobs/);
    return w;
  };
  /** The worker that is running chain `chain` of `run` (it said so and has not finished it). */
  const runnerOf = (run: string, chain: number) =>
    workers.find(
      (w) =>
        w.proc.exitCode === null && w.log().includes(`run ${run} chain ${chain}: `) && !w.log().includes(`run ${run} chain ${chain}: done`),
    );

  beforeAll(async () => {
    server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    await ensureJobQueue(await jetstreamManager(nc), { ...DEFAULT_LIMITS, ackWaitMs: ACK_WAIT_MS });
    await nc.close();
    await Promise.all([addWorker(), addWorker(), addWorker(["--concurrency", "2"])]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill("SIGKILL")));
    await server?.stop();
  });

  const cluster = () => ({ servers: server.url, ackWaitMs: ACK_WAIT_MS });

  it("4 chains on 3 workers give the local run's draws, bit for bit", async () => {
    const { model, data } = benchmarks.eight_schools;
    const opts: StreamOptions = { chains: 4, warmup: 300, draws: 300, seed: 11 };
    const local = await drawsOf(sampleStream(model, data as never, { ...opts, workers: 0 }));
    const remote = await drawsOf(sampleStream(model, data as never, { ...opts, cluster: cluster() }));
    expect(remote.last?.type).toBe("done");
    expectSameDraws(remote.draws, local.draws, 4, 600);
    expect(remote.others.sort()).toEqual(onceEach(4));
    // The jobs went to more than one worker.
    const run = remote.draws.get(1)![0].run;
    expect(workers.filter((w) => w.log().includes(`run ${run} chain`)).length).toBeGreaterThan(1);
  }, 120_000);

  it("deletes a run's stream and checkpoints when it ends; keep: true keeps them", async () => {
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    const kv = await new Kvm(nc).open(CHECKPOINT_BUCKET);
    const { model, data } = benchmarks.eight_schools;
    const left = async (keep: boolean) => {
      const remote = await drawsOf(
        sampleStream(model, data as never, {
          chains: 2,
          warmup: 100,
          draws: 100,
          seed: 1,
          checkpointEvery: 50,
          cluster: { ...cluster(), keep },
        }),
      );
      const run = remote.draws.get(1)![0].run;
      const stream = await jsm.streams.info(runStream(run)).then(
        (i) => i.state.messages,
        () => "none",
      );
      const checkpoint = await kv.get(checkpointKey(run, 1));
      return { stream, checkpoint: checkpoint?.operation ?? "none" };
    };
    expect(await left(false)).toEqual({ stream: "none", checkpoint: "PURGE" });
    const kept = await left(true);
    expect(kept.stream).toBeGreaterThan(0);
    expect(kept.checkpoint).toBe("PUT");
    await nc.close();
  }, 60_000);

  describe("a worker SIGKILLed mid-chain", () => {
    const { model, data } = benchmarks.logistic;
    // Checkpoints every 500 iterations (≈ 250 ms here) lie several 50 ms frames apart, so the killed
    // worker has published frames past its last checkpoint: the resumed chain sends those iterations
    // again, in other frames (not exact repeats JetStream would drop), and the coordinator's dedupe is tested.
    const opts: StreamOptions = { chains: 2, warmup: 1000, draws: 1000, seed: 5, checkpointEvery: 500 };
    let local: Map<number, DrawMessage[]>;
    beforeAll(async () => {
      local = (await drawsOf(sampleStream(model, data as never, { ...opts, workers: 0 }))).draws;
    }, 120_000);

    // Chain 1's worker is killed when its draw `at` reaches the coordinator: in warm-up (700) or after it (1300).
    for (const [when, at] of [
      ["during warm-up", 700],
      ["after warm-up", 1300],
    ] as const) {
      it(`${when}: another worker resumes the chain from its stored checkpoint, every draw arrives once, the same draws`, async () => {
        let killed: WorkerProcess | undefined;
        const remote = await drawsOf(sampleStream(model, data as never, { ...opts, cluster: cluster() }), async (d) => {
          if (d.chain !== 1 || d.iter !== at) return;
          killed = runnerOf(d.run, 1);
          await killed?.kill("SIGKILL");
        });
        expect(killed, "the worker running chain 1 was found and killed").toBeDefined();
        expect(remote.last?.type).toBe("done");
        const run = remote.draws.get(1)![0].run;
        expect(killed!.log()).not.toContain(`run ${run} chain 1: done`);
        // Another worker took the job again and resumed from a stored checkpoint.
        const resumed = workers
          .map((w) => new RegExp(`run ${run} chain 1: resuming after iteration (\\d+)`).exec(w.log()))
          .find((m) => m !== null);
        expect(resumed, workers.map((w) => w.log()).join("\n")).toBeDefined();
        // The worker runs ahead of what reaches the coordinator, so the checkpoint may be past `at`; never past the chain's end.
        expect(Number(resumed![1])).toBeLessThan(2000);
        expect(Number(resumed![1]) % 500).toBe(0);
        expectSameDraws(remote.draws, local, 2, 2000);
        expect(remote.others.sort()).toEqual(onceEach(2));
        await addWorker();
      }, 180_000);
    }
  });

  describe("frames lost or garbled on the way", () => {
    const { model, data } = benchmarks.logistic;
    const opts: StreamOptions = { chains: 2, warmup: 1000, draws: 1000, seed: 13, checkpointEvery: 100 };
    let local: Map<number, DrawMessage[]>;
    beforeAll(async () => {
      local = (await drawsOf(sampleStream(model, data as never, { ...opts, workers: 0 }))).draws;
    }, 120_000);

    it("a garbled frame: its chain runs again from its last checkpoint as a job of its next epoch, and the run ends with the local run's draws", async () => {
      const nc = await connect({ servers: server.url });
      const js = jetstream(nc);
      const stats = newStats();
      let run = "";
      const { value: remote, warnings } = await warningsDuring(() =>
        drawsOf(sampleStream(model, data as never, { ...opts, cluster: cluster(), stats }), async (d) => {
          if (run !== "" || d.chain !== 1 || d.iter < 700) return;
          run = d.run;
          await js.publish(drawSubject(run, 1), new TextEncoder().encode("not a frame"));
        }),
      );
      await nc.close();
      expect(remote.last?.type).toBe("done");
      expectSameDraws(remote.draws, local, 2, 2000);
      expect(remote.others.sort()).toEqual(onceEach(2));
      expect(stats.restarts).toBe(1);
      const [mended] = stats.resumedFrom;
      expect(mended.chain).toBe(1);
      expect(mended.iter % 100).toBe(0);
      expect(mended.iter).toBeGreaterThanOrEqual(600);
      expect(warnings.join("\n")).toMatch(
        /chain 1: a frame could not be read \(stream sequence \d+: .*\); running it again from iteration \d+ \(epoch 1\)/,
      );
      const logs = workers.map((w) => w.log()).join("\n");
      expect(logs).toContain(`run ${run} chain 1 (epoch 1): resuming after iteration ${mended.iter}`);
    }, 180_000);

    it("a frame deleted from the stream while no coordinator read it: a resumed run sees the gap, runs the chain again from before it, and ends with the local run's draws", async () => {
      // A first run, kept on the server, delivers chain 2 up to its checkpoint at 500 (as if its coordinator stopped there).
      const checkpoints = new Map<number, ChainCheckpoint>();
      const first = await drawsOf(
        sampleStream(model, data as never, {
          ...opts,
          cluster: { ...cluster(), keep: true },
          onCheckpoint: (chain, c) => (chain === 2 ? checkpoints.set(c.iter, c) : undefined),
        }),
      );
      expect(first.last?.type).toBe("done");
      const run = first.draws.get(1)![0].run;
      const resumeAt = 500;
      // Then a frame of chain 2 past that checkpoint, not its last, goes from the stream.
      const nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      const stream = runStream(run);
      const frames: { seq: number; first: number; last: number }[] = [];
      for (let seq = 1; seq <= (await jsm.streams.info(stream)).state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        if (m === null || m.subject !== drawSubject(run, 2)) continue;
        const { draws, width } = decodeFrame(m.data);
        if (draws.length > 0) frames.push({ seq, first: draws[0], last: draws[draws.length - width] });
      }
      const deleted = frames.find((f, i) => f.first > resumeAt + 100 && i < frames.length - 1);
      expect(deleted, JSON.stringify(frames)).toBeDefined();
      await jsm.streams.deleteMessage(stream, deleted!.seq);
      await nc.close();
      // The run resumed from there replays its stream, finds the gap, and runs chain 2 again from its last checkpoint before it.
      const stats = newStats();
      const chains = new Map<number, ChainCheckpoint | "done">([
        [1, "done"],
        [2, checkpoints.get(resumeAt)!],
      ]);
      const { value: second, warnings } = await warningsDuring(() =>
        drawsOf(
          sampleStream(model, data as never, {
            ...opts,
            cluster: cluster(),
            stats,
            resume: { run, modelHash: first.start!.modelHash, dataHash: first.start!.dataHash, chains },
          }),
        ),
      );
      expect(second.last?.type).toBe("done");
      expect(second.draws.get(1)).toBeUndefined();
      const joined = new Map([
        [1, first.draws.get(1)!],
        [2, [...first.draws.get(2)!.filter((d) => d.iter <= resumeAt), ...second.draws.get(2)!]],
      ]);
      expectSameDraws(joined, local, 2, 2000);
      const before = Math.floor((deleted!.first - 1) / 100) * 100;
      expect(stats.resumedFrom).toEqual([{ chain: 2, iter: before }]);
      expect(warnings.join("\n")).toMatch(
        new RegExp(
          `chain 2: frames were lost: the draw of iteration ${deleted!.last + 1} came after iteration ${deleted!.first - 1} \\(stream sequence \\d+\\); running it again from iteration ${before} \\(epoch 1\\)`,
        ),
      );
    }, 180_000);

    it("garbage after a chain's chainDone is no gap: the finished chain is not run again", async () => {
      // 5 chains on the 4 job slots: when the first chain is done, the others still run.
      const five: StreamOptions = { ...opts, chains: 5, warmup: 500, draws: 500 };
      const localFive = await drawsOf(sampleStream(model, data as never, { ...five, workers: 0 }));
      const nc = await connect({ servers: server.url });
      const js = jetstream(nc);
      const stats = newStats();
      const draws = new Map<number, DrawMessage[]>();
      let garbled: number | undefined;
      let last: SampleMessage | undefined;
      for await (const msg of sampleStream(model, data as never, { ...five, cluster: cluster(), stats })) {
        last = msg;
        if (msg.type === "draw") draws.set(msg.chain, [...(draws.get(msg.chain) ?? []), msg]);
        if (msg.type === "chainDone" && garbled === undefined) {
          garbled = msg.chain;
          await js.publish(drawSubject(msg.run, msg.chain), new TextEncoder().encode("after the end"));
        }
      }
      await nc.close();
      expect(garbled).toBeDefined();
      expect(last?.type).toBe("done");
      expect(stats.restarts).toBe(0);
      expectSameDraws(draws, localFive.draws, 5, 1000);
    }, 180_000);

    it("frames still lost after maxDeliver re-runs fail the run, naming the chain", async () => {
      const nc = await connect({ servers: server.url });
      const js = jetstream(nc);
      let garbled = 0;
      let run = "";
      const { value: remote } = await warningsDuring(() =>
        drawsOf(sampleStream(model, data as never, { ...opts, chains: 1, cluster: { ...cluster(), maxDeliver: 2 } }), async (d) => {
          if (d.chain !== 1) return;
          run = d.run;
          // One garbled frame of each epoch the chain reaches: 0, 1, 2.
          if (d.iter >= 500 * (garbled + 1) && garbled < 3)
            await js.publish(drawSubject(run, 1), new TextEncoder().encode("garbled"), { headers: epochHeaders(garbled++) });
        }),
      );
      await nc.close();
      expect(remote.last).toMatchObject({
        type: "error",
        chain: 1,
        message: expect.stringMatching(
          /^chain 1: a frame could not be read .*; it was run again 2 times and frames were still lost; giving up$/,
        ),
      });
    }, 180_000);
  });

  it("nats-server restarted mid-run: nothing is lost and the run completes with the same draws", async () => {
    const { model, data } = benchmarks.logistic;
    const opts: StreamOptions = { chains: 2, warmup: 1000, draws: 1000, seed: 9, checkpointEvery: 100 };
    const local = await drawsOf(sampleStream(model, data as never, { ...opts, workers: 0 }));
    let restarted = false;
    const remote = await drawsOf(sampleStream(model, data as never, { ...opts, cluster: cluster() }), async (d) => {
      if (restarted || d.iter < 500) return;
      restarted = true;
      await server.restart(500);
    });
    expect(restarted).toBe(true);
    expect(remote.last?.type).toBe("done");
    expectSameDraws(remote.draws, local.draws, 2, 2000);
    expect(remote.others.sort()).toEqual(onceEach(2));
  }, 180_000);
});
