/**
 * Cost of the draw message paths, in µs per message, side by side:
 * - a plain `for await` over a generator (the floor every path pays);
 * - the in-process async-iterable sink (bounded queue, back-pressure) through `pipe`;
 * - the NDJSON codec alone (encode + stringify + parse + decode), and
 *   through a Node stream (nodeStreamSink → PassThrough → nodeStreamSource);
 * - a MessagePort by structured clone: a MessageChannel in this thread, and
 *   from a worker thread to this one (with flow control).
 * Draws of 10 values (eight schools) and of 100. Run: `npx tsx bench/messages.ts`.
 *
 * The file is also the worker's code: a worker thread does not inherit
 * tsx's loader on Node 20, so the main thread bundles this file with esbuild
 * and starts the bundle from a data: URL.
 * @module
 */
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { isMainThread, MessageChannel, parentPort, Worker, workerData } from "node:worker_threads";
import { decodeLine, encodeLine } from "../src/runtime/codec.ts";
import type { DrawMessage, SampleMessage } from "../src/runtime/messages.ts";
import {
  asyncIterableSink,
  messagePortSink,
  messagePortSource,
  nodeStreamSink,
  nodeStreamSource,
  pipe,
} from "../src/runtime/sinks/index.ts";

const N = 100_000;

/** `n` draws of `size` values, full-precision numbers as a sampler makes them (a divergent one now and then). */
function draws(n: number, size: number): DrawMessage[] {
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2;
  return Array.from({ length: n }, (_, i) => ({
    type: "draw",
    run: "6f1c2b7e-3d4a-4c2b-9f1e-0a1b2c3d4e5f",
    chain: 1 + (i % 4),
    iter: 1 + Math.floor(i / 4),
    warmup: i < n / 2,
    values: Array.from({ length: size }, rand),
    stats: {
      lp: -40 + rand(),
      acceptStat: 0.8 + rand() / 10,
      stepSize: 0.41,
      treeDepth: 3,
      nLeapfrog: 7,
      divergent: i % 97 === 0,
      energy: i % 97 === 0 ? Infinity : 45 + rand(),
      recovered: 0,
    },
  }));
}

async function* replay(messages: readonly SampleMessage[]): AsyncGenerator<SampleMessage> {
  yield* messages;
}

/** µs per message of `run`, which handles `n` messages (best of 3, after a warm-up round). */
async function perMessage(n: number, run: () => Promise<void>): Promise<number> {
  await run();
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    await run();
    best = Math.min(best, performance.now() - t);
  }
  return (best * 1000) / n;
}

async function consume(source: AsyncIterable<SampleMessage>): Promise<number> {
  let n = 0;
  for await (const _ of source) n++;
  return n;
}

const esbuild = () => createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as typeof import("esbuild");

/** µs per message from a worker thread (its start excluded: timed from the first message to the end). */
async function fromWorker(size: number, code: string): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: { size, n: N } });
    let t0 = 0;
    let n = 0;
    for await (const _ of messagePortSource(worker)) if (n++ === 0) t0 = performance.now();
    best = Math.min(best, performance.now() - t0);
    await worker.terminate();
  }
  return (best * 1000) / (N - 1);
}

async function main(): Promise<void> {
  const code = esbuild().buildSync({
    entryPoints: [fileURLToPath(import.meta.url)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
  }).outputFiles[0].text;
  const rows: [string, number[]][] = [
    ["for await over a generator (floor)", []],
    ["async-iterable sink (pipe, queue of 64)", []],
    ["NDJSON codec alone (encode + decode)", []],
    ["NDJSON through a PassThrough stream", []],
    ["MessagePort, same thread", []],
    ["MessagePort, worker → main (window 1024)", []],
  ];
  const sizes = [10, 100];
  for (const size of sizes) {
    const messages = draws(N, size);
    rows[0][1].push(await perMessage(N, async () => void (await consume(replay(messages)))));
    rows[1][1].push(
      await perMessage(N, async () => {
        const sink = asyncIterableSink({ highWaterMark: 64 });
        await Promise.all([pipe(replay(messages), sink), consume(sink)]);
      }),
    );
    rows[2][1].push(
      await perMessage(N, async () => {
        for (const m of messages) decodeLine(encodeLine(m));
      }),
    );
    rows[3][1].push(
      await perMessage(N, async () => {
        const wire = new PassThrough();
        await Promise.all([pipe(replay(messages), nodeStreamSink(wire)), consume(nodeStreamSource(wire))]);
      }),
    );
    rows[4][1].push(
      await perMessage(N, async () => {
        const { port1, port2 } = new MessageChannel();
        await Promise.all([pipe(replay(messages), messagePortSink(port1, { window: 1024 })), consume(messagePortSource(port2))]);
        port1.close();
      }),
    );
    rows[5][1].push(await fromWorker(size, code));
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`µs per draw message (${N.toLocaleString("en")} messages, best of 3), Node ${process.versions.node}`);
  console.log(`${"path".padEnd(width)}  ${sizes.map((s) => `${s} values`.padStart(10)).join("  ")}`);
  for (const [name, us] of rows) console.log(`${name.padEnd(width)}  ${us.map((u) => u.toFixed(2).padStart(10)).join("  ")}`);
  const encoded = encodeLine(draws(1, 10)[0]);
  console.log(`(one NDJSON line of a 10-value draw: ${encoded.length} bytes)`);
}

if (isMainThread) await main();
else {
  const { size, n } = workerData as { size: number; n: number };
  await pipe(replay(draws(n, size)), messagePortSink(parentPort!, { window: 1024 }));
}
