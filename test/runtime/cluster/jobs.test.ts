/**
 * Nothing received is run as code: a worker process takes crafted jobs off
 * a real job queue and rejects each with the reason in its log, terminates
 * it (it is not delivered again, to this or any worker) and keeps working.
 * A job too large for the worker fails its run with the worker's reason.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { dataHash, modelHash } from "../../../src/codegen/hash.ts";
import { plainFromWire, wireDensity } from "../../../src/codegen/wire.ts";
import { sampleStream } from "../../../src/fit/sampleStream.ts";
import { resolveOptions } from "../../../src/inference/options.ts";
import { encodeJob, type JobMessage } from "../../../src/runtime/cluster/job.ts";
import { JOBS_STREAM, jobSubject } from "../../../src/runtime/cluster/names.ts";
import { DEFAULT_LIMITS, ensureJobQueue } from "../../../src/runtime/cluster/streams.ts";
import { type NatsServer, startNatsServer, startWorker, type WorkerProcess } from "../../helpers/nats.ts";

/** A valid job of eight schools, as a coordinator would send it (as JSON, to be spoiled). */
function validJob(run: string): JobMessage {
  const { model, data } = benchmarks.eight_schools;
  const density = wireDensity(model, data as never);
  const plain = plainFromWire(density);
  return {
    format: "sampo.job/1",
    run,
    chain: 1,
    density,
    modelHash: modelHash(plain),
    dataHash: dataHash(plain),
    opts: resolveOptions({ chains: 1, warmup: 20, draws: 20, seed: 1 }),
    checkpointEvery: 10,
  };
}

type Spoiled = Record<string, unknown> & {
  density: Record<string, unknown> & { nodes: Record<string, unknown>[]; layout: Record<string, unknown>[] };
};
const spoil = (run: string, f: (j: Spoiled) => void): Uint8Array => {
  const j = JSON.parse(new TextDecoder().decode(encodeJob(validJob(run)))) as Spoiled;
  f(j);
  return new TextEncoder().encode(JSON.stringify(j));
};

describe("crafted jobs", () => {
  let server: NatsServer;
  let worker: WorkerProcess;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureJobQueue(await jetstreamManager(nc), { ...DEFAULT_LIMITS, ackWaitMs: 1000 });
    worker = startWorker(server.url, ["--max-job-bytes", "50000"]);
    await worker.waitFor("taking jobs");
  }, 60_000);
  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await nc?.close();
    await server?.stop();
  });

  const cases: [string, (run: string) => Uint8Array, RegExp][] = [
    ["an unknown op", (r) => spoil(r, (j) => (j.density.nodes[3].op = "eval")), /nodes\[3\]\.op.*eval/],
    [
      "a string where a number belongs",
      (r) => spoil(r, (j) => ((j.opts as Record<string, unknown>).draws = "1000")),
      /opts\.draws is a string/,
    ],
    ["code in a name", (r) => spoil(r, (j) => (j.density.layout[0].name = 'mu"]);process.exit(1);//')), /layout\[0\]\.name/],
    ["generated source smuggled in", (r) => spoil(r, (j) => (j.density.source = "process.exit(1)")), /source/],
    ["an epoch that is not a count", (r) => spoil(r, (j) => (j.epoch = -1)), /epoch is not a count/],
    ["a wrong model hash", (r) => spoil(r, (j) => (j.modelHash = "0".repeat(64))), /compiles here to modelHash/],
    ["an oversized payload", (r) => spoil(r, (j) => (j.padding = "x".repeat(60_000))), /exceeds this worker's limit of 50000/],
    ["bytes that are not JSON", () => new TextEncoder().encode("\u0000{not json"), /not JSON/],
  ];
  for (const [what, job, reason] of cases) {
    it(`rejects ${what}, terminated, not redelivered`, async () => {
      const run = `crafted-${Math.random().toString(36).slice(2)}`;
      const before = worker.log().split("rejected a job").length;
      await jetstream(nc).publish(jobSubject(run, 1), job(run));
      await worker.waitFor(new RegExp(`rejected a job: .*${reason.source}`), 20_000);
      // Two acknowledgement waits later it has not come back, and the queue holds nothing of it.
      await new Promise((resolve) => setTimeout(resolve, 2200));
      expect(worker.log().split("rejected a job").length).toBe(before + 1);
      const left = await (await jetstreamManager(nc)).streams.getMessage(JOBS_STREAM, { last_by_subj: jobSubject(run, 1) });
      expect(left).toBeNull();
      expect(worker.proc.exitCode).toBeNull();
    }, 60_000);
  }

  // logistic's job is about 100 kB (its 500 × 20 design matrix), over the worker's limit of 50 kB.
  it("fails a run whose job is too large for the worker, with the worker's reason, and the worker still works", async () => {
    const { model, data } = benchmarks.logistic;
    const stream = sampleStream(model, data as never, {
      chains: 1,
      warmup: 10,
      draws: 10,
      seed: 1,
      cluster: { servers: server.url, ackWaitMs: 1000 },
    });
    let last;
    for await (const msg of stream) last = msg;
    expect(last).toMatchObject({ type: "error", chain: 1 });
    expect((last as { message: string }).message).toMatch(/a worker rejected the job: .*exceeds this worker's limit of 50000/);
    const { model: es, data: esData } = benchmarks.eight_schools;
    let end;
    for await (const msg of sampleStream(es, esData as never, {
      chains: 1,
      warmup: 20,
      draws: 20,
      seed: 1,
      cluster: { servers: server.url },
    }))
      end = msg;
    expect(end?.type).toBe("done");
  }, 60_000);
});
