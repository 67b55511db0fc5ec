/**
 * A method run (not NUTS) as the dashboard keeps it: the method's name, its
 * progress and result in words, the summary and warnings of its draws; and
 * a NUTS run unchanged by any of it. The report refuses a method run's
 * directory in words.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { figure, methodProgress, methodResult } from "../../src/dashboard/methodRun.ts";
import { reportData } from "../../src/dashboard/report.ts";
import { RunState } from "../../src/dashboard/runState.ts";
import { summarize } from "../../src/inference/diagnostics/report.ts";
import type { ResultMessage, SampleMessage } from "../../src/runtime/messages.ts";
import { MethodDirectory } from "../../src/runtime/methodDirectory.ts";
import { DrawCollector } from "../../src/runtime/collect.ts";
import { METHOD_RUN, methodDraws, methodEnd, methodStart, progress } from "./methodMessages.ts";

const result = (method: ResultMessage["method"], info: Record<string, unknown>, warnings: string[] = []): ResultMessage => ({
  type: "result",
  run: METHOD_RUN,
  method,
  info,
  warnings,
});

/** A whole method run's messages. */
function methodRun(method: ResultMessage["method"], chains: number, draws: number, info: Record<string, unknown>, warnings: string[]) {
  return [
    methodStart(method, chains, draws),
    progress("run 1", 3, { beta: 0.01 }),
    ...Array.from({ length: chains }, (_, k) => methodDraws(k + 1, draws)).flat(),
    result(method, info, warnings),
    ...methodEnd(chains),
  ] satisfies SampleMessage[];
}

describe("a method's figures in words", () => {
  it("formats numbers as text, never NaN", () => {
    expect([figure(0.42), figure(-1234.567), figure(17), figure(1e-7), figure(NaN), figure(Infinity), figure(-Infinity)]).toEqual([
      "0.42",
      "-1235",
      "17",
      "1e-7",
      "–",
      "∞",
      "−∞",
    ]);
  });

  it("labels a progress message's metrics, keeping unknown ones as named", () => {
    expect(methodProgress(progress("elbo", 200, { elbo: -12.34567, relMean: NaN, odd: 2 }, 10000))).toEqual({
      phase: "elbo",
      iter: 200,
      total: 10000,
      metrics: [
        { label: "ELBO", value: "-12.35" },
        { label: "rel. change (mean)", value: "–" },
        { label: "odd", value: "2" },
      ],
    });
  });

  it("picks each method's headline figures from its info, as src/fit/methods fills it", () => {
    const figures = (r: ResultMessage) => Object.fromEntries(methodResult(r).figures.map((f) => [f.label, f.value]));
    const paths = [
      { path: 1, ok: true, elbo: -3, bestIteration: 4, lbfgsIterations: 9 },
      { path: 2, ok: false, reason: "no finite ELBO", elbo: NaN, bestIteration: 0, lbfgsIterations: 1 },
    ];
    expect(figures(result("pathfinder", { khat: 0.42, paths, gradientEvaluations: 812, recovered: 0 }))).toEqual({
      "Pareto k̂": "0.42",
      paths: "1 of 2 worked",
      "gradient evaluations": "812",
      recovered: "0",
    });
    const runs = [{ logEvidence: -23.4, betas: [0, 1], acceptance: [0.8] }];
    expect(
      figures(result("smc", { logEvidence: -23.4567, logEvidenceSe: 0.07891, runs, gradientEvaluations: 5000, recovered: 2 })),
    ).toEqual({
      "log evidence": "-23.46 ± 0.07891",
      runs: "1",
      "gradient evaluations": "5000",
      recovered: "2",
    });
    const message = "Convergence detected: relative gradient magnitude is below tolerance";
    expect(
      figures(
        result("optimize", {
          converged: true,
          message,
          logp: -4.5,
          iterations: 12,
          gradientEvaluations: 15,
          recovered: 0,
          jacobian: false,
        }),
      ),
    ).toEqual({
      outcome: message,
      "log p at the mode": "-4.5",
      iterations: "12",
      "gradient evaluations": "15",
      recovered: "0",
    });
    const elbo = [
      { iter: 100, elbo: -20, relMean: NaN, relMedian: NaN },
      { iter: 200, elbo: -18.25, relMean: 0.01, relMedian: 0.005 },
    ];
    const advi = {
      algorithm: "meanfield",
      mean: [1],
      approximation: {},
      eta: 0.1,
      iterations: 200,
      converged: true,
      message: "converged",
      elbo,
    };
    expect(figures(result("variational", { ...advi, gradientEvaluations: 200, recovered: 0 }))).toMatchObject({
      algorithm: "meanfield",
      outcome: "converged",
      ELBO: "-18.25",
      eta: "0.1",
      iterations: "200",
    });
    expect(
      figures(result("laplace", { logpMode: -3.25, covariance: [[1]], optimizer: "converged", recovered: 0, jacobian: true })),
    ).toEqual({
      optimizer: "converged",
      "log p at the mode": "-3.25",
      recovered: "0",
    });
    expect(methodResult(result("pathfinder", { khat: NaN }, ["a warning"]))).toEqual({
      figures: [{ label: "Pareto k̂", value: "–" }],
      warnings: ["a warning"],
    });
  });
});

describe("RunState of a method run", () => {
  it("names the method, keeps the last progress and the result, and summarizes the draws with the result's warnings", () => {
    const state = new RunState();
    const msgs = methodRun("smc", 2, 50, { logEvidence: -23.4567, logEvidenceSe: 0.07891 }, ["2 particle evaluations threw"]);
    state.add(msgs[0], 0);
    expect(state.meta?.method).toBe("smc");
    expect(state.snapshot([0]).event.method).toEqual({});
    // Before any draw the chains run: not "waiting for a worker" (there are none).
    expect(state.chains().map((c) => c.phase)).toEqual(["running", "running"]);
    state.add(msgs[1], 0);
    expect(state.snapshot([0]).event.method?.progress).toEqual({ phase: "run 1", iter: 3, metrics: [{ label: "β", value: "0.01" }] });
    for (const m of msgs.slice(2)) state.add(m, 0);
    expect(state.method?.result?.figures[0]).toEqual({ label: "log evidence", value: "-23.46 ± 0.07891" });
    const summary = state.summary()!;
    // The same rows as the summary of the draws (the collector is what fit.summary() reads).
    const collector = new DrawCollector();
    for (const m of msgs) collector.add(m);
    const { start, chains } = collector.result();
    expect(summary.event.summary).toEqual(summarize(start.valueLayout, chains));
    expect(summary.event.chainsUsed).toEqual([1, 2]);
    // NUTS's diagnostics do not apply (50 draws per chain would warn of low ESS): the result's warnings do.
    expect(summary.event.warnings).toEqual(["2 particle evaluations threw"]);
    expect(state.chains().map((c) => [c.state, c.iter, c.total])).toEqual([
      ["done", 50, 50],
      ["done", 50, 50],
    ]);
  });

  it("summarizes optimize's one draw, the mode", () => {
    const state = new RunState();
    for (const m of methodRun("optimize", 1, 1, { message: "ok" }, [])) state.add(m, 0);
    const rows = state.summary()!.event.summary;
    expect(rows.map((r) => r.mean)).toEqual(methodDraws(1, 1)[0].values);
    expect(rows.every((r) => Number.isNaN(r.sd))).toBe(true);
  });

  it("leaves a NUTS run without method fields", () => {
    const state = new RunState();
    const { method: _m, methodSettings: _s, ...nuts } = methodStart("smc", 1, 10);
    state.add(nuts, 0);
    state.add(progress("stray", 1, {}), 0);
    expect(state.meta).not.toHaveProperty("method");
    expect(state.snapshot([0]).event).not.toHaveProperty("method");
    expect(state.chains()[0].phase).toBe("waiting for a worker");
  });
});

describe("the report of a method run's directory", () => {
  it("says in words that it is not supported yet, rather than failing on a missing chain file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sampo-method-report-"));
    try {
      const sink = new MethodDirectory(dir, "m.ts");
      for (const m of methodRun("pathfinder", 1, 20, { khat: 0.42 }, [])) sink.add(m);
      expect(() => reportData(dir)).toThrow(/holds a pathfinder run \(pathfinder\.csv\).*reports of method runs are not supported yet/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
