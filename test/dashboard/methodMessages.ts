/**
 * A method run's messages built by hand, shaped as src/fit/methods/methodStream.ts
 * sends them: `start` (with `method`), `progress`, the draws of each chain at the
 * end (warm-up 0, NUTS's statistics NaN but `lp`), `result`, one `chainDone`
 * per chain, `done`. Values come from a seeded generator, so tests can compute
 * the expected summary from the same draws.
 */
import { formatSummaryCell, SUMMARY_COLUMNS } from "../../src/inference/diagnostics/format.ts";
import { summarize } from "../../src/inference/diagnostics/report.ts";
import { methodFitSettings } from "../../src/inference/options.ts";
import { Rng } from "../../src/random/rng.ts";
import { DrawCollector } from "../../src/runtime/collect.ts";
import type { DrawMessage, MethodName, ProgressMessage, SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import type { ValueLayout } from "../../src/tensor/layout.ts";

export const METHOD_RUN = "method-run";

/** Elements mu, tau, theta[1], theta[2]. */
const METHOD_LAYOUT: ValueLayout = [
  { name: "mu", shape: [], offset: 0, size: 1, kind: "parameter" },
  { name: "tau", shape: [], offset: 1, size: 1, kind: "parameter" },
  { name: "theta", shape: [2], offset: 2, size: 2, kind: "parameter" },
];

/** The `start` of a method run of `chains` chains of `draws` draws. */
export function methodStart(method: Exclude<MethodName, "sample">, chains: number, draws: number): StartMessage {
  return {
    type: "start",
    version: 1,
    run: METHOD_RUN,
    method,
    methodSettings: {},
    valueLayout: METHOD_LAYOUT,
    layout: [],
    settings: methodFitSettings(chains, draws, 1),
    modelHash: "m",
    dataHash: "d",
    centering: {},
  };
}

/** A `progress` message. */
export function progress(phase: string, iter: number, metrics: Record<string, number>, total?: number): ProgressMessage {
  return { type: "progress", run: METHOD_RUN, phase, iter, ...(total === undefined ? {} : { total }), metrics };
}

/** Chain `chain`'s draws: mu ~ N(1, 0.5²), tau = exp(N(0, 0.3²)), theta[i] ~ N(i, 1), from stream `chain` of seed 7. */
export function methodDraws(chain: number, draws: number): DrawMessage[] {
  const rng = new Rng(7, chain);
  return Array.from({ length: draws }, (_, i) => {
    const values = [1 + 0.5 * rng.normal(), Math.exp(0.3 * rng.normal()), 1 + rng.normal(), 2 + rng.normal()];
    const lp = -(values[0] ** 2);
    return {
      type: "draw",
      run: METHOD_RUN,
      chain,
      iter: i + 1,
      warmup: false,
      values,
      stats: { lp, acceptStat: NaN, stepSize: NaN, treeDepth: 0, nLeapfrog: 0, divergent: false, energy: NaN, recovered: 0 },
      columns: { lp__: lp, lp_approx__: lp - 0.1 },
    };
  });
}

/** The end of a run: `chainDone` per chain and `done`. */
export function methodEnd(chains: number): SampleMessage[] {
  return [
    ...Array.from({ length: chains }, (_, k): SampleMessage => ({
      type: "chainDone",
      run: METHOD_RUN,
      chain: k + 1,
      elapsed: { warmup: 0, sampling: 1 },
    })),
    { type: "done", run: METHOD_RUN },
  ];
}

/** The summary table the page should show for the run of `msgs`, as printed. */
export function expectedTable(msgs: readonly SampleMessage[]): string[][] {
  const collector = new DrawCollector();
  for (const m of msgs) collector.add(m);
  const { start, chains } = collector.result();
  return summarize(start.valueLayout, chains).map((row) => [row.name, ...SUMMARY_COLUMNS.map((c) => formatSummaryCell(c, row[c]))]);
}
