/**
 * A worker thread for the MessagePort tests: streams the nasty messages and
 * `workerData.draws` synthetic draws to its parent through messagePortSink.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { DrawMessage, SampleMessage } from "../../../src/runtime/messages.ts";
import { messagePortSink, pipe } from "../../../src/runtime/sinks/index.ts";
import { nastyMessages } from "./nasty.ts";

const { draws, window } = workerData as { draws: number; window?: number };

async function* messages(): AsyncGenerator<SampleMessage> {
  yield* nastyMessages().slice(0, -1);
  for (let i = 1; i <= draws; i++) {
    const d: DrawMessage = {
      type: "draw",
      run: "w",
      chain: 1,
      iter: i,
      warmup: false,
      values: [i, Infinity, -0],
      stats: { lp: -i, acceptStat: NaN, stepSize: 1, treeDepth: 1, nLeapfrog: 1, divergent: false, energy: -Infinity, recovered: 0 },
    };
    yield d;
  }
  yield { type: "done", run: "w" };
}

await pipe(messages(), messagePortSink(parentPort!, { window }));
