/**
 * Remote chains against Stan's reference posteriors: 4 chains of 1000 +
 * 1000 on 3 `sampo worker` processes over a real nats-server, eight schools
 * and sv, z-tested as the local benchmarks are (test/fit/benchmarks.test.ts:
 * means and sds with both sides' MCSEs, Bonferroni at family-wise 1e-3).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { sample } from "../../../src/fit/sample.ts";
import { benchmarkReference, compareToReference, heavyTailedOf } from "../../helpers/reference.ts";
import { type NatsServer, startNatsServer, startWorker, type WorkerProcess } from "../../helpers/nats.ts";

describe("4 chains on 3 workers agree with Stan's reference posteriors", () => {
  let server: NatsServer;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    for (let i = 0; i < 3; i++) workers.push(startWorker(server.url));
    await Promise.all(workers.map((w) => w.waitFor(/worker: (taking jobs|no job queue)/)));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill("SIGKILL")));
    await server?.stop();
  });

  for (const [name, seed] of [
    ["eight_schools", 306],
    ["sv", 305],
  ] as const) {
    it(name, async () => {
      const { model, data } = benchmarks[name];
      const fit = await sample(model, data as never, { chains: 4, seed, cluster: { servers: server.url } });
      expect(compareToReference(fit.summary(), benchmarkReference(name), { heavyTailed: heavyTailedOf(name, fit) })).toEqual([]);
      // Reparameterized eight schools diverges rarely (0–3 in 4000 draws over seeds 1–20; see test/fit/benchmarks.test.ts).
      expect(fit.diagnostics().divergences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
    });
  }
});
