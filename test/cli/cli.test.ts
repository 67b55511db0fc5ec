/**
 * The `sampo` command end to end, through real child processes, as a user
 * runs it right after `npm ci`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampo } from "../helpers/cli.ts";

describe("sampo CLI", () => {
  it("samples an example, writes Stan CSV files and a manifest, and summarizes them again", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "sampo-cli-")), "es");
    const r = await sampo([
      "sample",
      "examples/eight_schools.ts",
      "--chains",
      "2",
      "--draws",
      "200",
      "--warmup",
      "200",
      "--seed",
      "1",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^variable\s+mean\s+sd\s+q05\s+q50\s+q95\s+ess_bulk\s+ess_tail\s+rhat\s+mcse_mean\s+mcse_sd/);
    expect(r.stdout).toMatch(/\ntheta\[8\]/);
    expect(r.stderr).toMatch(/chain 2: done/);
    for (const f of ["chain-1.csv", "chain-2.csv", "run.json", "summary.json"]) expect(existsSync(join(out, f)), f).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(manifest.settings.seed).toBe(1);
    expect(manifest.modelHash).toMatch(/^[0-9a-f]{64}$/);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(Object.keys(summary["theta[1]"])).toEqual([
      "mean",
      "sd",
      "q05",
      "q50",
      "q95",
      "ess_bulk",
      "ess_tail",
      "rhat",
      "mcse_mean",
      "mcse_sd",
    ]);
    const csv = readFileSync(join(out, "chain-1.csv"), "utf8");
    expect(csv).toMatch(/\nlp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,tau,theta\.1,/);
    expect(csv).toMatch(/# Adaptation terminated\n# Step size = /);
    expect(csv).toMatch(/Elapsed Time: .* seconds \(Warm-up\)/);
    const again = await sampo(["summary", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(r.stdout);
  });

  it("runs a user's model file outside the repository that imports sampo", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sampo-user-"));
    writeFileSync(
      join(dir, "coin.ts"),
      `import { model } from "sampo";
export const data = { flips: [1, 0, 1, 1, 0, 1, 1, 1] };
export default model((m, d: typeof data) => {
  const p = m.sample("p", m.beta(1, 1));
  m.observe("flips", m.bernoulli(p), d.flips);
  return { p };
});
`,
    );
    const r = await sampo(["sample", join(dir, "coin.ts"), "--chains", "1", "--draws", "300", "--warmup", "300", "--seed", "2"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\np\s+0\.\d+/);
  });

  it("--thread-heap-mb limits each worker thread's heap: at 2 MB every thread dies, and the run says why", async () => {
    const short = ["--chains", "2", "--workers", "2", "--warmup", "50", "--draws", "50", "--seed", "1"];
    const starved = await sampo(["sample", "examples/simple.ts", ...short, "--thread-heap-mb", "2"]);
    expect(starved.code).toBe(1);
    expect(starved.stderr).toMatch(/its worker died \d+ times, the last time because it ran out of memory/);
    const roomy = await sampo(["sample", "examples/simple.ts", ...short, "--thread-heap-mb", "512"]);
    expect(roomy.code).toBe(0);
  });

  it("has --help on every command and rejects bad options clearly", async () => {
    for (const cmd of ["sample", "summary", "inspect", "print"]) {
      const r = await sampo([cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: sampo ${cmd}`));
    }
    const bad = await sampo(["sample", "examples/eight_schools.ts", "--chains", "two"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--chains must be an integer ≥ 1/);
    const unknown = await sampo(["sample", "examples/eight_schools.ts", "--chain", "2"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--chain/);
  });
});
