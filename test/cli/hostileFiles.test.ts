/**
 * Damaged and hostile files through the real command (issue #16): a data or
 * initial-values file with problems is refused with every problem named
 * before anything runs; a run directory whose checkpoint, run.json or chain
 * CSV was damaged is refused by `--resume` naming the file; `sampo summary`
 * refuses a CSV cut mid-row and reads a CRLF copy as the original.
 */
import { mkdtempSync, readFileSync, writeFileSync, cpSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sampo } from "../helpers/cli.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "sampo-hostile-"));
const short = ["--chains", "2", "--warmup", "60", "--draws", "40", "--seed", "5"];

describe("data and initial-values files", () => {
  it("lists every problem of a data file, by key and index, and runs nothing", async () => {
    const dir = tmp();
    const file = join(dir, "bad.json");
    writeFileSync(file, '{ "y": [1, "x", null, 1e999, "Inf"], "__proto__": { "polluted": 1 }, "z": [[1, 2], [3]] }');
    const r = await sampo(["sample", "examples/simple.ts", "--data", file, ...short]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: 5 problems`);
    for (const at of [
      'y[1]: the string "x"',
      "y[2]: null",
      "y[3]: a number beyond the double range",
      "__proto__: an object",
      "z[1]: shape [1]",
    ])
      expect(r.stderr).toContain(at);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("says where a data file stops being JSON", async () => {
    const dir = tmp();
    const file = join(dir, "cut.json");
    writeFileSync(file, '{\n  "y": [1, 2,\n');
    const r = await sampo(["sample", "examples/simple.ts", "--data", file, ...short]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not valid JSON: a value expected, found the end of the file (line 3, column 1)");
  });

  it("names a key the model needs that the data file lacks", async () => {
    const dir = tmp();
    const file = join(dir, "empty.json");
    writeFileSync(file, '{ "x": [1, 2] }');
    const r = await sampo(["sample", "examples/simple.ts", "--data", file, ...short]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("site 'y': no observed value (undefined: is it missing from the data?)");
  });

  it("lists the problems of an initial-values file", async () => {
    const dir = tmp();
    const file = join(dir, "init.json");
    writeFileSync(file, '{ "mu": "zero", "sigma": [[[1]]] }');
    const r = await sampo(["sample", "examples/simple.ts", "--init", file, ...short]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: 2 problems`);
    expect(r.stderr).toContain("mu: the string");
    expect(r.stderr).toContain("sigma[0][0]: arrays nested more than 2 deep");
  });
});

describe("a damaged run directory", () => {
  let run: string;
  beforeAll(async () => {
    run = tmp();
    const r = await sampo(["sample", "examples/simple.ts", ...short, "--checkpoint-every", "20", "--out", run]);
    expect(r.code, r.stderr).toBe(0);
  });

  /** A copy of the finished run with `damage` done to it, then `--resume`d: what the command said. */
  async function resumeDamaged(damage: (dir: string) => void): Promise<{ code: number; stderr: string }> {
    const dir = tmp();
    cpSync(run, dir, { recursive: true });
    damage(dir);
    const before = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8"));
    const r = await sampo(["sample", "examples/simple.ts", ...short, "--checkpoint-every", "20", "--out", dir, "--resume"]);
    // Refused before anything was written.
    expect(readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8"))).toEqual(before);
    return r;
  }

  it("refuses a truncated checkpoint, naming it and where its JSON ends", async () => {
    const r = await resumeDamaged((dir) => {
      const path = join(dir, "checkpoint-2.json");
      writeFileSync(path, readFileSync(path, "utf8").slice(0, 40));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /sampo sample: .*checkpoint-2\.json: line 1, column 38: not valid JSON \(truncated or damaged\?\): a value expected, found a string that is not closed/,
    );
  });

  it("refuses a checkpoint with one digit changed, by its checksum", async () => {
    const r = await resumeDamaged((dir) => {
      const path = join(dir, "checkpoint-1.json");
      writeFileSync(
        path,
        readFileSync(path, "utf8").replace(/"csvBytes":(\d)/, (_, d: string) => `"csvBytes":${(Number(d) + 1) % 10}`),
      );
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checkpoint-1\.json: checksum: the content does not match its checksum/);
  });

  it("refuses a run.json whose settings were damaged, naming the field", async () => {
    const r = await resumeDamaged((dir) => {
      const path = join(dir, "run.json");
      writeFileSync(path, readFileSync(path, "utf8").replace(/"chains": 2/, '"chains": "2"'));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run\.json: settings\.chains: expected an integer ≥ 1, got "2"/);
  });

  it("refuses a chain CSV that lost a row before its checkpoint", async () => {
    const r = await resumeDamaged((dir) => {
      const path = join(dir, "chain-1.csv");
      const lines = readFileSync(path, "utf8").split("\n");
      const first = lines.findIndex((l) => l.startsWith("lp__")) + 1;
      lines.splice(first + 3, 1);
      writeFileSync(path, lines.join("\n"));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/chain-1\.csv/);
  });

  it("sampo summary refuses a chain CSV cut mid-row, naming the file and line, and reads a CRLF copy as the original", async () => {
    const original = await sampo(["summary", run]);
    expect(original.code, original.stderr).toBe(0);
    const crlf = tmp();
    cpSync(run, crlf, { recursive: true });
    for (const k of [1, 2]) {
      const path = join(crlf, `chain-${k}.csv`);
      writeFileSync(path, `\uFEFF${readFileSync(path, "utf8").replace(/\n/g, "\r\n")}`);
    }
    expect((await sampo(["summary", crlf])).stdout).toBe(original.stdout);
    const cut = tmp();
    cpSync(run, cut, { recursive: true });
    const path = join(cut, "chain-2.csv");
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, text.lastIndexOf("\n", text.length - 200) + 10));
    const r = await sampo(["summary", cut]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/chain-2\.csv: line \d+: the file ends inside this line/);
  });
});
