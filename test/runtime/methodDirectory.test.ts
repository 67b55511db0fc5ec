/**
 * A method's run directory: `<method>.csv` in CmdStan's layout for that
 * method, `run.json` with the method's figures, `summary.json`; and
 * `readFit` reads it back into a MethodFit with the same draws, columns and
 * figures. The runs here are hand-made message sequences, so each file's
 * expected content is known exactly (the engines' own runs are tested with
 * each engine).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFit } from "../../src/fit/readFit.ts";
import { MethodFit } from "../../src/fit/methodFit.ts";
import { losslessParse } from "../../src/losslessJson.ts";
import { MethodDirectory } from "../../src/runtime/methodDirectory.ts";
import type { MethodName, SampleMessage } from "../../src/runtime/messages.ts";
import type { ValueLayout } from "../../src/tensor/layout.ts";

const run = "r1";
const layout: ValueLayout = [
  { name: "mu", shape: [], offset: 0, size: 1, kind: "parameter" },
  { name: "theta", shape: [2, 2], offset: 1, size: 4, kind: "parameter" },
];

/** A run of `method` with `chains` chains of `n` draws: value j of draw i of chain k is k*100 + i + j/10. */
function messages(
  method: Exclude<MethodName, "sample">,
  chains: number,
  n: number,
  columns: (k: number, i: number) => Record<string, number>,
): SampleMessage[] {
  const out: SampleMessage[] = [
    {
      type: "start",
      version: 1,
      run,
      method,
      methodSettings: { draws: n, label: "x" },
      valueLayout: layout,
      layout: [],
      settings: {
        chains,
        draws: n,
        warmup: 0,
        seed: 7,
        thin: 1,
        targetAccept: 0.8,
        maxDepth: 10,
        metric: "diag",
        saveWarmup: false,
        reparam: false,
      },
      modelHash: "m",
      dataHash: "d",
      centering: {},
    },
    { type: "progress", run, phase: "path 1", iter: 3, metrics: { elbo: -1 } },
  ];
  for (let k = 1; k <= chains; k++)
    for (let i = 1; i <= n; i++)
      out.push({
        type: "draw",
        run,
        chain: k,
        iter: i,
        warmup: false,
        values: [0, 1, 2, 3, 4].map((j) => k * 100 + i + j / 10),
        stats: { lp: -i, acceptStat: NaN, stepSize: NaN, treeDepth: 0, nLeapfrog: 0, divergent: false, energy: NaN, recovered: 0 },
        columns: columns(k, i),
      });
  out.push({ type: "result", run, method, info: { khat: Infinity, mean: [9, 9, 9, 9, 9] }, warnings: ["a warning"] });
  for (let k = 1; k <= chains; k++) out.push({ type: "chainDone", run, chain: k, elapsed: { warmup: 0, sampling: 1 } });
  out.push({ type: "done", run });
  return out;
}

function write(msgs: SampleMessage[], method: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sampo-${method}-`));
  const sink = new MethodDirectory(dir, "m.ts");
  for (const m of msgs) sink.add(m);
  return dir;
}

describe("a method's run directory", () => {
  it("pathfinder: CmdStan's columns, Stan's column order, read back exactly with the figures", async () => {
    const dir = write(
      messages("pathfinder", 1, 3, (_k, i) => ({ lp_approx__: -i - 0.5, lp__: -i })),
      "pathfinder",
    );
    const lines = readFileSync(join(dir, "pathfinder.csv"), "utf8").split("\n");
    expect(lines).toContain("# method=pathfinder");
    expect(lines).toContain("# label=x");
    // theta is 2×2: Stan's columns are column-major (theta.1.1, theta.2.1, theta.1.2, theta.2.2).
    expect(lines.find((l) => !l.startsWith("#"))).toBe("lp_approx__,lp__,mu,theta.1.1,theta.2.1,theta.1.2,theta.2.2");
    expect(lines.filter((l) => l !== "" && !l.startsWith("#"))[1]).toBe("-1.5,-1,101,101.1,101.3,101.2,101.4");
    const manifest = losslessParse(readFileSync(join(dir, "run.json"), "utf8")) as { method: string; result: { info: { khat: number } } };
    expect(manifest.method).toBe("pathfinder");
    expect(manifest.result.info.khat).toBe(Infinity);
    const fit = await readFit(dir);
    expect(fit).toBeInstanceOf(MethodFit);
    const mf = fit as MethodFit;
    expect(mf.method).toBe("pathfinder");
    expect(mf.draws.theta).toEqual(
      [1, 2, 3].map((i) => [
        [100 + i + 0.1, 100 + i + 0.2],
        [100 + i + 0.3, 100 + i + 0.4],
      ]),
    );
    expect(Array.from(mf.columns[0].lp_approx__)).toEqual([-1.5, -2.5, -3.5]);
    expect(Array.from(mf.chains[0].stats.lp)).toEqual([-1, -2, -3]);
    expect(mf.info).toEqual({ khat: Infinity, mean: [9, 9, 9, 9, 9] });
    expect(mf.diagnostics().warnings).toEqual(["a warning"]);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Record<string, { mean: number }>;
    expect(summary.mu.mean).toBeCloseTo(102, 12);
  });

  it("variational: the mean row first with lp__, log_p__, log_g__ 0, lp__ 0 on every draw; reading drops the mean row", async () => {
    const dir = write(
      messages("variational", 1, 2, (_k, i) => ({ log_p__: -i, log_g__: -2 * i })),
      "variational",
    );
    const rows = readFileSync(join(dir, "variational.csv"), "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"));
    expect(rows[0]).toBe("lp__,log_p__,log_g__,mu,theta.1.1,theta.2.1,theta.1.2,theta.2.2");
    expect(rows[1]).toBe("0,0,0,9,9,9,9,9");
    expect(rows[2]).toBe("0,-1,-2,101,101.1,101.3,101.2,101.4");
    const fit = (await readFit(dir)) as MethodFit;
    expect(fit.draws.mu).toEqual([101, 102]);
    expect(Array.from(fit.columns[0].log_g__)).toEqual([-2, -4]);
  });

  it("smc: one file, the runs told apart by run__, read back as one chain per run", async () => {
    const dir = write(
      messages("smc", 2, 2, (k, i) => ({ lp__: -i, log_lik__: -3 * i, run__: k })),
      "smc",
    );
    const fit = (await readFit(dir)) as MethodFit;
    expect(fit.chains.map((c) => c.draws)).toEqual([2, 2]);
    expect(fit.draws.mu).toEqual([101, 102, 201, 202]);
    expect(Array.from(fit.columns[1].log_lik__)).toEqual([-3, -6]);
  });
});
