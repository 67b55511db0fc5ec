/**
 * The draw log through the real command: a `sampo sample --out` process
 * SIGKILLed (or stopped with Ctrl-C) mid-run, then `--resume`, ends with the
 * uninterrupted run's draws (a run recorded before `--adapt` existed
 * resumes with Stan's warm-up); a changed model or data is refused.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { root, sampo, sampoJs } from "../helpers/cli.ts";

const dataRows = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0 && !l.startsWith("#"));
const rowsSoFar = (path: string) => (existsSync(path) ? dataRows(path).length - 1 : 0);

/**
 * Starts a run and sends `signal` once chain-1.csv has `rows` draws (polling
 * the file); resolves with how the process ended.
 */
function interrupt(
  args: string[],
  out: string,
  signal: NodeJS.Signals,
  rows: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [sampoJs, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const poll = setInterval(() => {
      if (rowsSoFar(join(out, "chain-1.csv")) >= rows) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 5);
    child.on("exit", (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), "sampo-resume-"));
// Warm-up rows are saved, so rows appear from the start; the kills, at 20 or 120 rows of 1800, land in warm-up.
const run = [
  "sample",
  "examples/eight_schools.ts",
  "--chains",
  "2",
  "--warmup",
  "300",
  "--draws",
  "1500",
  "--save-warmup",
  "--seed",
  "3",
  "--checkpoint-every",
  "50",
];

describe("sampo sample --resume", () => {
  let reference: { dir: string; stdout: string };
  beforeAll(async () => {
    const dir = tmp();
    const r = await sampo([...run, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    reference = { dir, stdout: r.stdout };
  });

  it("continues a run whose process was SIGKILLed mid-run to the uninterrupted run's draws", async () => {
    const out = tmp();
    // At 120 rows chain 1 has passed its checkpoints at iterations 50 and 100 (rows are iterations: warm-up is saved).
    const killed = await interrupt([...run, "--out", out], out, "SIGKILL", 120);
    expect(killed.signal).toBe("SIGKILL");
    expect(rowsSoFar(join(out, "chain-1.csv"))).toBeLessThan(1800);
    expect(JSON.parse(readFileSync(join(out, "checkpoint-1.json"), "utf8")).done).toBe(false);
    // The kill may or may not have cut a line; make sure one is cut.
    appendFileSync(join(out, "chain-1.csv"), "-39.2,0.93,0.31");
    const r = await sampo([...run.slice(0, 2), "--out", out, "--resume"]);
    expect(r.code, r.stderr).toBe(0);
    for (const k of [1, 2]) expect(dataRows(join(out, `chain-${k}.csv`))).toEqual(dataRows(join(reference.dir, `chain-${k}.csv`)));
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(readFileSync(join(reference.dir, "summary.json"), "utf8"));
    expect(r.stdout).toBe(reference.stdout);
  });

  it("stops cleanly on Ctrl-C (exit 130, says how to resume) and resumes to the same draws", async () => {
    const out = tmp();
    const stopped = await interrupt([...run, "--out", out], out, "SIGINT", 20);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`interrupted; continue with: sampo sample examples/eight_schools.ts --out ${out} --resume`);
    // Stopped, not finished: each chain saved a checkpoint and no summary was written.
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "checkpoint-1.json"), "utf8")).done).toBe(false);
    const r = await sampo([...run.slice(0, 2), "--out", out, "--resume", "--workers", "0"]);
    expect(r.code, r.stderr).toBe(0);
    for (const k of [1, 2]) expect(dataRows(join(out, `chain-${k}.csv`))).toEqual(dataRows(join(reference.dir, `chain-${k}.csv`)));
  });

  it("resumes a run recorded before --adapt existed (no adapt in run.json) with Stan's warm-up, to its draws", async () => {
    const stan = [...run, "--adapt", "stan"];
    const whole = tmp();
    expect((await sampo([...stan, "--out", whole])).code).toBe(0);
    const out = tmp();
    expect((await interrupt([...stan, "--out", out], out, "SIGINT", 120)).code).toBe(130);
    // What an older sampo wrote: no adapt in the settings, version 1 checkpoints (Stan's, still written under --adapt stan).
    const manifest = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    delete manifest.settings.adapt;
    writeFileSync(join(out, "run.json"), JSON.stringify(manifest));
    expect(JSON.parse(readFileSync(join(out, "checkpoint-1.json"), "utf8")).state.version).toBe(1);
    const r = await sampo([...run.slice(0, 2), "--out", out, "--resume"]);
    expect(r.code, r.stderr).toBe(0);
    for (const k of [1, 2]) expect(dataRows(join(out, `chain-${k}.csv`))).toEqual(dataRows(join(whole, `chain-${k}.csv`)));
    const refused = await sampo([...run.slice(0, 2), "--out", out, "--resume", "--adapt", "nutpie"]);
    expect(refused.stderr).toMatch(/cannot resume: adapt is nutpie here but stan in the run/);
  });

  it("refuses to resume a changed model or data, an option that disagrees, or a directory without a run", async () => {
    const dir = tmp();
    const file = join(dir, "coin.ts");
    const coin = (prior: string) => `import { model } from "sampo";
export default model((m, d: { flips: number[] }) => {
  const p = m.sample("p", m.beta(${prior}));
  m.observe("flips", m.bernoulli(p), d.flips);
  return { p };
});
`;
    writeFileSync(file, coin("1, 1"));
    writeFileSync(join(dir, "flips.json"), JSON.stringify({ flips: [1, 0, 1, 1] }));
    const out = join(dir, "out");
    const args = [
      "sample",
      file,
      "--data",
      join(dir, "flips.json"),
      "--chains",
      "1",
      "--draws",
      "50",
      "--warmup",
      "50",
      "--seed",
      "1",
      "--out",
      out,
    ];
    expect((await sampo(args)).code).toBe(0);
    // Unchanged: resuming a finished run is allowed (and changes nothing).
    const same = await sampo(["sample", file, "--out", out, "--resume"]);
    expect(same.code, same.stderr).toBe(0);
    const disagree = await sampo(["sample", file, "--out", out, "--resume", "--draws", "60"]);
    expect(disagree.code).toBe(1);
    expect(disagree.stderr).toMatch(/cannot resume: draws is 60 here but 50 in the run/);
    writeFileSync(join(dir, "flips.json"), JSON.stringify({ flips: [1, 0, 1, 0] }));
    const data = await sampo(["sample", file, "--out", out, "--resume"]);
    expect(data.code).toBe(1);
    expect(data.stderr).toMatch(/cannot resume: the data changed since the run started/);
    writeFileSync(join(dir, "flips.json"), JSON.stringify({ flips: [1, 0, 1, 1] }));
    writeFileSync(file, coin("2, 2"));
    const changed = await sampo(["sample", file, "--out", out, "--resume"]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/cannot resume: the model changed since the run started/);
    const none = await sampo(["sample", file, "--out", join(dir, "nothing"), "--resume"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/cannot resume: .*run\.json does not exist/);
  });
});
